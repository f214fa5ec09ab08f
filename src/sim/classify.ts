/**
 * @module sim/classify
 * States and their causes: a component is `down` when stopped or below DOWN_BELOW success,
 * `recovering` while restarting or waiting to cold-start, `degraded` below UP_AT or in a
 * degraded mode, else `up`. A change is logged with its cause, and so is a new cause for a
 * component that stays impaired (the lease manager still down after the DNS repair, now
 * because its leases collapsed) — at most once per CAUSE_DWELL. A change back to the state it
 * has just left is logged no sooner than CAUSE_DWELL after the change it reverses.
 */

import { noteContentServer } from "./content.js";
import { refreshFaults } from "./faults.js";
import { classifyQueues } from "./queues.js";
import { noteReplicaState } from "./replicas.js";
import { type CompState, DOWN_BELOW, EPS, log, type Sim, UP_AT, type Why } from "./state.js";
import type { ComponentState } from "./types.js";

const RECOVERED: Why = { mechanism: "recovered", detail: { what: "recovered" } };

/**
 * A component that stays impaired for another reason is logged again at most once in this many
 * seconds: a reason that changes sooner after its last entry is logged once that time has
 * passed, if it still differs from the one logged then. Reasons that come and go faster — a
 * component alternating between two causes at a threshold — leave the one logged standing
 * instead of an entry for each turn. So with a change of state: a component that would return to
 * the state it left less than this time ago (at the same instant it is refined) stays in the
 * state it changed to until this time has passed since that change, and returns then if it still
 * would — one change at most per this time between the same two states, however fast a mechanism
 * alternates at a threshold.
 */
export const CAUSE_DWELL = 1;

/**
 * Classifies the components evaluated since the last classification (only they can have
 * changed state or cause), dependencies first so that changes at one instant are logged in
 * causal order; then the reasons held back by CAUSE_DWELL that are due; then the queues.
 */
export function classify(sim: Sim): void {
  const sccs = sim.inc.toClassify;
  const { order, sccStart } = sim.topo;
  for (let k = sccs.pop(); k >= 0; k = sccs.pop()) {
    const end = sccStart[k + 1] as number;
    for (let m = sccStart[k] as number; m < end; m++) classifyComponent(sim, order[m] as number);
  }
  // Held returns that are due, then held reasons, in the order components are classified (in
  // both modes).
  const returning = sim.heldStates;
  if (returning.length > 0 && causeCrossing(sim) <= sim.t + EPS) {
    const position = sim.topo.position;
    returning.sort((a, b) => (position[a] as number) - (position[b] as number));
    const due = returning.filter(
      (i) => (sim.comps[i] as CompState).stateChangedAt + CAUSE_DWELL <= sim.t + EPS,
    );
    let kept = 0;
    for (const i of returning) if (!due.includes(i)) returning[kept++] = i;
    returning.length = kept;
    for (const i of due) classifyComponent(sim, i);
  }
  const held = sim.heldCauses;
  if (held.length > 0 && causeCrossing(sim) <= sim.t + EPS) {
    const position = sim.topo.position;
    held.sort((a, b) => (position[a] as number) - (position[b] as number));
    let kept = 0;
    for (const i of held) {
      const s = sim.comps[i] as CompState;
      if (s.causeLoggedAt + CAUSE_DWELL > sim.t + EPS) held[kept++] = i;
      else if (s.state !== "up") {
        const cause = causeOf(sim, s, s.state);
        if (!sameCause(cause, s.loggedCause)) logCause(sim, s, s.state, cause);
      }
    }
    held.length = kept;
  }
  classifyQueues(sim);
}

/** When the earliest reason held back by CAUSE_DWELL is due (a boundary of the run). */
export function causeCrossing(sim: Sim): number {
  let best = Number.POSITIVE_INFINITY;
  for (const i of sim.heldCauses)
    best = Math.min(best, (sim.comps[i] as CompState).causeLoggedAt + CAUSE_DWELL);
  for (const i of sim.heldStates)
    best = Math.min(best, (sim.comps[i] as CompState).stateChangedAt + CAUSE_DWELL);
  return best;
}

function stateOf(s: CompState): ComponentState {
  if (s.process === "stopped") return "down";
  if (s.process !== "running") return "recovering";
  if (s.s < DOWN_BELOW - EPS) return "down";
  if (s.s < UP_AT - EPS || s.degraded) return "degraded";
  return "up";
}

