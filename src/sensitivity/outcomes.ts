/**
 * @module sensitivity/outcomes
 * What one run of a sensitivity analysis is judged by, read from its journal and nothing else:
 * each expectation's verdict (the scenario's own verdict code, `sim/verdicts.ts`, wrote it) with
 * the number it measured, and the headline results — when each impacted component was first
 * impacted and when it was back up for good, each workload's availability, when each queue
 * that backed up had drained.
 *
 * A verdict carries its measurement as words (`drained at 10:42:43`); the number is taken from
 * the journal's results the same way the verdict takes it, and `outcomes.test.ts` checks that the
 * two agree on the replay. NOTE: an availability over part of the run is the one exception: the
 * journal keeps only the whole run's, so the number is read back from the verdict's words
 * (a thousandth of a percentage point).
 */
import type { Location } from "../model/types.js";
import type { Expectation } from "../scenario/types.js";
import type { Journal, TimelineEntry, Verdict } from "../sim/types.js";
import { firstDown, outOfDown } from "../sim/verdicts.js";

/** A result that is not a number: never (impacted, backed up, fired), or not by the end. */
export type Absent = "never" | "not-by-the-end";
export type Reading = number | Absent;

/**
 * Units of measured values: `time` is a moment from the start of the run, `duration` a span,
 * `fraction` a share (availability), `count` a number of messages, `rate` per second.
 */
export type MeasureUnit = "time" | "duration" | "fraction" | "count" | "rate";

export interface ExpectationOutcome {
  readonly ok: boolean;
  /** The verdict's words for what happened. */
  readonly actual: string;
  /** The number behind them, in the expectation's unit; null when there is none. */
  readonly measured: number | null;
}

/** An expectation's verdict: what it is about and expects (as the verdict words it), and the outcome. */
export interface VerdictOutcome extends ExpectationOutcome {
  readonly kind: Expectation["kind"];
  readonly subject: string;
  readonly expected: string;
  readonly loc: Location;
}

export interface RunOutcomes {
  /** In the scenario's order. */
  readonly expectations: readonly VerdictOutcome[];
  /** Components impacted in this run, by id. */
  readonly impacted: readonly {
    readonly id: string;
    readonly firstImpact: number;
    /** When it was back up for good; null when not by the end. */
    readonly recoveredAt: number | null;
  }[];
  readonly workloads: readonly { readonly id: string; readonly availability: number }[];
  /** Queues that backed up in this run, by id. */
  readonly backedUp: readonly { readonly id: string; readonly drainedAt: number | null }[];
}

export function runOutcomes(journal: Journal, expectations: readonly Expectation[]): RunOutcomes {
  return {
    expectations: journal.expectations.map((v, i) => {
      const x = expectations[i] as Expectation;
      return {
        kind: x.kind,
        subject: v.subject,
        expected: v.expected,
        loc: v.loc,
        ok: v.ok,
        actual: v.actual,
        measured: measured(x, v, journal),
      };
    }),
    impacted: journal.components
      .filter((c) => c.impacted && c.firstImpact !== null)
      .map((c) => ({ id: c.id, firstImpact: c.firstImpact as number, recoveredAt: c.recoveredAt })),
    workloads: journal.workloads.map((w) => ({ id: w.id, availability: w.availability })),
    backedUp: journal.queues
      .filter((q) => q.peakBacklog > 0)
      .map((q) => ({ id: q.id, drainedAt: q.finalBacklog > 1e-6 ? null : q.drainedAt })),
  };
}

export function measureUnit(kind: Expectation["kind"]): MeasureUnit {
  switch (kind) {
    case "availability":
      return "fraction";
    case "impacted":
    case "drained-by":
    case "alarm":
      return "time";
    case "time-to-impact":
    case "time-to-recover":
      return "duration";
    case "messages-lost":
      return "count";
    case "peak-load":
      return "rate";
    case "data-at-risk":
    case "wrong-answers":
      return "count";
    case "peak-latency":
      return "duration";
    default: {
      const never: never = kind;
      throw new Error(`measureUnit: unknown expectation ${String(never)}`);
    }
  }
}

/** The number an expectation measured in a run, in its unit (`measureUnit`), or null. */
export function measured(x: Expectation, v: Verdict, journal: Journal): number | null {
  const component = (id: string) => journal.components.find((c) => c.id === id);
  const queue = (id: string) => journal.queues.find((q) => q.id === id);
  switch (x.kind) {
    case "availability": {
      const w = journal.workloads.find((r) => r.id === x.workload);
      if (w !== undefined && x.from === 0 && x.to >= journal.scenario.duration)
        return w.availability;
      const m = /^(\d+(?:\.\d+)?)%$/.exec(v.actual);
      return m ? Number(m[1]) / 100 : null;
    }
    case "impacted":
      return component(x.component)?.firstImpact ?? null;
    case "time-to-impact": {
      const from =
        typeof x.from === "number" ? x.from : faultTime(journal.timeline, x.from.fault, "active");
      const at =
        x.state === "down"
          ? firstDown(journal.timeline, x.component)
          : (component(x.component)?.firstImpact ?? null);
      return from === null || at === null ? null : at - from;
    }
    case "time-to-recover": {
      const from =
        typeof x.from === "number" ? x.from : faultTime(journal.timeline, x.from.fault, "ended");
      const left = x.to === "degraded" ? outOfDown(journal.timeline, x.component) : undefined;
      const at =
        left === undefined
          ? (component(x.component)?.recoveredAt ?? null)
          : typeof left === "number"
            ? left
            : null;
      return from === null || at === null ? null : at - from;
    }
    case "drained-by": {
      const q = queue(x.queue);
      return q === undefined || q.finalBacklog > 1e-6 ? null : q.drainedAt;
    }
    case "messages-lost": {
      const q = queue(x.queue);
      return q === undefined ? null : q.expired + q.purged + q.deadLettered;
    }
    case "alarm": {
      const fired = journal.timeline.find(
        (e) => e.kind === "alarm" && e.subject === x.alarm && e.to === "alarm",
      );
      return fired?.t ?? null;
    }
    case "peak-load":
      return component(x.component)?.peakLoad ?? null;
    case "wrong-answers":
      return component(x.component)?.wrongAnswers ?? 0;
    case "peak-latency":
      return component(x.component)?.peakLatency ?? null;
    case "data-at-risk":
      return [
        ...(journal.failovers ?? []).filter((f) => f.primary === x.component),
        ...(journal.losses ?? []).filter((l) => l.component === x.component),
      ].reduce((sum, f) => sum + f.atRisk, 0);
    default: {
      const never: never = x;
      throw new Error(`measured: unknown expectation ${JSON.stringify(never)}`);
    }
  }
}

function faultTime(
  timeline: readonly TimelineEntry[],
  id: string,
  to: "active" | "ended",
): number | null {
  return timeline.find((e) => e.kind === "fault" && e.subject === id && e.to === to)?.t ?? null;
}
