/**
 * @module sim/response-cache
 * A caller's cache of its dependency's responses (`cache: { ttl, staleIfError }` on a call).
 * Once the call starts failing, every cached answer keeps being served for `staleIfError`, then
 * the entries run out over their `ttl` (they were refreshed at moments spread evenly over it):
 * the calls that fail are answered from the cache while entries last.
 */
import type { ResponseCache } from "../model/types.js";
import { ageing } from "./incremental.js";
import { type EdgeState, EPS, resolve, type Sim, type Why } from "./state.js";

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
  const valid =
    e.failingSince === undefined
      ? 1
      : ageing(sim, e.failingSince, cache.ttl + cache.staleIfError, cache.ttl);
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
