/**
 * @module sim/loads
 * Offered load of every component: the workloads entering at it, then what its callers admit ×
 * calls × attempts, added by a sweep from callers to callees (the reverse of the evaluation
 * order).
 *
 * Incrementally, only the components whose calls may offer something else are swept again:
 * those just evaluated (their attempts, breakers or process), the workloads' entries (their
 * profile) and, from those, the callees whose load changed. Each call's contribution is kept
 * per edge, and a component's load is summed again from its workloads and the contributions of
 * its callers, in the order the full sweep adds them, so the sums are bit for bit the same.
 * Inside a cycle the full sweep lets a member call with the load it had when the sweep reached
 * it, before the members after it in `order` added theirs: that partial sum is kept too
 * (`loadBefore`).
 */
import type { Workload } from "../model/types.js";
import { markComp, TOUCHED_LOAD, touch } from "./incremental.js";
import { type CompState, type EdgeState, EPS, type Sim, type WorkloadState } from "./state.js";

/** A workload's rate at time t: its profile's latest point, times any surge on it. */
export function workloadRate(sim: Sim, w: Workload, t: number): number {
  let r = w.rate;
  for (const p of w.profile) if (p.at <= t + EPS) r = p.rate;
  return r * (sim.faults.surge.get(w.id) ?? 1);
}

export function computeLoads(sim: Sim): void {
  const inc = sim.inc;
  const topo = sim.topo;
  inc.loadChanged.length = 0;
  if (sim.options.exhaustive) {
    sweepLoads(sim);
    return;
  }
  const n = sim.comps.length;
  const queue = inc.loadQueue;
  for (const i of inc.evaluated) queue.add(n - 1 - (topo.position[i] as number));
  for (const x of sim.workloads) queue.add(n - 1 - (topo.position[x.entry] as number));
  for (let key = queue.pop(); key >= 0; key = queue.pop()) {
    const p = n - 1 - key;
    const i = topo.order[p] as number;
    sumLoad(sim, i);
    const s = sim.comps[i] as CompState;
    const admitted =
      Math.min(inc.loadBefore[i] as number, s.throttle) *
      (1 - s.shed) *
      (s.process === "running" ? 1 : 0);
    for (let h = 0; h < s.hard.length + s.soft.length; h++) {
      const e = (h < s.hard.length ? s.hard[h] : s.soft[h - s.hard.length]) as EdgeState;
      const d = e.dep;
      let offered = 0;
      if (e.breaker !== "open") {
        // Same admitted load and attempts as when last computed: the same contribution.
        if (admitted === inc.offeredFrom[e.index] && e.perCall === inc.offeredAt[e.index]) continue;
        inc.offeredFrom[e.index] = admitted;
        inc.offeredAt[e.index] = e.perCall;
        offered = admitted * d.calls * e.perCall;
      } else inc.offeredFrom[e.index] = Number.NaN;
      if (offered === inc.contribution[e.index]) continue;
      inc.contribution[e.index] = offered;
      // A callee after this component in the sweep is summed when the sweep reaches it. One
      // before it (in the same cycle) was summed already, and this call comes after the
      // partial sum it calls with: only its total changes.
      const q = topo.position[e.to] as number;
      if (q < p) queue.add(n - 1 - q);
      else sumLoad(sim, e.to);
    }
  }
  // Peaks from the final loads only: a cycle's member may be summed again within the sweep.
  for (const i of inc.loadChanged) {
    const s = sim.comps[i] as CompState;
    if (s.load > s.peakLoad) s.peakLoad = s.load;
  }
}

/** Sums component i's load from its workloads and its callers' contributions. */
function sumLoad(sim: Sim, i: number): void {
  const inc = sim.inc;
  const topo = sim.topo;
  let load = 0;
  for (const w of topo.entryOf[i] as number[])
    load += workloadRate(sim, (sim.workloads[w] as WorkloadState).w, sim.t);
  const above = topo.incomingAbove[i] as number;
  const end = topo.incomingStart[i + 1] as number;
  let k = topo.incomingStart[i] as number;
  for (; k < above; k++) load += inc.contribution[topo.incoming[k] as number] as number;
  inc.loadBefore[i] = load;
  for (; k < end; k++) load += inc.contribution[topo.incoming[k] as number] as number;
  const s = sim.comps[i] as CompState;
  if (load === s.load) return;
  s.load = load;
  inc.loadChanged.push(i);
  touch(sim, i, TOUCHED_LOAD);
  // Its evaluation reads its load (throttle, overload).
  markComp(sim, i);
}

/** The full sweep over every component and call (the exhaustive reference). */
function sweepLoads(sim: Sim): void {
  const previous = sim.comps.map((s) => s.load);
  for (const s of sim.comps) s.load = 0;
  for (const x of sim.workloads) {
    (sim.comps[x.entry] as CompState).load += workloadRate(sim, x.w, sim.t);
  }
  // Callers before callees: reverse dependency-first order.
  const order = sim.topo.order;
  for (let k = order.length - 1; k >= 0; k--) {
    const s = sim.comps[order[k] as number] as CompState;
    const admitted =
      Math.min(s.load, s.throttle) * (1 - s.shed) * (s.process === "running" ? 1 : 0);
    for (let h = 0; h < s.hard.length + s.soft.length; h++) {
      const e = (h < s.hard.length ? s.hard[h] : s.soft[h - s.hard.length]) as EdgeState;
      if (e.breaker === "open") continue;
      (sim.comps[e.to] as CompState).load += admitted * e.dep.calls * e.perCall;
    }
  }
  sim.comps.forEach((s, i) => {
    if (s.load > s.peakLoad) s.peakLoad = s.load;
    if (s.load !== previous[i]) sim.inc.loadChanged.push(i);
  });
}
