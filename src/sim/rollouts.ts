/**
 * @module sim/rollouts
 * A bad change rolled out in waves: wave k reaches its cumulative share of the fleet at
 * `at + k × bake`. When the change's `rollbackOn` alarm fires, the waves stop and the change is
 * rolled back `rollbackAfter` later (see alarms.ts).
 */
import type { Fault } from "../scenario/types.js";
import { schedule } from "./agenda.js";
import { log, type Sim } from "./state.js";

type BadChange = Extract<Fault, { kind: "bad-change" }>;

/** Schedules the waves of a bad change; `refresh` recomputes what the faults impose. */
export function scheduleWaves(sim: Sim, f: BadChange, refresh: () => void): void {
  f.rollout.waves.forEach((w, i) => {
    schedule(sim, f.at + i * f.rollout.bake, `1-wave:${f.id}:${i}`, () => {
      if (!sim.faults.active.has(f.id)) return;
      sim.faults.rollout.set(f.id, w);
      log(sim, "fault", f.id, `wave ${i}`, `wave ${i + 1}`, {
        mechanism: "rollout",
        from: f.id,
        fromKind: "fault",
        detail: { what: "wave", fault: f.id, share: w, target: f.target },
      });
      refresh();
    });
  });
}

/** Stops the rollouts that roll back on `alarm`, each rolled back after its delay. */
export function stopRollouts(sim: Sim, alarm: string, end: (f: Fault) => void): void {
  for (const f of sim.faults.active.values()) {
    if (f.kind === "bad-change" && f.rollout.rollbackOn === alarm) {
      const fault = f;
      schedule(sim, sim.t + f.rollout.rollbackAfter, `0-rollback:${f.id}`, () => end(fault));
      // No further waves: the rollout stops at its current fraction.
      sim.events.remove(`1-wave:${f.id}:`);
    }
  }
}
