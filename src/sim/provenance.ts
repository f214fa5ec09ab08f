/**
 * @module sim/provenance
 * The numbers a run rests on: those its model and scenario mark as fitted (`calibrated`, every
 * one, with what it was fitted to) or guessed (`guess`, those of the parts the run touched —
 * a component, record, queue or workload that changed state, backed up or failed requests —
 * with how many more guesses concern parts it left alone). A number of an untouched part can
 * still matter (a capacity that kept a part healthy); `faultline sensitivity` says which do.
 */
import type { Assumption, Model } from "../model/types.js";
import type { Scenario } from "../scenario/types.js";
import type {
  ComponentResult,
  MarkedNumber,
  NumbersRestedOn,
  QueueResult,
  TimelineEntry,
  WorkloadResult,
} from "./types.js";

/** Null when neither file marks any number. */
export function numbersRestedOn(
  model: Model,
  scenario: Scenario,
  run: {
    readonly timeline: readonly TimelineEntry[];
    readonly components: readonly ComponentResult[];
    readonly queues: readonly QueueResult[];
    readonly workloads: readonly WorkloadResult[];
  },
): NumbersRestedOn | null {
  const marked: Assumption[] = [...(model.assumptions ?? []), ...(scenario.assumptions ?? [])];
  if (marked.length === 0) return null;
  const touched = new Set<string>([
    ...run.timeline.map((e) => e.subject),
    ...run.components.filter((c) => c.impacted).map((c) => c.id),
    ...run.queues.filter((q) => q.peakBacklog > 0).map((q) => q.id),
    ...run.workloads.filter((w) => w.failed > 0).map((w) => w.id),
  ]);
  const note = (a: Assumption): MarkedNumber => ({
    key: a.key,
    file: a.loc.file,
    ...(a.to !== undefined ? { to: a.to } : {}),
    ...(a.note !== undefined ? { note: a.note } : {}),
  });
  const fromScenario = (a: Assumption) => a.loc.file === scenario.file;
  const guesses = marked.filter((a) => a.source === "guess");
  const near = guesses.filter(
    (a) => fromScenario(a) || a.path.some((k) => typeof k === "string" && touched.has(k)),
  );
  return {
    calibrated: marked.filter((a) => a.source === "calibrated").map(note),
    guessed: near.map(note),
    otherGuesses: guesses.length - near.length,
    public: marked.filter((a) => a.source === "public").length,
  };
}
