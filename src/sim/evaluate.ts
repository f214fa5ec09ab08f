/**
 * @module sim/evaluate
 * The state at one instant: records, then every component's success dependencies first (cycles
 * iterated from "up"), then loads, then the memories that need the time a condition started —
 * re-evaluating their readers at the same instant when one moved — then queue rates and states.
 *
 * Incrementally, only the strongly connected components that were marked (an input changed),
 * woken (a crossing they predicted is due) or that change with time are evaluated; the others
 * would be evaluated to the same result.
 */

import { stepAdmission } from "./admission.js";
import { classify } from "./classify.js";
import { evaluateComponent, updateLatency } from "./component.js";
import { NO_SHARED, type Shared, sameShared } from "./correlation.js";
import { updateRecords } from "./dns.js";
import { exposedChanged, latencyChanged, TOUCHED_EVALUATED, touch } from "./incremental.js";
import { computeLoads } from "./loads.js";
import { updateMemories } from "./memories.js";
import { updateQueues } from "./queues.js";
import { SLIDE_ITERATIONS, stepSlide } from "./sliding.js";
import { type CompState, PROCESS_CODE, type Sim } from "./state.js";

/** Evaluations again at one instant for memories that moved. */
const MEMORY_PASSES = 4;
/**
 * A component that predicted a crossing is evaluated again once the crossing is this close.
 * Far above EPS (the tolerance of the tests at the crossing) and of rounding at a day's scale,
 * so it is never woken late; waking it early costs an evaluation with the same result.
 */
const WAKE_MARGIN = 1e-6;

export function evaluate(sim: Sim): void {
  sim.pendingCrossing = Number.POSITIVE_INFINITY;
  sim.dynamic = false;
  sim.ramping = false;
  updateRecords(sim);
  let checked = checkerSuccess(sim);
  evaluateComponents(sim);
  sim.everything = false;
  let loads = computeLoads(sim);
  // A memory that moved is read from this instant: a breaker that opened or closed (its caller
  // fails fast or calls again), a call that started failing (its response cache ages from
  // now), retries that started (they arrive after their backoff from now), an identity that
  // went down (its tokens age from now), a checker impaired. Its readers are evaluated again
  // at once, a bounded number of times (each memory moves once per onset).
  // A consumer's intake is part of its load: when the queues' rates change it, the consumer and
  // what it calls are evaluated again too.
  // So is a component whose load changed, when its evaluation reads it (a throttle's share,
  // an overload queue), and one that reads something evaluated after it in the order (the
  // success of a health checker failing its capacity out).
  // Then the share of arrivals timing out at each queue held at its callers' timeout, found
  // with the memories as they are (sliding.ts); the memories follow the share found.
  for (let pass = 0; ; pass++) {
    const moved = updateMemories(sim);
    const intake = updateQueues(sim);
    // Evaluating every component, nothing is marked: a checker read before it moved is found
    // by comparing its success with what it was when the pass began.
    const waiting =
      sim.inc.pendingSccs.size > 0 || (sim.options.exhaustive && checkersMoved(sim, checked));
    if (pass >= MEMORY_PASSES) {
      // Out of passes with what arrives still moving: the shares are still found for what
      // arrives now, or a queue held at a threshold drifts off it until the next evaluation.
      solveSlides(sim);
      break;
    }
    if (!moved && !intake && !loads && !waiting) {
      if (!solveSlides(sim)) break;
      loads = false;
      continue;
    }
    checked = checkerSuccess(sim);
    evaluateComponents(sim);
    loads = computeLoads(sim);
  }
  classify(sim);
}

/**
 * Searches the share of every queue held at its callers' timeout (`stepSlide`), evaluating
 * again what each new share reaches; true when a share or a verdict moved.
 */
function solveSlides(sim: Sim): boolean {
  let moved = false;
  for (
    let k = 0;
    k <= SLIDE_ITERATIONS && (sim.sliding.length > 0 || sim.admitting.length > 0);
    k++
  ) {
    let stepped = false;
    // A search that ends removes its component from the list: go over a copy.
    for (const i of [...sim.sliding]) if (stepSlide(sim, i)) stepped = true;
    for (const i of [...sim.admitting]) if (stepAdmission(sim, i)) stepped = true;
    if (!stepped) break;
    moved = true;
    evaluateComponents(sim);
    computeLoads(sim);
  }
  return moved;
}

/**
 * The success of every health checker whose failover a component reads, and whether it works
 * (exhaustive only).
 */
function checkerSuccess(sim: Sim): readonly number[] {
  if (!sim.options.exhaustive) return [];
  return sim.topo.checkerList.flatMap((h) => {
    const s = sim.comps[h] as CompState;
    return [s.s, s.working];
  });
}

function checkersMoved(sim: Sim, before: readonly number[]): boolean {
  return sim.topo.checkerList.some((h, k) => {
    const s = sim.comps[h] as CompState;
    return s.s !== before[2 * k] || s.working !== before[2 * k + 1];
  });
}

