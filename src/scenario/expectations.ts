import type { PathKey, SourceFile } from "../model/source.js";
import { formatDuration, formatPercent, formatRate } from "../model/units.js";
import type { Refer, Report } from "./checks.js";
import { type Instant, parseInstant } from "./instant.js";
import { EXPECTATION_KEYS, type ExpectationInput } from "./schema.js";
import type { Expectation, FaultEnd } from "./types.js";

type Known = ReadonlyMap<string, unknown> | ReadonlySet<string>;

/** What checking an expectation needs from the scenario being built. */
export interface ExpectationContext {
  readonly source: SourceFile;
  readonly report: Report;
  readonly refer: Refer;
  readonly duration: number;
  /** "the scenario ends at …", for messages. */
  readonly ends: string;
  readonly workloads: Known;
  readonly components: Known;
  /** Components with a replica (`replication:`), which can fail over. */
  readonly replicated: ReadonlySet<string>;
  /** Components a data-loss fault of the scenario aims at. */
  readonly lossy: ReadonlySet<string>;
  readonly queues: Known;
  readonly alarms: Known;
  readonly faultIds: ReadonlySet<string>;
  readonly faultEnds: ReadonlyMap<string, FaultEnd>;
  /** The scenario's `startsAt`, when it has one: wall-clock times are measured from it. */
  readonly startsAt?: string | undefined;
}

/**
 * A wall-clock time as seconds from the scenario's `startsAt`; `problem` is told when there is
 * no start to count from (then 0) or the time is before it (then 0).
 */
export function wallClockSeconds(
  instant: string,
  startsAt: string | undefined,
  problem: (message: string) => void,
): number {
  const at = parseInstant(instant) as Instant;
  const start = startsAt === undefined ? undefined : parseInstant(startsAt);
  if (!start) {
    problem(
      `${instant} is a wall-clock time, and this scenario has no startsAt to count it from — give startsAt, or write a duration from the start`,
    );
    return 0;
  }
  const seconds = (at.epochMs - start.epochMs) / 1000;
  if (seconds < 0) problem(`${instant} is before the scenario starts (startsAt ${startsAt})`);
  return Math.max(0, seconds);
}

