/**
 * @module sim/recovery
 * Processes stopping and coming back. A component stopped by a fault (or by losing too many
 * placements for its redundancy) restarts when the fault ends: `recovering` for
 * `recovery.restart`, then — unless `coldStart: standalone` — waiting until every hard
 * dependency (and `auth` identity) is up, or can be served by its record's failover targets or
 * its fallback. Two stopped components that need each other wait
 * forever; `break-glass` starts one without its dependencies.
 */
import { schedule } from "./agenda.js";
import { markComp } from "./incremental.js";
import { emptyCaches } from "./response-cache.js";
import { type CompState, DOWN_BELOW, EPS, indexOf, resolve, type Sim, type Why } from "./state.js";
import { endWarmup, startWarmup } from "./warmup.js";

const WAITING: Why = { mechanism: "cold-start", detail: { what: "waiting-for-dependencies" } };

/** Component i restarts now, because of `cause`. */
export function beginRestart(sim: Sim, i: number, cause: Why): void {
  const s = sim.comps[i] as CompState;
  const restart = s.c.recovery.restart ?? 0;
  s.restartAt = sim.t + restart;
  s.restartCause = cause;
  endWarmup(s);
  if (restart === 0) {
    s.process = "waiting";
    s.processCause = WAITING;
    return;
  }
  s.process = "restarting";
  s.processCause = {
    mechanism: "restart",
    from: cause.from,
    fromKind: cause.fromKind,
    detail: () => ({ what: "restarting", duration: restart, after: resolve(cause) }),
  };
  // Restarts finishing at one instant are evaluated together (see ScheduledEvent.batch).
  schedule(
    sim,
    sim.t + restart,
    `0-restart:${s.c.id}`,
    () => {
      if (s.process !== "restarting" || sim.t + EPS < s.restartAt) return;
      s.process = "waiting";
      s.processCause = WAITING;
      markComp(sim, i);
    },
    false,
    true,
  );
}

/**
 * A component waiting to cold-start starts once its hard dependencies are up (at once with
 * `coldStart: standalone`); until then its process cause names what it waits for.
 */
export function tryStart(sim: Sim, s: CompState): void {
  if (s.process !== "waiting") return;
  const down = (x: number) => (sim.comps[x] as CompState).s < DOWN_BELOW;
  // A call blocks the start when nothing it can be sent to is up (its callee, its record's
  // failover targets, its fallback), or when its identity is down.
  let blocking: number | undefined;
  if (s.c.recovery.coldStart !== "standalone")
    for (const e of s.hard) {
      if (e.slots.every(down)) blocking = e.to;
      else if (e.auth >= 0 && down(e.auth)) blocking = e.auth;
      if (blocking !== undefined) break;
    }
  if (blocking !== undefined) {
    const id = (sim.comps[blocking] as CompState).c.id;
    s.processCause = {
      mechanism: "cold-start",
      from: id,
      fromKind: "component",
      detail: { what: "waiting-for", component: id },
    };
  } else {
    s.process = "running";
    s.processCause = { mechanism: "restart", detail: { what: "started" } };
    started(sim, indexOf(sim.topo.index, s.c.id));
  }
}

/**
 * Component i's process has started (its restart done, a cold start, `break-glass`): it warms
 * up, and the caches it keeps for its calls are empty.
 */
export function started(sim: Sim, i: number): void {
  emptyCaches(sim.comps[i] as CompState, sim.t);
  startWarmup(sim, i);
}
