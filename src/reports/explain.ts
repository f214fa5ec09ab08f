/**
 * @module reports/explain
 * `explain(journal, component, at?)`: why a component was impaired, as the chain of recorded
 * causes from the symptom back to the injected fault. It reads only the journal: each state
 * change names the subject it came from (`cause.from`), and the chain follows those names
 * through the timeline — component to component, to a DNS record, to the fault or operator
 * action that changed it.
 *
 * The subject a change came from is taken as it was at or before that change: its latest
 * change into a bad state (not up, ok or normal; for a fault its activation). Effects outlive
 * their causes — clients keep a failed DNS answer cached after the record is fixed, leases stay
 * lapsed after their store is back — so "latest bad change at or before" is deliberately not
 * "the state at that instant". When the subject has no such change yet (it was impaired, but
 * not past the threshold the timeline records, when its dependents already were), the chain
 * takes the subject's first bad change after, and says so in a note.
 */
import { maxOf } from "../model/arrays.js";
import type { Cause } from "../sim/causes.js";
import { clock, clockTenths, wallClock } from "../sim/format.js";
import type { Journal, TimelineEntry } from "../sim/types.js";
import { causeText } from "./causes.js";

export interface ExplanationStep {
  readonly t: number;
  readonly subject: string;
  readonly kind: TimelineEntry["kind"];
  /** The state the subject changed to. */
  readonly state: string;
  readonly mechanism: string;
  /** Why the subject changed, as the journal records it. */
  readonly cause: Cause;
  /** The cause in words. */
  readonly text: string;
  /** The subject the change came from (`cause.from`), when the journal names one. */
  readonly source?: string;
  /** What a reader should know about this link: it was recorded late, or it closes a cycle. */
  readonly note?: string;
}

/**
 * How a chain ends: at an injected fault; at a subject that is its own cause (an operator
 * action); at a change whose cause names no subject; at a subject already in the chain; or at
 * a subject with no bad change in the timeline (a failure domain, say).
 */
export type ChainEnd = "fault" | "origin" | "no-source" | "cycle" | "unrecorded";

export interface Explanation {
  readonly component: string;
  /** The time asked about; null when the first impact was asked for. */
  readonly at: number | null;
  /**
   * impacted: `steps` hold the chain, newest first. up: the component was up at `at` (before
   * its first impact or after a recovery). never-impacted: it never left up. unknown: the
   * journal has no such component.
   */
  readonly status: "impacted" | "up" | "never-impacted" | "unknown";
  /** The component's first change away from up; null if it never left up. */
  readonly firstImpact: number | null;
  /** For status up after an impact: the recovery that still held at `at`. */
  readonly recoveredAt: number | null;
  readonly steps: readonly ExplanationStep[];
  /** How the chain ends; null unless impacted. */
  readonly end: ChainEnd | null;
  /** One line for people: what is explained and where the chain ends (as `formatExplanation`'s first line). */
  readonly summary: string;
}

const GOOD_STATES: Readonly<Record<TimelineEntry["kind"], (to: string) => boolean>> = {
  component: (to) => to === "up",
  record: (to) => to === "ok",
  // A fault is followed to its activation: neither its end nor its rollout waves.
  fault: (to) => to !== "active",
  action: () => false,
  change: () => false,
  alarm: (to) => to === "ok",
  queue: (to) => to === "normal",
};

function isBad(e: TimelineEntry): boolean {
  return !GOOD_STATES[e.kind](e.to);
}

/** How bad a component state is, for picking the worst one reached. */
const SEVERITY: Readonly<Record<string, number>> = { up: 0, degraded: 1, recovering: 2, down: 3 };

/**
 * The causal chain behind `componentId`'s state at time `at` (default: the first time it
 * reached its worst state — down rather than a first dip), from the symptom back to the
 * fault(s). Without `at`, each step is the change of its subject that holds at the step it
 * explains: its latest change into a bad state at or before that step's time — never a later
 * one, so the chain only goes back in time. With `at`, each step is its subject's state at
 * that moment, so every step holds then. Never throws for a component that was not impacted or that the
 * journal does not know: the result says so.
 */
