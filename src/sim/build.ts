/**
 * @module sim/build
 * The initial state of a run (`Sim`) from a model and a scenario: every component running and
 * up, every record answering, every queue empty, the model's and the scenario's actions in one
 * list sorted by id, and the topology and incremental bookkeeping sized to the model.
 */

import type { Component, Dependency, Model, Queue } from "../model/types.js";
import type { DependencyWindow } from "../scenario/apply.js";
import type { Scenario } from "../scenario/types.js";
import { actionSpec } from "./actions.js";
import { retryDelaysOf } from "./calls.js";
import { createContentSim } from "./content.js";
import { NO_SHARED } from "./correlation.js";
import { recordClients } from "./dns.js";
import { EventQueue } from "./event-queue.js";
import { createIncremental } from "./incremental.js";
import { MessageQueue } from "./message-queue.js";
import {
  type CompState,
  DEFAULT_TIMEOUT,
  type EdgeState,
  indexOf,
  type RecordState,
  type Sim,
  type SimOptions,
} from "./state.js";
import { buildTopology } from "./topology.js";

/**
 * `windows`: the versions of dependencies that scenario changes make and stop at a time; a
 * version in use only later is built with the others (the topology knows every call that may
 * be made) but is not made at first.
 */
export function createSim(
  model: Model,
  scenario: Scenario,
  options: SimOptions,
  windows: ReadonlyMap<Dependency, DependencyWindow> = new Map(),
): Sim {
  const index = new Map(model.components.map((c, i) => [c.id, i]));
  const comp = (id: string) => indexOf(index, id);
  const comps = model.components.map(initComponent);
  const records: RecordState[] = model.records.map((r, i) => ({
    index: i,
    rec: r,
    targets: r.targets.map(comp),
    failoverTargets: r.failover?.targets.map(comp) ?? [],
    server: comp(r.server),
    answer: "ok",
    changedAt: 0,
    active: "primary",
    pinned: false,
    clients: recordClients(r),
    onPrimary: 1,
    onFailover: 0,
    primaryFailingSince: undefined,
    dnsWhy: undefined,
  }));
  const edges: EdgeState[] = [];
  let slots = 0;
  for (const d of model.dependencies)
    slots = addEdge(d, (windows.get(d)?.from ?? 0) <= 0, edges, comps, comp, records, slots);
  // Dead-letter queues first, so that each queue can point at its own.
  const byId = new Map<string, MessageQueue>();
  const build = (q: Queue): MessageQueue => {
    const built = byId.get(q.id);
    if (built) return built;
    const dlq = model.queues.find((x) => x.id === q.deadLetter && x.id !== q.id);
    const mq = new MessageQueue(q, dlq ? build(dlq) : undefined);
    byId.set(q.id, mq);
    return mq;
  };
  const queues = model.queues.map(build);
  const workloads = model.workloads.map((w) => ({
    w,
    entry: comp(w.entry),
    offered: 0,
    served: 0,
    failed: 0,
    delayed: 0,
    pool: 0,
    returning: 0,
    returned: 0,
  }));
  const topo = buildTopology(
    model,
    index,
    comps,
    edges,
    records,
    workloads.map((x) => x.entry),
  );
  // The topology has every call; the lists hold the calls made now.
  for (const s of comps) {
    if (s.hard.some((e) => !e.active)) s.hard.splice(0, s.hard.length, ...s.hard.filter(made));
    if (s.soft.some((e) => !e.active)) s.soft.splice(0, s.soft.length, ...s.soft.filter(made));
  }
  const disabled = new Set(scenario.disabledModelActions);
  const actions = [
    ...model.actions
      .filter((a) => !disabled.has(a.id) && a.trigger.on !== "manual")
      .map(actionSpec),
    ...scenario.actions.map(actionSpec),
  ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    model,
    scenario,
    options,
    t: 0,
    comps,
    edges,
    records,
    queues,
    alarms: model.alarms.map((a) => ({
      a,
      monitor: comp(a.monitor),
      target: index.get(a.target) ?? -1,
      queue: topo.queueIndex.get(a.target) ?? -1,
      integral: 0,
      impaired: 0,
      history: [],
      state: "ok",
    })),
    workloads,
    windows: [],
    actions,
    actionDone: new Set(),
    faults: {
      active: new Map(),
      ended: new Set(),
      rollout: new Map(),
      fleetReached: new Map(),
      surge: new Map(),
      partitions: [],
      partitionKey: "partition:",
      domainDown: new Map(),
      domainFault: new Map(),
    },
    content: createContentSim(model.contents ?? [], model.reads ?? [], scenario.faults, index),
    topo,
    inc: createIncremental(
      comps.length,
      topo.sccStart.length - 1,
      edges.length,
      records.length,
      slots,
      topo.consumerSlots.length,
    ),
    events: new EventQueue(),
    timeline: [],
    failovers: [],
    losses: [],
    impaired: new Set(),
    sliding: [],
    admitting: [],
    heldCauses: [],
    heldStates: [],
    everything: true,
    dynamic: true,
    ramping: false,
    pendingCrossing: Number.POSITIVE_INFINITY,
    hasReturns: model.workloads.some((w) => w.returnRate !== undefined),
    returnsMoving: false,
    steps: 0,
    eventCount: 0,
    sampleTimes: [],
    series: { workloads: new Map(), backlog: new Map() },
  };
}