function causeOf(sim: Sim, s: CompState, state: ComponentState): Why {
  return state === "up"
    ? RECOVERED
    : s.degraded && s.s >= UP_AT
      ? softCause(sim, s)
      : s.process !== "running"
        ? s.processCause
        : s.cause;
}

function sameCause(a: Why, b: Why): boolean {
  return a.mechanism === b.mechanism && a.from === b.from;
}

/** Logs component s in `state` for `cause` (from its state before). */
function logCause(sim: Sim, s: CompState, state: ComponentState, cause: Why): void {
  log(sim, "component", s.c.id, s.state, state, recordedSource(sim, cause));
  s.loggedCause = cause;
  s.causeLoggedAt = sim.t;
}

function classifyComponent(sim: Sim, i: number): void {
  const t = sim.t;
  const s = sim.comps[i] as CompState;
  let state = stateOf(s);
  if (s.s < s.worst) s.worst = s.s;
  const changed = t - s.stateChangedAt;
  const back =
    state !== s.state && state === s.stateBefore && changed > EPS && changed < CAUSE_DWELL - EPS;
  if (back) {
    // Back to the state it has just left: it stays where it is until CAUSE_DWELL has passed
    // since it changed (then classified again, above), its reason as logged.
    if (!sim.heldStates.includes(i)) sim.heldStates.push(i);
    state = s.state;
  }
  const cause = causeOf(sim, s, state);
  if (back) {
    // Held: nothing to log.
  } else if (state !== s.state) {
    s.stateBefore = s.state;
    s.stateChangedAt = t;
    logCause(sim, s, state, cause);
    if (s.state === "up" && s.firstImpact === null) s.firstImpact = t;
    if (state === "up") {
      s.recoveredAt = t;
      s.healthyLoad = s.load;
    }
    if (state === "up") sim.impaired.delete(i);
    else sim.impaired.add(i);
    s.state = state;
  } else if (state !== "up" && !sameCause(cause, s.loggedCause) && !sim.heldCauses.includes(i)) {
    // Same state, another reason: a component kept down by something new — logged now unless
    // its last entry is more recent than CAUSE_DWELL (at this same instant, it is refined);
    // then once that time has passed (above), if the reason still differs.
    const since = t - s.causeLoggedAt;
    if (since <= EPS || since >= CAUSE_DWELL - EPS) logCause(sim, s, state, cause);
    else sim.heldCauses.push(i);
  }
  noteReplicaState(sim, s);
  noteContentServer(sim, i, state === "down" || state === "recovering", () => refreshFaults(sim));
}

/**
 * The cause with a source the timeline records as impaired. A component can be named as the
 * source of a change while its own failure is too small to be recorded (0.7% failing, under the
 * 1% that makes it degraded, adding up with others in its callers): the cause then names what
 * impairs that component, followed until a recorded source — so `explain` never has to reach
 * for a change recorded later than the one it explains.
 */
function recordedSource(sim: Sim, cause: Why): Why {
  let from = cause.from;
  let fromKind = cause.fromKind;
  const seen = new Set<number>();
  while (fromKind === "component" && from !== undefined) {
    const i = sim.topo.index.get(from);
    if (i === undefined || seen.has(i)) break;
    const src = sim.comps[i] as CompState;
    if (src.state !== "up") break;
    seen.add(i);
    const next = src.process !== "running" ? src.processCause : src.cause;
    if (next.from === undefined || next.mechanism === "none") break;
    from = next.from;
    fromKind = next.fromKind;
  }
  if (from === cause.from) return cause;
  return { mechanism: cause.mechanism, from, fromKind, detail: cause.detail };
}

function softCause(sim: Sim, s: CompState): Why {
  const e = s.soft.find((x) => x.success < DOWN_BELOW);
  const to = e ? (sim.comps[e.to] as CompState).c.id : undefined;
  const mode = e?.dep.degradedMode;
  return {
    mechanism: "degraded-mode",
    ...(to ? { from: to, fromKind: "component" as const } : {}),
    detail: {
      what: "degraded-mode",
      ...(to !== undefined ? { dependency: to } : {}),
      ...(mode ? { mode } : {}),
    },
  };
}
