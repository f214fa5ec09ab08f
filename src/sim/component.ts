/**
 * @module sim/component
 * One component's evaluation: its success fraction is the product of its own factors (process
 * running, error faults, bad changes, leases, overload, throttle, shed load, health-check
 * automation) and the success of each hard dependency as the call sees it (`calls.ts`); its
 * latency is its own time plus its slowest hard dependency's hold time plus its queue's wait.
 * The cause is the lowest factor; several small ones that add up are named together. Soft
 * dependencies that fail put it in its degraded mode without lowering its success.
 */

import { endAdmission, noteAdmission } from "./admission.js";
import { edgeSuccess, holdTime } from "./calls.js";
import {
  finish,
  mergeMax,
  NO_SHARED,
  type Shared,
  type SharedFailure,
  SharedMerge,
  sameShared,
  sharedSuccess,
} from "./correlation.js";
import { freshFactors } from "./freshness.js";
import { checkerFactors } from "./health-checks.js";
import { latencyChanged } from "./incremental.js";
import { clamp01 } from "./mechanisms.js";
import {
  admitted,
  capacityOf,
  noCapacityWhy,
  noteOverload,
  overloadWhy,
  queueWait,
} from "./overload.js";
import { tryStart } from "./recovery.js";
import { endSlide, outwaitedShare } from "./sliding.js";
import {
  type CompState,
  DOWN_BELOW,
  type EdgeState,
  EPS,
  type Sim,
  UP_AT,
  type Why,
} from "./state.js";

const UP: Why = { mechanism: "none", detail: { what: "none" } };
/** Scratch: the shared failures of the calls of the component being evaluated. */
const SCRATCH = new SharedMerge();
/** Scratch: the shared failures of a health checker's calls other than its probes. */
const PROBE_SCRATCH = new SharedMerge();

/**
 * What a health checker could do with its probes working: its own factors and its other hard
 * dependencies (`probes` holds their shared failures).
 */
function probeWorking(served: number, own: number, free: number, probes: SharedMerge): number {
  if (served <= 0) return 0;
  const combined = finish(probes);
  return clamp01(clamp01(own * free * combined.folded) * sharedSuccess(combined.shared));
}

