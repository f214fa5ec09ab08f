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

/**
 * Schedules the waves of a bad change; `refresh` recomputes what the faults impose. A change
 * aimed at a fleet whose model rollout is staged, with no waves of its own, goes through the
 * fleet's stages instead: its members split in id order into `stages` groups, group k reached
 * `k × bake` after the change, only while every member of the earlier groups is up (the health
 * gate); a gate that finds one impaired halts the change there.
 */
export function scheduleWaves(sim: Sim, f: BadChange, refresh: () => void): void {
  const fleet = sim.model.fleets?.find((x) => x.id === f.target);
  if (fleet?.rollout?.staged && f.rollout.waves.length === 1 && f.rollout.waves[0] === 1) {
    scheduleStages(
      sim,
      f,
      fleet.members,
      fleet.rollout.stages ?? 1,
      fleet.rollout.bake ?? 0,
      refresh,
    );
    return;
  }
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

function scheduleStages(
  sim: Sim,
  f: BadChange,
  members: readonly string[],
  stages: number,
  bake: number,
  refresh: () => void,
): void {
  const sorted = [...members].sort();
  const stageOf = (k: number) =>
    sorted.filter((_, i) => Math.floor((i * stages) / sorted.length) === k);
  const reached = new Set<string>();
  sim.faults.fleetReached.set(f.id, reached);
  for (let k = 0; k < stages; k++) {
    schedule(sim, f.at + k * bake, `1-wave:${f.id}:${k}`, () => {
      if (!sim.faults.active.has(f.id)) return;
      const impaired = sorted.find(
        (m) => reached.has(m) && sim.comps[sim.topo.index.get(m) as number]?.state !== "up",
      );
      if (impaired) {
        log(sim, "fault", f.id, `stage ${k}`, "halted", {
          mechanism: "rollout",
          from: impaired,
          fromKind: "component",
          detail: { what: "rollout-halted", subject: f.target, stage: k, impaired },
        });
        sim.events.remove(`1-wave:${f.id}:`);
        return;
      }
      const group = stageOf(k);
      for (const m of group) reached.add(m);
      sim.faults.rollout.set(f.id, 1);
      log(sim, "fault", f.id, `stage ${k}`, `stage ${k + 1}`, {
        mechanism: "rollout",
        from: f.id,
        fromKind: "fault",
        detail: {
          what: "wave",
          fault: f.id,
          share: reached.size / sorted.length,
          target: f.target,
        },
      });
      refresh();
    });
  }
}