function initComponent(c: Component): CompState {
  return {
    c,
    hard: [],
    soft: [],
    callers: [],
    process: "running",
    processCause: { mechanism: "restart", detail: { what: "started" } },
    restartAt: 0,
    throttle: Number.POSITIVE_INFINITY,
    throttledBy: undefined,
    maxWaitBy: undefined,
    shedBy: undefined,
    shed: 0,
    automationDisabled: false,
    errorRate: 0,
    extraLatency: 0,
    capacityLoss: 0,
    badFraction: 0,
    credentialsExpired: false,
    certificateExpired: false,
    placementUp: 1,
    shardCause: undefined,
    faultCause: undefined,
    capacityCause: undefined,
    overloadTrigger: undefined,
    s: 1,
    shared: NO_SHARED,
    independent: 1,
    downKey: `down:${c.id}`,
    depsOk: 1,
    scaledCapacity: undefined,
    scale: 1,
    warm: 1,
    burst: 1,
    warmSince: undefined,
    restartCause: undefined,
    scaledBy: undefined,
    calling: true,
    degraded: false,
    latency: c.latency ?? 0,
    serviceTime: c.latency ?? 0,
    baseLatency: c.latency ?? 0,
    load: 0,
    capacity: c.capacity ?? Number.POSITIVE_INFINITY,
    state: "up",
    cause: { mechanism: "none", detail: { what: "none" } },
    loggedCause: { mechanism: "none", detail: { what: "none" } },
    causeLoggedAt: Number.NEGATIVE_INFINITY,
    stateBefore: "up",
    stateChangedAt: Number.NEGATIVE_INFINITY,
    failing: undefined,
    unavailableSince: undefined,
    impairedSince: undefined,
    working: 1,
    hasProbes: false,
    queue: 0,
    timeout: DEFAULT_TIMEOUT,
    leases: 1,
    leaseSince: undefined,
    leasesAtSince: 1,
    leaseCause: undefined,
    leaseRate: 0,
    work: undefined,
    workRates: { admit: 0, serve: 0, limit: Number.POSITIVE_INFINITY },
    // A bounded queue (`buffer`) is admission by queue age that nothing lifts.
    maxWait: c.buffer ?? Number.POSITIVE_INFINITY,
    firstImpact: null,
    recoveredAt: null,
    downtime: 0,
    degradedTime: 0,
    worst: 1,
    peakLoad: 0,
    peakLatency: 0,
    wrongRate: 0,
    wrongAnswers: 0,
    wrongSince: undefined,
    failedOver: false,
    failoverDue: undefined,
    healthyLoad: 0,
    abandoned: 0,
    peakWait: 0,
    overloaded: false,
    overloadedSince: Number.NEGATIVE_INFINITY,
    trendQueue: Number.NaN,
    trendNet: Number.NaN,
    slide: undefined,
    slideAfter: Number.NEGATIVE_INFINITY,
    admission: undefined,
    admissionHeld: Number.NEGATIVE_INFINITY,
    scaleStair: 0,
    scaleFrom: 0,
    seriesState: [],
    seriesSuccess: [],
    seriesLoad: [],
    seriesLatency: [],
  };
}

