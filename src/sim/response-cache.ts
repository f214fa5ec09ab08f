/**
 * @module sim/response-cache
 * A caller's cache of its dependency's responses (`cache: { ttl, staleIfError }` on a call).
 * Once the call starts failing, every cached answer keeps being served for `staleIfError`, then
 * the entries run out over their `ttl` (they were refreshed at moments spread evenly over it):
 * the calls that fail are answered from the cache while entries last.
 *
 * A cache that lost entries refills as its keys are asked for again (`cacheRefill`): after its
 * callee comes back it refills from the entries still fresh (those served stale are misses), and
 * after its caller (re)starts it starts empty. Until it is full again, the calls it would have answered reach the callee: a
 * surge of up to 1 / (1 − hitRatio) times the callee's usual load from this caller. A refill
 * stops while the call fails (nothing new is cached), and goes on from there once it succeeds.
 */
import type { ResponseCache } from "../model/types.js";
import { ageing, crossing } from "./incremental.js";
import { cacheRefill } from "./mechanisms.js";
import {
  type CompState,
  type EdgeState,
  EPS,
  FINE_STEPS,
  resolve,
  type Sim,
  type Why,
} from "./state.js";

/**
 * Whether a cache refills over time once emptied: with every call a hit (or none), a key is
 * cached again at once (`cacheRefill`).
 */
function refillsOverTime(cache: ResponseCache): boolean {
  return cache.hitRatio > 0 && cache.hitRatio < 1;
}

/** The share of a refilling cache's usual answers it holds at time t (no boundary noted). */
function refilled(e: EdgeState, cache: ResponseCache, t: number) {
  if (e.refillSince === undefined) return { value: 1, next: Number.POSITIVE_INFINITY };
  // Nothing is cached while the call fails: the refill holds where it was when it started to.
  const end = e.failingSince !== undefined && e.failingSince < t ? e.failingSince : t;
  // Stopped before it began (the call failed from the start): nothing was cached.
  if (end < t && end <= e.refillSince)
    return { value: e.refillFrom, next: Number.POSITIVE_INFINITY };
  const r = cacheRefill(end - e.refillSince, cache.ttl, cache.hitRatio, FINE_STEPS);
  return {
    value: e.refillFrom + (1 - e.refillFrom) * r.value,
    next: end < t ? Number.POSITIVE_INFINITY : e.refillSince + r.next,
  };
}

/**
 * The share of the call's usual cached answers valid now: refilled since it emptied, aged since
 * the call started failing. The next change of either is a boundary.
 */
export function cachedShare(sim: Sim, e: EdgeState, cache: ResponseCache): number {
  const fill = refilled(e, cache, sim.t);
  if (fill.next < Number.POSITIVE_INFINITY) crossing(sim, fill.next);
  if (e.failingSince === undefined) return fill.value;
  return fill.value * ageing(sim, e.failingSince, cache.ttl + cache.staleIfError, cache.ttl);
}

/**
 * The call stopped failing at time t, after failing since `since`: its cache refills from the
 * entries still fresh — those served stale while it failed are misses once the callee answers
 * (read without noting boundaries: the evaluation has settled).
 */
export function refillAfterFailure(e: EdgeState, cache: ResponseCache, since: number, t: number) {
  if (!refillsOverTime(cache)) return;
  const fill = refilled(e, cache, t).value;
  // Entries refreshed at moments spread over the TTL before the failure: the share still
  // within it.
  const fresh = Math.max(0, 1 - (t - since) / cache.ttl);
  const held = fill * fresh;
  if (held >= 1 - EPS) {
    e.refillSince = undefined;
    return;
  }
  e.refillSince = t;
  e.refillFrom = held;
}

/**
 * Component s's process starts: the caches it keeps for its calls are empty. One that refills
 * over time starts from nothing; one that every call hits refills at the first answer, so it
 * is empty (as if expired) only until its callee answers.
 */
export function emptyCaches(s: CompState, t: number): void {
  for (const list of [s.hard, s.soft])
    for (const e of list) {
      const cache = e.dep.cache;
      if (!cache) continue;
      if (refillsOverTime(cache)) {
        e.failingSince = undefined;
        e.refillSince = t;
        e.refillFrom = 0;
      } else {
        e.refillSince = undefined;
        e.failingSince = t - cache.ttl - cache.staleIfError;
      }
    }
}

/**
 * The call's success with its cache answering the calls that fail, and the cause to give
 * (the call's own cause, saying the cached answers ran out once they start to).
 */
export function withResponseCache(
  sim: Sim,
  e: EdgeState,
  cache: ResponseCache,
  success: number,
  cause: Why | undefined,
): { readonly success: number; readonly cause: Why | undefined } {
  // (`failingSince` moves only once the evaluation has settled: see memories.ts.)
  const valid = cachedShare(sim, e, cache);
  if (valid <= 0) return { success, cause };
  let out = cause;
  if (valid < 1 - EPS && cause) {
    const inner = cause;
    out = {
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
  return { success: success + (1 - success) * valid, cause: out };
}