/** Every component's success, dependencies first; only what is due when incremental. */
function evaluateComponents(sim: Sim): void {
  const inc = sim.inc;
  const t = sim.t;
  const volatile = inc.volatileSccs;
  inc.volatileSccs = inc.nextVolatileSccs;
  inc.volatileSccs.length = 0;
  inc.nextVolatileSccs = volatile;
  inc.evaluated.length = 0;
  const sccCount = sim.topo.sccStart.length - 1;
  if (sim.options.exhaustive || sim.everything) {
    for (let k = 0; k < sccCount; k++) {
      inc.evaluatingScc = k;
      inc.fullSccs[k] = 0;
      evaluateScc(sim, k);
    }
    // What was marked for a later component in this pass has been evaluated since.
    inc.pendingSccs.clear();
  } else {
    const wakeups = inc.wakeups;
    while (wakeups.peekTime() <= t + WAKE_MARGIN) {
      const k = wakeups.peekSubject();
      if (wakeups.peekTime() === inc.wakeTime[k]) {
        // Consumed: the evaluation below predicts its next crossing afresh.
        inc.wakeTime[k] = Number.POSITIVE_INFINITY;
        inc.fullSccs[k] = 1;
        inc.pendingSccs.add(k);
      }
      wakeups.pop();
    }
    for (const k of volatile) {
      inc.fullSccs[k] = 1;
      inc.pendingSccs.add(k);
    }
    const { order, sccStart } = sim.topo;
    for (let k = inc.pendingSccs.pop(); k >= 0; k = inc.pendingSccs.pop()) {
      inc.evaluatingScc = k;
      if (inc.fullSccs[k] === 1) {
        inc.fullSccs[k] = 0;
        evaluateScc(sim, k);
      } else updateLatency(sim, order[sccStart[k] as number] as number);
    }
  }
  inc.evaluatingScc = -1;
  for (const k of inc.deferredSccs) inc.pendingSccs.add(k);
  inc.deferredSccs.length = 0;
  if (sim.options.exhaustive) return;
  // The crossings predicted by components not evaluated again are still ahead: they stay
  // boundaries, as if those components had been evaluated and had predicted them again.
  const wakeups = inc.wakeups;
  while (wakeups.size > 0 && wakeups.peekTime() !== inc.wakeTime[wakeups.peekSubject()])
    wakeups.pop();
  if (wakeups.peekTime() < sim.pendingCrossing) sim.pendingCrossing = wakeups.peekTime();
}

/**
 * Evaluates one strongly connected component; marks the readers of what changed, and notes
 * whether the result changes with time or at a predicted crossing.
 */
function evaluateScc(sim: Sim, k: number): void {
  const inc = sim.inc;
  const { order, sccStart } = sim.topo;
  const from = sccStart[k] as number;
  const to = sccStart[k + 1] as number;
  inc.timeDependent = false;
  inc.wakeAt = Number.POSITIVE_INFINITY;
  const before = inc.snapshot;
  const sharedBefore = inc.sharedSnapshot;
  for (let m = from; m < to; m++) {
    const s = sim.comps[order[m] as number] as CompState;
    before.push(s.s, s.latency, s.degraded ? 1 : 0, PROCESS_CODE[s.process], s.working);
    sharedBefore.push(s.shared);
  }
  if (to - from === 1) evaluateComponent(sim, order[from] as number);
  else {
    // Start the cycle from "up" for running members only: a stopped member cannot lift the
    // others, so a cycle of stopped members cannot cold-start by itself.
    for (let m = from; m < to; m++) {
      const member = sim.comps[order[m] as number] as CompState;
      member.s = member.process === "running" ? 1 : 0;
      member.independent = 1;
      member.shared = member.s === 1 ? NO_SHARED : [{ key: member.downKey, f: 1 }];
    }
    const sweeps = to - from + 1;
    for (let sweep = 0; sweep < sweeps; sweep++) {
      for (let m = from; m < to; m++) evaluateComponent(sim, order[m] as number);
    }
  }
  let volatile = inc.timeDependent;
  for (let m = from; m < to; m++) {
    const i = order[m] as number;
    const s = sim.comps[i] as CompState;
    const b = 5 * (m - from);
    if (
      s.s !== before[b] ||
      // A health checker's readers read whether it works, not only its success.
      s.working !== before[b + 4] ||
      (s.degraded ? 1 : 0) !== before[b + 2] ||
      PROCESS_CODE[s.process] !== before[b + 3] ||
      !sameShared(s.shared, sharedBefore[m - from] as Shared)
    )
      exposedChanged(sim, i);
    else if (s.latency !== before[b + 1]) latencyChanged(sim, i);
    volatile ||=
      // Leases coming back change with time; lapsing ones are followed at their stairs'
      // edges (memories.ts), and collapsed ones hold still.
      s.leaseRate > 0 ||
      // Only a component with a capacity or a concurrency limit queues (overload.ts); one
      // without, whose placements are all down, has no capacity but nothing that grows.
      ((s.c.capacity !== undefined || s.c.concurrency !== undefined) &&
        (s.queue > 0 || s.load > s.throttle || s.load > s.capacity));
    inc.evaluated.push(i);
    touch(sim, i, TOUCHED_EVALUATED);
  }
  before.length = 0;
  sharedBefore.length = 0;
  inc.toClassify.add(k);
  if (sim.options.exhaustive) return;
  if (volatile) inc.volatileSccs.push(k);
  // A component evaluated again for another reason usually predicts the same crossing: its
  // wake-up stands, and the heap does not grow with its evaluations.
  const wake = volatile ? Number.POSITIVE_INFINITY : inc.wakeAt;
  if (wake === inc.wakeTime[k]) return;
  inc.wakeTime[k] = wake;
  if (wake < Number.POSITIVE_INFINITY) inc.wakeups.push(wake, k);
}
