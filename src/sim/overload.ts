/**
 * @module sim/overload
 * Capacity and the overload queue. A component's capacity C is its `capacity` × the share of
 * its placements up × (1 − capacity lost to faults), and at most K / L when it has a
 * `concurrency` K and its requests take L seconds (Little's law). Offered λ > C, the excess
 * queues: the backlog grows at λ − C and a request waits backlog / C. Once that wait passes the
 * shortest timeout of its callers, every request it serves has already been given up on.
 */

import { crossing } from "./incremental.js";
import type { Why } from "./state.js";
import { type CompState, type EdgeState, EPS, type RecordState, type Sim } from "./state.js";

export function capacityOf(s: CompState, latency: number): number {
  // A `scale` action sets the capacity or multiplies both limits; warming up, it has a share.
  const factor = s.scale * s.warm;
  let capacity = (s.scaledCapacity ?? s.c.capacity ?? Number.POSITIVE_INFINITY) * factor;
  if (s.c.concurrency !== undefined && latency > 0)
    capacity = Math.min(capacity, (s.c.concurrency * factor) / latency);
  // Lost placements and capacity take their share of either limit. (An unbounded capacity
  // stays unbounded unless all of it is lost.)
  // A sharded component's lost shards take their requests with them, not only their capacity.
  const share = (s.c.shards ? 1 : s.placementUp) * (1 - s.capacityLoss);
  if (share <= 0) return 0;
  return Number.isFinite(capacity) ? capacity * share : capacity;
}

/** Why component s serves nothing when it has no capacity left, or undefined. */
export function noCapacityWhy(s: CompState, capacity: number): Why | undefined {
  if (capacity > 0) return undefined;
  return {
    ...(s.faultCause ? { from: s.faultCause.from, fromKind: s.faultCause.fromKind } : {}),
    mechanism: "overload",
    detail: { what: "no-capacity", component: s.c.id },
  };
}

/** Time a request waits in an overload queue of `queue` requests served at `capacity`. */
export function queueWait(queue: number, capacity: number): number {
  return Number.isFinite(capacity) && capacity > 0
    ? queue / capacity
    : queue > 0
      ? Number.POSITIVE_INFINITY
      : 0;
}

/**
 * Whether requests arriving now at component s wait longer than its callers' timeout. At the
 * timeout itself it depends on where the wait goes: a queue still growing fails them, one
 * draining serves them within it from this instant (the crossing at which it recovers).
 */
export function outwaited(s: CompState, wait: number, capacity: number): boolean {
  if (!(s.queue > 0)) return false;
  const tolerance = EPS * Math.max(1, s.timeout);
  const took = wait + s.serviceTime;
  if (took > s.timeout + tolerance) return true;
  if (took < s.timeout - tolerance) return false;
  return admitted(s) >= capacity;
}

/** The queue at which a request at component s, waiting then served, takes its callers' timeout. */
export function patience(s: CompState): number {
  return Math.max(0, s.timeout - s.serviceTime) * s.capacity;
}

/**
 * The shortest time between two changes of a component's overload state. At the threshold, a
 * component whose failing lowers what reaches it (its callers slow down and send less) slides
 * along it in the fluid model, failing the share of what arrives that holds its queue there
 * (sliding.ts). Where no share does — what arrives jumps as the share leaves 0 — the engine
 * alternates between failing and serving instead, at most once per this time, so a run cannot
 * get stuck in ever smaller steps there.
 */
export const OVERLOAD_DWELL = 1;

/**
 * Whether component s's queued work outwaits its callers, as decided now: the queue's verdict,
 * unless it would flip again sooner than OVERLOAD_DWELL after the last change (then it holds,
 * and that moment is a boundary).
 */
export function overloaded(sim: Sim, s: CompState, wait: number, capacity: number): boolean {
  const now = outwaited(s, wait, capacity);
  if (now === s.overloaded) return now;
  const until = s.overloadedSince + OVERLOAD_DWELL;
  if (sim.t < until - EPS) {
    crossing(sim, until);
    return s.overloaded;
  }
  s.overloaded = now;
  s.overloadedSince = sim.t;
  return now;
}

/**
 * Why component s fails the `share` of what reaches it that outwaits its callers: all of it once
 * its queued work does, part of it while its queue is held at their timeout (sliding.ts).
 */
export function overloadWhy(s: CompState, wait: number, capacity: number, share: number): Why {
  const trigger = s.overloadTrigger;
  return {
    mechanism: "overload",
    from: trigger?.from,
    fromKind: trigger?.fromKind,
    detail: () => ({
      what: "overload",
      component: s.c.id,
      wait,
      load: s.load,
      capacity,
      ...(s.warm < 1 ? { warming: s.warm } : {}),
      ...(share < 1 ? { share } : {}),
    }),
  };
}

/**
 * Remembers what started component i's overload when it starts (more offered than its
 * capacity, or work queued), and forgets it when the overload is over: a collapse that outlives
 * its trigger (retries keeping it overloaded) is still traced to it. The trigger is a capacity
 * loss on it, a failure domain taking some of its placements, or a surge on a workload whose
 * requests reach it.
 */