export function evaluateComponent(sim: Sim, i: number): void {
  const s = sim.comps[i] as CompState;
  const c = s.c;
  const sccOf = sim.topo.sccOf;
  // The cause is the lowest factor; a dependency inside the component's own cycle is named
  // only when nothing outside the cycle explains the failure (members of a cycle would
  // otherwise name each other while what holds them down is elsewhere).
  let cause: Why | undefined;
  let lowest = 1;
  let inCycle: Why | undefined;
  let lowestInCycle = 1;
  const small: { value: number; why: Why }[] = [];
  const factor = (value: number, why: Why | undefined, cyclic = false) => {
    if (why && value < 1 - EPS) small.push({ value, why });
    if (cyclic) {
      if (value < lowestInCycle - EPS && why) {
        lowestInCycle = value;
        inCycle = why;
      }
    } else if (value < lowest - EPS && why) {
      lowest = value;
      cause = why;
    }
    return value;
  };
  tryStart(sim, s);
  if (s.process !== "running") {
    notRunning(sim, i, s);
    return;
  }
  s.calling = true;
  // Its own factors are independent per request, but one that fails everything (`served`
  // falls to 0) is a shared state of its own: the component serves nothing.
  let value = 1;
  let served = 1;
  if (s.process !== "running") served *= factor(0, s.processCause);
  if (s.certificateExpired)
    served *= factor(0, {
      mechanism: "auth",
      from: s.faultCause?.from,
      fromKind: "fault",
      detail: { what: "certificate-expired", component: c.id },
    });
  if (s.errorRate > 0) value *= factor(1 - s.errorRate, s.faultCause);
  if (s.badFraction > 0) value *= factor(1 - s.badFraction, s.faultCause);
  // Hard dependencies: their shared failures count once per key, the rest multiply.
  const keys = SCRATCH;
  keys.clear();
  let deps = 1;
  // A request holds the component for its own time plus its slowest hard dependency: calls
  // to different dependencies are taken to run concurrently.
  let latency = s.baseLatency + s.extraLatency;
  let slowest = 0;
  // A health checker's probes (`probe: true`): what its checks go through. Their failure fails
  // its checks, not the checker: what it could do without them (`working`) leaves them out.
  let probes: SharedMerge | undefined;
  let probeFree = 1;
  for (const e of s.hard) {
    const p = edgeSuccess(sim, e, s);
    deps *= e.independent;
    mergeMax(keys, e.shared);
    if (s.hasProbes) {
      if (!probes) {
        probes = PROBE_SCRATCH;
        probes.clear();
      }
      if (!e.dep.probe) {
        probeFree *= e.independent;
        mergeMax(probes, e.shared);
      }
    }
    // A call that does not fail is no factor (and needs no cause).
    if (p < 1 - EPS) {
      const callee = (sim.comps[e.to] as CompState).c.id;
      const why: Why = e.cause ?? {
        mechanism: "dependency",
        fromKind: "component",
        from: callee,
        detail: { what: "dependency-failing", component: callee, down: false },
      };
      const cyclic = why.mechanism === "dependency" && sccOf[e.to] === sccOf[i] && e.to !== i;
      factor(p, why, cyclic);
    }
    slowest = Math.max(slowest, holdTime(sim, e));
  }
  latency += slowest;
  // The requests for a lost shard fail however often they are retried: a shared failure.
  if (s.shardCause) {
    keys.add(`shards:${c.id}`, 1 - s.placementUp);
    probes?.add(`shards:${c.id}`, 1 - s.placementUp);
    factor(s.placementUp, s.shardCause);
  }
  const combined = finish(keys);
  deps *= combined.folded;
  s.depsOk = deps * sharedSuccess(combined.shared);
  // Leases: a lease manager serves only the hosts whose lease is valid.
  if (c.leases && s.leases < 1 - EPS) value *= factor(s.leases, s.leaseCause);
  // Overload: requests that waited longer than their callers' timeout are wasted work.
  const capacity = capacityOf(s, latency);
  s.capacity = capacity;
  s.serviceTime = latency;
  const wait = queueWait(s.queue, capacity);
  latency += wait;
  // A queue that is building or draining changes latency, and so callers' timeouts — one about
  // to build (more admitted than served) too, from this instant.
  if (s.queue > 0 || admitted(s) > capacity) sim.dynamic = true;
  const none = noCapacityWhy(s, capacity);
  if (none) served *= factor(0, none);
  noteOverload(sim, i, capacity);
  // What outwaits its callers: everything once its queued work does, a share while its queue
  // is held at their timeout (sliding.ts), each request on its own.
  if (none) endSlide(sim, i);
  const outwaited = none ? 0 : outwaitedShare(sim, i, s, wait, capacity);
  if (outwaited >= 1) served *= factor(0, overloadWhy(s, wait, capacity, 1));
  else if (outwaited > 0) value *= factor(1 - outwaited, overloadWhy(s, wait, capacity, outwaited));
  if (s.load > s.throttle) {
    value *= factor(s.throttle / s.load, {
      mechanism: "throttle",
      from: s.throttledBy,
      fromKind: "action",
      detail: () => ({ what: "throttled", rate: s.throttle, load: s.load }),
    });
  }
  // Admission by queue age: what arrives beyond what it serves is refused once the wait is there
  // — held there, the share that keeps it there (admission.ts).
  noteAdmission(sim, i, s, capacity);
  const offered = Math.min(s.load, s.throttle) * (1 - s.shed);
  // Held at that age, the share it keeps is its own (not what the load of the moment makes of it).
  const taken = admitted(s);
  const kept =
    s.admission !== undefined
      ? 1 - s.admission.share
      : taken < offered * (1 - EPS)
        ? taken / offered
        : 1;
  if (kept < 1 - EPS)
    value *= factor(
      kept,
      s.maxWaitBy === undefined
        ? // Its own bounded queue (`buffer`) is full: what does not fit is dropped.
          {
            mechanism: "overload",
            detail: () => ({
              what: "buffer-full",
              buffer: s.maxWait,
              admitted: admitted(s),
              load: s.load,
            }),
          }
        : {
            mechanism: "throttle",
            from: s.maxWaitBy,
            fromKind: "action",
            detail: () => ({
              what: "queue-age-admission",
              maxWait: s.maxWait,
              admitted: admitted(s),
              load: s.load,
            }),
          },
    );
  if (s.shed > 0)
    value *= factor(1 - s.shed, {
      mechanism: "shed",
      from: s.shedBy,
      fromKind: "action",
      detail: () => ({ what: "shedding", fraction: s.shed }),
    });
  // Health-check automation failing healthy capacity out.
  value = checkerFactors(sim, i, value, factor);
  // State it needs fresh from a queue, still queued.
  const working = value;
  if (c.needsFresh) value = freshFactors(sim, i, value, factor);
  const shared = served <= 0 ? [{ key: s.downKey, f: 1 }] : certainOnly(combined.shared);
  const independent = served <= 0 ? 1 : clamp01(value * deps);
  if (!sameShared(shared, s.shared)) s.shared = shared;
  s.independent = independent;
  s.s = served <= 0 ? 0 : clamp01(independent * sharedSuccess(shared));
  // What it could do with its state fresh: a health checker whose checks fail on stale state
  // is still checking (health-checks.ts).
  s.working = probes
    ? probeWorking(served, working, probeFree, probes)
    : working === value
      ? s.s
      : served <= 0
        ? 0
        : clamp01(clamp01(working * deps) * sharedSuccess(shared));
  value = s.s;
  s.latency = latency;
  notePeakLatency(s);
  if (inCycle && (cause === undefined || lowest >= UP_AT)) cause = inCycle;
  if (value < UP_AT && lowest >= UP_AT && lowestInCycle >= UP_AT && small.length > 1) {
    // No single factor explains it: several small failures add up.
    const parts = [...small].sort((a, b) => a.value - b.value);
    const first = parts[0] as { value: number; why: Why };
    const total = value;
    cause = {
      mechanism: first.why.mechanism,
      from: first.why.from,
      fromKind: first.why.fromKind,
      detail: () => ({
        what: "several-small",
        failing: 1 - total,
        parts: parts.map((x) => ({ name: x.why.from ?? x.why.mechanism, failing: 1 - x.value })),
      }),
    };
  }
  s.cause = cause ?? UP;
  let degraded = false;
  for (const e of s.soft) {
    const p = edgeSuccess(sim, e, s);
    if (p < DOWN_BELOW) degraded = true;
  }
  s.degraded = degraded;
}

