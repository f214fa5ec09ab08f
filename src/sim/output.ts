/**
 * @module sim/output
 * What a run leaves behind: samples of the state on a regular grid (for charts) and, at the
 * end, the journal — results per component, workload and queue, the expectations' verdicts, the
 * timeline and the series. Numbers are rounded once, here, so the journal's bytes do not depend
 * on floating-point noise below a thousandth.
 */

import type { Scenario } from "../scenario/types.js";
import { round } from "./format.js";
import { numbersRestedOn } from "./provenance.js";
import type { CompState, Sim } from "./state.js";
import {
  type ComponentResult,
  type ComponentState,
  JOURNAL_SCHEMA_VERSION,
  type Journal,
  type NumbersRestedOn,
  type PublicRecord,
  type QueueResult,
  type WorkloadResult,
} from "./types.js";
import { type RunFacts, verdict } from "./verdicts.js";

const STATE_CODE: Record<ComponentState, number> = { up: 0, degraded: 1, down: 2, recovering: 3 };

/** Records sample i of the series. */
export function sample(sim: Sim, i: number): void {
  const push = (m: Map<string, number[]>, k: string, v: number) => {
    let list = m.get(k);
    if (!list) {
      list = [];
      m.set(k, list);
    }
    list[i] = v;
  };
  for (const s of sim.comps) {
    s.seriesState[i] = STATE_CODE[s.state];
    s.seriesSuccess[i] = round(s.s, 6);
    if (s.c.capacity !== undefined) s.seriesLoad[i] = round(s.load, 3);
    if (canQueue(s)) s.seriesLatency[i] = round(s.latency, 6);
  }
  for (const x of sim.workloads) {
    push(sim.series.workloads, x.w.id, round((sim.comps[x.entry] as CompState).s, 6));
  }
  for (const q of sim.queues) push(sim.series.backlog, q.q.id, round(q.backlog, 3));
}

/** Whether requests can queue at component s: it has a capacity or a concurrency limit. */
function canQueue(s: CompState): boolean {
  return s.c.capacity !== undefined || s.c.concurrency !== undefined;
}

export function buildJournal(sim: Sim): Journal {
  const components: ComponentResult[] = sim.comps.map((s) => ({
    id: s.c.id,
    impacted: s.firstImpact !== null,
    firstImpact: s.firstImpact === null ? null : round(s.firstImpact, 3),
    recoveredAt:
      s.firstImpact !== null && s.state === "up" && s.recoveredAt !== null
        ? round(s.recoveredAt, 3)
        : null,
    downtime: round(s.downtime, 3),
    // Written so that downtime + degradedTime is the rounded total, not a sum of two roundings.
    degradedTime: round(round(s.downtime + s.degradedTime, 3) - round(s.downtime, 3), 3),
    finalState: s.state,
    worstSuccess: round(s.worst, 6),
    peakLoad: round(s.peakLoad, 3),
    capacity: s.c.capacity ?? null,
    abandoned: round(s.abandoned, 3),
    peakWait: round(s.peakWait, 6),
    peakLatency: round(s.peakLatency, 6),
    ...(s.wrongAnswers > 0
      ? { wrongAnswers: round(s.wrongAnswers, 3), wrongSince: round(s.wrongSince ?? 0, 3) }
      : {}),
  }));
  const workloads: WorkloadResult[] = sim.workloads.map((x) => {
    const availability = x.offered > 0 ? x.served / x.offered : 1;
    const slo = x.w.slo ?? null;
    return {
      id: x.w.id,
      offered: round(x.offered, 3),
      served: round(x.served, 3),
      // As written, offered = served + failed exactly.
      failed: round(round(x.offered, 3) - round(x.served, 3), 3),
      delayed: round(x.delayed, 3),
      ...(x.w.returnRate !== undefined ? { returned: round(x.returned, 3) } : {}),
      availability: round(availability, 9),
      slo,
      sloBurn: slo === null || slo >= 1 ? null : round((1 - availability) / (1 - slo), 6),
    };
  });
  const queues: QueueResult[] = sim.queues.map((q) => q.result());
  const facts: RunFacts = {
    components,
    failovers: sim.failovers,
    losses: sim.losses,
    queues,
    timeline: sim.timeline,
    windowAvailability: (x) => {
      const w = sim.windows.find((y) => y.x === x);
      return w && w.offered > 0 ? w.served / w.offered : 1;
    },
  };
  const expectations = sim.scenario.expectations.map((x) => {
    const v = verdict(x, facts);
    return x.fact === undefined ? v : { ...v, fact: x.fact };
  });
  const toRecord = (m: Map<string, number[]>) =>
    Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    schemaVersion: JOURNAL_SCHEMA_VERSION,
    model: { name: sim.model.name, files: sim.model.files },
    scenario: {
      name: sim.scenario.name,
      file: sim.scenario.file,
      duration: sim.scenario.duration,
      startsAt: sim.scenario.startsAt ?? null,
    },
    timeline: sim.timeline,
    components,
    workloads,
    queues,
    ...(sim.losses.length > 0
      ? {
          losses: sim.losses.map((l) => ({ ...l, at: round(l.at, 3), atRisk: round(l.atRisk, 3) })),
        }
      : {}),
    ...(sim.failovers.length > 0
      ? {
          failovers: sim.failovers.map((f) => ({
            ...f,
            at: round(f.at, 3),
            atRisk: round(f.atRisk, 3),
          })),
        }
      : {}),
    expectations,
    ...publicRecordOf(sim.scenario),
    ...withNumbers(
      numbersRestedOn(sim.model, sim.scenario, {
        timeline: sim.timeline,
        components,
        queues,
        workloads,
      }),
    ),
    series: {
      times: sim.sampleTimes.map((x) => round(x, 3)),
      state: toRecord(new Map(sim.comps.map((s) => [s.c.id, s.seriesState]))),
      success: toRecord(new Map(sim.comps.map((s) => [s.c.id, s.seriesSuccess]))),
      load: toRecord(
        new Map(
          sim.comps.filter((s) => s.c.capacity !== undefined).map((s) => [s.c.id, s.seriesLoad]),
        ),
      ),
      latency: toRecord(new Map(sim.comps.filter(canQueue).map((s) => [s.c.id, s.seriesLatency]))),
      workloads: toRecord(sim.series.workloads),
      backlog: toRecord(sim.series.backlog),
    },
    stats: { steps: sim.steps, events: sim.eventCount },
  };
}

const withNumbers = (numbers: NumbersRestedOn | null) => (numbers === null ? {} : { numbers });

/** The scenario's facts and public timeline, as the journal keeps them (absent when it has none). */
function publicRecordOf(scenario: Scenario): { publicRecord?: PublicRecord } {
  if (scenario.facts.length === 0 && scenario.timeline.length === 0) return {};
  return {
    publicRecord: {
      facts: scenario.facts.map(({ loc: _loc, ...f }) => f),
      timeline: scenario.timeline.map(({ at, event, source }) => ({
        t: at,
        event,
        ...(source !== undefined ? { source } : {}),
      })),
    },
  };
}
