/**
 * @module sim/warmup
 * A process that has just started (a restart finished, a cold start, `break-glass`) is not at
 * full strength (`recovery.warmup`): its capacity starts at a share c₀ of what it would have and
 * its calls to each dependency at m₀ times the usual — sessions, connections and caches filled
 * again — and both reach normal linearly over the warm-up. Like the engine's other ramps they
 * are staircases of FINE_STEPS stairs, each holding the ramp's value at its middle (so the work
 * served and the calls sent are the ramp's), each stair's start an event. A process that stops
 * again ends its warm-up; the next start begins another.
 */
import { ramp } from "./ramp.js";
import type { CompState, Sim } from "./state.js";

/** Component i's process starts now: its warm-up, if it has one, begins. */
export function startWarmup(sim: Sim, i: number): void {
  const s = sim.comps[i] as CompState;
  const w = s.c.recovery.warmup;
  if (w === undefined) return;
  const start = sim.t;
  s.warmSince = start;
  // Both follow one ramp x from 0 to 1; at its end the warm-up is over.
  const set = (x: number) => {
    if (x >= 1) endWarmup(s);
    else {
      s.warm = w.capacity + (1 - w.capacity) * x;
      s.burst = w.calls + (1 - w.calls) * x;
    }
  };
  // Still this start's warm-up: the process has not stopped and started again since.
  ramp(sim, i, w.over, `2-warmup:${s.c.id}`, 0, 1, set, () => s.warmSince === start);
}

/** Component s's process stopped: a warm-up under way ends with it. */
export function endWarmup(s: CompState): void {
  s.warmSince = undefined;
  s.warm = 1;
  s.burst = 1;
}
