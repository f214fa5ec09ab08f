/**
 * @module sim/admission
 * Admission by queue age (a throttle's `maxWait`) held at its threshold. Once a component's
 * overload queue holds `maxWait` of work, it admits no more than it serves and refuses the rest.
 * Refusing can lower what reaches it: callers whose concurrency is held by the backoffs of the
 * attempts refused, or by retries, send less. Read at each instant as "admit min(offered,
 * capacity)" against the offered load of that instant, the rule has no consistent answer there:
 * refusing half of what arrives halves what arrives, which then fits under the capacity and is
 * all admitted, which doubles what arrives — the engine flipped between the two at every
 * evaluation, the queue a hair below its threshold (admission open) and back at it a microsecond
 * later, two state changes a step: a run that did not end. In the fluid model the queue stays at
 * the threshold and the refused share r is the one at which what is admitted, (1 − r) × what
 * arrives with r refused, equals the capacity.
 *
 * A capacity that moves along a ramp (a `scale` with `over`, a warm-up) moves the threshold
 * with it, `maxWait` × capacity: the fluid model admits capacity + `maxWait` × its slope and
 * refuses the rest all along. The ramp is a staircase; at each stair the threshold jumps a
 * little above the queue, and the rule read literally admits everything until the queue has
 * caught up — a moment of full admission (the component up, its callers' retries ending) at
 * every stair. Here the queue is brought back to the threshold by the next stair instead
 * (`relaxTime`), at the refused share that admits capacity plus that catching up.
 *
 * So at the threshold the refused share is found like the share of a queue held at its callers'
 * timeout (sliding.ts, the same search over evaluations of what the share reaches), and solved
 * again whenever what arrives changes. It ends when admitting everything no longer fills the
 * queue to the threshold (what arrives fell, or the capacity grew past it): admission is open
 * again. Where what arrives jumps with the share and no share holds the queue, the share on the
 * side that drains it is held for OVERLOAD_DWELL before the next search.
 */
import { insertSorted, removeFrom } from "../model/arrays.js";
import { crossing, markComp } from "./incremental.js";
import { ABOVE, HELD_BAND, OVERLOAD_DWELL, queueWait } from "./overload.js";
import { newSlide, SLIDE_RELAX, searchShare } from "./sliding.js";
import { type CompState, EPS, FINE_STEPS, type Sim, type Slide } from "./state.js";

/** The queue at which component s's admission by queue age holds: `maxWait` of its work. */
export function heldQueue(s: CompState): number {
  return s.maxWait * s.capacity;
}

/**
 * The time in which component s's queue is brought back to its admission threshold: SLIDE_RELAX,
 * or while its capacity ramps (a warm-up, a `scale` with `over`) the time to the ramp's next
 * stair. The threshold rises by `maxWait` × a stair's height at each stair; caught up by the
 * next one, what is admitted is capacity + `maxWait` × the ramp's slope all along, as the fluid
 * model has it on the ramp itself, instead of a burst after each stair.
 */
export function relaxTime(sim: Sim, s: CompState): number {
  let next = Number.POSITIVE_INFINITY;
  if (s.scaleStair > 0) next = nextStair(sim.t, s.scaleFrom, s.scaleStair);
  const w = s.c.recovery.warmup;
  if (s.warmSince !== undefined && w !== undefined && w.capacity < 1)
    next = Math.min(next, nextStair(sim.t, s.warmSince, w.over / FINE_STEPS));
  return Number.isFinite(next) ? next - sim.t : SLIDE_RELAX;
}

/** The start of the next stair after t of a staircase of stairs `stair` long from `from`. */
function nextStair(t: number, from: number, stair: number): number {
  return from + (Math.floor((t - from) / stair + 1e-6) + 1) * stair;
}

/** What component s is offered within its throttle, less what it sheds. */
export function offeredWithin(s: CompState): number {
  return Math.min(s.load, s.throttle) * (1 - s.shed);
}

/**
 * Starts or ends component i's hold at its admission threshold, as its state now says: it
 * starts when its queue holds `maxWait` of work and admitting all that arrives would grow it;
 * it ends when admission by queue age is lifted, the queue is empty, or the component cannot
 * serve (not running, no capacity), and while its queue is held at its callers' timeout
 * (sliding.ts), which then decides. Called when the component is evaluated.
 */
export function noteAdmission(sim: Sim, i: number, s: CompState, capacity: number): void {
  if (
    !Number.isFinite(s.maxWait) ||
    s.process !== "running" ||
    !(capacity > 0) ||
    !Number.isFinite(capacity) ||
    !(s.queue > 0) ||
    s.slide !== undefined
  ) {
    endAdmission(sim, i);
    return;
  }
  if (s.admission !== undefined) return;
  const offered = offeredWithin(s);
  if (queueWait(s.queue, capacity) >= s.maxWait - EPS && offered > capacity) {
    // From the share the rule itself would refuse now: without feedback, the answer.
    s.admission = newSlide(1 - capacity / offered);
    s.admissionHeld = Number.NEGATIVE_INFINITY;
    insertSorted(sim.admitting, i);
  }
}

/** Component i's admission opens again (or was never held): the rule decides as it reads. */
export function endAdmission(sim: Sim, i: number): void {
  const s = sim.comps[i] as CompState;
  if (s.admission === undefined) return;
  s.admission = undefined;
  removeFrom(sim.admitting, i);
}

/**
 * One step of the search for component i's refused share, from what reaches it with the share
 * it has. True when the share changed (or admission opened): it and what reads it are evaluated
 * again.
 */
export function stepAdmission(sim: Sim, i: number): boolean {
  const s = sim.comps[i] as CompState;
  const slide = s.admission as Slide;
  if (sim.t < s.admissionHeld - EPS) {
    crossing(sim, s.admissionHeld);
    return false;
  }
  // Back to the threshold: from below, by the next stair of a ramp; from just above, the rounding
  // of the share found. Further above (its capacity fell), no more than it serves: it stays.
  const held = heldQueue(s);
  const off = held - s.queue;
  const aim =
    Math.abs(off) <= HELD_BAND * held || off < -ABOVE * held ? 0 : off / relaxTime(sim, s);
  const net = offeredWithin(s) * (1 - slide.share) - s.capacity - aim;
  const step = searchShare(slide, net, s.capacity);
  if (step === "found") return false;
  if (step === "past-zero" || step === "past-one") {
    // Admitting everything, the queue no longer reaches the threshold: admission opens. (With
    // a capacity, refusing everything always drains it: `past-one` cannot happen.)
    endAdmission(sim, i);
    markComp(sim, i);
    return true;
  }
  if (step === "stuck") {
    // What arrives jumps as the share moves: the side that drains the queue, held for
    // OVERLOAD_DWELL, then a new search.
    const drain = Number.isNaN(slide.drain) ? slide.share : slide.drain;
    s.admission = newSlide(drain);
    s.admission.slope = slide.slope;
    s.admissionHeld = sim.t + OVERLOAD_DWELL;
    crossing(sim, s.admissionHeld);
  }
  markComp(sim, i);
  return true;
}
