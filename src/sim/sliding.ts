/**
 * @module sim/sliding
 * An overload queue held at its callers' timeout: a sliding mode. Once a component's queue
 * reaches the wait at which what it serves outwaits its callers (`overload.ts`), failing them
 * can lower what reaches it — callers that retry after a backoff hold their concurrency longer
 * and send less. When none failing lets the queue grow and all failing drains it, the fluid
 * model neither collapses nor recovers: the queue stays at the threshold, and the share of
 * arrivals that time out is the one that makes what arrives equal what it serves (Filippov's
 * sliding solution; Utkin's equivalent control). Failing all of them or none in turn, as the
 * threshold rule alone would, chatters as fast as the engine lets it, and every caller's
 * timeout with it.
 *
 * At the threshold the engine solves for that share at the instant (`stepSlide`, from
 * evaluate.ts): with the share it has, then the other extreme, then by regula falsi (Illinois),
 * evaluating again each time only what the share reaches, until the queue's net rate is within
 * SLIDE_TOLERANCE of its capacity. The memories (retries' onsets, breakers, caches) are updated
 * once, from the share found. Without a share in between — still growing with every arrival
 * failing, or draining with none — the queue collapses or recovers as it did. A jump instead of
 * a root (a rate that changes all at once with the share), or no convergence: failing and serving
 * alternate as before, at most once per OVERLOAD_DWELL. While it slides, the share is solved
 * again whenever what arrives changes, aiming at a net rate that brings the queue back to the
 * threshold (which moves with the component's capacity and service time) within SLIDE_RELAX.
 */
import { insertSorted, removeFrom } from "../model/arrays.js";
import { markComp } from "./incremental.js";
import { admitted, OVERLOAD_DWELL, overloaded, patience } from "./overload.js";
import { type CompState, EPS, type Sim, type Slide } from "./state.js";

/** The queue's net rate, as a share of its capacity, at which the share is found. */
export const SLIDE_TOLERANCE = 1e-9;
/** Evaluations at one instant to find the share; then the alternation takes over. */
export const SLIDE_ITERATIONS = 40;
/** A bracket narrower than this around a change of sign: a jump, not a root. */
const SLIDE_WIDTH = 1e-12;
/** Seconds in which a sliding queue is brought back to the threshold. */
export const SLIDE_RELAX = 1;
/**
 * How far from its callers' timeout (as a share of it) the time a request takes at a sliding
 * component may move (its capacity or service time changing) before it leaves the threshold.
 */
const SLIDE_BAND = 1e-3;

/**
 * The share of what reaches component i that outwaits its callers: 1 when its queued work does
 * (`overloaded`), 0 when it does not, the solved share while it slides. A queue that reaches
 * the threshold growing without failing, or draining while failing everything, starts to slide.
 */
export function outwaitedShare(
  sim: Sim,
  i: number,
  s: CompState,
  wait: number,
  capacity: number,
): number {
  const off = wait + s.serviceTime - s.timeout;
  const slide = s.slide;
  if (slide !== undefined) {
    if (s.queue > 0 && Math.abs(off) <= SLIDE_BAND * s.timeout) return slide.share;
    endSlide(sim, i);
  }
  if (
    s.queue > 0 &&
    sim.t >= s.slideAfter &&
    Math.abs(off) <= EPS * Math.max(1, s.timeout) &&
    (s.overloaded ? admitted(s) < capacity : admitted(s) >= capacity)
  ) {
    const share = s.overloaded ? 1 : 0;
    s.slide = newSlide(share);
    // The share says what fails now; `overloaded` stays for failing everything.
    s.overloaded = false;
    insertSorted(sim.sliding, i);
    return share;
  }
  return overloaded(sim, s, wait, capacity) ? 1 : 0;
}

/** A search for a share, from `share`, with nothing known yet. */
export function newSlide(share: number): Slide {
  return {
    share,
    grow: Number.NaN,
    growNet: Number.NaN,
    drain: Number.NaN,
    drainNet: Number.NaN,
    kept: 0,
    iterations: 0,
    slope: Number.NaN,
  };
}

