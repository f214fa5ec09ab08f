/**
 * @module sim/topology
 * The fixed structure of a run, derived once from the model: positions of components, records
 * and queues by id; the dependency-first evaluation order (the strongly connected components of
 * the call graph — hard and soft calls, `auth` identities, fallbacks, the DNS servers of `via`
 * records — by the same Tarjan kernel as the audit); who reads what each component exposes (so
 * a change re-evaluates only its readers); and each component's incoming calls in the order a
 * sweep from callers to callees adds them (so incremental load sums match a full sweep to the
 * bit). Nothing here changes during the run.
 */
import { condense } from "../graph/scc.js";
import type { Model } from "../model/types.js";
import type { CompState, EdgeState, RecordState } from "./state.js";
import type { Topology } from "./structure.js";

export function buildTopology(
  model: Model,
  index: ReadonlyMap<string, number>,
  comps: readonly CompState[],
  edges: readonly EdgeState[],
  records: readonly RecordState[],
  entries: readonly number[],
): Topology {
  const comp = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`simulate: unknown component '${id}'`);
    return i;
  };
  const n = comps.length;
  const recordIndex = new Map(records.map((r, i) => [r.rec.name, i]));
  const queueIndex = new Map(model.queues.map((q, i) => [q.id, i]));
  const domainParent = new Map(model.domains.map((d) => [d.id, d.parent]));

  // Dependency-first order: SCCs of the component graph over hard, soft, auth and fallback edges.
  const adjacency: number[][] = comps.map(() => []);
  for (const e of edges) {
    const list = adjacency[e.from] as number[];
    // Every component the call can send to: its callee, failover targets and fallback.
    for (const x of e.slots) list.push(x);
    if (e.auth >= 0) list.push(e.auth);
    if (e.fallbackAuth >= 0) list.push(e.fallbackAuth);
    if (e.record >= 0) list.push((records[e.record] as RecordState).server);
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++)
    start[i + 1] = (start[i] as number) + (adjacency[i] as number[]).length;
  const cond = condense(n, start, Int32Array.from(adjacency.flat()));
  const order = cond.order;
  const sccStart = cond.componentStart;
  const sccOf = cond.component;

  const checkers: number[][] = comps.map(() => []);
  const observedBy: number[][] = comps.map(() => []);
  comps.forEach((s, j) => {
    if (s.c.kind !== "health-check") return;
    for (const id of s.c.observes) {
      const i = index.get(id);
      if (i !== undefined) {
        (checkers[i] as number[]).push(j);
        (observedBy[j] as number[]).push(i);
      }
    }
  });

  const sccCount = sccStart.length - 1;
  const latencyOnly = new Uint8Array(sccCount);
  for (let k = 0; k < sccCount; k++) {
    if ((sccStart[k + 1] as number) - (sccStart[k] as number) !== 1) continue;
    const i = order[sccStart[k] as number] as number;
    const s = comps[i] as CompState;
    const calls = [...s.hard, ...s.soft];
    if (
      s.c.concurrency === undefined &&
      calls.every((e) => e.dep.timeout === undefined && e.to !== i)
    )
      latencyOnly[k] = 1;
  }
  const position = new Int32Array(n);
  order.forEach((i, k) => {
    position[i] = k;
  });

  // Who reads what a component exposes: its callers (directly, for their identity, or as
  // their fallback), the callers of a record that may fail over to it, and the components
  // its health checks observe.
  const readers: Set<number>[] = comps.map(() => new Set());
  const recordReaders: number[][] = records.map(() => []);
  const recordsServed: number[][] = comps.map(() => []);
  records.forEach((r, ri) => {
    (recordsServed[r.server] as number[]).push(ri);
  });
  for (const e of edges) {
    for (const x of [...e.slots, e.auth, e.fallbackAuth])
      if (x >= 0) (readers[x] as Set<number>).add(e.from);
    for (const ri of [e.record, e.fallbackRecord]) {
      if (ri < 0) continue;
      (recordReaders[ri] as number[]).push(e.from);
      for (const x of (records[ri] as RecordState).failoverTargets)
        (readers[x] as Set<number>).add(e.from);
    }
  }
  observedBy.forEach((observed, h) => {
    for (const i of observed) (readers[h] as Set<number>).add(i);
  });
  const failoverRecords: number[] = [];
  records.forEach((r, ri) => {
    if (r.rec.failover) failoverRecords.push(ri);
  });

  // Incoming calls, as slots (see EdgeState.slots), in the order a sweep from the last
  // component of `order` to the first adds them: by caller, last first, each caller's hard then
  // soft calls in their order, and each call's slots in order.
  const incomingLists: number[][] = comps.map(() => []);
  const slotCaller: number[] = [];
  const slotEdge: number[] = [];
  for (const e of edges)
    for (let j = 0; j < e.slots.length; j++) {
      slotCaller.push(e.from);
      slotEdge.push(e.index);
    }
  for (let k = n - 1; k >= 0; k--) {
    const s = comps[order[k] as number] as CompState;
    for (const e of [...s.hard, ...s.soft])
      e.slots.forEach((x, j) => {
        (incomingLists[x] as number[]).push(e.slotBase + j);
      });
  }
  const incomingStart = new Int32Array(n + 1);
  const incomingAbove = new Int32Array(n);
  const incoming = new Int32Array(slotCaller.length);
  let at = 0;
  incomingLists.forEach((list, i) => {
    incomingStart[i] = at;
    let above = at;
    for (const x of list) {
      incoming[at++] = x;
      if ((position[slotCaller[x] as number] as number) > (position[i] as number)) above = at;
    }
    incomingAbove[i] = above;
  });
  incomingStart[n] = at;

  const entryOf: number[][] = comps.map(() => []);
  entries.forEach((entry, w) => {
    (entryOf[entry] as number[]).push(w);
  });
  const consumerSlots: { queue: number; k: number }[] = [];
  const intakeOf: number[][] = comps.map(() => []);
  model.queues.forEach((q, queue) => {
    q.consumers.forEach((c, k) => {
      (intakeOf[comp(c.component)] as number[]).push(consumerSlots.length);
      consumerSlots.push({ queue, k });
    });
  });
  const leaseComps: number[] = [];
  const capacityComps: number[] = [];
  comps.forEach((s, i) => {
    if (s.c.leases) leaseComps.push(i);
    if (s.c.capacity !== undefined || s.c.concurrency !== undefined) capacityComps.push(i);
  });
  // What a concurrency-limited component reaches through hard calls: their latencies add up
  // into its own (the targets of a call, its failover targets and its fallback alike).
  const hardTargets: number[][] = comps.map(() => []);
  for (const e of edges)
    if (e.hard) for (const x of e.slots) (hardTargets[e.from] as number[]).push(x);
  const latencyFeedback = new Uint8Array(n);
  const reached = new Uint8Array(n);
  const stack: number[] = [];
  comps.forEach((s, i) => {
    if (s.c.concurrency === undefined) return;
    reached[i] = 1;
    stack.push(i);
  });
  while (stack.length > 0) {
    for (const x of hardTargets[stack.pop() as number] as number[]) {
      latencyFeedback[x] = 1;
      if (reached[x] === 0) {
        reached[x] = 1;
        stack.push(x);
      }
    }
  }

  return {
    index,
    fleetMembers: new Map((model.fleets ?? []).map((f) => [f.id, f.members])),
    recordIndex,
    queueIndex,
    domainParent,
    order,
    sccStart,
    sccOf,
    position,
    checkers,
    checkerList: [...new Set(checkers.flat())].sort((a, b) => a - b),
    observedBy,
    readers: readers.map((x) => [...x]),
    recordReaders,
    recordsServed,
    failoverRecords,
    latencyOnly,
    incoming,
    incomingStart,
    incomingAbove,
    entryOf,
    leaseComps,
    capacityComps,
    latencyFeedback,
    publishers: model.queues.map((q) =>
      model.components.filter((c) => c.publishes.includes(q.id)).map((c) => comp(c.id)),
    ),
    leasePublishers: model.queues.map((q) =>
      model.components.filter((c) => c.leases?.publishes === q.id).map((c) => comp(c.id)),
    ),
    services: model.queues.map((q) => (q.service === undefined ? -1 : comp(q.service))),
    consumers: model.queues.map((q) => q.consumers.map((c) => comp(c.component))),
    intakeOf,
    consumerSlots,
    slotEdge: Int32Array.from(slotEdge),
  };
}
