/**
 * @module sim/freshness
 * State that travels through a queue (`needsFresh` on a component): while the oldest message
 * not yet processed in the queue is older than `maxStaleness`, the share of the component's
 * requests that need that state fail — a new instance whose network state is still queued
 * fails its health checks. The oldest message ages with time and moves as the queue fills and
 * drains, so a component that needs fresh state is evaluated at every step, and the moment the
 * oldest message passes the staleness is a boundary.
 */
import { crossing } from "./incremental.js";
import { type CompState, EPS, type Sim, type Why } from "./state.js";

/** Component i's success `value` times the share of its requests its stale state leaves. */
export function freshFactors(
  sim: Sim,
  i: number,
  value: number,
  factor: (value: number, why: Why) => number,
): number {
  const s = sim.comps[i] as CompState;
  const t = sim.t;
  for (const f of s.c.needsFresh ?? []) {
    // Evaluated again at every step (`dynamic`), not only when an input is marked.
    sim.inc.timeDependent = true;
    sim.dynamic = true;
    const q = sim.queues[sim.topo.queueIndex.get(f.queue) as number];
    if (q === undefined || q.backlog <= EPS) continue;
    const age = q.oldestAge(t);
    // At the staleness itself it counts as stale: the crossing above lands there.
    if (age < f.maxStaleness - EPS * Math.max(1, f.maxStaleness)) {
      crossing(sim, t + (f.maxStaleness - age));
      continue;
    }
    value *= factor(1 - f.share, {
      mechanism: "queue",
      from: f.queue,
      fromKind: "queue",
      detail: () => ({
        what: "state-stale",
        queue: f.queue,
        age,
        maxStaleness: f.maxStaleness,
        share: f.share,
      }),
    });
  }
  return value;
}
