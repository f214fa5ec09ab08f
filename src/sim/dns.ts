/**
 * @module sim/dns
 * DNS records as clients see them. A call `via` a record succeeds only for the clients whose
 * resolver holds a usable answer; answers were cached at moments spread evenly over the TTL
 * that cached them, so after the record changes the share still holding the previous answer
 * falls linearly over that TTL (read as a staircase, see `incremental.ageing`). Negative answers
 * (empty, NXDOMAIN) are cached with the negative TTL, a wrong one with the positive TTL, a
 * server failure not at all. A record with a health-checked failover switches to its failover
 * targets once every primary target has failed for interval × threshold, and clients follow as
 * their cached answers expire.
 */
import type { Answer } from "./causes.js";
import { ageing, crossing, markRecord, recordChanged } from "./incremental.js";
import {
  type CompState,
  DOWN_BELOW,
  EPS,
  log,
  type RecordState,
  type Sim,
  type Why,
} from "./state.js";

/** Changes what record r answers (a fault, a repair, its server failing or coming back). */
export function setAnswer(sim: Sim, r: RecordState, answer: Answer, cause: Why): void {
  if (r.answer === answer) return;
  sim.everything = true;
  r.goodBefore = recordGood(sim, r);
  log(sim, "record", r.rec.name, r.answer, answer, cause);
  r.previous = r.answer;
  r.answer = answer;
  r.changedAt = sim.t;
  r.dnsWhy = undefined;
}

/** Share of clients holding a good answer now. */
export function recordGood(sim: Sim, r: RecordState): number {
  if (r.answer === "ok") {
    // Clients still holding the bad answer, cached with the TTL of that answer.
    // A wrong answer was cached with the positive TTL, an empty one or NXDOMAIN with the
    // negative TTL; a server failure is not cached.
    const bad = 1 - r.goodBefore;
    const ttl =
      r.previous === "wrong" ? r.rec.ttl : r.previous === "servfail" ? 0 : r.rec.negativeTtl;
    return bad > 0 ? 1 - bad * ageing(sim, r.changedAt, ttl, ttl) : 1;
  }
  // Clients still holding the good answer, cached with the positive TTL.
  return r.goodBefore > 0 ? r.goodBefore * ageing(sim, r.changedAt, r.rec.ttl, r.rec.ttl) : 0;
}

/**
 * Updates the records: all of them when exhaustive or after a fault or an action; otherwise
 * those whose answer is ageing, those whose server changed and those with a failover.
 * In record order either way, since an update may write to the timeline.
 */
export function updateRecords(sim: Sim): void {
  const inc = sim.inc;
  let list: number[];
  if (sim.options.exhaustive || sim.everything) list = sim.records.map((_, ri) => ri);
  else {
    list = inc.markedRecords;
    for (const ri of inc.activeRecords) markRecord(sim, ri);
    for (const ri of sim.topo.failoverRecords) markRecord(sim, ri);
    list.sort((a, b) => a - b);
  }
  const active: number[] = [];
  for (const ri of list) {
    inc.timeDependent = false;
    inc.wakeAt = Number.POSITIVE_INFINITY;
    updateRecord(sim, ri);
    // Cached answers ageing, or a failover's detection time running: updated again at the
    // next change (a record's update is cheap; what reads it is marked only on a change).
    if (inc.timeDependent || inc.wakeAt < Number.POSITIVE_INFINITY) active.push(ri);
    inc.recordQueued[ri] = 0;
  }
  inc.markedRecords.length = 0;
  inc.activeRecords = active;
}

function updateRecord(sim: Sim, ri: number): void {
  const t = sim.t;
  const r = sim.records[ri] as RecordState;
  // The DNS server failing stops answers; cached answers live on (no negative caching).
  const server = sim.comps[r.server] as CompState;
  if (server.s < DOWN_BELOW && r.answer === "ok") {
    setAnswer(sim, r, "servfail", {
      mechanism: "dependency",
      fromKind: "component",
      from: server.c.id,
      detail: { what: "dns-server-down", server: server.c.id },
    });
  } else if (server.s >= DOWN_BELOW && r.answer === "servfail") {
    setAnswer(sim, r, "ok", {
      mechanism: "dns",
      fromKind: "component",
      from: server.c.id,
      detail: { what: "dns-server-back", server: server.c.id },
    });
  }
  const good = recordGood(sim, r);
  if (good !== r.good) recordChanged(sim, ri);
  r.good = good;
  // Health-checked failover: when every primary target has failed for the check's detection time.
  const fo = r.rec.failover;
  if (fo) {
    const primaryDown = r.targets.every((x) => (sim.comps[x] as CompState).s < DOWN_BELOW);
    if (primaryDown) r.primaryFailingSince ??= t;
    else r.primaryFailingSince = undefined;
    const detect = fo.healthCheck.interval * fo.healthCheck.threshold;
    // Only an automatic failover switches by itself; otherwise a `failover` action does.
    const auto = fo.healthCheck.autoFailover;
    if (auto && r.primaryFailingSince !== undefined) crossing(sim, r.primaryFailingSince + detect);
    if (
      auto &&
      r.active === "primary" &&
      primaryDown &&
      t - (r.primaryFailingSince ?? t) >= detect - EPS
    ) {
      switchRecord(sim, r, "failover", {
        mechanism: "health-check",
        detail: {
          what: "failover-detected",
          threshold: fo.healthCheck.threshold,
          interval: fo.healthCheck.interval,
        },
      });
    } else if (auto && r.active === "failover" && !primaryDown) {
      switchRecord(sim, r, "primary", {
        mechanism: "health-check",
        detail: { what: "primary-healthy" },
      });
    }
  }
}

/** Switches record r to its primary or its failover targets. */
export function switchRecord(
  sim: Sim,
  r: RecordState,
  to: "primary" | "failover",
  cause: Why,
): void {
  if (r.active === to) return;
  sim.everything = true;
  log(sim, "record", r.rec.name, r.active, to, cause);
  r.active = to;
  r.switchedAt = sim.t;
  recordChanged(sim, r.index);
}

/**
 * Reaching `target` through record r: the fraction of clients whose resolver gives a usable
 * answer (`reach`, persistent per client until its cache entry expires) and the success of
 * whatever that answer points at (`target`, the primary or the failover targets).
 */
export function throughRecord(
  sim: Sim,
  r: RecordState,
  target: number,
): { reach: number; target: number; cause?: Why } {
  const good = r.good;
  let p: number;
  if (r.failoverTargets.length === 0) p = (sim.comps[target] as CompState).s;
  else {
    // Clients move to the new answer as their cached answer expires.
    const moved = 1 - ageing(sim, r.switchedAt, r.rec.ttl, r.rec.ttl);
    const onFailover = r.active === "failover" ? moved : 1 - moved;
    const primary = (sim.comps[target] as CompState).s;
    const secondary = Math.max(...r.failoverTargets.map((x) => (sim.comps[x] as CompState).s));
    p = (1 - onFailover) * primary + onFailover * secondary;
  }
  if (good < 1 - EPS) {
    // One cause per value of the share, shared by every caller.
    let made = r.dnsWhy;
    if (made === undefined || made.good !== good) {
      const name = r.rec.name;
      made = {
        good,
        why: {
          mechanism: "dns",
          from: name,
          fromKind: "record",
          detail: {
            what: "dns-answers",
            record: name,
            share: 1 - good,
            answer: r.answer,
            since: r.changedAt,
          },
        },
      };
      r.dnsWhy = made;
    }
    return { reach: good, target: p, cause: made.why };
  }
  return { reach: 1, target: p };
}
