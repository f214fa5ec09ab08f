/**
 * @module sim/loads
 * Offered load of every component: the workloads entering at it and the messages it takes
 * from queues, then what reaches it from its callers — each call's admitted load × calls × what
 * of it reaches this component (`EdgeState.flow`: after the cache, resolution, credentials,
 * partitions and breakers, redirected to failover targets and fallbacks, retries included) —
 * added by a sweep from callers to callees (the reverse of the evaluation order).
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
import { throughput } from "./overload.js";
import { type CompState, type EdgeState, EPS, type Sim, type WorkloadState } from "./state.js";

/** A workload's rate at time t: its profile's latest point, times any surge on it. */
export function workloadRate(sim: Sim, w: Workload, t: number): number {
  let r = w.rate;
  for (const p of w.profile) if (p.at <= t + EPS) r = p.rate;
  return r * (sim.faults.surge.get(w.id) ?? 1);
}

/** What a workload offers at time t: its rate and the users coming back (`returns.ts`). */
export function offeredRate(sim: Sim, x: WorkloadState, t: number): number {
  return workloadRate(sim, x.w, t) + x.returning;
}

/**
 * The rate at which component s makes its calls when offered `load`: what it admits (within
 * its throttle, less what it sheds, while it runs) as far as its capacity serves it.
 */
function admittedOf(s: CompState, load: number): number {
  return throughput(s, Math.min(load, s.throttle) * (1 - s.shed));
}

/**
 * Computes the loads; true when the load of a component whose evaluation reads it (against a
 * throttle, a capacity or a concurrency limit) changed: it is evaluated again at this instant.
 */
export function computeLoads(sim: Sim): boolean {
  const inc = sim.inc;
  inc.loadChanged.length = 0;
  if (sim.options.exhaustive) sweepLoads(sim);
  else sweepChanged(sim);
  let read = false;
  for (const i of inc.loadChanged) {
    const s = sim.comps[i] as CompState;
    if (s.load > s.peakLoad) s.peakLoad = s.load;
    // What a failover or a lost state puts at risk is counted at the load it had when last up.
    if (s.state === "up") s.healthyLoad = s.load;
    if (inc.loadRead[i] === 1) read = true;
    inc.loadRead[i] = 0;
  }
  return read;
}

/**
 * Whether component s's evaluation reads its load changing from a to b: only above its throttle
 * (it admits throttle / load) or its capacity (an overload queue), or while work is queued.
 */
function loadMatters(s: CompState, a: number, b: number): boolean {
  return (
    a > s.throttle ||
    b > s.throttle ||
    s.queue > 0 ||
    ((s.c.capacity !== undefined || s.c.concurrency !== undefined) &&
      (a > s.capacity || b > s.capacity))
  );
}

/** The sweep over what changed (see the module's comment). */
function sweepChanged(sim: Sim): void {
  const inc = sim.inc;
  const topo = sim.topo;
  const n = sim.comps.length;
  const queue = inc.loadQueue;
  for (const i of inc.evaluated) queue.add(n - 1 - (topo.position[i] as number));
  for (const x of sim.workloads) queue.add(n - 1 - (topo.position[x.entry] as number));
  for (const i of inc.intakeChanged) queue.add(n - 1 - (topo.position[i] as number));
  inc.intakeChanged.length = 0;
  for (let key = queue.pop(); key >= 0; key = queue.pop()) {
    const p = n - 1 - key;
    const i = topo.order[p] as number;
    sumLoad(sim, i);
    const s = sim.comps[i] as CompState;
    const admitted = admittedOf(s, inc.loadBefore[i] as number);
    for (let h = 0; h < s.hard.length + s.soft.length; h++) {
      const e = (h < s.hard.length ? s.hard[h] : s.soft[h - s.hard.length]) as EdgeState;
      const calls = admitted * e.dep.calls * s.burst;
      for (let j = 0; j < e.slots.length; j++) {
        const slot = e.slotBase + j;
        const offered = calls * (e.flow[j] as number);
        if (offered === inc.contribution[slot]) continue;
        inc.contribution[slot] = offered;
        // A target after this component in the sweep is summed when the sweep reaches it. One
        // before it (in the same cycle) was summed already, and this call comes after the
        // partial sum it calls with: only its total changes.
        const to = e.slots[j] as number;
        const q = topo.position[to] as number;
        if (q < p) queue.add(n - 1 - q);
        else sumLoad(sim, to);
      }
    }
  }
}

/** What component i is offered directly: its workloads and what it takes from queues. */
function external(sim: Sim, i: number): number {
  let load = 0;
  for (const w of sim.topo.entryOf[i] as number[])
    load += offeredRate(sim, sim.workloads[w] as WorkloadState, sim.t);
  for (const c of sim.topo.intakeOf[i] as number[]) load += sim.inc.intake[c] as number;
  return load;
}

/** Sums component i's load from its workloads, its intake and its callers' contributions. */
function sumLoad(sim: Sim, i: number): void {
  const inc = sim.inc;
  const topo = sim.topo;
  let load = external(sim, i);
  const above = topo.incomingAbove[i] as number;
  const end = topo.incomingStart[i + 1] as number;
  let k = topo.incomingStart[i] as number;
  for (; k < above; k++) load += inc.contribution[topo.incoming[k] as number] as number;
  inc.loadBefore[i] = load;
  for (; k < end; k++) load += inc.contribution[topo.incoming[k] as number] as number;
  const s = sim.comps[i] as CompState;
  if (load === s.load) return;
  // Its evaluation reads its load only against a throttle or a capacity (overload); breaker
  // volumes follow the touch below.
  if (loadMatters(s, s.load, load)) {
    markComp(sim, i);
    inc.loadRead[i] = 1;
  }
  s.load = load;
  inc.loadChanged.push(i);
  touch(sim, i, TOUCHED_LOAD);
}

/** The full sweep over every component and call (the exhaustive reference). */
function sweepLoads(sim: Sim): void {
  const previous = sim.comps.map((s) => s.load);
  sim.comps.forEach((s, i) => {
    s.load = external(sim, i);
  });
  sim.inc.intakeChanged.length = 0;
  // Callers before callees: reverse dependency-first order.
  const order = sim.topo.order;
  for (let k = order.length - 1; k >= 0; k--) {
    const s = sim.comps[order[k] as number] as CompState;
    const admitted = admittedOf(s, s.load);
    for (let h = 0; h < s.hard.length + s.soft.length; h++) {
      const e = (h < s.hard.length ? s.hard[h] : s.soft[h - s.hard.length]) as EdgeState;
      for (let j = 0; j < e.slots.length; j++) {
        const offered = admitted * e.dep.calls * s.burst * (e.flow[j] as number);
        sim.inc.contribution[e.slotBase + j] = offered;
        (sim.comps[e.slots[j] as number] as CompState).load += offered;
      }
    }
  }
  sim.comps.forEach((s, i) => {
    const before = previous[i] as number;
    if (s.load === before) return;
    sim.inc.loadChanged.push(i);
    if (loadMatters(s, before, s.load)) sim.inc.loadRead[i] = 1;
  });
}
