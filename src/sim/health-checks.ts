/**
 * @module sim/health-checks
 * A `health-check` component that observes a component with `healthCheck.autoFailover` takes
 * healthy capacity out of it when it flaps: once the checker has been impaired (half working)
 * for longer than interval × threshold, the observed component's success is multiplied by the
 * checker's. A checker that is down stops checking and its targets keep their state (fail
 * static); a checker whose checks fail because the state they read is still queued
 * (`needsFresh`), or because what its checks go through fails (a dependency marked `probe`),
 * is not down but wrong, and all its failing checks count;
 * `disable-automation` on the checker stops it.
 */
import type { HealthCheck } from "../model/types.js";
import { crossing } from "./incremental.js";
import { cutSince, cuttingPartition, partitionFactor } from "./partitions.js";
import { type CompState, DOWN_BELOW, EPS, type Sim, type Why } from "./state.js";

/**
 * Component i's success `value` times the share of its capacity its flapping checkers leave in
 * service (each through `factor`, which records the cause).
 */
export function checkerFactors(
  sim: Sim,
  i: number,
  value: number,
  factor: (value: number, why: Why) => number,
): number {
  const s = sim.comps[i] as CompState;
  const check = s.c.healthCheck;
  for (const h of sim.topo.checkers[i] as number[]) {
    const hc = sim.comps[h] as CompState;
    if (!check?.autoFailover || hc.automationDisabled) continue;
    value = partitionedChecks(sim, s, hc, check, value, factor);
    // A checker that half works flaps: its false failures fail healthy capacity out. One that
    // is down stops checking, and the targets keep their last known state (fail static) — but
    // one whose checks fail on stale state (needsFresh) is still checking: what it could do
    // with fresh state decides whether it is down, and all its failing checks take capacity out.
    if (hc.impairedSince === undefined || hc.working < DOWN_BELOW) continue;
    const detect = check.interval * check.threshold;
    if (sim.t - hc.impairedSince < detect - EPS) {
      // Detection takes interval × threshold: that moment is a boundary.
      crossing(sim, hc.impairedSince + detect);
      continue;
    }
    // A velocity limit caps the capacity its failover may take out.
    const left = Math.max(hc.s, 1 - (check.maxRemoved ?? 1));
    const probe = hc.hasProbes ? failingProbe(sim, hc) : undefined;
    value *= factor(left, {
      mechanism: "health-check",
      fromKind: "component",
      from: hc.c.id,
      detail: () => ({
        what: "checker-flaps",
        checker: hc.c.id,
        failing: 1 - hc.s,
        component: s.c.id,
        ...(left > hc.s ? { removed: 1 - left } : {}),
        ...(probe !== undefined ? { probe } : {}),
      }),
    });
  }
  return value;
}

/** The first of a checker's probes (`probe: true`) that fails, if any. */
function failingProbe(sim: Sim, hc: CompState): string | undefined {
  for (const e of hc.hard)
    if (e.dep.probe === true && e.success < 1 - EPS) return (sim.comps[e.to] as CompState).c.id;
  return undefined;
}

/**
 * A partition between a working checker and part of its target: the checks of that part fail,
 * so once detected (interval × threshold after the partition started) its healthy capacity is
 * failed out, as far as the velocity limit lets it.
 */
function partitionedChecks(
  sim: Sim,
  s: CompState,
  hc: CompState,
  check: HealthCheck,
  value: number,
  factor: (value: number, why: Why) => number,
): number {
  if (sim.faults.partitions.length === 0 || hc.process !== "running" || hc.s < DOWN_BELOW)
    return value;
  const reach = partitionFactor(sim, hc.c, s.c);
  if (reach >= 1 - EPS) return value;
  const since = cutSince(sim, hc.c, s.c) ?? sim.t;
  const detect = check.interval * check.threshold;
  if (sim.t - since < detect - EPS) {
    crossing(sim, since + detect);
    return value;
  }
  const left = Math.max(reach, 1 - (check.maxRemoved ?? 1));
  return (
    value *
    factor(left, {
      mechanism: "health-check",
      fromKind: "fault",
      from: cuttingPartition(sim, hc.c, s.c),
      detail: () => ({
        what: "checks-partitioned",
        checker: hc.c.id,
        component: s.c.id,
        removed: 1 - left,
      }),
    })
  );
}
