/**
 * @module sim/dns
 * DNS records as clients see them. A call `via` a record succeeds only for the clients whose
 * resolver holds a usable answer. Each client keeps the answer it read until its own cache
 * entry expires (`cached-population.ts`): entries expire at moments spread evenly over the TTL
 * that cached them, so after the record changes the share still holding the previous answer
 * falls over that TTL, and a client that read a bad answer during a short fault keeps it for a
 * whole TTL from its read. Negative answers (empty, NXDOMAIN) are cached with the negative TTL,
 * a wrong one with the positive TTL, a server failure not at all. A record with a
 * health-checked failover switches to its failover targets once every primary target has
 * failed for interval × threshold, and clients follow as their cached answers expire.
 */
import type { DnsRecord } from "../model/types.js";
import { CachedPopulation } from "./cached-population.js";
import type { Answer } from "./causes.js";
import { crossing, markRecord, recordChanged } from "./incremental.js";
import {
  type CompState,
  DOWN_BELOW,
  EPS,
  log,
  type RecordState,
  type Sim,
  type Why,
} from "./state.js";

/** The value record r's clients read now: its answer, and which targets an answer names. */
function served(r: RecordState): number {
  switch (r.answer) {
    case "ok":
      return r.active === "primary" ? HELD.primary : HELD.failover;
    case "empty":
      return HELD.empty;
    case "nxdomain":
      return HELD.nxdomain;
    case "wrong":
      return HELD.wrong;
    case "servfail":
      return HELD.servfail;
    default: {
      const never: never = r.answer;
      throw new Error(`simulate: unknown answer ${JSON.stringify(never)}`);
    }
  }
}

/** What a client of a record can hold (values of its `CachedPopulation`). */
export const HELD = {
  primary: 0,
  failover: 1,
  empty: 2,
  nxdomain: 3,
  wrong: 4,
  servfail: 5,
} as const;
const HELD_VALUES = 6;

/**
 * A record's clients: a good answer (primary or failover targets) and a wrong one are cached
 * for the TTL, an empty answer or NXDOMAIN for the negative TTL, a server failure not at all.
 */
export function recordClients(rec: DnsRecord): CachedPopulation {
  return new CachedPopulation(HELD.primary, HELD_VALUES, (v) =>
    v === HELD.servfail ? 0 : v === HELD.empty || v === HELD.nxdomain ? rec.negativeTtl : rec.ttl,
  );
}

/** Changes what record r answers (a fault, a repair, its server failing or coming back). */
export function setAnswer(sim: Sim, r: RecordState, answer: Answer, cause: Why): void {
  if (r.answer === answer) return;
  sim.everything = true;
  log(sim, "record", r.rec.name, r.answer, answer, cause);
  r.answer = answer;
  r.changedAt = sim.t;
  r.clients.change(sim.t, served(r));
  r.dnsWhy = undefined;
}

/** Scratch for the shares of a record's clients holding each value. */
const SHARES = new Float64Array(HELD_VALUES);

/**
 * The shares of record r's clients holding an answer that names its primary targets and its
 * failover targets now; the next change of either is a crossing.
 */
function clientShares(sim: Sim, r: RecordState): void {
  const next = r.clients.shares(sim.t, SHARES);
  if (next < Number.POSITIVE_INFINITY) crossing(sim, next);
  r.onPrimary = SHARES[HELD.primary] as number;
  r.onFailover = SHARES[HELD.failover] as number;
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
  // Health-checked failover: when every primary target has failed for the check's detection time.
  const fo = r.rec.failover;
  if (fo) {
    const primaryDown = r.targets.every((x) => (sim.comps[x] as CompState).s < DOWN_BELOW);
    if (primaryDown) r.primaryFailingSince ??= t;
    else r.primaryFailingSince = undefined;
    const detect = fo.healthCheck.interval * fo.healthCheck.threshold;
    // Only an automatic failover switches by itself; otherwise a `failover` action does.
    const auto = fo.healthCheck.autoFailover && !r.pinned;
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
  // After any switch above: what its clients hold now, and when that next changes.
  const primary = r.onPrimary;
  const failover = r.onFailover;
  clientShares(sim, r);
  if (r.onPrimary !== primary || r.onFailover !== failover) recordChanged(sim, ri);
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
  r.clients.change(sim.t, served(r));
  recordChanged(sim, r.index);
}

/**
 * Reaching `target` through record r: the shares of clients whose resolver holds an answer
 * naming the primary targets and naming the failover targets (persistent per client until its
 * cache entry expires), and why the others cannot reach anything.
 */
export function throughRecord(r: RecordState): {
  onPrimary: number;
  onFailover: number;
  cause?: Why;
} {
  const reach = r.onPrimary + r.onFailover;
  if (reach < 1 - EPS) {
    // One cause per value of the share, shared by every caller.
    let made = r.dnsWhy;
    if (made === undefined || made.good !== reach) {
      const name = r.rec.name;
      made = {
        good: reach,
        why: {
          mechanism: "dns",
          from: name,
          fromKind: "record",
          detail: {
            what: "dns-answers",
            record: name,
            share: 1 - reach,
            answer: r.answer,
            since: r.changedAt,
          },
        },
      };
      r.dnsWhy = made;
    }
    return { onPrimary: r.onPrimary, onFailover: r.onFailover, cause: made.why };
  }
  return { onPrimary: r.onPrimary, onFailover: r.onFailover };
}
