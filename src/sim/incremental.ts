/**
 * @module sim/incremental
 * What lets a step evaluate only what changed. A step usually changes a small part of a large
 * model: every input a component reads is mapped back to the components reading it
 * (`Topology.readers`), and when that input changes only they are marked for evaluation; the
 * loads, memories, records and states that follow are updated for what was evaluated. A value
 * that ages along a ramp is read as a staircase whose next edge is a predicted crossing: the
 * component reading it is woken there, and only there.
 *
 * With `exhaustive`, marks are ignored and every pass covers the whole model: the reference the
 * property tests compare this bookkeeping against, byte for byte.
 */
import { staircase } from "./mechanisms.js";
import { type CompState, EPS, FINE_STEPS, MIN_STEP, type Sim } from "./state.js";
import type { Incremental } from "./structure.js";
import { IndexHeap, WakeHeap } from "./worklists.js";

/** How a component was touched since the last memory update (bit flags). */
export const TOUCHED_EVALUATED = 1;
export const TOUCHED_LOAD = 2;

export function createIncremental(
  components: number,
  sccs: number,
  edges: number,
  records: number,
  slots: number,
  consumers: number,
): Incremental {
  return {
    pendingSccs: new IndexHeap(sccs),
    fullSccs: new Uint8Array(sccs),
    deferredSccs: [],
    evaluatingScc: -1,
    wakeTime: new Float64Array(sccs).fill(Number.POSITIVE_INFINITY),
    wakeups: new WakeHeap(),
    volatileSccs: [],
    nextVolatileSccs: [],
    timeDependent: false,
    wakeAt: Number.POSITIVE_INFINITY,
    evaluated: [],
    toClassify: new IndexHeap(sccs),
    activeRecords: [],
    markedRecords: [],
    recordQueued: new Uint8Array(records),
    contribution: new Float64Array(slots),
    intake: new Float64Array(consumers),
    intakeChanged: [],
    loadBefore: new Float64Array(components),
    loadQueue: new IndexHeap(components),
    loadChanged: [],
    loadRead: new Uint8Array(components),
    touched: [],
    touchedHow: new Uint8Array(components),
    activeBreakers: [],
    edgeVisited: new Int32Array(edges),
    visit: 0,
    partitionCache: new Float64Array(slots).fill(Number.NaN),
    snapshot: [],
    sharedSnapshot: [],
  };
}

/** Notes that component i was evaluated or its load changed, for the next memory update. */
export function touch(sim: Sim, i: number, how: number): void {
  if (sim.options.exhaustive) return;
  const inc = sim.inc;
  const was = inc.touchedHow[i] as number;
  if (was === 0) inc.touched.push(i);
  inc.touchedHow[i] = was | how;
}

/** What component i exposes changed: whatever reads it is evaluated again. */
export function exposedChanged(sim: Sim, i: number): void {
  if (sim.options.exhaustive) return;
  for (const r of sim.topo.readers[i] as number[]) markComp(sim, r);
  for (const ri of sim.topo.recordsServed[i] as number[]) markRecord(sim, ri);
}

/** Only the latency of component i changed: its callers' latencies follow. */
export function latencyChanged(sim: Sim, i: number): void {
  if (sim.options.exhaustive) return;
  for (const e of (sim.comps[i] as CompState).callers) markLatency(sim, e.from);
}

/** Component i must be evaluated again: in this pass if it comes later, else in the next. */
export function markComp(sim: Sim, i: number): void {
  if (sim.options.exhaustive) return;
  const inc = sim.inc;
  const k = sim.topo.sccOf[i] as number;
  inc.fullSccs[k] = 1;
  if (k <= inc.evaluatingScc) inc.deferredSccs.push(k);
  else inc.pendingSccs.add(k);
}

/**
 * Only the latency of a callee of component i changed: its latency is computed again, or it
 * is evaluated again if anything else it computes reads that latency.
 */
function markLatency(sim: Sim, i: number): void {
  const inc = sim.inc;
  const k = sim.topo.sccOf[i] as number;
  if (sim.topo.latencyOnly[k] === 0) inc.fullSccs[k] = 1;
  if (k <= inc.evaluatingScc) inc.deferredSccs.push(k);
  else inc.pendingSccs.add(k);
}

/** Record ri must be updated again (its server changed). */
export function markRecord(sim: Sim, ri: number): void {
  const inc = sim.inc;
  if (sim.options.exhaustive || inc.recordQueued[ri] === 1) return;
  inc.recordQueued[ri] = 1;
  inc.markedRecords.push(ri);
}

/** What record ri answers changed: the components calling through it are evaluated again. */
export function recordChanged(sim: Sim, ri: number): void {
  for (const r of sim.topo.recordReaders[ri] as number[]) markComp(sim, r);
}

/**
 * A ramp starts at time t (after a flat stretch): make it a boundary. What is being evaluated
 * stays constant until then, and is evaluated again at that time.
 */
export function crossing(sim: Sim, t: number): void {
  const inc = sim.inc;
  if (t > sim.t + EPS) {
    if (t < sim.pendingCrossing) sim.pendingCrossing = t;
    if (t < inc.wakeAt) inc.wakeAt = t;
  } else inc.timeDependent = true;
}

/**
 * The share of a population still valid since it stopped being refreshed at `start` (see
 * `staircase`: FINE_STEPS stairs over the sloped part of the ramp). The next stair's edge is
 * a crossing: what reads the population is evaluated again there, and only there.
 */
export function ageing(sim: Sim, start: number, lifetime: number, refreshEvery: number): number {
  const a = staircase(sim.t - start, lifetime, refreshEvery, FINE_STEPS, MIN_STEP);
  if (a.next < Number.POSITIVE_INFINITY) crossing(sim, start + a.next);
  return a.value;
}