export function buildExpectation(
  entry: ExpectationInput,
  path: readonly PathKey[],
  ctx: ExpectationContext,
): Expectation | undefined {
  const {
    source,
    report,
    refer,
    duration,
    ends,
    workloads,
    components,
    queues,
    alarms,
    faultIds,
    faultEnds,
  } = ctx;
  const loc = source.locate(path, "value");
  const keys = EXPECTATION_KEYS.filter((k) => entry[k] !== undefined);
  if (keys.length === 0) {
    report("missing-key", path, "an expectation is a mapping with one key naming its kind", {
      expected: `one of: ${EXPECTATION_KEYS.join(", ")}`,
    });
    return undefined;
  }
  if (keys.length > 1) {
    report(
      "impossible-value",
      [...path, keys[1] as string],
      `one expectation per entry: write ${keys.map((k) => `'${k}'`).join(" and ")} as separate entries`,
      { at: "key" },
    );
    return undefined;
  }
  const kind = keys[0] as (typeof EXPECTATION_KEYS)[number];
  const kpath = [...path, kind];
  /** A time as seconds from the start: a wall-clock time is read against `startsAt`. */
  const time = <T extends number | { instant: string } | undefined>(
    t: T,
    key: string,
  ): Exclude<T, { instant: string }> | number => {
    if (typeof t !== "object" || t === null) return t as Exclude<T, { instant: string }>;
    return wallClockSeconds(t.instant, ctx.startsAt, (message) =>
      report("impossible-value", [...kpath, key], message),
    );
  };
  /** Where a duration is measured from: a time within the run, or a fault (checked by the caller). */
  const measuredFrom = (
    written: number | { instant: string } | { fault: string } | undefined,
  ): number | { fault: string } => {
    if (typeof written === "object" && "fault" in written) return { fault: written.fault };
    const at = time(written, "from");
    if (typeof at !== "number") return 0;
    if (at >= duration)
      report("impossible-value", [...kpath, "from"], `nothing to measure: ${ends}`);
    return at;
  };
  const bounded = (
    b: { atLeast?: number | undefined; atMost?: number | undefined },
    show: (x: number) => string,
  ) => {
    if (b.atLeast === undefined && b.atMost === undefined) {
      report("missing-key", kpath, "a bound is required: atLeast, atMost or both", {
        at: "key",
        expected: "atLeast or atMost",
      });
    } else if (b.atLeast !== undefined && b.atMost !== undefined && b.atLeast > b.atMost) {
      report(
        "impossible-value",
        [...kpath, "atMost"],
        `atLeast ${show(b.atLeast)} is above atMost ${show(b.atMost)}; no result meets both`,
      );
    }
    return {
      ...(b.atLeast !== undefined ? { atLeast: b.atLeast } : {}),
      ...(b.atMost !== undefined ? { atMost: b.atMost } : {}),
    };
  };
  const withinRun = (key: string, t: number) => {
    if (t > duration)
      report("impossible-value", [...kpath, key], `${formatDuration(t)} is past the end: ${ends}`);
  };
  switch (kind) {
    case "availability": {
      const x = entry.availability as NonNullable<ExpectationInput["availability"]>;
      refer([...kpath, "workload"], "workload", x.workload, workloads);
      const from = time(x.from, "from") ?? 0;
      const to = time(x.to, "to") ?? duration;
      if (to <= from) {
        report(
          "impossible-value",
          x.to !== undefined ? [...kpath, "to"] : [...kpath, "from"],
          `the window must end after it starts: from ${formatDuration(from)}, to ${formatDuration(to)}`,
        );
      } else {
        withinRun("to", to);
      }
      return {
        kind: "availability",
        workload: x.workload,
        from,
        to,
        ...bounded(x, formatPercent),
        loc,
      };
    }
    case "impacted": {
      const x = entry.impacted as NonNullable<ExpectationInput["impacted"]>;
      refer([...kpath, "component"], "component", x.component, components);
      return { kind: "impacted", component: x.component, impacted: x.is ?? true, loc };
    }
    case "timeToImpact": {
      const x = entry.timeToImpact as NonNullable<ExpectationInput["timeToImpact"]>;
      refer([...kpath, "component"], "component", x.component, components);
      const from = measuredFrom(x.from);
      if (typeof from === "object")
        refer([...kpath, "from", "fault"], "fault", from.fault, faultIds);
      return {
        kind: "time-to-impact",
        component: x.component,
        from,
        ...(x.state === "down" ? { state: "down" as const } : {}),
        ...bounded(x, formatDuration),
        loc,
      };
    }
    case "timeToRecover": {
      const x = entry.timeToRecover as NonNullable<ExpectationInput["timeToRecover"]>;
      refer([...kpath, "component"], "component", x.component, components);
      const from = measuredFrom(x.from);
      if (typeof from === "object") {
        const fpath = [...kpath, "from", "fault"];
        if (refer(fpath, "fault", from.fault, faultIds)) {
          const end = faultEnds.get(from.fault);
          if (end && "never" in end) {
            report(
              "impossible-value",
              fpath,
              `fault '${from.fault}' never ends, so there is no end to measure from; give it an until`,
            );
          }
        }
      }
      return {
        kind: "time-to-recover",
        component: x.component,
        from,
        ...(x.to === "degraded" ? { to: "degraded" as const } : {}),
        ...bounded(x, formatDuration),
        loc,
      };
    }
    case "drainedBy": {
      const written = entry.drainedBy as NonNullable<ExpectationInput["drainedBy"]>;
      const x = {
        queue: written.queue,
        by: time(written.by, "by"),
        after: time(written.after, "after"),
      };
      refer([...kpath, "queue"], "queue", x.queue, queues);
      if (x.by <= 0)
        report("impossible-value", [...kpath, "by"], "by must be a time after the start (0s)");
      else withinRun("by", x.by);
      if (x.after !== undefined && x.after >= x.by)
        report(
          "impossible-value",
          [...kpath, "after"],
          `after (${formatDuration(x.after)}) must be before by (${formatDuration(x.by)})`,
          { expected: "a window: drained after `after` and by `by`" },
        );
      return {
        kind: "drained-by",
        queue: x.queue,
        by: x.by,
        ...(x.after !== undefined ? { after: x.after } : {}),
        loc,
      };
    }
    case "messagesLost": {
      const x = entry.messagesLost as NonNullable<ExpectationInput["messagesLost"]>;
      refer([...kpath, "queue"], "queue", x.queue, queues);
      return { kind: "messages-lost", queue: x.queue, ...bounded(x, (n) => `${n}`), loc };
    }
    case "alarm": {
      const written = entry.alarm as NonNullable<ExpectationInput["alarm"]>;
      const x = {
        alarm: written.alarm,
        fires: written.fires ?? true,
        by: time(written.by, "by"),
        after: time(written.after, "after"),
      };
      refer([...kpath, "alarm"], "alarm", x.alarm, alarms);
      if (x.by !== undefined) {
        if (x.by <= 0)
          report("impossible-value", [...kpath, "by"], "by must be a time after the start (0s)");
        else withinRun("by", x.by);
      }
      if (x.after !== undefined) {
        if (!x.fires)
          report(
            "impossible-value",
            [...kpath, "after"],
            "after goes with fires: true (it fires in a window); an alarm that stays silent takes by alone",
            { at: "key" },
          );
        else if (x.by !== undefined && x.after >= x.by)
          report(
            "impossible-value",
            [...kpath, "after"],
            `after (${formatDuration(x.after)}) must be before by (${formatDuration(x.by)})`,
          );
        else withinRun("after", x.after);
      }
      return {
        kind: "alarm",
        alarm: x.alarm,
        fires: x.fires,
        ...(x.by !== undefined ? { by: x.by } : {}),
        ...(x.after !== undefined ? { after: x.after } : {}),
        loc,
      };
    }
    case "peakLoad": {
      const x = entry.peakLoad as NonNullable<ExpectationInput["peakLoad"]>;
      refer([...kpath, "component"], "component", x.component, components);
      return {
        kind: "peak-load",
        component: x.component,
        ...bounded(x, formatRate),
        loc,
      };
    }
    case "peakLatency": {
      const x = entry.peakLatency as NonNullable<ExpectationInput["peakLatency"]>;
      refer([...kpath, "component"], "component", x.component, components);
      return {
        kind: "peak-latency",
        component: x.component,
        ...bounded(x, formatDuration),
        loc,
      };
    }
    case "wrongAnswers": {
      const x = entry.wrongAnswers as NonNullable<ExpectationInput["wrongAnswers"]>;
      refer([...kpath, "component"], "component", x.component, components);
      return {
        kind: "wrong-answers",
        component: x.component,
        ...bounded(x, (n) => `${n}`),
        loc,
      };
    }
    case "dataAtRisk": {
      const x = entry.dataAtRisk as NonNullable<ExpectationInput["dataAtRisk"]>;
      if (refer([...kpath, "component"], "component", x.component, components)) {
        if (!ctx.replicated.has(x.component) && !ctx.lossy.has(x.component))
          report(
            "impossible-value",
            [...kpath, "component"],
            `${x.component} has no replica (replication: in the model) and no data-loss fault in this scenario, so it puts nothing at risk`,
          );
      }
      return {
        kind: "data-at-risk",
        component: x.component,
        ...bounded(x, (n) => `${n}`),
        loc,
      };
    }
  }
}
