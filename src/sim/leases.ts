/**
 * @module sim/leases
 * A lease manager (`leases` on a component) serves only the share of its hosts holding a valid
 * lease. While its hard dependencies fail, renewals fail and leases lapse: none for
 * duration − renewEvery, all by duration. When they are back, the hosts without a lease ask for
 * one again: re-establishing leases is work the manager queues and serves at `establishRate`,
 * each attempt awaited for `attemptTimeout` (`lease-work.ts`). Too much of it at once and the
 * queue's wait passes the timeout: everything served is wasted and hosts keep re-sending
 * (congestive collapse), until a throttle admits fewer attempts than the manager serves or a
 * restart empties the queue. With `publishes`, every lease re-established publishes one message
 * (the host's state to propagate).
 */
import { ageing, crossing, markComp } from "./incremental.js";
import { LeaseWork, type WorkRates } from "./lease-work.js";
import { type CompState, DOWN_BELOW, EPS, resolve, type Sim, UP_AT, type Why } from "./state.js";

const IDLE: WorkRates = { admit: 0, serve: 0, limit: Number.POSITIVE_INFINITY };

/** The re-establishment work of lease manager s (made on first use). */
export function leaseWork(s: CompState): LeaseWork {
  const leases = s.c.leases;
  if (s.work === undefined)
    s.work = new LeaseWork(
      leases?.attemptTimeout ?? leases?.duration ?? Number.POSITIVE_INFINITY,
      leases?.retryBackoff ?? 0,
    );
  return s.work;
}

/**
 * The rate at which lease manager s establishes leases now: its rate, scaled (and warming up
 * after a start, like any capacity), on what is up.
 */
function serveRate(s: CompState): number {
  const share = s.placementUp * (1 - s.capacityLoss);
  if (share <= 0) return 0;
  return (s.c.leases?.establishRate ?? Number.POSITIVE_INFINITY) * s.scale * s.warm * share;
}

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
  const work = leaseWork(s);
  if (s.depsOk < DOWN_BELOW) {
    if (s.leaseSince === undefined) {
      s.leaseSince = t;
      s.leasesAtSince = s.leases;
      const dep = s.hard.find((e) => e.success < DOWN_BELOW);
      // What made renewals fail: the call's own cause names it (an emptied record, expired
      // tokens, the dependency itself), and the component called may well be up.
      const inner = dep?.cause ? resolve(dep.cause) : undefined;
      const origin =
        inner?.from !== undefined
          ? { from: inner.from, fromKind: inner.fromKind }
          : dep
            ? { from: (sim.comps[dep.to] as CompState).c.id, fromKind: "component" as const }
            : {};
      s.leaseCause = {
        mechanism: "leases",
        ...origin,
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
    s.workRates = IDLE;
    // Attempts fail at once while the dependencies do: every host without a lease waits.
    work.reset(leases.count * (1 - s.leases));
  } else {
    s.leaseSince = undefined;
    const lapsed = leases.count * (1 - s.leases);
    // Still the dependency whose failure let the leases lapse, whatever the text says now.
    const from = s.leaseCause?.from;
    const fromKind = s.leaseCause?.fromKind;
    const serve = serveRate(s);
    if (lapsed <= EPS || serve === Number.POSITIVE_INFINITY) {
      s.leases = 1;
      s.leaseRate = 0;
      s.workRates = IDLE;
      work.settle();
    } else if (s.process !== "running") {
      // A restart loses the queue; nothing is served or admitted until it runs again.
      work.lose();
      s.leaseRate = 0;
      s.workRates = IDLE;
    } else {
      // Admission: all waiting hosts at once, within the throttle's rate and under the wait
      // that admission by queue age allows.
      const limit = Number.isFinite(s.maxWait) ? serve * s.maxWait : Number.POSITIVE_INFINITY;
      if (!Number.isFinite(s.throttle))
        work.admitNow(t, Math.min(work.waiting, Math.max(0, limit - work.queued())));
      // Full once the queue holds maxWait of work: then no more is admitted than served.
      const full = work.queued() >= limit - EPS * Math.max(1, limit);
      const admit = Number.isFinite(s.throttle)
        ? full
          ? Math.min(s.throttle, serve)
          : s.throttle
        : full
          ? serve
          : 0;
      const rates: WorkRates = { admit: work.waiting > EPS ? admit : 0, serve, limit };
      s.workRates = rates;
      s.leaseRate = work.usefulRate(t, rates);
      const queued = work.queued();
      if (s.leaseRate <= 0 && queued > EPS)
        setCause(s, {
          mechanism: "congestive-collapse",
          from,
          fromKind,
          detail: {
            what: "leases-collapse",
            lapsed,
            rate: serve,
            queued,
            oldest: work.oldestAge(t),
            timeout: work.timeout,
          },
        });
      else {
        const throttled = Number.isFinite(s.throttle) || Number.isFinite(s.maxWait);
        const by = s.throttledBy ?? s.maxWaitBy;
        setCause(s, {
          mechanism: "leases",
          from,
          fromKind,
          detail: () => ({
            what: "leases-reestablishing",
            lapsed,
            rate: s.leaseRate,
            throttled,
            ...(throttled && by !== undefined ? { throttledBy: by } : {}),
          }),
        });
      }
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

/** Advances the re-establishment of lapsed leases from t0 to t1. */
export function integrateLeases(sim: Sim, t0: number, t1: number): void {
  for (const i of sim.topo.leaseComps) {
    const s = sim.comps[i] as CompState;
    if (!s.c.leases || s.work === undefined) continue;
    const established = s.work.advance(t0, t1, s.workRates);
    if (established > 0) {
      s.leases = Math.min(1, s.leases + established / s.c.leases.count);
      if (1 - s.leases < EPS) s.leases = 1;
    }
  }
}

/**
 * The next change of the lease work (the last lapsed lease re-established, a chunk of attempts
 * served or timing out, hosts back from their backoff), if sooner than `best`.
 */
export function leaseCrossing(sim: Sim, best: number): number {
  for (const i of sim.topo.leaseComps) {
    const s = sim.comps[i] as CompState;
    if (!s.c.leases || s.work === undefined) continue;
    if (s.leaseRate > 0) {
      const expired = s.c.leases.count * (1 - s.leases);
      best = Math.min(best, sim.t + expired / s.leaseRate);
    }
    best = Math.min(best, s.work.nextChange(sim.t, s.workRates));
  }
  return best;
}
