/**
 * @module sim/returns
 * Users who come back. Of the requests of a workload that fail, a share r (`returnRate`) belongs
 * to users who try again, on average τ (`returnAfter`) later: they wait in a pool P and come
 * back at P / τ, on top of the workload's rate (exponential waits, as a fluid):
 *
 *   dP/dt = r·F − P/τ, with F the rate of failed requests, returns included.
 *
 * Under a full outage of a workload of rate λ, F = λ + P/τ: the returns approach r·λ / (1 − r)
 * with time constant τ / (1 − r); once requests succeed again, they fade with τ. A recovering
 * entry therefore meets more than its usual load — its own herd — and one that collapses under
 * it keeps failing, and so keeps the herd, for as long as λ / (1 − r) exceeds what it serves.
 *
 * The return rate is held over a step like every rate, and the pool is integrated with it held
 * (what came back left the pool: every failed request returns at most once per failure). While
 * the pool moves, a step is at most τ / RETURN_STEPS long.
 */
import { offeredRate } from "./loads.js";
import { type CompState, EPS, type Sim, type WorkloadState } from "./state.js";

/** Steps per `returnAfter` while a pool moves. */
export const RETURN_STEPS = 40;

/** Relative gap between the returns and the pool's inflow below which a pool is settled. */
const SETTLED = 1e-4;

/** Adds what workload x's failed requests over a step of length dt put in its pool. */
export function poolReturns(x: WorkloadState, failed: number, dt: number): void {
  const share = x.w.returnRate;
  if (share === undefined) return;
  const back = x.returning * dt;
  x.returned += back;
  x.pool = Math.max(0, x.pool + share * failed - back);
}

/**
 * Sets the rate at which each workload's users come back from its pool now. True when a rate
 * changed: the loads it offers must be computed again.
 */
export function settleReturns(sim: Sim): boolean {
  let changed = false;
  for (const x of sim.workloads) {
    const after = x.w.returnAfter;
    const share = x.w.returnRate;
    if (after === undefined || share === undefined) continue;
    const next = x.pool / after;
    if (next !== x.returning) {
      x.returning = next;
      changed = true;
    }
  }
  return changed;
}

/**
 * Notes whether some pool is still far from where the current failures would settle it (its
 * inflow r·F and its outflow P/τ differ by more than a small share of the workload's offered
 * rate): then the next step is short.
 */
export function noteMoving(sim: Sim): void {
  sim.returnsMoving = false;
  for (const x of sim.workloads) {
    const share = x.w.returnRate;
    if (share === undefined) continue;
    const offered = offeredRate(sim, x, sim.t);
    const inflow = share * offered * (1 - (sim.comps[x.entry] as CompState).s);
    if (Math.abs(inflow - x.returning) > SETTLED * Math.max(offered, EPS)) sim.returnsMoving = true;
  }
}

/** The next boundary a moving pool needs: the shortest τ / RETURN_STEPS from now. */
export function returnsCrossing(sim: Sim, best: number): number {
  if (!sim.returnsMoving) return best;
  for (const x of sim.workloads) {
    const after = x.w.returnAfter;
    if (after === undefined) continue;
    best = Math.min(best, sim.t + after / RETURN_STEPS);
  }
  return best;
}