function made(e: EdgeState): boolean {
  return e.active;
}

/** Adds the call d (made from the start or not); returns the number of load slots used so far. */
function addEdge(
  d: Dependency,
  active: boolean,
  edges: EdgeState[],
  comps: CompState[],
  comp: (id: string) => number,
  records: readonly RecordState[],
  slotBase: number,
): number {
  const fallback = d.fallback;
  const recordOf = (name: string | undefined) =>
    name === undefined ? -1 : records.findIndex((r) => r.rec.name === name);
  const record = recordOf(d.via);
  const to = comp(d.to);
  // A call through a record fails over by its record; a call to a primary with a replica, to
  // the replica.
  const replica = comps[to]?.c.replication?.replica;
  const toReplica = record < 0 && replica !== undefined;
  const failovers =
    record >= 0
      ? (records[record] as RecordState).failoverTargets
      : toReplica
        ? [comp(replica)]
        : [];
  const fallbackAt = fallback === undefined ? -1 : comp(fallback.to);
  const slots = [to, ...failovers, ...(fallbackAt >= 0 ? [fallbackAt] : [])];
  const groups = 1 + failovers.length;
  const e: EdgeState = {
    index: edges.length,
    dep: d,
    from: comp(d.from),
    to,
    hard: d.kind === "hard",
    active,
    record,
    toReplica,
    auth: d.auth === undefined ? -1 : comp(d.auth),
    fallback: fallbackAt,
    fallbackRecord: recordOf(fallback?.via),
    fallbackAuth: fallback?.auth === undefined ? -1 : comp(fallback.auth),
    failingSince: undefined,
    refillSince: undefined,
    refillFrom: 1,
    errorSince: undefined,
    retrySince: undefined,
    slots,
    slotBase,
    flow: slots.map((_, j) => (j === 0 ? 1 : 0)),
    groupShare: Array.from({ length: groups }, (_, g) => (g === 0 ? 1 : 0)),
    groupAttempts: Array.from({ length: groups }, () => 1),
    hits: 0,
    fallbackShare: 0,
    reachShare: 1,
    shared: NO_SHARED,
    independent: 1,
    dnsKey: `dns:${d.via ?? ""}:${d.from}`,
    authKey: `auth:${d.auth ?? ""}:${d.from}`,
    retryDelays: retryDelaysOf(d.retry),
    breaker: "closed",
    openedAt: 0,
    success: 1,
    raw: 1,
    attempt: 1,
    cause: undefined,
  };
  edges.push(e);
  const from = comps[e.from] as CompState;
  (e.hard ? from.hard : from.soft).push(e);
  if (e.hard && d.probe === true && from.c.kind === "health-check") from.hasProbes = true;
  const callee = comps[e.to] as CompState;
  callee.callers.push(e);
  // Whatever the call is sent to (callee, failover targets, fallback) serves it within its
  // timeout or not at all.
  if (d.timeout !== undefined)
    for (const x of slots) {
      const target = comps[x] as CompState;
      target.timeout = Math.min(target.timeout, d.timeout);
    }
  return slotBase + slots.length;
}