export function explain(journal: Journal, componentId: string, at?: number): Explanation {
  const asked = at ?? null;
  const own = journal.timeline.filter((e) => e.kind === "component" && e.subject === componentId);
  const known = journal.components.some((c) => c.id === componentId) || own.length > 0;
  const first = own.find(isBad);
  let worst: TimelineEntry | undefined;
  for (const e of own)
    if (isBad(e) && (SEVERITY[e.to] ?? 0) > (worst === undefined ? 0 : (SEVERITY[worst.to] ?? 0)))
      worst = e;
  const start = at === undefined ? worst : latest(own, at);
  const time = instantFormat(journal.scenario.startsAt);
  const base = {
    component: componentId,
    at: asked,
    firstImpact: first?.t ?? null,
    recoveredAt: start !== undefined && !isBad(start) ? start.t : null,
  };
  const none = (status: Explanation["status"]): Explanation => {
    const partial = { ...base, status, steps: [], end: null };
    return { ...partial, summary: describe(partial, time) };
  };
  if (!known) return none("unknown");
  if (first === undefined) return none("never-impacted");
  if (start === undefined || !isBad(start)) return none("up");

  const steps: ExplanationStep[] = [];
  // Changes already in the chain, and the subjects they belong to.
  const visited = new Set<TimelineEntry>();
  const subjects = new Set<string>();
  let entry: TimelineEntry = start;
  let note: string | undefined;
  let end: ChainEnd;
  for (;;) {
    visited.add(entry);
    subjects.add(entry.subject);
    const source = entry.cause.from;
    const step: ExplanationStep = {
      t: entry.t,
      subject: entry.subject,
      kind: entry.kind,
      state: entry.to,
      mechanism: entry.cause.mechanism,
      cause: entry.cause,
      text: causeText(entry.cause, time),
      ...(source !== undefined ? { source } : {}),
      ...(note !== undefined ? { note } : {}),
    };
    note = undefined;
    if (entry.kind === "fault") {
      steps.push(step);
      end = "fault";
      break;
    }
    // An operator action taken at its time is, like a fault, something the scenario injected.
    if (entry.kind === "action" && source === undefined) {
      steps.push(step);
      end = "origin";
      break;
    }
    if (source === undefined) {
      steps.push(step);
      end = "no-source";
      break;
    }
    if (source === entry.subject) {
      steps.push(step);
      end = "origin";
      break;
    }
    // Asked about a moment, a source still impaired then is followed through its reason then
    // (the lease manager kept down by its collapsed leases, not by the DNS failure that began
    // them): every step of the chain holds at that moment. Otherwise the source's reason in
    // force at this step: its latest change into a bad state at or before it, never a later one.
    const then =
      at === undefined
        ? undefined
        : latest(
            journal.timeline.filter((e) => e.subject === source),
            at,
          );
    // A source that comes round again is a feedback loop at that moment: what started it is
    // the source's own change in force at this step, earlier. Only a change already followed
    // closes a cycle.
    const again = subjects.has(source);
    const before =
      then !== undefined && isBad(then) && !again
        ? then
        : latest(
            journal.timeline.filter((e) => e.subject === source && isBad(e)),
            entry.t,
          );
    if (again && (before === undefined || visited.has(before))) {
      steps.push(withNote(step, `cycle: ${source} is already in this chain`));
      end = "cycle";
      break;
    }
    if (before === undefined) {
      steps.push(withNote(step, `${source} has no recorded change at or before this one`));
      end = "unrecorded";
      break;
    }
    steps.push(
      again
        ? withNote(
            step,
            `feedback: ${source} comes round again; followed through its earlier change`,
          )
        : step,
    );
    entry = before;
  }
  const partial = { ...base, status: "impacted" as const, steps, end };
  return { ...partial, summary: describe(partial, time) };
}

/** The last of `entries` (in timeline order) at or before t. */
function latest(entries: readonly TimelineEntry[], t: number): TimelineEntry | undefined {
  let found: TimelineEntry | undefined;
  for (const e of entries) if (e.t <= t) found = e;
  return found;
}

function withNote(step: ExplanationStep, note: string): ExplanationStep {
  return { ...step, note: step.note === undefined ? note : `${step.note}; ${note}` };
}

