/**
 * @module sim/breakers
 * Circuit breakers. A breaker opens when the call's error share has stayed at or above
 * `errorRate` for `window` (with at least `minRequests` calls in a window); it then fails fast
 * and offers the callee no load. It probes every `openFor` after opening, and the first probe
 * that finds the call healthy closes it. Only that probe is a boundary: between boundaries the
 * callee's health is constant, so the probes that would fail change nothing.
 */
import type { Breaker } from "../model/types.js";
import { crossing } from "./incremental.js";
import { type CompState, type EdgeState, EPS, type Sim } from "./state.js";

/** A breaker's window, opening and probes. */
export function updateBreaker(sim: Sim, e: EdgeState, b: Breaker): void {
  const t = sim.t;
  const errors = 1 - e.attempt;
  if (e.breaker === "closed") {
    const caller = sim.comps[e.from] as CompState;
    const volume = caller.load * e.dep.calls * b.window;
    if (errors >= b.errorRate - EPS && volume >= b.minRequests) {
      e.errorSince ??= t;
      if (t - e.errorSince >= b.window - EPS) {
        e.breaker = "open";
        e.openedAt = t;
      }
    } else e.errorSince = undefined;
  } else {
    // Half-open probes at openedAt + k·openFor.
    const since = t - e.openedAt;
    const k = Math.floor((since + EPS) / b.openFor);
    const atProbe = k >= 1 && Math.abs(since - k * b.openFor) <= EPS;
    if (errors < b.errorRate - EPS) {
      if (atProbe) {
        e.breaker = "closed";
        e.errorSince = undefined;
      } else crossing(sim, e.openedAt + (k + 1) * b.openFor);
    }
  }
}

/** The moment a counting breaker's window fills, if sooner than `best`. */
export function breakerCrossing(sim: Sim, best: number): number {
  for (const e of sim.options.exhaustive ? sim.edges : sim.inc.activeBreakers) {
    if (e.dep.breaker && e.breaker === "closed" && e.errorSince !== undefined) {
      best = Math.min(best, e.errorSince + e.dep.breaker.window);
    }
  }
  return best;
}
