/**
 * @module sim/calls
 * One call as its caller sees it, and where its requests go. In order:
 *
 * 1. A response cache answers a share of calls itself (hits, at the cache's latency): `hitRatio`
 *    of them in normal operation. Once the call fails, entries are no longer refreshed: an entry
 *    keeps being served for its `ttl`, then stale for `staleIfError` (the cache knows the origin
 *    is failing and serves what it has without waiting for it); the entries run out over that
 *    time, refreshed as they were at moments spread over the TTL. The other calls are misses.
 * 2. A miss is sent unless its breaker is open; it is resolved through its DNS record (the
 *    caller's clients holding an answer for the primary targets, for the failover targets, or
 *    none), authenticated with the caller's credentials, and crosses the network unless a
 *    partition cuts it. Calls failing there never reach a callee: they offer it nothing.
 * 3. A call that reaches a target succeeds with the target's success; a target slower than the
 *    call's timeout fails it. Retries follow failed attempts to the same target after their
 *    backoff (`attemptsOffered`) and load it, but help only against its independent failures:
 *    the caller's own persistent state (no answer, no credential, a partition) and a target's
 *    shared failures (`correlation.ts`) fail every attempt alike.
 * 4. Calls that still fail go to the fallback, when there is one (one attempt, its own record and
 *    identity).
 *
 * Every call is accounted for: served by the cache, failed before it left, or sent to a target
 * (primary, failover or fallback), where it is served or fails. `flow[j]` is what reaches the
 * call's slot j per call made: its load on that component.
 */
import type { Dependency } from "../model/types.js";
import { type SharedFailure, sharedSuccess, splitCall } from "./correlation.js";
import { authFactor } from "./credentials.js";
import { throughRecord } from "./dns.js";
import { ageing } from "./incremental.js";
import { attemptsPerCall, backoff, clamp01, retryDelay, successWithRetries } from "./mechanisms.js";
import { cuttingPartition, partitionFactor, partitionKey } from "./partitions.js";
import { cachedShare } from "./response-cache.js";
import {
  type CompState,
  DOWN_BELOW,
  type EdgeState,
  EPS,
  type RecordState,
  resolve,
  type Sim,
  UP_AT,
  type Why,
} from "./state.js";

/**
 * Why a call fails when its callee fails a share of its requests. The same for every caller
 * while the callee's success stays the same, so it is made once per success value.
 */
export function failingWhy(target: CompState): Why {
  const s = target.s;
  const made = target.failing;
  if (made !== undefined && made.s === s) return made.why;
  const why: Why = {
    mechanism: "dependency",
    fromKind: "component",
    from: target.c.id,
    detail: {
      what: "dependency-failing",
      component: target.c.id,
      failing: 1 - s,
      down: s < DOWN_BELOW,
    },
  };
  target.failing = { s, why };
  return why;
}

/** When each retry of a call arrives after its first attempt: fixed by the call's policy. */
export function retryDelaysOf(retry: Dependency["retry"]): { min: number; max: number }[] {
  if (!retry) return [];
  const cap = retry.maxBackoff ?? Number.POSITIVE_INFINITY;
  return Array.from({ length: retry.attempts - 1 }, (_, k) =>
    retryDelay(k + 1, retry.backoff, cap, retry.jitter),
  );
}

/** The share of calls from `caller` to the component in slot j that no partition cuts. */
function partitionOf(sim: Sim, e: EdgeState, j: number, caller: CompState): number {
  const at = e.slotBase + j;
  let part = sim.inc.partitionCache[at] as number;
  if (Number.isNaN(part)) {
    part = partitionFactor(sim, caller.c, (sim.comps[e.slots[j] as number] as CompState).c);
    sim.inc.partitionCache[at] = part;
  }
  return part;
}

/**
 * Success of one call as the caller sees it. Also sets what the call sends to each of its
 * targets, its per-attempt success, its shared and independent parts, and its cause.
 */
