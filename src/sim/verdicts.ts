/**
 * @module sim/verdicts
 * Expectations against the facts of a run: each becomes a verdict with what was expected, what
 * happened, whether it holds, and where in the scenario it was written. Reads only results the
 * journal carries (plus the exact per-window availability the engine accumulated).
 */

import type { AvailabilityExpectation, Expectation } from "../scenario/types.js";
import { clock, clockTenths, count, fmt, pct } from "./format.js";
import type {
  ComponentResult,
  FailoverRecord,
  LossRecord,
  QueueResult,
  TimelineEntry,
  Verdict,
} from "./types.js";

/** A simulated moment as the timeline writes it: tenths of a second only when it has them. */
function instant(t: number): string {
  const tenths = clockTenths(t);
  return tenths.endsWith(".0") ? clock(t) : tenths;
}

export interface RunFacts {
  readonly components: readonly ComponentResult[];
  readonly failovers: readonly FailoverRecord[];
  readonly losses: readonly LossRecord[];
  readonly queues: readonly QueueResult[];
  readonly timeline: readonly TimelineEntry[];
  /** Served / offered of a workload over an availability expectation's window. */
  readonly windowAvailability: (x: AvailabilityExpectation) => number;
}

function faultStartTime(timeline: readonly TimelineEntry[], id: string): number | null {
  const e = timeline.find((x) => x.kind === "fault" && x.subject === id && x.to === "active");
  return e ? e.t : null;
}

/** The first time a component was down (or recovering: it serves nothing), or null. */
export function firstDown(timeline: readonly TimelineEntry[], id: string): number | null {
  const e = timeline.find(
    (x) => x.kind === "component" && x.subject === id && (x.to === "down" || x.to === "recovering"),
  );
  return e ? e.t : null;
}

/**
 * The time a component left down (or recovering) for the last time, or null: `never` when it
 * was never down, `end` when it is down at the end.
 */
export function outOfDown(
  timeline: readonly TimelineEntry[],
  id: string,
): number | "never" | "end" {
  let left: number | "never" | "end" = "never";
  for (const e of timeline) {
    if (e.kind !== "component" || e.subject !== id || e.from === e.to) continue;
    const bad = (s: string) => s === "down" || s === "recovering";
    if (bad(e.to)) left = "end";
    else if (bad(e.from)) left = e.t;
  }
  return left;
}

function faultEndTime(timeline: readonly TimelineEntry[], id: string): number | null {
  const e = timeline.find((x) => x.kind === "fault" && x.subject === id && x.to === "ended");
  return e ? e.t : null;
}

