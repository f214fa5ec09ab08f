/**
 * @module sim/leases
 * A lease manager (`leases` on a component) serves only the share of its hosts holding a valid
 * lease. While its hard dependencies fail, renewals fail and leases lapse: none for
 * duration − renewEvery, all by duration. When they are back, lapsed leases are re-established
 * at `establishRate` per second — unless re-establishing them all would take longer than a lease
 * lasts: then every attempt times out before it completes and is queued again (congestive
 * collapse). A throttle admits the work at min(throttle, establishRate), which completes. With
 * `publishes`, every lease re-established publishes one message (the host's state to propagate).
 */
import { ageing, crossing, markComp } from "./incremental.js";
import { type CompState, DOWN_BELOW, EPS, resolve, type Sim, UP_AT, type Why } from "./state.js";

/**
 * A lease manager's leases: lapsing while its dependencies fail, re-established after. True
 * when what its evaluation reads moved (its valid share, or why leases are missing): it is
 * evaluated again at this instant, so that neither its state nor the cause it gives lags a step.
 */
export function updateLeases(sim: Sim, i: number): boolean {
  const t = sim.t;
  const s = sim.comps[i] as CompState;
  const leases = s.c.leases;
  if (!leases) return false;
  const since = s.leaseSince;
  const valid = s.leases;
  const cause = s.leaseCause;
  if (s.depsOk < DOWN_BELOW) {
    if (s.leaseSince === undefined) {
      s.leaseSince = t;
      s.leasesAtSince = s.leases;
      const dep = s.hard.find((e) => e.success < DOWN_BELOW);
      s.leaseCause = {
        mechanism: "leases",
        ...(dep
          ? { from: (sim.comps[dep.to] as CompState).c.id, fromKind: "component" as const }
          : {}),
        detail: () => ({
          what: "leases-lapse",
          since: t,
          ...(dep?.cause ? { inner: resolve(dep.cause) } : {}),
        }),
      };
    }
    // The first lease lapses duration − renewEvery after the last renewal.
    const v = ageing(sim, s.leaseSince, leases.duration, leases.renewEvery);
    s.leases = s.leasesAtSince * v;
    s.leaseRate = 0;
  } else {
    s.leaseSince = undefined;
    const expired = leases.count * (1 - s.leases);
    const work = leases.establishRate ?? Number.POSITIVE_INFINITY;
    // Still the dependency whose failure let the leases lapse, whatever the text says now.
    const from = s.leaseCause?.from;
    const fromKind = s.leaseCause?.fromKind;
    if (expired <= EPS) {
      s.leases = 1;
      s.leaseRate = 0;
    } else if (Number.isFinite(s.throttle)) {
      s.leaseRate = Math.min(s.throttle, work);
      setCause(s, {
        mechanism: "leases",
        from,
        fromKind,
        detail: () => ({
          what: "leases-reestablishing",
          lapsed: expired,
          rate: s.leaseRate,
          throttled: true,
          ...(s.throttledBy !== undefined ? { throttledBy: s.throttledBy } : {}),
        }),
      });
    } else if (expired / work > leases.duration) {
      s.leaseRate = 0;
      setCause(s, {
        mechanism: "congestive-collapse",
        from,
        fromKind,
        detail: {
          what: "leases-collapse",
          lapsed: expired,
          rate: work,
          takes: expired / work,
          duration: leases.duration,
        },
      });
    } else {
      s.leaseRate = work;
      setCause(s, {
        mechanism: "leases",
        from,
        fromKind,
        detail: { what: "leases-reestablishing", lapsed: expired, rate: work, throttled: false },
      });
    }
  }
  // Its evaluation reads its leases and why they lapsed.
  const moved = s.leaseSince !== since || s.leases !== valid || s.leaseCause !== cause;
  if (moved) markComp(sim, i);
  return moved;
}

/** Sets why leases are missing, unless it says the same as the cause already given. */
function setCause(s: CompState, next: Why): void {
  const prev = s.leaseCause;
  if (
    prev !== undefined &&
    prev.mechanism === next.mechanism &&
    prev.from === next.from &&
    prev.fromKind === next.fromKind &&
    sameDetail(resolve(prev).detail, resolve(next).detail)
  )
    return;
  s.leaseCause = next;
}

function sameDetail(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}

/**
 * Leases coming back linearly: the moments they cross the state thresholds are boundaries, and
 * so are the moments the lease manager's success does. Its success is its valid share times
 * factors that hold still meanwhile, so it grows in proportion: it reaches a threshold when the
 * share reaches threshold × share / success. (Another factor moving too makes it a guess,
 * checked by the evaluation there and made again from it.)
 */
export function leaseThresholds(sim: Sim): void {
  for (const i of sim.topo.leaseComps) {
    const s = sim.comps[i] as CompState;
    if (s.leaseRate <= 0 || !s.c.leases) continue;
    sim.dynamic = true;
    sim.ramping = true;
    const perShare = s.c.leases.count / s.leaseRate;
    for (const threshold of [DOWN_BELOW, UP_AT]) {
      if (s.leases < threshold) crossing(sim, sim.t + (threshold - s.leases) * perShare);
      if (s.s > 0 && s.s < threshold && s.leases > 0) {
        const share = (threshold * s.leases) / s.s;
        if (share <= 1) crossing(sim, sim.t + (share - s.leases) * perShare);
      }
    }
  }
}

/** Advances the re-establishment of lapsed leases over dt. */
export function integrateLeases(sim: Sim, dt: number): void {
  for (const i of sim.topo.leaseComps) {
    const s = sim.comps[i] as CompState;
    if (s.leaseRate > 0 && s.c.leases) {
      s.leases = Math.min(1, s.leases + (s.leaseRate * dt) / s.c.leases.count);
      if (1 - s.leases < EPS) s.leases = 1;
    }
  }
}

/** The moment the last lapsed lease is re-established, if sooner than `best`. */
export function leaseCrossing(sim: Sim, best: number): number {
  for (const i of sim.topo.leaseComps) {
    const s = sim.comps[i] as CompState;
    if (s.leaseRate > 0 && s.c.leases) {
      const expired = s.c.leases.count * (1 - s.leases);
      best = Math.min(best, sim.t + expired / s.leaseRate);
    }
  }
  return best;
}
