/**
 * @module sim/recovery
 * Processes stopping and coming back. A component stopped by a fault (or by losing too many
 * placements for its redundancy) restarts when the fault ends: `recovering` for
 * `recovery.restart`, then — unless `coldStart: standalone` — waiting until every hard
 * dependency (and `auth` identity) is up, or can be served by its record's failover targets or
 * its fallback; with `coldStart: after-dependencies` the waiting comes first, then the restart. Two stopped components that need each other wait
 * forever; `break-glass` starts one without its dependencies.
 */
import { schedule } from "./agenda.js";
import { markComp } from "./incremental.js";
import { emptyCaches } from "./response-cache.js";
import { type CompState, DOWN_BELOW, EPS, indexOf, resolve, type Sim, type Why } from "./state.js";
import { endWarmup, startWarmup } from "./warmup.js";

const WAITING: Why = { mechanism: "cold-start", detail: { what: "waiting-for-dependencies" } };

/**
 * Component i restarts now, because of `cause`. With `coldStart: after-dependencies` its restart
 * needs its hard dependencies: it waits for them first (`restartAt` NaN until the restart
 * begins), and `tryStart` begins the restart once they are up.
 */
export function beginRestart(sim: Sim, i: number, cause: Why): void {
  const s = sim.comps[i] as CompState;
  s.restartCause = cause;
  endWarmup(s);
  if (s.c.recovery.coldStart === "after-dependencies") {
    s.restartAt = Number.NaN;
    s.process = "waiting";
    s.processCause = WAITING;
    return;
  }
  runRestart(sim, i, cause);
}

/** Component i's restart runs from now for `recovery.restart`, then it waits to cold-start. */
function runRestart(sim: Sim, i: number, cause: Why): void {
  const s = sim.comps[i] as CompState;
  const restart = s.c.recovery.restart ?? 0;
  s.restartAt = sim.t + restart;
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
 * `coldStart: standalone`); until then its process cause names what it waits for. With
 * `after-dependencies`, their being up begins the restart that waited for them instead.
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
  } else if (Number.isNaN(s.restartAt)) {
    // Its dependencies are up: the restart that waited for them begins (and may end at once).
    // Said as a wait that ended, still traced back to what stopped it.
    const stopped = s.restartCause;
    runRestart(sim, indexOf(sim.topo.index, s.c.id), {
      ...WAITING,
      ...(stopped?.from !== undefined ? { from: stopped.from } : {}),
      ...(stopped?.fromKind !== undefined ? { fromKind: stopped.fromKind } : {}),
    });
    if (s.process === "waiting") tryStart(sim, s);
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