export function verdict(x: Expectation, run: RunFacts): Verdict {
  const { components, queues } = run;
  const bounds = (
    v: number,
    lo: number | undefined,
    hi: number | undefined,
    show: (n: number) => string,
  ) => ({
    ok: (lo === undefined || v >= lo - 1e-9) && (hi === undefined || v <= hi + 1e-9),
    expected: [lo !== undefined ? `≥ ${show(lo)}` : "", hi !== undefined ? `≤ ${show(hi)}` : ""]
      .filter(Boolean)
      .join(" and "),
  });
  switch (x.kind) {
    case "availability": {
      const a = run.windowAvailability(x);
      const b = bounds(a, x.atLeast, x.atMost, (n) => pct(n, 3));
      return {
        kind: x.kind,
        subject: x.workload,
        expected: `${b.expected} over ${clock(x.from)}–${clock(x.to)}`,
        actual: pct(a, 3),
        ok: b.ok,
        loc: x.loc,
      };
    }
    case "impacted": {
      const c = components.find((r) => r.id === x.component);
      const actual = c?.impacted ?? false;
      return {
        kind: x.kind,
        subject: x.component,
        expected: x.impacted ? "impacted" : "not impacted",
        actual: actual ? `impacted at ${instant(c?.firstImpact ?? 0)}` : "not impacted",
        ok: actual === x.impacted,
        loc: x.loc,
      };
    }
    case "time-to-impact": {
      const found = components.find((r) => r.id === x.component);
      // Measured to its first impact, or to the first time it is down.
      const c =
        found && x.state === "down"
          ? { ...found, firstImpact: firstDown(run.timeline, x.component) }
          : found;
      const from = typeof x.from === "number" ? x.from : faultStartTime(run.timeline, x.from.fault);
      const after =
        from === 0 ? "" : ` after ${from === null ? "a fault that never started" : clock(from)}`;
      if (from === null || (c?.firstImpact != null && c.firstImpact < from - 1e-9))
        return {
          kind: x.kind,
          subject: x.component,
          expected: `${bounds(0, x.atLeast, x.atMost, fmt).expected}${after}`,
          actual:
            from === null
              ? `fault ${typeof x.from === "number" ? "" : x.from.fault} never started`
              : `impacted at ${instant(c?.firstImpact ?? 0)}, before ${clock(from)}`,
          ok: false,
          loc: x.loc,
        };
      const v = c?.firstImpact == null ? null : c.firstImpact - from;
      // Never impacted (or never down) is later than any lower bound and past any upper one.
      if (v === null)
        return {
          kind: x.kind,
          subject: x.component,
          expected: `${x.state === "down" ? "down " : ""}${bounds(0, x.atLeast, x.atMost, fmt).expected}`,
          actual: x.state === "down" ? "never down" : "never impacted",
          ok: x.atMost === undefined,
          loc: x.loc,
        };
      const b = bounds(v, x.atLeast, x.atMost, fmt);
      return {
        kind: x.kind,
        subject: x.component,
        expected: `${x.state === "down" ? "down " : ""}${b.expected}${after}`,
        actual: from === 0 ? fmt(v) : `${fmt(v)} (at ${instant(v + from)})`,
        ok: b.ok,
        loc: x.loc,
      };
    }
    case "time-to-recover": {
      const found = components.find((r) => r.id === x.component);
      // Recovered to up (the default), or out of down for good.
      const left = x.to === "degraded" ? outOfDown(run.timeline, x.component) : undefined;
      const c =
        found && left !== undefined
          ? {
              ...found,
              impacted: left !== "never",
              recoveredAt: typeof left === "number" ? left : null,
            }
          : found;
      const from = typeof x.from === "number" ? x.from : faultEndTime(run.timeline, x.from.fault);
      const b0 = bounds(0, x.atLeast, x.atMost, fmt).expected;
      if (from === null)
        return {
          kind: x.kind,
          subject: x.component,
          expected: b0,
          actual: `fault ${typeof x.from === "number" ? "" : x.from.fault} never ended`,
          ok: false,
          loc: x.loc,
        };
      if (!c?.impacted)
        return {
          kind: x.kind,
          subject: x.component,
          expected: b0,
          actual: left !== undefined ? "never down" : "never impacted",
          ok: x.atLeast === undefined,
          loc: x.loc,
        };
      if (c.recoveredAt === null)
        return {
          kind: x.kind,
          subject: x.component,
          expected: b0,
          actual: "not recovered by the end",
          ok: false,
          loc: x.loc,
        };
      const v = c.recoveredAt - from;
      const b = bounds(v, x.atLeast, x.atMost, fmt);
      return {
        kind: x.kind,
        subject: x.component,
        expected: `${left !== undefined ? "out of down " : ""}${b.expected} after ${clock(from)}`,
        actual: `${fmt(v)} (at ${instant(c.recoveredAt)})`,
        ok: b.ok,
        loc: x.loc,
      };
    }
    case "drained-by": {
      const q = queues.find((r) => r.id === x.queue);
      const ok =
        q !== undefined &&
        q.finalBacklog <= 1e-6 &&
        (q.drainedAt === null
          ? x.after === undefined
          : q.drainedAt <= x.by + 1e-9 && (x.after === undefined || q.drainedAt > x.after - 1e-9));
      const actual = !q
        ? "unknown queue"
        : q.finalBacklog > 1e-6
          ? `${count(q.finalBacklog)} still queued at the end`
          : q.drainedAt === null
            ? "never backed up"
            : `drained at ${instant(q.drainedAt)}`;
      return {
        kind: x.kind,
        subject: x.queue,
        expected:
          x.after === undefined
            ? `drained by ${clock(x.by)}`
            : `drained after ${clock(x.after)} and by ${clock(x.by)}`,
        actual,
        ok,
        loc: x.loc,
      };
    }
    case "messages-lost": {
      const q = queues.find((r) => r.id === x.queue);
      // Lost: accepted by the queue and never processed by its consumers — expired past the
      // retention, purged, or moved to the dead-letter queue. Rejected publishes never entered
      // the queue: they failed at the publisher and are reported apart.
      const lost = q ? q.expired + q.purged + q.deadLettered : 0;
      const b = bounds(lost, x.atLeast, x.atMost, count);
      return {
        kind: x.kind,
        subject: x.queue,
        expected: `${b.expected} lost`,
        actual: `${count(lost)} lost (${count(q?.expired ?? 0)} expired, ${count(q?.purged ?? 0)} purged, ${count(q?.deadLettered ?? 0)} dead-lettered; ${count(q?.rejected ?? 0)} publishes rejected besides)`,
        ok:
          (x.atLeast === undefined || lost >= x.atLeast - 1e-6) &&
          (x.atMost === undefined || lost <= x.atMost + 1e-6),
        loc: x.loc,
      };
    }
    case "alarm": {
      // Its first firing — or, with `after`, its first firing from then on (one that fired
      // earlier and again inside the window fires in it).
      const firings = run.timeline.filter(
        (e) => e.kind === "alarm" && e.subject === x.alarm && e.to === "alarm",
      );
      const fired =
        x.after === undefined
          ? firings[0]
          : (firings.find((e) => e.t >= (x.after as number) - 1e-9) ?? firings[0]);
      const firedAt = fired ? fired.t : null;
      const within =
        firedAt !== null &&
        (x.by === undefined || firedAt <= x.by + 1e-9) &&
        (x.after === undefined || firedAt >= x.after - 1e-9);
      return {
        kind: x.kind,
        subject: x.alarm,
        expected: x.fires
          ? `fires${x.after !== undefined ? ` after ${clock(x.after)}` : ""}${x.by !== undefined ? ` by ${clock(x.by)}` : ""}`
          : `stays silent${x.by !== undefined ? ` until ${clock(x.by)}` : ""}`,
        actual: firedAt === null ? "never fired" : `fired at ${instant(firedAt)}`,
        ok: x.fires ? within : !within,
        loc: x.loc,
      };
    }
    case "peak-load": {
      const c = components.find((r) => r.id === x.component);
      const v = c?.peakLoad ?? 0;
      const b = bounds(v, x.atLeast, x.atMost, (n) => `${count(n)}/s`);
      return {
        kind: x.kind,
        subject: x.component,
        expected: b.expected,
        actual: `${count(v)}/s${c?.capacity != null ? ` (capacity ${count(c.capacity)}/s)` : ""}`,
        ok: b.ok,
        loc: x.loc,
      };
    }
    case "peak-latency": {
      const c = components.find((r) => r.id === x.component);
      const v = c?.peakLatency ?? 0;
      const b = bounds(v, x.atLeast, x.atMost, fmt);
      return {
        kind: x.kind,
        subject: x.component,
        expected: b.expected,
        actual: fmt(v),
        ok: b.ok,
        loc: x.loc,
      };
    }
    case "wrong-answers": {
      const c = components.find((r) => r.id === x.component);
      const v = c?.wrongAnswers ?? 0;
      const b = bounds(v, x.atLeast, x.atMost, (n) => `${count(n)} requests`);
      return {
        kind: x.kind,
        subject: x.component,
        expected: `${b.expected} answered wrongly`,
        actual:
          v > 0
            ? `${count(v)} requests answered wrongly from ${instant(c?.wrongSince ?? 0)}`
            : "no wrong answers",
        ok: b.ok,
        loc: x.loc,
      };
    }
    case "data-at-risk": {
      const list = [
        ...run.failovers.filter((f) => f.primary === x.component),
        ...run.losses.filter((l) => l.component === x.component),
      ];
      const v = list.reduce((sum, f) => sum + f.atRisk, 0);
      const b = bounds(v, x.atLeast, x.atMost, (n) => `${count(n)} requests`);
      return {
        kind: x.kind,
        subject: x.component,
        expected: b.expected,
        actual:
          list.length === 0
            ? "never failed over or lost its state"
            : `${count(v)} requests over ${[
                [
                  run.failovers.filter((f) => f.primary === x.component).length,
                  "failover",
                  "failovers",
                ],
                [
                  run.losses.filter((l) => l.component === x.component).length,
                  "loss of its state",
                  "losses of its state",
                ],
              ]
                .filter(([n]) => (n as number) > 0)
                .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
                .join(" and ")}`,
        ok: b.ok,
        loc: x.loc,
      };
    }
    default: {
      const never: never = x;
      throw new Error(`verdict: unknown expectation ${JSON.stringify(never)}`);
    }
  }
}
