/**
 * @module sim/ramp
 * A value moving linearly from `from` to `to` over `over` seconds from now, read as a staircase
 * of FINE_STEPS stairs like the engine's other ramps: stair k holds the ramp's value at its
 * middle (so the work admitted or served is the ramp's), the last one `to` exactly, and each
 * stair's start is an event (`key` orders it in the agenda) at which component i is evaluated
 * again. `owned` says whether the ramp still sets the value: whatever set it otherwise since
 * ends the ramp.
 */
import { schedule } from "./agenda.js";
import { markComp } from "./incremental.js";
import { FINE_STEPS, type Sim } from "./state.js";

export function ramp(
  sim: Sim,
  i: number,
  over: number,
  key: string,
  from: number,
  to: number,
  set: (value: number) => void,
  owned: () => boolean,
): void {
  const start = sim.t;
  const stair = (k: number) => from + ((to - from) * (k + 0.5)) / FINE_STEPS;
  set(stair(0));
  for (let k = 1; k <= FINE_STEPS; k++) {
    const value = k === FINE_STEPS ? to : stair(k);
    schedule(sim, start + (over * k) / FINE_STEPS, key, () => {
      if (!owned()) return;
      set(value);
      markComp(sim, i);
    });
  }
}