export function edgeSuccess(sim: Sim, e: EdgeState, caller: CompState): number {
  const target = sim.comps[e.to] as CompState;
  const d = e.dep;
  const sccOf = sim.topo.sccOf;
  const flow = e.flow;
  // Fast path: a plain call to a healthy callee within its timeout.
  if (
    target.s >= 1 &&
    target.shared.length === 0 &&
    e.record < 0 &&
    !target.failedOver &&
    e.auth < 0 &&
    d.cache === undefined &&
    e.breaker === "closed" &&
    sim.faults.partitions.length === 0 &&
    (d.timeout === undefined || calleeLatency(sim, e) <= d.timeout)
  ) {
    flow[0] = 1;
    for (let j = 1; j < flow.length; j++) flow[j] = 0;
    e.attempt = 1;
    e.hits = 0;
    e.reachShare = 1;
    e.groupShare[0] = 1;
    e.groupAttempts[0] = 1;
    for (let j = 1; j < e.groupShare.length; j++) e.groupShare[j] = 0;
    e.fallbackShare = 0;
    e.raw = 1;
    e.success = 1;
    e.shared = target.shared;
    e.independent = 1;
    e.cause = undefined;
    return 1;
  }
  let cause: Why | undefined;
  let lowest = 1;
  const note = (value: number, c: Why | undefined) => {
    if (c && value < lowest - EPS) {
      lowest = value;
      cause = c;
    }
  };
  const keys: SharedFailure[] = [];
  // 1. The response cache.
  const cache = d.cache;
  const valid = cache ? cachedShare(sim, e, cache) : 1;
  const hits = cache ? cache.hitRatio * valid : 0;
  // 2. Resolution, credentials.
  let onPrimary = 1;
  let onFailover = 0;
  if (e.record >= 0) {
    const r = throughRecord(sim.records[e.record] as RecordState);
    onPrimary = r.onPrimary;
    onFailover = r.onFailover;
    note(onPrimary + onFailover, r.cause);
    if (onPrimary + onFailover < 1 - EPS)
      keys.push({ key: e.dnsKey, f: 1 - onPrimary - onFailover });
  } else if (e.toReplica && target.failedOver) {
    onPrimary = 0;
    onFailover = 1;
  }
  let alpha = 1;
  if (e.auth >= 0) {
    const a = authFactor(sim, caller, e.auth);
    alpha = a.f;
    note(a.f, a.cause);
    if (alpha < 1 - EPS) keys.push({ key: e.authKey, f: 1 - alpha });
  }
  // 3. The targets: the primary, and the failover targets sharing the failover clients.
  const retry = d.retry;
  const timeout = d.timeout;
  const groups = e.groupShare.length;
  const failovers = groups - 1;
  const sameCycle = sccOf[e.to] === sccOf[e.from] && e.to !== e.from;
  let network = 0;
  let attempt = 0;
  for (let g = 0; g < groups; g++) {
    const share = g === 0 ? onPrimary : failovers > 0 ? onFailover / failovers : 0;
    const j = g;
    const t = sim.comps[e.slots[j] as number] as CompState;
    if (share <= 0) {
      e.groupShare[g] = 0;
      e.groupAttempts[g] = 0;
      flow[j] = 0;
      continue;
    }
    const part = partitionOf(sim, e, j, caller);
    if (part < 1) {
      note(part, {
        mechanism: "partition",
        fromKind: "fault",
        from: cuttingPartition(sim, caller.c, t.c),
        detail: { what: "partition", caller: caller.c.id, callee: t.c.id },
      });
    }
    const latency = g === 0 ? calleeLatency(sim, e) : t.latency;
    const timedOut =
      timeout !== undefined && latency > timeout && !servedInTime(t, latency, timeout);
    if (timedOut)
      note(0, {
        mechanism: "timeout",
        fromKind: "component",
        from: t.c.id,
        detail: { what: "timeout", callee: t.c.id, latency, caller: caller.c.id, timeout },
      });
    else if (!(g === 0 && sameCycle) && t.s < lowest - EPS) note(t.s, failingWhy(t));
    // Per attempt: the target's whole success; retried: its independent part only.
    const perAttempt = timedOut ? 0 : t.s;
    const independent = timedOut ? 0 : t.independent;
    const held = timedOut ? 1 : sharedSuccess(t.shared);
    const retried = retry
      ? successWithRetries(independent, retry.attempts, retry.budget)
      : independent;
    const reaching = alpha * share * part;
    e.groupShare[g] = reaching;
    e.groupAttempts[g] = retry ? attemptsPerCall(perAttempt, retry.attempts, retry.budget) : 1;
    network += reaching * held * retried;
    attempt += reaching * perAttempt;
    flow[j] = reaching * (retry ? attemptsOffered(sim, e, perAttempt, retry) : 1);
    if (g === 0 && part < 1 && failovers === 0) keys.push({ key: partitionKey(sim), f: 1 - part });
  }
  // A callee in the caller's own cycle is named only when nothing else about the call
  // explains its failure (see component.ts).
  if (sameCycle && lowest >= UP_AT && target.s < 1 - EPS) {
    lowest = target.s;
    cause = failingWhy(target);
  }
  // A call split between targets keeps only its caller's own keys (see correlation.ts).
  if (failovers === 0 || onFailover <= 0) for (const x of target.shared) keys.push(x);
  else if (onPrimary <= 0 && failovers === 1)
    for (const x of (sim.comps[e.slots[1] as number] as CompState).shared) keys.push(x);
  if (e.breaker === "open") {
    // Calls fail fast; `attempt` stays what a probe would find.
    network = 0;
    for (let g = 0; g < groups; g++) {
      e.flow[g] = 0;
      e.groupShare[g] = 0;
    }
    keys.length = 0;
    cause = {
      mechanism: "breaker",
      fromKind: "component",
      from: target.c.id,
      detail: { what: "breaker-open", callee: target.c.id, since: e.openedAt },
    };
  }
  const miss = 1 - hits;
  for (let g = 0; g < groups; g++) flow[g] = miss * (flow[g] as number);
  e.attempt = clamp01(attempt);
  e.hits = hits;
  e.reachShare = alpha * (onPrimary + onFailover);
  // 4. The fallback, then answers served stale.
  let success = network;
  e.fallbackShare = 0;
  if (e.fallback >= 0) {
    const j = groups;
    const fb = sim.comps[e.fallback] as CompState;
    let reach = partitionOf(sim, e, j, caller);
    if (e.fallbackRecord >= 0) {
      const r = throughRecord(sim.records[e.fallbackRecord] as RecordState);
      reach *= r.onPrimary + r.onFailover;
    }
    if (e.fallbackAuth >= 0) reach *= authFactor(sim, caller, e.fallbackAuth).f;
    e.fallbackShare = (1 - network) * reach;
    flow[j] = miss * e.fallbackShare;
    success += e.fallbackShare * fb.s;
  }
  e.raw = success;
  if (cache) {
    success = hits + miss * success;
    if (valid < 1 - EPS && cause && success < 1 - EPS) {
      const inner = cause;
      cause = {
        mechanism: inner.mechanism,
        from: inner.from,
        fromKind: inner.fromKind,
        detail: () => ({
          what: "cache-ran-out",
          ttl: cache.ttl,
          staleIfError: cache.staleIfError,
          inner: resolve(inner),
        }),
      };
    }
  }
  success = clamp01(success);
  const split = splitCall(keys, network, success);
  e.shared = split.shared;
  e.independent = split.independent;
  e.success = success;
  e.cause = success < 1 - EPS ? cause : undefined;
  return success;
}

