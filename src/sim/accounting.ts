/**
 * @module sim/accounting
 * What accumulates between two boundaries, when every rate is constant: requests offered,
 * served and failed per workload (and per availability window), downtime and degraded time,
 * and the continuous state — overload queues, leases coming back, message queues, alarm
 * signals.
 */
import { integrateAlarms } from "./alarms.js";
import { integrateLeases } from "./leases.js";
import { offeredRate } from "./loads.js";
import { integrateOverload } from "./overload.js";
import { poolReturns } from "./returns.js";
import type { CompState, Sim } from "./state.js";

/** Success of each workload's entry, in workload order. */
export function entrySuccess(sim: Sim): number[] {
  return sim.workloads.map((x) => (sim.comps[x.entry] as CompState).s);
}

/**
 * Offered, served and failed requests of each workload (and window) over [t0, t1], with the
 * entries' success `start` at t0 and `end` at t1 (the trapezoid rule; equal for a step held
 * until an event or a stair's edge at its end).
 */
export function account(
  sim: Sim,
  t0: number,
  t1: number,
  start: readonly number[],
  end: readonly number[],
): void {
  sim.workloads.forEach((x, i) => {
    const entry = sim.comps[x.entry] as CompState;
    const s = ((start[i] as number) + (end[i] as number)) / 2;
    const offered = offeredRate(sim, x, t0) * (t1 - t0);
    const served = offered * s;
    x.offered += offered;
    x.served += served;
    x.failed += offered - served;
    poolReturns(x, offered - served, t1 - t0);
    if (entry.latency > Math.max(2 * entry.baseLatency, entry.baseLatency + 1)) x.delayed += served;
    for (const win of sim.windows) {
      if (win.workload !== i) continue;
      const a = Math.max(t0, win.x.from);
      const b = Math.min(t1, win.x.to);
      if (b <= a) continue;
      // The window's ends are boundaries, so a window covers whole steps.
      const part = offeredRate(sim, x, t0) * (b - a);
      win.offered += part;
      win.served += part * s;
    }
  });
}

/** Advances the continuous state from t0 to t1. */
export function integrate(sim: Sim, t0: number, t1: number): void {
  const dt = t1 - t0;
  if (dt <= 0) return;
  // Downtime and degraded time grow for the components that are not up.
  for (const i of sim.options.exhaustive ? sim.comps.keys() : sim.impaired) {
    const s = sim.comps[i] as CompState;
    if (s.state === "down" || s.state === "recovering") s.downtime += dt;
    else if (s.state === "degraded") s.degradedTime += dt;
  }
  integrateOverload(sim, dt);
  // Requests served with a wrong answer (a bad version of content on its hosts).
  if (sim.content.byId.size > 0)
    for (const s of sim.comps)
      if (s.wrongRate > 0) s.wrongAnswers += Math.min(s.load, s.throttle) * s.s * s.wrongRate * dt;
  integrateLeases(sim, t0, t1);
  for (const q of sim.queues) q.integrate(t0, t1);
  integrateAlarms(sim, dt);
}
