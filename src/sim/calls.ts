/**
 * @module sim/calls
 * One call as its caller sees it: through a DNS record, with a credential, across partitions,
 * against the callee's success and latency, with retries, a breaker, a fallback and a response
 * cache. Persistent factors hold for a given client on every attempt (its resolver's cached
 * answer, its token, a partition), so retries do not help against them; transient ones (the
 * callee failing a share of its requests, timeouts) are retried:
 * success = persistent × (1 − (1 − transient)^attempts).
 *
 * Retries reach the callee after their backoff (`attemptsOffered`), and a call holds its caller
 * for attempts × the callee's latency plus the backoff waits (`holdTime`).
 */
import type { Dependency } from "../model/types.js";
import { authFactor } from "./credentials.js";
import { throughRecord } from "./dns.js";
import { ageing } from "./incremental.js";
import { attemptsPerCall, backoff, clamp01, retryDelay, successWithRetries } from "./mechanisms.js";
import { partitionFactor } from "./partitions.js";
import { withResponseCache } from "./response-cache.js";
import {
  type CompState,
  DOWN_BELOW,
  type EdgeState,
  EPS,
  type RecordState,
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

/**
 * Success of one call as the caller sees it; also sets the call's per-attempt success, the
 * attempts it offers the callee now, and its cause.
 */
export function edgeSuccess(sim: Sim, e: EdgeState, caller: CompState): number {
  const target = sim.comps[e.to] as CompState;
  const d = e.dep;
  const sccOf = sim.topo.sccOf;
  // Fast path: a plain call to a healthy callee within its timeout.
  if (
    target.s >= 1 &&
    e.record < 0 &&
    e.auth < 0 &&
    e.breaker === "closed" &&
    sim.faults.partitions.length === 0 &&
    (d.timeout === undefined || calleeLatency(sim, e) <= d.timeout)
  ) {
    e.attempt = 1;
    e.perCall = 1;
    e.raw = 1;
    e.success = 1;
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
  let persistent = 1;
  let transient: number;
  if (e.record >= 0) {
    const r = throughRecord(sim, sim.records[e.record] as RecordState, e.to);
    persistent *= r.reach;
    transient = r.target;
    note(r.reach, r.cause);
  } else transient = target.s;
  // A callee in the caller's own cycle is named only when nothing else about the call
  // explains its failure (see component.ts).
  const sameCycle = sccOf[e.to] === sccOf[e.from] && e.to !== e.from;
  if (!sameCycle && target.s < lowest - EPS) note(target.s, failingWhy(target));
  if (e.auth >= 0) {
    const a = authFactor(sim, caller, e.auth);
    persistent *= a.f;
    note(a.f, a.cause);
  }
  let part = sim.inc.partitionCache[e.index] as number;
  if (Number.isNaN(part)) {
    part = partitionFactor(sim, caller.c, target.c);
    sim.inc.partitionCache[e.index] = part;
  }
  if (part < 1) {
    persistent *= part;
    note(part, {
      mechanism: "partition",
      fromKind: "component",
      from: target.c.id,
      detail: { what: "partition", caller: caller.c.id, callee: target.c.id },
    });
  }
  const latency = calleeLatency(sim, e);
  const timeout = d.timeout;
  if (timeout !== undefined && latency > timeout) {
    transient = 0;
    note(0, {
      mechanism: "timeout",
      fromKind: "component",
      from: target.c.id,
      detail: { what: "timeout", callee: target.c.id, latency, caller: caller.c.id, timeout },
    });
  }
  if (sameCycle && (lowest >= UP_AT || target.s < lowest - EPS) && target.s < 1 - EPS) {
    if (lowest >= UP_AT) {
      lowest = target.s;
      cause = failingWhy(target);
    }
  }
  e.attempt = clamp01(persistent * transient);
  e.perCall = d.retry ? attemptsOffered(sim, e, d.retry) : 1;
  let success = d.retry
    ? persistent * successWithRetries(transient, d.retry.attempts, d.retry.budget)
    : e.attempt;
  if (e.breaker === "open") {
    success = 0;
    cause = {
      mechanism: "breaker",
      fromKind: "component",
      from: target.c.id,
      detail: { what: "breaker-open", callee: target.c.id, since: e.openedAt },
    };
  }
  if (e.fallback >= 0) {
    const fb = sim.comps[e.fallback] as CompState;
    let q = fb.s;
    if (e.fallbackRecord >= 0) {
      const r = throughRecord(sim, sim.records[e.fallbackRecord] as RecordState, e.fallback);
      q = r.reach * r.target;
    }
    if (e.fallbackAuth >= 0) q *= authFactor(sim, caller, e.fallbackAuth).f;
    success += (1 - success) * q;
  }
  e.raw = success;
  if (d.cache && success < 1) {
    const cached = withResponseCache(sim, e, d.cache, success, cause);
    success = cached.success;
    cause = cached.cause;
  }
  e.success = success;
  e.cause = success < 1 - EPS ? cause : undefined;
  return success;
}

/** The callee's latency as this call sees it (inside a cycle: its own time only). */
export function calleeLatency(sim: Sim, e: EdgeState): number {
  const target = sim.comps[e.to] as CompState;
  return sim.topo.sccOf[e.to] === sim.topo.sccOf[e.from]
    ? target.baseLatency + target.extraLatency
    : target.latency;
}

/** Time a call holds the caller: attempts × the callee's latency (capped by the timeout), plus backoff. */
export function holdTime(sim: Sim, e: EdgeState): number {
  const d = e.dep;
  // Inside a dependency cycle a call costs the callee's own time only: requests do not go
  // round the cycle.
  const latency = calleeLatency(sim, e);
  const per = d.timeout === undefined ? latency : Math.min(latency, d.timeout);
  if (!d.retry) return per * d.calls;
  const attempts = attemptsPerCall(e.attempt, d.retry.attempts, d.retry.budget);
  let waits = 0;
  for (let k = 1; k < Math.ceil(attempts); k++) {
    waits += backoff(
      k,
      d.retry.backoff,
      d.retry.maxBackoff ?? Number.POSITIVE_INFINITY,
      d.retry.jitter,
    ).mean;
  }
  return (per * attempts + waits) * d.calls;
}

/**
 * Attempts per call offered to the callee now: the first, and retry k with probability
 * (1 − p)^k once its backoff has passed since attempts started failing — a step at the
 * backoff's sum without jitter, a ramp over its range with (read as a staircase, like the
 * caches), capped by the retry budget. Long after the onset it is `attemptsPerCall`.
 */
function attemptsOffered(sim: Sim, e: EdgeState, retry: NonNullable<Dependency["retry"]>): number {
  const q = 1 - e.attempt;
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
