/**
 * @module reports/journal
 * What the simulation renderers share, so the terminal and Markdown reports say the same
 * thing: the timeline folded into rows (simultaneous changes with the same cause become one
 * row), how times are written, and which components and queues the results dwell on.
 */
import { clock, clockTenths, count, fmt, pct } from "../sim/format.js";
import type { Cause, ComponentResult, Journal, QueueResult, TimelineEntry } from "../sim/types.js";
import { causeText } from "./causes.js";
import { plural } from "./findings.js";

/** One or more timeline entries at the same instant, of the same kind, change and cause. */
export interface TimelineRow {
  readonly t: number;
  readonly kind: TimelineEntry["kind"];
  readonly subjects: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly cause: Cause;
}

/**
 * The timeline as rows: entries at the same time with the same kind, change and cause are
 * merged (nine components losing their cached DNS answer at once read as one line), in the
 * order the first of them appears.
 */
export function timelineRows(journal: Journal): TimelineRow[] {
  const rows: { row: TimelineRow; subjects: string[] }[] = [];
  const open = new Map<string, { row: TimelineRow; subjects: string[] }>();
  let at: number | undefined;
  for (const e of journal.timeline) {
    if (e.t !== at) {
      open.clear();
      at = e.t;
    }
    const key = JSON.stringify([
      e.kind,
      e.from,
      e.to,
      e.cause.mechanism,
      e.cause.from ?? null,
      causeText(e.cause),
    ]);
    const existing = open.get(key);
    if (existing !== undefined) {
      existing.subjects.push(e.subject);
      continue;
    }
    const subjects = [e.subject];
    const entry = {
      row: { t: e.t, kind: e.kind, subjects, from: e.from, to: e.to, cause: e.cause },
      subjects,
    };
    open.set(key, entry);
    rows.push(entry);
  }
  return rows.map((r) => r.row);
}

/** The subjects of a row, named with their kind unless they are components. */
export function subjectLabel(kind: TimelineEntry["kind"], subjects: readonly string[]): string {
  const list = subjects.join(", ");
  return kind === "component" ? list : `${kind} ${list}`;
}

/** "mechanism source: text", the source left out when the change is its own cause. */
export function causeLabel(cause: Cause, subjects: readonly string[]): string {
  const source =
    cause.from !== undefined && !(subjects.length === 1 && subjects[0] === cause.from)
      ? ` ${cause.from}`
      : "";
  return `${cause.mechanism}${source}: ${causeText(cause)}`;
}

/**
 * How the report writes times from the start of the run: to the tenth of a second when some
 * change falls between whole seconds, so changes a moment apart keep their order.
 */
export function timeFormat(journal: Journal): (t: number) => string {
  const tenths = journal.timeline.some((e) => Math.round(e.t * 10) % 10 !== 0);
  return tenths ? clockTenths : clock;
}

/** Impacted components, first impacted first (ties by id). */
export function impactedComponents(journal: Journal): ComponentResult[] {
  return journal.components
    .filter((c) => c.impacted)
    .sort(
      (a, b) =>
        (a.firstImpact ?? 0) - (b.firstImpact ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/** Queues that backed up or lost messages; the others have nothing to report. */
export function notableQueues(journal: Journal): QueueResult[] {
  return journal.queues.filter(
    (q) =>
      q.peakBacklog > 0 || q.expired > 0 || q.deadLettered > 0 || q.rejected > 0 || q.purged > 0,
  );
}

/** The run in one line: changes, impacted components, expectations met. */
export function runSummary(journal: Journal): string {
  const impacted = journal.components.filter((c) => c.impacted);
  const impaired = impacted.filter((c) => c.finalState !== "up").length;
  const parts = [
    plural(journal.timeline.length, "change"),
    `${impacted.length} of ${journal.components.length} components impacted${impaired > 0 ? ` (${impaired} not recovered by the end)` : ""}`,
  ];
  if (journal.expectations.length > 0) parts.push(expectationCount(journal));
  return parts.join("; ");
}

export function expectationCount(journal: Journal): string {
  const met = journal.expectations.filter((v) => v.ok).length;
  const count = `${met} of ${plural(journal.expectations.length, "expectation")} met`;
  const facts = journal.publicRecord?.facts ?? [];
  if (facts.length === 0) return count;
  const reproduced = facts.filter((f) => {
    const mine = journal.expectations.filter((v) => v.fact === f.id);
    return f.notSimulated === undefined && mine.length > 0 && mine.every((v) => v.ok);
  }).length;
  return `${count} (${reproduced} of ${plural(facts.length, "public fact")} reproduced)`;
}

/** Cells of the component table, in the order of `COMPONENT_COLUMNS`. */
export function componentCells(c: ComponentResult, time: (t: number) => string): string[] {
  return [
    c.id,
    c.firstImpact === null ? "—" : time(c.firstImpact),
    c.recoveredAt === null ? "—" : time(c.recoveredAt),
    fmt(c.downtime),
    fmt(c.degradedTime),
    pct(c.worstSuccess),
    c.finalState,
  ];
}

export const COMPONENT_COLUMNS = [
  "component",
  "first impact",
  "recovered",
  "downtime",
  "degraded",
  "worst success",
  "at the end",
] as const;

export function workloadCells(w: Journal["workloads"][number]): string[] {
  return [
    w.id,
    pct(w.availability, 3),
    `${count(w.failed)} of ${count(w.offered)}`,
    w.delayed > 0 ? count(w.delayed) : "0",
    w.slo === null ? "—" : pct(w.slo, 3),
    w.sloBurn === null ? "—" : `${round2(w.sloBurn)}×`,
  ];
}

export const WORKLOAD_COLUMNS = [
  "workload",
  "availability",
  "failed",
  "delayed",
  "SLO",
  "budget burnt",
] as const;

export function queueCells(q: QueueResult, time: (t: number) => string): string[] {
  return [
    q.id,
    count(q.peakBacklog),
    q.peakAt === null ? "—" : time(q.peakAt),
    q.drainedAt === null ? (q.finalBacklog > 0 ? "not drained" : "—") : time(q.drainedAt),
    count(q.expired),
    count(q.deadLettered),
    count(q.finalBacklog),
  ];
}

export const QUEUE_COLUMNS = [
  "queue",
  "peak backlog",
  "peak at",
  "drained",
  "expired",
  "dead-lettered",
  "left at the end",
] as const;

function round2(x: number): string {
  return x >= 100 ? String(Math.round(x)) : String(Math.round(x * 100) / 100);
}
