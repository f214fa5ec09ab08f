/**
 * @module sim/agenda
 * Scheduling an event on the run's agenda (`EventQueue`): never past the end of the run, never
 * in the past.
 */
import { EPS, type Sim } from "./state.js";

export function schedule(
  sim: Sim,
  t: number,
  key: string,
  run: () => void,
  quiet = false,
  batch = false,
): void {
  if (t > sim.scenario.duration + EPS) return;
  sim.events.push(Math.max(t, sim.t), key, run, quiet, batch);
}
