/**
 * @module sim/memories
 * Results that depend on when a condition started: a response cache ages from when its call
 * started failing, retries arrive after their backoff from when attempts started failing,
 * tokens age from when their identity went down, a breaker counts its window, a health checker
 * detects after its interval × threshold, leases lapse from when renewals started failing.
 * Each memory is set by the evaluation at the instant the condition starts; when one that an
 * evaluation reads moved, its readers are evaluated again at that same instant (see evaluate.ts).
 */
import { updateBreaker } from "./breakers.js";
import { exposedChanged, markComp, TOUCHED_EVALUATED } from "./incremental.js";
import { leaseThresholds, updateLeases } from "./leases.js";
import { refillAfterFailure } from "./response-cache.js";
import { type CompState, DOWN_BELOW, type EdgeState, EPS, type Sim, UP_AT } from "./state.js";

/**
 * Updates the memories; true when one that an evaluation reads moved. Incrementally, a
 * component's memories move only when it was evaluated, and a call's when its caller was
 * evaluated or its load changed (breaker volumes) — or, for a breaker open or counting errors,
 * with time; leases are few and followed at every evaluation.
 */
export function updateMemories(sim: Sim): boolean {
  const t = sim.t;
  const inc = sim.inc;
  const topo = sim.topo;
  let moved = false;
  const all = sim.options.exhaustive;
  const visited = all ? sim.comps.map((_, i) => i) : inc.touched;
  for (const i of visited) {
    if (!all && ((inc.touchedHow[i] as number) & TOUCHED_EVALUATED) === 0) continue;
    const s = sim.comps[i] as CompState;
    const unavailable = s.unavailableSince;
    if (s.s < DOWN_BELOW) s.unavailableSince ??= t;
    else s.unavailableSince = undefined;
    // Tokens from an identity age from when it became unavailable; nothing else reads it.
    if (s.unavailableSince !== unavailable && s.c.tokens) {
      exposedChanged(sim, i);
      moved = true;
    }
    const impaired = s.impairedSince;
    if (s.s < UP_AT) s.impairedSince ??= t;
    else s.impairedSince = undefined;
    // What a health checker observes reads when it became impaired.
    if (s.impairedSince !== impaired && (topo.observedBy[i] as number[]).length > 0) {
      for (const o of topo.observedBy[i] as number[]) markComp(sim, o);
      moved = true;
    }
  }
  for (const i of topo.leaseComps) if (updateLeases(sim, i)) moved = true;
  leaseThresholds(sim);
  // Calls: every one when exhaustive; else the calls of the evaluated components, the
  // breakers of the components whose load changed, and the breakers open or counting.
  inc.visit++;
  const active: EdgeState[] = [];
  const update = (e: EdgeState) => {
    if (inc.edgeVisited[e.index] === inc.visit) return;
    inc.edgeVisited[e.index] = inc.visit;
    // A call not made (its caller is not running, or a change stopped it) remembers what it did
    // when it stopped.
    if (!e.active || !(sim.comps[e.from] as CompState).calling) return;
    // A response cache ages from the moment the call starts failing noticeably.
    const failing = e.failingSince;
    const erring = e.errorSince;
    const retrying = e.retrySince;
    const breaker = e.breaker;
    if (e.raw < UP_AT) e.failingSince ??= t;
    else if (failing !== undefined) {
      if (e.dep.cache) refillAfterFailure(e, e.dep.cache, failing, t);
      e.failingSince = undefined;
    }
    // Retries follow failed attempts after their backoff, from when attempts started failing.
    if (e.dep.retry && e.attempt < 1 - EPS) e.retrySince ??= t;
    else e.retrySince = undefined;
    const b = e.dep.breaker;
    if (b) {
      updateBreaker(sim, e, b);
      if (e.errorSince !== undefined || e.breaker === "open") active.push(e);
    }
    // What the caller's evaluation reads: the breaker, the cache's and the retries' onsets.
    if (
      e.breaker !== breaker ||
      (e.dep.cache && e.failingSince !== failing) ||
      e.retrySince !== retrying
    )
      moved = true;
    if (
      e.failingSince !== failing ||
      e.errorSince !== erring ||
      e.retrySince !== retrying ||
      e.breaker !== breaker
    )
      markComp(sim, e.from);
  };
  if (all) for (const e of sim.edges) update(e);
  else {
    for (const i of inc.touched) {
      const s = sim.comps[i] as CompState;
      if (((inc.touchedHow[i] as number) & TOUCHED_EVALUATED) !== 0) {
        for (const e of s.hard) update(e);
        for (const e of s.soft) update(e);
      } else {
        for (const e of s.hard) if (e.dep.breaker) update(e);
        for (const e of s.soft) if (e.dep.breaker) update(e);
      }
      inc.touchedHow[i] = 0;
    }
    inc.touched.length = 0;
    for (const e of inc.activeBreakers) update(e);
  }
  inc.activeBreakers = active;
  return moved;
}
