/**
 * @module sim/overload
 * Capacity and the overload queue. A component's capacity C is its `capacity` × the share of
 * its placements up × (1 − capacity lost to faults), and at most K / L when it has a
 * `concurrency` K and its requests take L seconds (Little's law). Offered λ > C, the excess
 * queues: the backlog grows at λ − C and a request waits backlog / C. Once that wait passes the
 * shortest timeout of its callers, every request it serves has already been given up on.
 */
import type { Why } from "./state.js";
import { type CompState, EPS, type Sim } from "./state.js";

export function capacityOf(s: CompState, latency: number): number {
  let capacity = (s.c.capacity ?? Number.POSITIVE_INFINITY) * s.placementUp * (1 - s.capacityLoss);
  if (s.c.concurrency !== undefined && latency > 0)
    capacity = Math.min(capacity, s.c.concurrency / latency);
  return capacity;
}

/** Time a request waits in an overload queue of `queue` requests served at `capacity`. */
export function queueWait(queue: number, capacity: number): number {
  return Number.isFinite(capacity) && capacity > 0
    ? queue / capacity
    : queue > 0
      ? Number.POSITIVE_INFINITY
      : 0;
}

/** Why component s fails when its queued work has outwaited its callers, or undefined. */
export function overloadWhy(
  sim: Sim,
  s: CompState,
  wait: number,
  capacity: number,
): Why | undefined {
  if (!(wait >= s.timeout - EPS && s.queue > 0)) return undefined;
  const surge = [...sim.faults.active.values()].find((f) => f.kind === "surge");
  return {
    mechanism: "overload",
    ...(surge ? { from: surge.id, fromKind: "fault" as const } : {}),
    detail: () => ({ what: "overload", component: s.c.id, wait, load: s.load, capacity }),
  };
}

/** The load a component admits: its offered load within its throttle, less what it sheds. */
export function admitted(s: CompState): number {
  return Math.min(s.load, s.throttle) * (1 - s.shed);
}

/** Advances the overload queues over dt at the current rates. */
export function integrateOverload(sim: Sim, dt: number): void {
  // A component without a capacity or a concurrency limit never queues.
  for (const i of sim.topo.capacityComps) {
    const s = sim.comps[i] as CompState;
    if (Number.isFinite(s.capacity) && s.process === "running") {
      s.queue = Math.max(0, s.queue + (admitted(s) - s.capacity) * dt);
      if (s.queue < EPS * Math.max(1, s.capacity)) s.queue = 0;
    } else if (s.process !== "running") s.queue = 0;
  }
}

/** The earliest moment an overload queue's wait reaches its callers' timeout, or drains. */
export function overloadCrossing(sim: Sim, best: number): number {
  const t = sim.t;
  for (const i of sim.topo.capacityComps) {
    const s = sim.comps[i] as CompState;
    if (Number.isFinite(s.capacity) && s.process === "running") {
      const net = admitted(s) - s.capacity;
      if (net > EPS && s.queue < s.timeout * s.capacity)
        best = Math.min(best, t + (s.timeout * s.capacity - s.queue) / net);
      if (net < -EPS && s.queue > EPS) {
        best = Math.min(best, t + s.queue / -net);
        const limit = s.timeout * s.capacity;
        if (s.queue > limit) best = Math.min(best, t + (s.queue - limit) / -net);
      }
    }
  }
  return best;
}
