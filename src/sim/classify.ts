/**
 * @module sim/classify
 * States and their causes: a component is `down` when stopped or below DOWN_BELOW success,
 * `recovering` while restarting or waiting to cold-start, `degraded` below UP_AT or in a
 * degraded mode, else `up`. A change is logged with its cause, and so is a new cause for a
 * component that stays impaired (the lease manager still down after the DNS repair, now
 * because its leases collapsed).
 */

import { noteContentServer } from "./content.js";
import { refreshFaults } from "./faults.js";
import { classifyQueues } from "./queues.js";
import { noteReplicaState } from "./replicas.js";
import { type CompState, DOWN_BELOW, EPS, log, type Sim, UP_AT, type Why } from "./state.js";
import type { ComponentState } from "./types.js";

const RECOVERED: Why = { mechanism: "recovered", detail: { what: "recovered" } };

/**
 * Classifies the components evaluated since the last classification (only they can have
 * changed state or cause), dependencies first so that changes at one instant are logged in
 * causal order; then the queues.
 */
export function classify(sim: Sim): void {
  const sccs = sim.inc.toClassify;
  const { order, sccStart } = sim.topo;
  for (let k = sccs.pop(); k >= 0; k = sccs.pop()) {
    const end = sccStart[k + 1] as number;
    for (let m = sccStart[k] as number; m < end; m++) classifyComponent(sim, order[m] as number);
  }
  classifyQueues(sim);
}

function classifyComponent(sim: Sim, i: number): void {
  const t = sim.t;
  const s = sim.comps[i] as CompState;
  let state: ComponentState;
  if (s.process === "stopped") state = "down";
  else if (s.process !== "running") state = "recovering";
  else if (s.s < DOWN_BELOW - EPS) state = "down";
  else if (s.s < UP_AT - EPS || s.degraded) state = "degraded";
  else state = "up";
  if (s.s < s.worst) s.worst = s.s;
  const cause: Why =
    state === "up"
      ? RECOVERED
      : s.degraded && s.s >= UP_AT
        ? softCause(sim, s)
        : s.process !== "running"
          ? s.processCause
          : s.cause;
  if (state !== s.state) {
    log(sim, "component", s.c.id, s.state, state, recordedSource(sim, cause));
    if (s.state === "up" && s.firstImpact === null) s.firstImpact = t;
    if (state === "up") s.recoveredAt = t;
    if (state === "up") sim.impaired.delete(i);
    else sim.impaired.add(i);
    s.state = state;
  } else if (
    state !== "up" &&
    (cause.mechanism !== s.loggedCause.mechanism || cause.from !== s.loggedCause.from)
  ) {
    // Same state, another reason: a component kept down by something new.
    log(sim, "component", s.c.id, s.state, state, recordedSource(sim, cause));
  }
  s.loggedCause = cause;
  noteReplicaState(sim, s);
  noteContentServer(sim, i, state === "down", () => refreshFaults(sim));
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