/** Component i leaves the threshold: the usual verdict decides again. */
export function endSlide(sim: Sim, i: number): void {
  const s = sim.comps[i] as CompState;
  if (s.slide === undefined) return;
  s.slide = undefined;
  removeFrom(sim.sliding, i);
}

/**
 * One step of the search for component i's share, from what reaches it with the share it has
 * (its load, summed after its callers were evaluated with that share). True when the share (or
 * the verdict) changed: it and what reads it are evaluated again.
 */
export function stepSlide(sim: Sim, i: number): boolean {
  const s = sim.comps[i] as CompState;
  const slide = s.slide as Slide;
  const aim = (patience(s) - s.queue) / SLIDE_RELAX;
  const net = admitted(s) - s.capacity - aim;
  const step = searchShare(slide, net, s.capacity);
  if (step === "found") return false;
  if (step === "past-one" || step === "past-zero") {
    // Growing with every arrival failing, or draining with none: it collapses or recovers.
    endSlide(sim, i);
    s.overloaded = step === "past-one";
    s.overloadedSince = sim.t;
    s.slideAfter = sim.t + EPS;
    markComp(sim, i);
    return true;
  }
  if (step === "stuck") {
    // No share holds the queue at the threshold: the usual verdict, held OVERLOAD_DWELL.
    endSlide(sim, i);
    s.slideAfter = sim.t + OVERLOAD_DWELL;
    markComp(sim, i);
    return true;
  }
  markComp(sim, i);
  return true;
}

/**
 * One step of the search for a share that holds a queue at a threshold, from the queue's net
 * rate (beyond the rate that brings it back to the threshold) with the share it has; a larger
 * share lowers the net rate. `found`: within SLIDE_TOLERANCE of `capacity` (the next search
 * starts afresh from here, along the slope found). `past-one`/`past-zero`: still growing with
 * the share at 1, or draining at 0 — no share in between. `stuck`: a jump rather than a root,
 * or no convergence within SLIDE_ITERATIONS. `moved`: the next share to evaluate is set.
 */
export function searchShare(
  slide: Slide,
  net: number,
  capacity: number,
): "found" | "past-one" | "past-zero" | "stuck" | "moved" {
  if (Math.abs(net) <= SLIDE_TOLERANCE * capacity) {
    if (!Number.isNaN(slide.grow) && !Number.isNaN(slide.drain))
      slide.slope = (slide.growNet - slide.drainNet) / (slide.grow - slide.drain);
    slide.grow = Number.NaN;
    slide.drain = Number.NaN;
    slide.kept = 0;
    slide.iterations = 0;
    return "found";
  }
  const share = slide.share;
  if (net > 0) {
    if (slide.kept === 1) slide.drainNet /= 2;
    slide.kept = Number.isNaN(slide.drain) ? 0 : 1;
    slide.grow = share;
    slide.growNet = net;
  } else {
    if (slide.kept === -1) slide.growNet /= 2;
    slide.kept = Number.isNaN(slide.grow) ? 0 : -1;
    slide.drain = share;
    slide.drainNet = net;
  }
  if (net > 0 && share >= 1) return "past-one";
  if (net < 0 && share <= 0) return "past-zero";
  slide.iterations++;
  if (slide.iterations > SLIDE_ITERATIONS || Math.abs(slide.grow - slide.drain) <= SLIDE_WIDTH)
    return "stuck";
  let next: number;
  if (Number.isNaN(slide.grow) || Number.isNaN(slide.drain)) {
    // One side known: a step along the last slope found, past the root so as to bracket it,
    // else the other extreme.
    const guess = share - (2 * net) / slide.slope;
    const extreme = net > 0 ? 1 : 0;
    next =
      slide.slope < 0 && (net > 0 ? guess > share && guess < 1 : guess < share && guess > 0)
        ? guess
        : extreme;
    // Once the guess failed to bracket, the extreme.
    if (slide.iterations > 1) next = extreme;
  } else {
    next =
      (slide.grow * slide.drainNet - slide.drain * slide.growNet) /
      (slide.drainNet - slide.growNet);
    const a = Math.min(slide.grow, slide.drain);
    const b = Math.max(slide.grow, slide.drain);
    if (!(next > a && next < b)) next = (a + b) / 2;
  }
  slide.share = next;
  return "moved";
}