export function noteOverload(sim: Sim, i: number, capacity: number): void {
  const s = sim.comps[i] as CompState;
  if (s.queue <= 0 && admitted(s) <= capacity) {
    s.overloadTrigger = undefined;
    return;
  }
  if (s.overloadTrigger !== undefined) return;
  let trigger: Why | undefined;
  if (s.capacityLoss > 0) trigger = s.capacityCause;
  // Warming up after a restart: traced to what made it restart.
  if (trigger === undefined && s.warm < 1 && s.restartCause !== undefined)
    trigger = {
      mechanism: "restart",
      from: s.restartCause.from,
      fromKind: s.restartCause.fromKind,
      detail: { what: "none" },
    };
  if (trigger === undefined && s.placementUp < 1)
    for (const d of s.c.placement.domains) {
      const fault = downFault(sim, d);
      if (fault !== undefined) {
        trigger = {
          mechanism: "placement",
          from: fault,
          fromKind: "fault",
          detail: { what: "none" },
        };
        break;
      }
    }
  if (trigger === undefined)
    for (const f of sim.faults.active.values()) {
      if (f.kind !== "surge") continue;
      const w = sim.workloads.find((x) => x.w.id === f.target);
      if (w && reaches(sim, w.entry, i)) {
        trigger = { mechanism: "fault", from: f.id, fromKind: "fault", detail: { what: "none" } };
        break;
      }
    }
  // Load redirected to it: by a DNS failover (the record's switch) or a fallback (the callee
  // whose failures it serves).
  const topo = sim.topo;
  const end = topo.incomingStart[i + 1] as number;
  for (let k = topo.incomingStart[i] as number; trigger === undefined && k < end; k++) {
    const slot = topo.incoming[k] as number;
    if ((sim.inc.contribution[slot] as number) <= 0) continue;
    const e = sim.edges[topo.slotEdge[slot] as number] as EdgeState;
    const j = slot - e.slotBase;
    if (j === 0) continue;
    if (j < e.groupShare.length) {
      const r = sim.records[e.record] as RecordState;
      trigger = {
        mechanism: "dns",
        from: r.rec.name,
        fromKind: "record",
        detail: { what: "none" },
      };
    } else {
      const callee = (sim.comps[e.to] as CompState).c.id;
      trigger = {
        mechanism: "dependency",
        from: callee,
        fromKind: "component",
        detail: { what: "none" },
      };
    }
  }
  s.overloadTrigger = trigger ?? { mechanism: "overload", detail: { what: "none" } };
}

/** The fault holding down `domain` or one of its ancestors, if any. */
function downFault(sim: Sim, domain: string): string | undefined {
  let cur: string | null | undefined = domain;
  const seen = new Set<string>();
  while (cur !== null && cur !== undefined && !seen.has(cur)) {
    seen.add(cur);
    const f = sim.faults.domainFault.get(cur);
    if (f !== undefined) return f;
    cur = sim.topo.domainParent.get(cur);
  }
  return undefined;
}

/** Whether requests entering at component `from` can reach component `to` through calls. */
function reaches(sim: Sim, from: number, to: number): boolean {
  const seen = new Set<number>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    if (i === to) return true;
    const s = sim.comps[i] as CompState;
    for (const e of [...s.hard, ...s.soft])
      for (const x of e.slots)
        if (!seen.has(x)) {
          seen.add(x);
          stack.push(x);
        }
  }
  return false;
}

/**
 * How far above its admission threshold (as a share of it) a held queue is still brought back to
 * it; further above, it is held where it is, as the rule reads: no more admitted than served
 * (admission.ts).
 */
export const ABOVE = 1e-3;
/**
 * A queue held at its admission threshold within this share of it is at it: the share found
 * there (to SLIDE_TOLERANCE) lets it drift, and bringing back so little is not worth a step.
 */
export const HELD_BAND = 1e-6;

/**
 * The load a component admits: its offered load within its throttle, less what it sheds; with
 * admission by queue age (`maxWait`), no more than it serves once the wait reaches that age —
 * while it is held there, what the refused share found for it leaves (admission.ts).
 */
export function admitted(s: CompState): number {
  const a = Math.min(s.load, s.throttle) * (1 - s.shed);
  // Held at that age: the share refused that keeps it there (admission.ts).
  if (s.admission !== undefined) return a * (1 - s.admission.share);
  return Number.isFinite(s.maxWait) &&
    s.queue > 0 &&
    queueWait(s.queue, s.capacity) >= s.maxWait - EPS
    ? Math.min(a, s.capacity)
    : a;
}

/**
 * Advances the overload queues over dt at the current rates. Attempts arriving while the wait
 * is past the callers' timeout are abandoned (a crossing bounds the step, so that holds over
 * all of it); the queue keeps them, and the component serves them when their turn comes.
 */
