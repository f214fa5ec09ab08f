/**
 * @module sim/replicas
 * What a component's state costs when it is lost: a failover to its replica, or a restore from
 * its backups.
 *
 * A primary with a replica (`replication:` in the model). Its callers' calls — those not made
 * through a DNS record, which fail over by the record — have the replica as a second target
 * (`EdgeState.toReplica`): while the primary is failed over, they go there instead.
 *
 * - **Automatic failover** happens `failoverAfter` after the primary is classified down, if it
 *   has stayed down since and its replica is not down; **manual** failover waits for a
 *   `failover` action on the primary.
 * - **No automatic failback**: callers stay on the replica after the primary is back, until a
 *   `failback` action on the primary (a decision: the primary's un-replicated writes must be
 *   reconciled first).
 * - **Data at risk**: at failover, the last `lag` of the primary's work had not reached the
 *   replica — and all of it since a partition between them started, if one cuts them. The model does not tell reads from writes, so the requests at risk are counted as
 *   the primary's offered load when it was last up × `lag` — an upper bound on the writes.
 */

import type { Fault } from "../scenario/types.js";
import { schedule } from "./agenda.js";
import { cutSince } from "./partitions.js";
import { type CompState, log, type Sim } from "./state.js";

/** Called as the primary is classified: keeps its healthy load, fails it over when due. */
export function noteReplicaState(sim: Sim, s: CompState): void {
  const r = s.c.replication;
  if (r?.failover !== "automatic" || s.failedOver) return;
  if (s.state !== "down") {
    // Back before detection: the failover due is called off.
    s.failoverDue = undefined;
    return;
  }
  if (s.failoverDue !== undefined) return;
  if (r.failoverAfter <= 0) {
    failOver(sim, s, true);
    return;
  }
  const at = sim.t + r.failoverAfter;
  s.failoverDue = at;
  schedule(sim, at, `1-replica:${s.c.id}`, () => {
    // Only if it has stayed down since (a blip shorter than detection does not fail over).
    if (s.failoverDue !== at) return;
    s.failoverDue = undefined;
    failOver(sim, s, true);
  });
}

/** A `failover` action on a primary with a replica. */
export function failOver(sim: Sim, s: CompState, automatic = false): void {
  const r = s.c.replication;
  if (!r || s.failedOver) return;
  const replicaState = sim.comps[sim.topo.index.get(r.replica) as number] as CompState;
  // An automatic failover promotes only a replica that is not down itself.
  if (automatic && replicaState.state === "down") return;
  s.failedOver = true;
  // A partition between primary and replica stops replication: the replica falls behind by
  // as long as it has lasted, on top of its lag.
  const replica = sim.comps[sim.topo.index.get(r.replica) as number] as CompState;
  const since = cutSince(sim, s.c, replica.c);
  const lag = r.lag + (since === undefined ? 0 : sim.t - since);
  const atRisk = s.healthyLoad * lag;
  sim.failovers.push({
    primary: s.c.id,
    replica: r.replica,
    at: sim.t,
    automatic,
    lag,
    atRisk,
  });
  log(sim, "change", `${s.c.id} → ${r.replica}`, "primary", "replica", {
    mechanism: "action",
    from: s.c.id,
    fromKind: "component",
    detail: {
      what: "replica-failover",
      primary: s.c.id,
      replica: r.replica,
      lag,
      atRisk,
      automatic,
    },
  });
  reevaluate(sim, s);
}

/** A `failback` action on a primary that was failed over. */
export function failBack(sim: Sim, s: CompState): void {
  const r = s.c.replication;
  if (!r || !s.failedOver) return;
  s.failedOver = false;
  log(sim, "change", `${s.c.id} → ${r.replica}`, "replica", "primary", {
    mechanism: "action",
    from: s.c.id,
    fromKind: "component",
    detail: { what: "replica-failback", primary: s.c.id, replica: r.replica },
  });
  reevaluate(sim, s);
}

/** Every call is evaluated again: the primary's callers now go elsewhere. */
function reevaluate(sim: Sim, s: CompState): void {
  sim.everything = true;
  schedule(sim, sim.t, `1-replica:${s.c.id}`, () => {
    sim.everything = true;
  });
}

/**
 * A component's state is lost: what it served since its last backup (taken at multiples of
 * `backup.every` from the start) is at risk — all of the run so far without a backup.
 */
export function noteDataLoss(sim: Sim, id: string): void {
  const s = sim.comps[sim.topo.index.get(id) as number] as CompState;
  const every = s.c.backup?.every;
  const since = every === undefined ? 0 : Math.floor(sim.t / every + 1e-9) * every;
  // The load it had when last up: a component already down serves nothing new to lose.
  const load = s.state === "up" ? s.load : s.healthyLoad;
  sim.losses.push({
    component: id,
    at: sim.t,
    backup: every === undefined ? null : since,
    atRisk: load * (sim.t - since),
  });
  log(sim, "change", `${id} (state)`, "intact", "lost", {
    mechanism: "fault",
    from: id,
    fromKind: "component",
    detail: {
      what: "state-lost",
      component: id,
      backup: every === undefined ? null : since,
      atRisk: load * (sim.t - since),
    },
  });
}

/** `restore-backup`: the component's lost state is back `backup.restore` from now. */
export function restoreBackup(sim: Sim, id: string, end: (f: Fault) => void): void {
  const s = sim.comps[sim.topo.index.get(id) as number] as CompState;
  const restore = s.c.backup?.restore ?? 0;
  for (const f of sim.faults.active.values()) {
    if (f.kind !== "data-loss" || f.target !== id) continue;
    const fault = f;
    schedule(sim, sim.t + restore, `0-restore:${f.id}`, () => end(fault));
  }
}
