/**
 * @module sim/replicas
 * A primary with a replica (`replication:` in the model). Its callers' calls — those not made
 * through a DNS record, which fail over by the record — have the replica as a second target
 * (`EdgeState.toReplica`): while the primary is failed over, they go there instead.
 *
 * - **Automatic failover** happens `failoverAfter` after the primary is classified down, if it
 *   is still down then; **manual** failover waits for a `failover` action on the primary.
 * - **No automatic failback**: callers stay on the replica after the primary is back, until a
 *   `failback` action on the primary (a decision: the primary's un-replicated writes must be
 *   reconciled first).
 * - **Data at risk**: at failover, the last `lag` of the primary's work had not reached the
 *   replica — and all of it since a partition between them started, if one cuts them. The model does not tell reads from writes, so the requests at risk are counted as
 *   the primary's offered load when it was last up × `lag` — an upper bound on the writes.
 */
import { schedule } from "./agenda.js";
import { cutSince } from "./partitions.js";
import { type CompState, log, type Sim } from "./state.js";

/** A failover of a primary to its replica, as the journal reports it. */
export interface FailoverRecord {
  readonly primary: string;
  readonly replica: string;
  readonly at: number;
  readonly automatic: boolean;
  /** The replica's lag at the failover (seconds of the primary's work not yet on it). */
  readonly lag: number;
  /** Requests the primary served in that lag (offered load when last up × lag). */
  readonly atRisk: number;
}

/** Called as the primary is classified: keeps its healthy load, fails it over when due. */
export function noteReplicaState(sim: Sim, s: CompState): void {
  const r = s.c.replication;
  if (!r) return;
  if (s.state === "up") s.healthyLoad = s.load;
  else if (s.state === "down" && r.failover === "automatic" && !s.failedOver && !s.failoverDue) {
    if (r.failoverAfter <= 0) failOver(sim, s, true);
    else {
      s.failoverDue = true;
      schedule(sim, sim.t + r.failoverAfter, `1-replica:${s.c.id}`, () => {
        s.failoverDue = false;
        // Only if it is still down by then (a blip shorter than detection does not fail over).
        if (s.state === "down") failOver(sim, s, true);
      });
    }
  }
}

/** A `failover` action on a primary with a replica. */
export function failOver(sim: Sim, s: CompState, automatic = false): void {
  const r = s.c.replication;
  if (!r || s.failedOver) return;
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