/** The summary line, with times written by `time`. */
function describe(e: Omit<Explanation, "summary">, time: (t: number) => string): string {
  const id = e.component;
  const first = e.steps[0];
  const last = e.steps[e.steps.length - 1];
  switch (e.status) {
    case "unknown":
      return `${id} is not a component of this simulation`;
    case "never-impacted":
      return `${id} was never impacted`;
    case "up":
      return e.recoveredAt !== null
        ? `${id} was up at ${time(e.at ?? 0)}: it recovered at ${time(e.recoveredAt)}`
        : `${id} was up at ${time(e.at ?? 0)}: its first impact came at ${time(e.firstImpact ?? 0)}`;
    case "impacted":
      break;
  }
  // At a moment: the state then, since its change; a source's reason then may have begun after
  // the change above it (it is what keeps that change in force), and each line says when.
  const head =
    e.at === null
      ? `${id} ${first?.state} at ${time(first?.t ?? 0)}`
      : `${id} ${first?.state} at ${time(e.at)} (since ${time(first?.t ?? 0)})`;
  switch (e.end) {
    case "fault":
      return `${head}, traced back to fault ${last?.subject}`;
    case "origin":
      return `${head}, traced back to ${label(last)}`;
    case "no-source":
      return `${head}; the chain ends at ${label(last)}, whose cause names no source`;
    case "cycle":
      return `${head}; the chain runs into a cycle at ${last?.source}`;
    case "unrecorded":
      return `${head}; the chain ends at ${last?.source}, which has no recorded change`;
    default:
      return head;
  }
}

function label(step: ExplanationStep | undefined): string {
  if (step === undefined) return "";
  return step.kind === "component" ? step.subject : `${step.kind} ${step.subject}`;
}

export interface FormatExplanationOptions {
  /**
   * Wall-clock time of time 0 (the scenario's `startsAt`, ISO 8601 with an offset): times are
   * then written as dates and times at that offset instead of from the start of the run.
   */
  readonly startsAt?: string | null;
}

/** Widest the subject column grows before longer subjects simply push the line right. */
const SUBJECT_WIDTH = 40;

/**
 * The explanation for a terminal or a review: a summary line, then one line per step, newest
 * first — time, subject (with its kind unless it is a component), the state it changed to, and
 * after ← the mechanism and the text. The source of each change is the subject on the next
 * line; it is written after the mechanism only where the chain stops short of it.
 */
export function formatExplanation(
  explanation: Explanation,
  options: FormatExplanationOptions = {},
): string {
  const time = timeFormat(explanation, options.startsAt ?? null);
  // One clock on a line: the times inside the causes are written like the line's own.
  const head = [describe(explanation, time)];
  if (explanation.steps.length === 0) return `${head.join("\n")}\n`;
  const subjects = explanation.steps.map(label);
  const subjectWidth = Math.min(SUBJECT_WIDTH, maxOf(subjects.map((s) => s.length)));
  const stateWidth = maxOf(explanation.steps.map((s) => s.state.length));
  const lines = explanation.steps.map((step, i) => {
    const subject = (subjects[i] ?? "").padEnd(subjectWidth);
    // The source is the next line's subject, except where the chain stops short of it.
    const next = explanation.steps[i + 1];
    const source =
      step.source !== undefined && step.source !== step.subject && step.source !== next?.subject
        ? ` ${step.source}`
        : "";
    const note = step.note === undefined ? "" : `  [${step.note}]`;
    return `  ${time(step.t)}  ${subject}  ${step.state.padEnd(stateWidth)}  ← ${step.mechanism}${source}: ${causeText(step.cause, time)}${note}`;
  });
  return `${[...head, ...lines].join("\n")}\n`;
}

/**
 * Times from the start of the run, or on the wall clock when the scenario says when it starts;
 * to the tenth of a second when some step is not on a whole second, so that changes a moment
 * apart keep their order.
 */
function timeFormat(e: Pick<Explanation, "steps">, startsAt: string | null): (t: number) => string {
  const tenths = e.steps.some((s) => Math.round(s.t * 10) % 10 !== 0);
  const relative = tenths ? clockTenths : clock;
  if (startsAt === null) return relative;
  return (t) => wallClock(startsAt, t, tenths) ?? relative(t);
}

/** One time on its own: to the tenth of a second only when it has one. */
function instantFormat(startsAt: string | null): (t: number) => string {
  return (t) => {
    const tenths = Math.round(t * 10) % 10 !== 0;
    const relative = tenths ? clockTenths(t) : clock(t);
    return startsAt === null ? relative : (wallClock(startsAt, t, tenths) ?? relative);
  };
}