/**
 * Whether a call to target t that waits past its timeout only in t's overload queue is served
 * in time all the same. Which arrivals outwait their callers is the queue's verdict
 * (overload.ts), the same for every caller whose timeout is the one it is held to: all of them
 * once it is overloaded, none while it holds off (OVERLOAD_DWELL), a share while the queue is
 * held at that timeout (sliding.ts) — t's success carries that share. Anywhere else a wait past
 * a caller's timeout has t overloaded, and the call times out.
 */
function servedInTime(t: CompState, latency: number, timeout: number): boolean {
  return latency === t.latency && t.queue > 0 && !t.overloaded && t.serviceTime <= timeout;
}

/** The callee's latency as this call sees it (inside a cycle: its own time only). */
export function calleeLatency(sim: Sim, e: EdgeState): number {
  const target = sim.comps[e.to] as CompState;
  return sim.topo.sccOf[e.to] === sim.topo.sccOf[e.from]
    ? target.baseLatency + target.extraLatency
    : target.latency;
}

/**
 * Backoff waits before the retries among `attempts` attempts per call, on average (each wait its
 * jitter's mean): the retries a call makes on average, earliest first — 1.3 attempts wait 30% of
 * the first backoff. Exact for whole attempts and for two, and continuous in the share failing:
 * charging every call the whole first backoff once any attempt fails made the time a call holds
 * its caller, and what a concurrency-limited caller sends, jump at the first failure.
 */
