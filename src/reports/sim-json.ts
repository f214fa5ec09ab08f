/**
 * @module reports/sim-json
 * The simulation journal as JSON for programs (the HTML report, the web UI, a diff between two
 * runs): the journal itself plus the tool that produced it, keys in a fixed order and nothing
 * that changes from run to run, so two runs of the same scenario are equal byte for byte.
 * `schemaVersion` comes first so a reader can check it before anything else.
 */
import type {
  Cause,
  ComponentResult,
  Journal,
  QueueResult,
  Series,
  TimelineEntry,
  Verdict,
  WorkloadResult,
} from "../sim/types.js";
import { causeText } from "./causes.js";

export function renderJournalJson(
  journal: Journal,
  options: { readonly toolVersion: string },
): string {
  // NOTE: rebuilt key by key rather than serialized as is, so the order of keys does not depend
  // on how the journal object happened to be assembled. Fields this file does not know yet are
  // kept, after the known ones.
  const {
    schemaVersion,
    model,
    scenario,
    timeline,
    components,
    workloads,
    queues,
    expectations,
    series,
    stats,
    ...rest
  } = journal;
  const { name: modelName, files, ...modelRest } = model;
  const { name, file, duration, startsAt, ...scenarioRest } = scenario;
  const { steps, events, ...statsRest } = stats;
  const document = {
    schemaVersion,
    tool: { name: "faultline", version: options.toolVersion },
    model: { name: modelName, files, ...modelRest },
    scenario: { name, file, duration, startsAt, ...scenarioRest },
    timeline: timeline.map(orderedEntry),
    components: components.map(orderedComponent),
    workloads: workloads.map(orderedWorkload),
    queues: queues.map(orderedQueue),
    expectations: expectations.map(orderedVerdict),
    series: orderedSeries(series),
    stats: { steps, events, ...statsRest },
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A cause with its sentence (`text`, as the terminal report writes it) before its particulars. */
function orderedCause(cause: Cause) {
  const { mechanism, from, fromKind, detail, ...more } = cause;
  return {
    mechanism,
    ...(from !== undefined ? { from } : {}),
    ...(fromKind !== undefined && from !== undefined ? { fromKind } : {}),
    text: causeText(cause),
    detail,
    ...more,
  };
}

function orderedEntry({ t, kind, subject, from, to, cause, ...more }: TimelineEntry) {
  return { t, kind, subject, from, to, cause: orderedCause(cause), ...more };
}

function orderedComponent(c: ComponentResult) {
  const {
    id,
    impacted,
    firstImpact,
    recoveredAt,
    downtime,
    degradedTime,
    finalState,
    worstSuccess,
    peakLoad,
    capacity,
    abandoned,
    peakWait,
    peakLatency,
    ...more
  } = c;
  return {
    id,
    impacted,
    firstImpact,
    recoveredAt,
    downtime,
    degradedTime,
    finalState,
    worstSuccess,
    peakLoad,
    capacity,
    abandoned,
    peakWait,
    peakLatency,
    ...more,
  };
}

function orderedWorkload(w: WorkloadResult) {
  const { id, offered, served, failed, delayed, returned, availability, slo, sloBurn, ...more } = w;
  return {
    id,
    offered,
    served,
    failed,
    delayed,
    ...(returned !== undefined ? { returned } : {}),
    availability,
    slo,
    sloBurn,
    ...more,
  };
}

function orderedQueue(q: QueueResult) {
  const {
    id,
    published,
    consumed,
    deadLettered,
    expired,
    purged,
    rejected,
    finalBacklog,
    peakBacklog,
    peakAt,
    drainedAt,
    ...more
  } = q;
  return {
    id,
    published,
    consumed,
    deadLettered,
    expired,
    purged,
    rejected,
    finalBacklog,
    peakBacklog,
    peakAt,
    drainedAt,
    ...more,
  };
}

function orderedVerdict({ kind, subject, expected, actual, ok, loc, fact, ...more }: Verdict) {
  const { file, line, column, endLine, endColumn } = loc;
  return {
    ...(fact !== undefined ? { fact } : {}),
    kind,
    subject,
    expected,
    actual,
    ok,
    loc: {
      file,
      line,
      column,
      ...(endLine !== undefined ? { endLine } : {}),
      ...(endColumn !== undefined ? { endColumn } : {}),
    },
    ...more,
  };
}

function orderedSeries({
  times,
  state,
  success,
  load,
  latency,
  workloads,
  backlog,
  ...more
}: Series) {
  return {
    times,
    state: byKey(state),
    success: byKey(success),
    load: byKey(load),
    latency: byKey(latency),
    workloads: byKey(workloads),
    backlog: byKey(backlog),
    ...more,
  };
}

/** A record with its keys sorted (by code unit, the same in every locale). */
function byKey<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