export function integrateOverload(sim: Sim, dt: number): void {
  // A component without a capacity or a concurrency limit never queues.
  for (const i of sim.topo.capacityComps) {
    const s = sim.comps[i] as CompState;
    if (Number.isFinite(s.capacity) && s.process === "running") {
      const arriving = admitted(s);
      if (s.overloaded && s.queue > 0) s.abandoned += arriving * dt;
      else if (s.slide !== undefined) s.abandoned += s.slide.share * arriving * dt;
      s.queue = Math.max(0, s.queue + (arriving - s.capacity) * dt);
      if (s.queue < EPS * Math.max(1, s.capacity)) s.queue = 0;
      const wait = queueWait(s.queue, s.capacity);
      // With no capacity left the wait is unbounded: the component is down for that reason.
      if (Number.isFinite(wait) && wait > s.peakWait) s.peakWait = wait;
    } else if (s.process !== "running") s.queue = 0;
  }
}

/**
 * What component s serves, and so the rate at which it makes its calls: what it admits, at
 * most its capacity, and its whole capacity while work is queued — abandoned work included,
 * which it serves all the same.
 */
export function throughput(s: CompState, admittedLoad: number): number {
  if (s.process !== "running") return 0;
  return s.queue > 0 ? s.capacity : Math.min(admittedLoad, s.capacity);
}

/**
 * The earliest moment an overload queue's wait reaches its callers' timeout, or drains, or — for
 * a queue whose arrivals depend on its wait — the rates must be looked at again (`settleCrossing`).
 */
export function overloadCrossing(sim: Sim, best: number): number {
  const t = sim.t;
  const feedback = sim.topo.latencyFeedback;
  for (const i of sim.topo.capacityComps) {
    const s = sim.comps[i] as CompState;
    if (Number.isFinite(s.capacity) && s.process === "running") {
      const net = admitted(s) - s.capacity;
      const limit = patience(s);
      if (net > EPS && s.queue < limit) best = Math.min(best, t + (limit - s.queue) / net);
      // Admission by queue age stops the queue where the wait reaches it. Held there, a queue
      // brought back to it stops there too, from either side (admission.ts).
      const held = s.maxWait * s.capacity;
      if (s.admission !== undefined) {
        const off = held - s.queue;
        if (Math.abs(off) > HELD_BAND * held && off * net > 0) best = Math.min(best, t + off / net);
      } else if (net > EPS && s.queue < held) best = Math.min(best, t + (held - s.queue) / net);
      if (net < -EPS && s.queue > EPS) {
        best = Math.min(best, t + s.queue / -net);
        if (s.queue > limit) best = Math.min(best, t + (s.queue - limit) / -net);
      }
      // A queue held at the timeout, or at its admission threshold, is followed by its share
      // (sliding.ts, admission.ts).
      if (feedback[i] === 1 && s.slide === undefined && s.admission === undefined)
        best = Math.min(best, settleCrossing(t, s, net, limit));
      else s.trendQueue = s.trendNet = Number.NaN;
    } else {
      s.trendQueue = Number.NaN;
      s.trendNet = Number.NaN;
    }
  }
  return best;
}

/**
 * A step may change the time a request takes at a queue whose arrivals depend on its wait by
 * at most this share of it.
 */
const SETTLE_SHARE = 0.1;
/** A queue's net rate within this share of its capacity: settled. */
const SETTLED = 1e-6;
/** The shortest step `settleCrossing` asks for, in seconds. */
const SETTLE_STEP = 1e-3;

/**
 * When the rates must be looked at again for component s, whose queue's arrivals depend on its
 * wait: a component with a concurrency limit K calls it (`latencyFeedback`), and serves K / L
 * where L includes this queue's wait — the longer the wait, the less it sends. The fluid model
 * has the queue settle where arrivals meet capacity (Little's law closes the loop); held
 * constant between boundaries, the rates would instead carry the queue past that point — up to
 * its callers' timeout, where they fail, slow down, let it drain and speed up again, a limit
 * cycle that is only the engine's. So below the timeout, a step lets the time a request takes
 * there change by at most SETTLE_SHARE, and ends where the queue's net rate, followed along the
 * secant of its last two values against the queue, reaches zero; once within SETTLED of its
 * capacity the queue holds and asks for nothing. Above the timeout its callers' timeouts cap
 * what its wait does to them, and the usual crossings apply.
 */
function settleCrossing(t: number, s: CompState, net: number, limit: number): number {
  const q = s.queue;
  const before = s.trendQueue;
  const netBefore = s.trendNet;
  s.trendQueue = q;
  s.trendNet = net;
  if (Math.abs(net) <= SETTLED * s.capacity || (q <= 0 && net < 0) || q >= limit)
    return Number.POSITIVE_INFINITY;
  const took = Math.max(s.serviceTime + q / s.capacity, SETTLE_STEP);
  let dt = (SETTLE_SHARE * took * s.capacity) / Math.abs(net);
  if (q !== before) {
    // NaN before any: no secant.
    const slope = (net - netBefore) / (q - before);
    if (slope < 0) dt = Math.min(dt, Math.max(-1 / slope, SETTLE_STEP));
  }
  return t + dt;
}