function waits(retry: NonNullable<Dependency["retry"]>, attempts: number): number {
  let sum = 0;
  for (let k = 1; k < Math.ceil(attempts); k++)
    sum +=
      Math.min(1, attempts - k) *
      backoff(k, retry.backoff, retry.maxBackoff ?? Number.POSITIVE_INFINITY, retry.jitter).mean;
  return sum;
}

/**
 * Time a call holds the caller, weighted by where its calls go: a hit the cache's latency; a
 * call that reaches a target its attempts × the target's latency (capped by the timeout) plus
 * the backoff waits; a call failing before it leaves only its retries' waits; a call sent to
 * the fallback that component's latency besides.
 */
export function holdTime(sim: Sim, e: EdgeState): number {
  const d = e.dep;
  const retry = d.retry;
  let network = 0;
  let reached = 0;
  for (let g = 0; g < e.groupShare.length; g++) {
    const share = e.groupShare[g] as number;
    if (share <= 0) continue;
    const latency =
      g === 0 ? calleeLatency(sim, e) : (sim.comps[e.slots[g] as number] as CompState).latency;
    const per = d.timeout === undefined ? latency : Math.min(latency, d.timeout);
    const attempts = e.groupAttempts[g] as number;
    network += share * (per * attempts + (retry ? waits(retry, attempts) : 0));
    reached += share;
  }
  if (retry && reached < 1 - EPS && e.breaker !== "open")
    network += (1 - reached) * waits(retry, attemptsPerCall(0, retry.attempts, retry.budget));
  if (e.fallback >= 0 && e.fallbackShare > 0)
    network += e.fallbackShare * (sim.comps[e.fallback] as CompState).latency;
  const hit = d.cache ? e.hits * d.cache.latency : 0;
  return (hit + (1 - e.hits) * network) * d.calls;
}

/**
 * Attempts per call offered to the target now: the first, and retry k with probability
 * (1 − p)^k once its backoff has passed since attempts started failing — a step at the
 * backoff's sum without jitter, a ramp over its range with (read as a staircase, like the
 * caches), capped by the retry budget. Long after the onset it is `attemptsPerCall`.
 */
function attemptsOffered(
  sim: Sim,
  e: EdgeState,
  p: number,
  retry: NonNullable<Dependency["retry"]>,
): number {
  const q = 1 - p;
  // As for `retrySince`: failures below EPS are no failures.
  if (q <= EPS) return 1;
  const start = e.retrySince ?? sim.t;
  let retries = 0;
  let weight = 1;
  for (const delay of e.retryDelays) {
    weight *= q;
    // The share of this retry's stream arriving: none before min, all after max.
    retries += weight * (1 - ageing(sim, start, delay.max, delay.max - delay.min));
  }
  return 1 + (retry.budget === undefined ? retries : Math.min(retries, retry.budget));
}