/**
 * A component that is not running (stopped, restarting, waiting to cold-start) makes no calls:
 * it serves nothing, holds a call for its own time only, and its calls send nothing. A process
 * that starts again starts with its breakers closed, no retries pending and its response caches
 * empty (`response-cache.ts`); while it is not running they are not refreshed. Its evaluation does not look at what it calls (only a
 * waiting one's start does, in `tryStart`), so what it calls changing costs next to nothing.
 */
function notRunning(sim: Sim, i: number, s: CompState): void {
  s.s = 0;
  s.working = 0;
  s.independent = 1;
  endSlide(sim, i);
  endAdmission(sim, i);
  if (s.shared.length !== 1 || (s.shared[0] as SharedFailure).key !== s.downKey)
    s.shared = [{ key: s.downKey, f: 1 }];
  s.cause = s.processCause;
  s.degraded = false;
  // `depsOk` holds what it was when it stopped: a stopped lease manager's leases are not
  // followed further here (leases as work, and a restart's effect on them, are recovery
  // dynamics still to model).
  s.latency = s.baseLatency + s.extraLatency;
  s.serviceTime = s.latency;
  const capacity = capacityOf(s, s.latency);
  s.capacity = capacity;
  noteOverload(sim, i, capacity);
  if (s.calling) {
    for (const e of s.hard) idle(e, sim.t);
    for (const e of s.soft) idle(e, sim.t);
    s.calling = false;
  }
}

/**
 * A call no longer made, from time t: it sends nothing and fails nothing, its breaker is closed,
 * no retry is pending, and its response cache is refreshed no more.
 */
export function idle(e: EdgeState, t: number): void {
  e.flow.fill(0);
  e.groupShare.fill(0);
  e.groupAttempts.fill(0);
  e.attempt = 1;
  e.hits = 0;
  e.reachShare = 0;
  e.fallbackShare = 0;
  e.raw = 1;
  e.success = 1;
  e.shared = NO_SHARED;
  e.independent = 1;
  e.cause = undefined;
  e.breaker = "closed";
  e.errorSince = undefined;
  e.retrySince = undefined;
  e.failingSince = e.dep.cache ? (e.failingSince ?? t) : undefined;
}

/**
 * A component's shared failures as its readers need them. With a certain failure among them
 * (a share of exactly 1: something it needs serves nothing), its success is 0 and the smaller
 * shares change nothing anywhere: every reader's held success through it is 0 whatever they
 * are, a rescued call keeps only the largest share (a certain one), and the certain ones keep
 * their order. Dropping them keeps a dead component from reporting a change each time one of
 * them moves, which would evaluate its readers again for nothing.
 */
function certainOnly(shared: Shared): Shared {
  let certain = false;
  let partial = false;
  for (const x of shared) {
    if (x.f === 1) certain = true;
    else partial = true;
  }
  return certain && partial ? shared.filter((x) => x.f === 1) : shared;
}

/**
 * Component i's latency, when the only inputs that changed since its evaluation are its
 * callees' latencies and nothing else it computes reads them (see `Topology.latencyOnly`): the
 * latency part of evaluateComponent, with the attempts of its calls as evaluated.
 */
export function updateLatency(sim: Sim, i: number): void {
  const s = sim.comps[i] as CompState;
  let latency = s.baseLatency + s.extraLatency;
  let slowest = 0;
  for (const e of s.hard) slowest = Math.max(slowest, holdTime(sim, e));
  latency += slowest;
  const capacity = capacityOf(s, latency);
  s.capacity = capacity;
  s.serviceTime = latency;
  latency += queueWait(s.queue, capacity);
  if (latency === s.latency) return;
  s.latency = latency;
  notePeakLatency(s);
  latencyChanged(sim, i);
}

/** The highest latency of the requests it serves (one that serves nothing has none). */
function notePeakLatency(s: CompState): void {
  if (s.s > 0 && s.latency > s.peakLatency && Number.isFinite(s.latency)) s.peakLatency = s.latency;
}
