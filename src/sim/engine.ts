/**
 * @module sim/engine
 * `simulate(model, scenario)`: the cascade engine. Pure and deterministic — no clock, no file
 * system; the only randomness would come from the seeded source, and the fluid model below
 * needs none, so the seed is recorded but every quantity is an expectation.
 *
 * Time advances from boundary to boundary. Boundaries are the scheduled events (faults
 * starting and ending, operator actions, restarts finishing, rollout waves, alarm
 * evaluations, the sampling grid) and the predicted crossings of the continuous state (a
 * queue reaching its drain point, an overload queue's wait reaching the callers' timeout,
 * the last lease re-established, a breaker's window filling, the next stair of an ageing
 * population). Between boundaries every rate is constant, so backlogs are integrated exactly.
 * A cache, token or lease population ageing along a linear ramp is read as a staircase of
 * FINE_STEPS stairs (`staircase`), each at the ramp's value at its middle: what reads it is
 * evaluated again at its own stairs' edges only, and is the same whenever it is evaluated, so
 * a slow ramp is not stepped at the pace of a fast one elsewhere in the model.
 *
 * At each boundary the state of every component is evaluated in dependency-first order (the
 * strongly connected components of the dependency graph, ascending): its success fraction is
 * the product of its own factors (process running, error faults, leases, overload, throttle,
 * shed load) and the success of each hard dependency as seen through the call's mechanisms
 * (DNS answers cached by clients, tokens from an identity, retries, breaker, fallback,
 * response cache, timeout, partition). Inside a dependency cycle the members are iterated from
 * "up" a bounded number of times: a failure in a cycle needs a cause, so a cycle of running
 * components recovers when what failed it recovers, while a cycle of stopped components
 * cannot cold-start by itself (see `restart`).
 */
import { condense } from "../graph/scc.js";
import type {
  Action,
  Alarm,
  Component,
  Dependency,
  DnsRecord,
  Model,
  Queue,
  Workload,
} from "../model/types.js";
import { applyChanges } from "../scenario/apply.js";
import type {
  AvailabilityExpectation,
  Fault,
  Scenario,
  ScenarioAction,
} from "../scenario/types.js";
import { EventQueue, type ScheduledEvent } from "./event-queue.js";
import { clock, count, fmt, pct, rate, round } from "./format.js";
import {
  attemptsPerCall,
  backoff,
  clamp01,
  retryDelay,
  staircase,
  successWithRetries,
} from "./mechanisms.js";
import { MessageQueue } from "./message-queue.js";
import {
  type Cause,
  type CauseSource,
  type ComponentResult,
  type ComponentState,
  JOURNAL_SCHEMA_VERSION,
  type Journal,
  type QueueResult,
  type TimelineEntry,
  type WorkloadResult,
} from "./types.js";
import { type RunFacts, verdict } from "./verdicts.js";
import { IndexHeap, WakeHeap } from "./worklists.js";

/**
 * A cause as the engine keeps it: its text is written only when the journal needs it (most
 * causes computed at each step are never logged).
 */
interface Why {
  readonly mechanism: string;
  readonly from?: string | undefined;
  readonly fromKind?: CauseSource | undefined;
  readonly text: string | (() => string);
}

/**
 * Why a call fails when its callee fails a share of its requests. The same for every caller
 * while the callee's success stays the same, so it is made once per success value.
 */
function failingWhy(target: {
  readonly s: number;
  readonly c: Component;
  failing: { readonly s: number; readonly why: Why } | undefined;
}): Why {
  const s = target.s;
  const made = target.failing;
  if (made !== undefined && made.s === s) return made.why;
  const why: Why = {
    mechanism: "dependency",
    fromKind: "component",
    from: target.c.id,
    text: () =>
      `${target.c.id} is ${s < DOWN_BELOW ? "down" : "failing"} (${pct(1 - s)} of requests fail)`,
  };
  target.failing = { s, why };
  return why;
}

/** When each retry of a call arrives after its first attempt: fixed by the call's policy. */
function retryDelaysOf(retry: Dependency["retry"]): { min: number; max: number }[] {
  if (!retry) return [];
  const cap = retry.maxBackoff ?? Number.POSITIVE_INFINITY;
  return Array.from({ length: retry.attempts - 1 }, (_, k) =>
    retryDelay(k + 1, retry.backoff, cap, retry.jitter),
  );
}

function textOf(c: Why): string {
  return typeof c.text === "function" ? c.text() : c.text;
}

export interface SimulateOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Samples in the journal's series (a regular grid over the run). */
  readonly samples?: number;
  /**
   * Evaluate every component at every step, instead of only those whose inputs changed or that
   * are changing with time. Slower, same results; tests compare the two.
   */
  readonly exhaustive?: boolean;
}

/** Success below this is "down", below UP_AT "degraded". */
export const DOWN_BELOW = 0.5;
export const UP_AT = 0.99;
/** Callers without a declared timeout give up after this long in a server's queue. */
export const DEFAULT_TIMEOUT = 30;
const EPS = 1e-9;
/** Stairs per ageing ramp (a TTL, a token lifetime…), and the narrowest stair in seconds. */
export const FINE_STEPS = 200;
const MIN_STEP = 0.1;
/** Evaluations again at one instant for memories that moved (see `evaluate`). */
const MEMORY_PASSES = 4;
/**
 * A component that predicted a crossing is evaluated again once the crossing is this close.
 * Far above EPS (the tolerance of the tests at the crossing) and of rounding at a day's scale,
 * so it is never woken late; waking it early costs an evaluation with the same result.
 */
const WAKE_MARGIN = 1e-6;
/** How a component was touched since the last memory update (bit flags). */
const TOUCHED_EVALUATED = 1;
const TOUCHED_LOAD = 2;

type Answer = "ok" | "empty" | "wrong" | "nxdomain" | "servfail";

/** The share of a caller's calls whose credentials are valid, and why the others are not. */
interface AuthFactor {
  readonly f: number;
  readonly cause?: Why;
}
/** Every credential valid (shared: asked for at most calls of most evaluations). */
const AUTH_OK: AuthFactor = { f: 1 };

interface EdgeInfo {
  /** Position in the engine's edge list (indexes its per-edge arrays). */
  readonly index: number;
  readonly dep: Dependency;
  readonly from: number;
  readonly to: number;
  readonly hard: boolean;
  readonly record: number;
  readonly auth: number;
  readonly fallback: number;
  readonly fallbackRecord: number;
  readonly fallbackAuth: number;
  /** Edge success (before its response cache) fell below UP_AT at this time. */
  failingSince: number | undefined;
  /** Breaker: error fraction reached its threshold at this time. */
  errorSince: number | undefined;
  /** Attempts started failing at this time: their retries arrive after their backoff. */
  retrySince: number | undefined;
  /** Attempts per call offered to the callee now (retries whose backoff has passed). */
  perCall: number;
  /** When retry k + 1 arrives after the first attempt (see `retryDelay`); none without retries. */
  readonly retryDelays: readonly { readonly min: number; readonly max: number }[];
  breaker: "closed" | "open";
  openedAt: number;
  /** Last evaluated success as seen by the caller, before its response cache, and per attempt. */
  success: number;
  raw: number;
  attempt: number;
  cause: Why | undefined;
}

interface RecordState {
  /** Position in the engine's record list. */
  readonly index: number;
  readonly rec: DnsRecord;
  readonly targets: readonly number[];
  readonly failoverTargets: readonly number[];
  readonly server: number;
  answer: Answer;
  /** The answer before the last change (what clients may still have cached). */
  previous: Answer;
  changedAt: number;
  /** Fraction of clients with a good answer just before the last change. */
  goodBefore: number;
  /** Which answer set the record serves: primary targets or its failover targets. */
  active: "primary" | "failover";
  switchedAt: number;
  primaryFailingSince: number | undefined;
  cause: Why;
  good: number;
  /** The cause given to callers for the last share of clients without a usable answer. */
  dnsWhy: { readonly good: number; readonly why: Why } | undefined;
}

type Process = "running" | "stopped" | "restarting" | "waiting";
const PROCESS_CODE: Record<Process, number> = { running: 0, stopped: 1, restarting: 2, waiting: 3 };

interface CompState {
  readonly c: Component;
  readonly hard: EdgeInfo[];
  readonly soft: EdgeInfo[];
  readonly callers: EdgeInfo[];
  process: Process;
  processCause: Why;
  restartAt: number;
  /** Admission limits set by actions. */
  throttle: number;
  shed: number;
  /** The actions that set the throttle and the shed fraction. */
  throttledBy: string | undefined;
  shedBy: string | undefined;
  automationDisabled: boolean;
  // Fault-driven factors (recomputed when faults change).
  errorRate: number;
  extraLatency: number;
  capacityLoss: number;
  badFraction: number;
  credentialsExpired: boolean;
  placementUp: number;
  faultCause: Why | undefined;
  // Evaluated.
  s: number;
  depsOk: number;
  degraded: boolean;
  latency: number;
  baseLatency: number;
  load: number;
  capacity: number;
  state: ComponentState;
  cause: Why;
  /** The cause of the last timeline entry written for this component. */
  loggedCause: Why;
  /** Why calls to it fail, at the success it had when that was last asked (see failingWhy). */
  failing: { readonly s: number; readonly why: Why } | undefined;
  unavailableSince: number | undefined;
  impairedSince: number | undefined;
  // Overload queue of requests waiting for capacity.
  queue: number;
  timeout: number;
  // Leases.
  leases: number;
  leaseSince: number | undefined;
  leasesAtSince: number;
  leaseCause: Why | undefined;
  leaseRate: number;
  // Results.
  firstImpact: number | null;
  recoveredAt: number | null;
  downtime: number;
  degradedTime: number;
  worst: number;
  peakLoad: number;
  // Sampled series.
  readonly seriesState: number[];
  readonly seriesSuccess: number[];
  readonly seriesLoad: number[];
}

interface AlarmState {
  readonly a: Alarm;
  readonly monitor: number;
  readonly target: number;
  readonly queue: number;
  integral: number;
  impaired: number;
  last: number;
  history: boolean[];
  firing: boolean;
}

/** A unified operator action: from the model or the scenario. */
interface ActionSpec {
  readonly id: string;
  readonly do: Action["do"];
  readonly target: string;
  readonly delay: number;
  readonly rate?: number;
  readonly fraction?: number;
  readonly at?: number;
  readonly alarm?: string;
}

export function simulate(model: Model, scenario: Scenario, options: SimulateOptions = {}): Journal {
  return new Engine(applyChanges(model, scenario.changes), scenario, options).run();
}

class Engine {
  private readonly comps: CompState[];
  private readonly index = new Map<string, number>();
  private readonly records: RecordState[];
  private readonly recordIndex = new Map<string, number>();
  private readonly queues: MessageQueue[];
  private readonly queueIndex = new Map<string, number>();
  /** Per queue: the components publishing to it, its service (−1 for none) and its consumers. */
  private readonly publishers: number[][];
  /** Per queue: the lease managers publishing a message per lease they re-establish. */
  private readonly leasePublishers: number[][];
  private readonly services: number[];
  private readonly consumers: number[][];
  private readonly alarms: AlarmState[];
  private readonly edges: EdgeInfo[] = [];
  private readonly order: Int32Array;
  private readonly sccStart: Int32Array;
  /** Strongly connected component of each component (cycle members share one). */
  private readonly sccOf: Int32Array;
  /** Per component: the health-check components that observe it. */
  private readonly checkers: number[][];
  private readonly domainParent = new Map<string, string | null>();
  private readonly domainDown = new Map<string, number>();
  /** The fault that took each down domain down (the first by id). */
  private readonly domainFault = new Map<string, string>();
  private readonly activeFaults = new Map<string, Fault>();
  private readonly faultEnded = new Set<string>();
  private readonly rollout = new Map<string, number>();
  private readonly surge = new Map<string, number>();
  private readonly partitions: [string, string][] = [];
  private readonly actions: ActionSpec[];
  private readonly actionDone = new Set<string>();
  private readonly events = new EventQueue();
  private readonly timeline: TimelineEntry[] = [];
  /** Availability expectations' windows, accumulated exactly like the workload totals. */
  private readonly windows: {
    readonly x: AvailabilityExpectation;
    /** Index in `workloads`. */
    readonly workload: number;
    offered: number;
    served: number;
  }[] = [];
  private readonly workloads: {
    readonly w: Workload;
    /** The entry component's index. */
    readonly entry: number;
    offered: number;
    served: number;
    failed: number;
    delayed: number;
  }[];
  private t = 0;
  private steps = 0;
  private eventCount = 0;
  /** Whether the next evaluation must evaluate every component (after a fault or an action). */
  private everything = true;
  /** Per health checker: the components it observes. */
  private readonly observedBy: number[][];
  /** Whether the last evaluation found anything changing continuously (a queue, leases). */
  private dynamic = true;
  private pendingCrossing = Number.POSITIVE_INFINITY;
  private readonly seed: number;
  private readonly sampleTimes: number[] = [];
  private readonly series = {
    workloads: new Map<string, number[]>(),
    backlog: new Map<string, number[]>(),
  };
  /**
   * Evaluate, and compute every per-step quantity, for every component, edge and record at
   * every step: the reference the incremental bookkeeping below is tested against.
   */
  private readonly exhaustive: boolean;

  // --- incremental bookkeeping (unused when exhaustive) ---
  // A step usually changes a small part of a large model. Every input a component reads is
  // mapped back to the components reading it, and when that input changes, only they are
  // evaluated again; the loads, memories, records and states that follow from an evaluation are
  // updated for the evaluated components only.
  /** Per component: the components whose evaluation reads its success, latency or process. */
  private readonly readers: number[][];
  /** Per record: the components calling through it. Per component: the records it serves. */
  private readonly recordReaders: number[][];
  private readonly recordsServed: number[][];
  /** Records with a health-checked failover: they read their targets, so they are always updated. */
  private readonly failoverRecords: number[];
  /** Records whose answer is ageing (updated at every evaluation), and records marked by their server. */
  private activeRecords: number[] = [];
  private readonly markedRecords: number[] = [];
  private readonly recordQueued: Uint8Array;
  /** Strongly connected components to evaluate in the next pass (by id, dependencies first). */
  private readonly pendingSccs: IndexHeap;
  /** Per strongly connected component: marked for a full evaluation, not just its latency. */
  private readonly fullSccs: Uint8Array;
  /**
   * Per strongly connected component: 1 for a single component that reads its callees'
   * latencies only to add them to its own — no timeout on its calls, no concurrency limit
   * turning latency into capacity — so that a callee's latency changing changes its latency
   * only. 0 for a cycle (its members read each other whole).
   */
  private readonly latencyOnly: Uint8Array;
  /** Marked during a pass at or before the one being evaluated: for the next pass. */
  private readonly deferredSccs: number[] = [];
  private evaluatingScc = -1;
  /**
   * Per strongly connected component: the crossing its last evaluation predicted (+∞ for none).
   * A wake-up for another time is stale: the component was evaluated again since.
   */
  private readonly wakeTime: Float64Array;
  /**
   * Strongly connected components whose result is constant until a predicted crossing (a
   * cache's stale period ends, tokens start expiring, a health check detects a flapping
   * checker): evaluated again at that time, and their crossing stays a boundary meanwhile.
   */
  private readonly wakeups = new WakeHeap();
  /** Strongly connected components whose result changes with time: evaluated at every pass. */
  private volatileSccs: number[] = [];
  private nextVolatileSccs: number[] = [];
  /** Set when the evaluation under way reads something ageing along a ramp. */
  private timeDependent = false;
  /** The earliest crossing the evaluation under way predicted. */
  private wakeAt = Number.POSITIVE_INFINITY;
  /** Components evaluated in the current pass. */
  private readonly evaluated: number[] = [];
  /** Strongly connected components evaluated since the last classification. */
  private readonly toClassify: IndexHeap;
  /** Position of each component in `order`. */
  private readonly position: Int32Array;
  /**
   * Loads: each call's contribution to its callee's load (per edge), each component's load
   * before its cycle's members that come after it in `order` add theirs (see computeLoads), and
   * each component's incoming calls in the order a sweep of callers before callees adds them.
   */
  private readonly contribution: Float64Array;
  /** The caller's admitted load and the call's attempt success the contribution was computed from. */
  private readonly offeredFrom: Float64Array;
  private readonly offeredAt: Float64Array;
  private readonly loadBefore: Float64Array;
  private readonly incoming: Int32Array;
  private readonly incomingStart: Int32Array;
  private readonly incomingAbove: Int32Array;
  /** Per component: the workloads entering at it, in workload order. */
  private readonly entryOf: number[][];
  private readonly loadQueue: IndexHeap;
  /** Components whose load changed in the last computeLoads. */
  private readonly loadChanged: number[] = [];
  /**
   * Components evaluated, or whose load changed, since the memories were last updated (once
   * per evaluation, after its first pass: a second pass's changes wait for the next one), and
   * how (TOUCHED_EVALUATED, TOUCHED_LOAD).
   */
  private readonly touched: number[] = [];
  private readonly touchedHow: Uint8Array;
  /** Components with leases; components whose capacity can be finite (they can queue). */
  private readonly leaseComps: number[];
  private readonly capacityComps: number[];
  /** Edges with a breaker that is open or counting errors: they change with time. */
  private activeBreakers: EdgeInfo[] = [];
  private readonly edgeVisited: Int32Array;
  /**
   * Per call: the share of its caller's and callee's placement pairs that no partition
   * separates, while the partitions stay the same (NaN: not computed since they changed).
   */
  private readonly partitionCache: Float64Array;
  private visit = 0;
  /** Components not up (their downtime or degraded time grows). */
  private readonly impaired = new Set<number>();

  constructor(
    private readonly model: Model,
    private readonly scenario: Scenario,
    private readonly options: SimulateOptions,
  ) {
    this.seed = options.seed ?? scenario.seed;
    for (const d of model.domains) this.domainParent.set(d.id, d.parent);
    model.components.forEach((c, i) => {
      this.index.set(c.id, i);
    });
    this.comps = model.components.map((c) => this.initComponent(c));
    this.records = model.records.map((r, i) => {
      this.recordIndex.set(r.name, i);
      return {
        index: i,
        rec: r,
        targets: r.targets.map((id) => this.comp(id)),
        failoverTargets: r.failover?.targets.map((id) => this.comp(id)) ?? [],
        server: this.comp(r.server),
        answer: "ok",
        previous: "ok",
        changedAt: 0,
        goodBefore: 1,
        active: "primary",
        switchedAt: Number.NEGATIVE_INFINITY,
        primaryFailingSince: undefined,
        cause: { mechanism: "dns", text: "serving its answer" },
        good: 1,
        dnsWhy: undefined,
      };
    });
    for (const d of model.dependencies) this.addEdge(d);
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
    this.queues = model.queues.map((q, i) => {
      this.queueIndex.set(q.id, i);
      return build(q);
    });
    this.services = model.queues.map((q) => (q.service === undefined ? -1 : this.comp(q.service)));
    this.consumers = model.queues.map((q) => q.consumers.map((c) => this.comp(c.component)));
    this.leasePublishers = model.queues.map((q) =>
      model.components.filter((c) => c.leases?.publishes === q.id).map((c) => this.comp(c.id)),
    );
    this.publishers = model.queues.map((q) =>
      model.components.filter((c) => c.publishes.includes(q.id)).map((c) => this.comp(c.id)),
    );
    this.alarms = model.alarms.map((a) => ({
      a,
      monitor: this.comp(a.monitor),
      target: this.index.get(a.target) ?? -1,
      queue: this.queueIndex.get(a.target) ?? -1,
      integral: 0,
      impaired: 0,
      last: 0,
      history: [],
      firing: false,
    }));
    this.workloads = model.workloads.map((w) => ({
      w,
      entry: this.comp(w.entry),
      offered: 0,
      served: 0,
      failed: 0,
      delayed: 0,
    }));
    const disabled = new Set(scenario.disabledModelActions);
    this.actions = [
      ...model.actions
        .filter((a) => !disabled.has(a.id) && a.trigger.on !== "manual")
        .map(actionSpec),
      ...scenario.actions.map(actionSpec),
    ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    // Dependency-first order: SCCs of the component graph over hard, soft, auth and fallback edges.
    const n = this.comps.length;
    const adjacency: number[][] = this.comps.map(() => []);
    for (const e of this.edges) {
      const list = adjacency[e.from] as number[];
      list.push(e.to);
      if (e.auth >= 0) list.push(e.auth);
      if (e.fallback >= 0) list.push(e.fallback);
      if (e.record >= 0) list.push((this.records[e.record] as RecordState).server);
    }
    const start = new Int32Array(n + 1);
    for (let i = 0; i < n; i++)
      start[i + 1] = (start[i] as number) + (adjacency[i] as number[]).length;
    const adj = Int32Array.from(adjacency.flat());
    const cond = condense(n, start, adj);
    this.order = cond.order;
    this.sccStart = cond.componentStart;
    this.sccOf = cond.component;
    this.checkers = this.comps.map(() => []);
    this.observedBy = this.comps.map(() => []);
    this.comps.forEach((s, j) => {
      if (s.c.kind !== "health-check") return;
      for (const id of s.c.observes) {
        const i = this.index.get(id);
        if (i !== undefined) {
          (this.checkers[i] as number[]).push(j);
          (this.observedBy[j] as number[]).push(i);
        }
      }
    });

    this.exhaustive = options.exhaustive === true;
    const sccCount = this.sccStart.length - 1;
    this.pendingSccs = new IndexHeap(sccCount);
    this.fullSccs = new Uint8Array(sccCount);
    this.latencyOnly = new Uint8Array(sccCount);
    for (let k = 0; k < sccCount; k++) {
      if ((this.sccStart[k + 1] as number) - (this.sccStart[k] as number) !== 1) continue;
      const i = this.order[this.sccStart[k] as number] as number;
      const s = this.comps[i] as CompState;
      const calls = [...s.hard, ...s.soft];
      if (
        s.c.concurrency === undefined &&
        calls.every((e) => e.dep.timeout === undefined && e.to !== i)
      )
        this.latencyOnly[k] = 1;
    }
    this.toClassify = new IndexHeap(sccCount);
    this.wakeTime = new Float64Array(sccCount).fill(Number.POSITIVE_INFINITY);
    this.position = new Int32Array(n);
    this.order.forEach((i, k) => {
      this.position[i] = k;
    });
    // Who reads what a component exposes: its callers (directly, for their identity, or as
    // their fallback), the callers of a record that may fail over to it, and the components
    // its health checks observe.
    const readers: Set<number>[] = this.comps.map(() => new Set());
    this.recordReaders = this.records.map(() => []);
    this.recordsServed = this.comps.map(() => []);
    this.records.forEach((r, ri) => {
      (this.recordsServed[r.server] as number[]).push(ri);
    });
    for (const e of this.edges) {
      for (const x of [e.to, e.auth, e.fallback, e.fallbackAuth])
        if (x >= 0) (readers[x] as Set<number>).add(e.from);
      for (const ri of [e.record, e.fallbackRecord]) {
        if (ri < 0) continue;
        (this.recordReaders[ri] as number[]).push(e.from);
        for (const x of (this.records[ri] as RecordState).failoverTargets)
          (readers[x] as Set<number>).add(e.from);
      }
    }
    this.observedBy.forEach((observed, h) => {
      for (const i of observed) (readers[h] as Set<number>).add(i);
    });
    this.readers = readers.map((x) => [...x]);
    this.failoverRecords = [];
    this.records.forEach((r, ri) => {
      if (r.rec.failover) this.failoverRecords.push(ri);
    });
    this.recordQueued = new Uint8Array(this.records.length);
    // Incoming calls in the order a sweep from the last component of `order` to the first adds
    // them: by caller, last first, and each caller's hard then soft calls in their order.
    const incoming: number[][] = this.comps.map(() => []);
    for (let k = n - 1; k >= 0; k--) {
      const s = this.comps[this.order[k] as number] as CompState;
      for (const e of s.hard) (incoming[e.to] as number[]).push(e.index);
      for (const e of s.soft) (incoming[e.to] as number[]).push(e.index);
    }
    this.incomingStart = new Int32Array(n + 1);
    this.incomingAbove = new Int32Array(n);
    this.incoming = new Int32Array(this.edges.length);
    let at = 0;
    incoming.forEach((list, i) => {
      this.incomingStart[i] = at;
      let above = at;
      for (const x of list) {
        this.incoming[at++] = x;
        if (
          (this.position[(this.edges[x] as EdgeInfo).from] as number) > (this.position[i] as number)
        )
          above = at;
      }
      this.incomingAbove[i] = above;
    });
    this.incomingStart[n] = at;
    this.contribution = new Float64Array(this.edges.length);
    this.offeredFrom = new Float64Array(this.edges.length).fill(Number.NaN);
    this.offeredAt = new Float64Array(this.edges.length).fill(Number.NaN);
    this.loadBefore = new Float64Array(n);
    this.entryOf = this.comps.map(() => []);
    this.workloads.forEach((x, w) => {
      (this.entryOf[x.entry] as number[]).push(w);
    });
    this.loadQueue = new IndexHeap(n);
    this.leaseComps = [];
    this.capacityComps = [];
    this.comps.forEach((s, i) => {
      if (s.c.leases) this.leaseComps.push(i);
      if (s.c.capacity !== undefined || s.c.concurrency !== undefined) this.capacityComps.push(i);
    });
    this.edgeVisited = new Int32Array(this.edges.length);
    this.touchedHow = new Uint8Array(n);
    this.partitionCache = new Float64Array(this.edges.length).fill(Number.NaN);
  }

  private comp(id: string): number {
    const i = this.index.get(id);
    if (i === undefined) throw new Error(`simulate: unknown component '${id}'`);
    return i;
  }

  private initComponent(c: Component): CompState {
    return {
      c,
      hard: [],
      soft: [],
      callers: [],
      process: "running",
      processCause: { mechanism: "restart", text: "running" },
      restartAt: 0,
      throttle: Number.POSITIVE_INFINITY,
      throttledBy: undefined,
      shedBy: undefined,
      shed: 0,
      automationDisabled: false,
      errorRate: 0,
      extraLatency: 0,
      capacityLoss: 0,
      badFraction: 0,
      credentialsExpired: false,
      placementUp: 1,
      faultCause: undefined,
      s: 1,
      depsOk: 1,
      degraded: false,
      latency: c.latency ?? 0,
      baseLatency: c.latency ?? 0,
      load: 0,
      capacity: c.capacity ?? Number.POSITIVE_INFINITY,
      state: "up",
      cause: { mechanism: "none", text: "up" },
      loggedCause: { mechanism: "none", text: "up" },
      failing: undefined,
      unavailableSince: undefined,
      impairedSince: undefined,
      queue: 0,
      timeout: DEFAULT_TIMEOUT,
      leases: 1,
      leaseSince: undefined,
      leasesAtSince: 1,
      leaseCause: undefined,
      leaseRate: 0,
      firstImpact: null,
      recoveredAt: null,
      downtime: 0,
      degradedTime: 0,
      worst: 1,
      peakLoad: 0,
      seriesState: [],
      seriesSuccess: [],
      seriesLoad: [],
    };
  }

  private addEdge(d: Dependency): void {
    const fallback = d.fallback;
    const e: EdgeInfo = {
      index: this.edges.length,
      dep: d,
      from: this.comp(d.from),
      to: this.comp(d.to),
      hard: d.kind === "hard",
      record: d.via === undefined ? -1 : (this.recordIndex.get(d.via) ?? -1),
      auth: d.auth === undefined ? -1 : this.comp(d.auth),
      fallback: fallback === undefined ? -1 : this.comp(fallback.to),
      fallbackRecord: fallback?.via === undefined ? -1 : (this.recordIndex.get(fallback.via) ?? -1),
      fallbackAuth: fallback?.auth === undefined ? -1 : this.comp(fallback.auth),
      failingSince: undefined,
      errorSince: undefined,
      retrySince: undefined,
      perCall: 1,
      retryDelays: retryDelaysOf(d.retry),
      breaker: "closed",
      openedAt: 0,
      success: 1,
      raw: 1,
      attempt: 1,
      cause: undefined,
    };
    this.edges.push(e);
    const from = this.comps[e.from] as CompState;
    (e.hard ? from.hard : from.soft).push(e);
    const to = this.comps[e.to] as CompState;
    to.callers.push(e);
    if (d.timeout !== undefined) to.timeout = Math.min(to.timeout, d.timeout);
  }

  // --- the run ----------------------------------------------------------------------------------

  run(): Journal {
    const duration = this.scenario.duration;
    const samples = Math.max(2, this.options.samples ?? 721);
    for (let i = 0; i < samples; i++) this.sampleTimes.push((duration * i) / (samples - 1));
    this.scheduleScenario();
    // What happens at time 0 holds from time 0.
    this.runEventsUpTo(0);
    this.evaluate();
    this.sample(0);
    let nextSample = 1;
    while (this.t < duration - EPS) {
      let next = duration;
      const pending = this.nextEventTime();
      if (pending < next) next = pending;
      const sampleAt = this.sampleTimes[nextSample];
      if (sampleAt !== undefined && sampleAt < next) next = sampleAt;
      const crossing = this.nextCrossing();
      if (crossing < next) next = crossing;
      if (next <= this.t + EPS) next = Math.min(duration, this.t + 1e-6);
      const t0 = this.t;
      const before = this.entrySuccess();
      const continuous = this.dynamic;
      const settled = !continuous && crossing > next + EPS;
      this.integrate(t0, next);
      this.t = next;
      const jumped = this.runEventsUpTo(this.t);
      // Nothing changing continuously, no crossing, no event that changes the state: the state
      // at this boundary (a sample, an alarm evaluation) is the one already evaluated.
      if (jumped || !settled) this.evaluate();
      else this.classifyQueues();
      // Requests are integrated over the step with the trapezoid rule when the state evolved
      // continuously during it (a queue, leases coming back), and with the value at its start
      // when it held until an event or a crossing (an ageing population's next stair) at its
      // end — exact for a staircase.
      this.account(t0, next, before, jumped || !continuous ? before : this.entrySuccess());
      this.steps++;
      while (
        nextSample < this.sampleTimes.length &&
        (this.sampleTimes[nextSample] as number) <= this.t + EPS
      ) {
        this.sample(nextSample);
        nextSample++;
      }
    }
    return this.journal();
  }

  private schedule(t: number, key: string, run: () => void, quiet = false): void {
    if (t > this.scenario.duration + EPS) return;
    this.events.push(Math.max(t, this.t), key, run, quiet);
  }

  private nextEventTime(): number {
    return this.events.peekTime();
  }

  /** Runs every event due by t, in agenda order; the state follows each one that changes it. */
  /** Runs every event due by t, in agenda order; true when one of them changed the state. */
  private runEventsUpTo(t: number): boolean {
    let changed = false;
    while (this.events.peekTime() <= t + EPS) {
      const e = this.events.pop() as ScheduledEvent;
      this.eventCount++;
      e.run();
      if (!e.quiet) {
        changed = true;
        this.evaluate();
      }
    }
    return changed;
  }

  private scheduleScenario(): void {
    const faults = [...this.scenario.faults].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    for (const f of faults) {
      this.schedule(f.at, `1-fault-start:${f.id}`, () => this.startFault(f));
      if ("at" in f.end) {
        const end = f.end.at;
        this.schedule(end, `0-fault-end:${f.id}`, () =>
          this.endFault(f, {
            mechanism: "fault",
            from: f.id,
            fromKind: "fault",
            text: () => `fault ${f.id} ended at its scheduled time`,
          }),
        );
      }
    }
    for (const a of this.actions) {
      if (a.at !== undefined) {
        const when = a.at + a.delay;
        this.schedule(when, `2-action:${a.id}`, () =>
          this.applyAction(a, `at ${clock(a.at ?? 0)}`),
        );
      }
    }
    for (const al of this.alarms) this.scheduleAlarm(al, al.a.period);
    // A workload's profile changes its rate, and so the loads, at each point.
    for (const x of this.workloads) {
      for (const p of x.w.profile)
        if (p.at > 0) this.schedule(p.at, `1-profile:${x.w.id}`, () => {});
    }
    for (const x of this.scenario.expectations) {
      if (x.kind !== "availability") continue;
      const workload = this.workloads.findIndex((y) => y.w.id === x.workload);
      if (workload < 0) continue;
      this.windows.push({ x, workload, offered: 0, served: 0 });
      // The window's ends are boundaries, so that it is integrated exactly.
      for (const t of [x.from, x.to]) this.schedule(t, `4-window:${x.workload}`, () => {}, true);
    }
  }

  // --- faults -------------------------------------------------------------------------------------

  private startFault(f: Fault): void {
    if (this.faultEnded.has(f.id)) return;
    this.activeFaults.set(f.id, f);
    const cause: Why = { mechanism: "fault", from: f.id, fromKind: "fault", text: faultText(f) };
    this.log("fault", f.id, "inactive", "active", cause);
    switch (f.kind) {
      case "dns-empty":
      case "dns-wrong":
      case "dns-nxdomain": {
        const r = this.records[this.recordIndex.get(f.target) as number] as RecordState;
        const answer =
          f.kind === "dns-empty" ? "empty" : f.kind === "dns-wrong" ? "wrong" : "nxdomain";
        this.setAnswer(r, answer, cause);
        break;
      }
      case "bad-change": {
        const waves = f.rollout.waves;
        waves.forEach((w, i) => {
          this.schedule(f.at + i * f.rollout.bake, `1-wave:${f.id}:${i}`, () => {
            if (!this.activeFaults.has(f.id)) return;
            this.rollout.set(f.id, w);
            this.log("fault", f.id, `wave ${i}`, `wave ${i + 1}`, {
              mechanism: "rollout",
              from: f.id,
              fromKind: "fault",
              text: () => `change ${f.id} reaches ${pct(w)} of ${f.target}`,
            });
            this.refreshFaults();
          });
        });
        break;
      }
      default:
        break;
    }
    this.refreshFaults();
  }

  private endFault(f: Fault, cause: Why): void {
    if (this.faultEnded.has(f.id)) return;
    this.faultEnded.add(f.id);
    if (!this.activeFaults.delete(f.id)) return;
    this.log("fault", f.id, "active", "ended", cause);
    if (f.kind === "dns-empty" || f.kind === "dns-wrong" || f.kind === "dns-nxdomain") {
      const r = this.records[this.recordIndex.get(f.target) as number] as RecordState;
      this.setAnswer(r, "ok", cause);
    }
    this.rollout.delete(f.id);
    this.refreshFaults({
      mechanism: "fault",
      from: f.id,
      fromKind: "fault",
      text: () => `fault ${f.id} ended`,
    });
  }

  private setAnswer(r: RecordState, answer: Answer, cause: Why): void {
    if (r.answer === answer) return;
    this.everything = true;
    r.goodBefore = this.recordGood(r);
    this.log("record", r.rec.name, r.answer, answer, cause);
    r.previous = r.answer;
    r.answer = answer;
    r.changedAt = this.t;
    r.cause = cause;
    r.dnsWhy = undefined;
  }

  /** Recomputes every fault-driven factor from the active faults. */
  private refreshFaults(ended?: Why): void {
    this.everything = true;
    this.domainDown.clear();
    this.domainFault.clear();
    this.surge.clear();
    this.partitions.length = 0;
    this.partitionCache.fill(Number.NaN);
    for (const s of this.comps) {
      s.errorRate = 0;
      s.extraLatency = 0;
      s.capacityLoss = 0;
      s.badFraction = 0;
      s.credentialsExpired = false;
      s.faultCause = undefined;
    }
    const downComponents = new Map<number, Why>();
    const ids = [...this.activeFaults.keys()].sort();
    for (const id of ids) {
      const f = this.activeFaults.get(id) as Fault;
      const cause: Why = {
        mechanism: "fault",
        from: f.id,
        fromKind: "fault",
        text: faultText(f),
      };
      switch (f.kind) {
        case "down": {
          const ci = this.index.get(f.target);
          if (ci !== undefined) downComponents.set(ci, cause);
          else {
            this.domainDown.set(f.target, (this.domainDown.get(f.target) ?? 0) + 1);
            if (!this.domainFault.has(f.target)) this.domainFault.set(f.target, f.id);
          }
          break;
        }
        case "latency":
          this.fault(f.target, cause).extraLatency += f.latency;
          break;
        case "error-rate": {
          const s = this.fault(f.target, cause);
          s.errorRate = 1 - (1 - s.errorRate) * (1 - f.rate);
          break;
        }
        case "capacity-loss": {
          const s = this.fault(f.target, cause);
          s.capacityLoss = 1 - (1 - s.capacityLoss) * (1 - f.fraction);
          break;
        }
        case "credential-expiry":
          this.fault(f.target, cause).credentialsExpired = true;
          break;
        case "surge":
          this.surge.set(f.target, (this.surge.get(f.target) ?? 1) * f.factor);
          break;
        case "partition":
          this.partitions.push([f.between[0], f.between[1]]);
          break;
        case "bad-change": {
          const frac = this.rollout.get(f.id) ?? 0;
          if (frac <= 0) break;
          const s = this.fault(f.target, cause);
          if (f.effect === "down") s.badFraction = 1 - (1 - s.badFraction) * (1 - frac);
          else s.errorRate = 1 - (1 - s.errorRate) * (1 - frac * f.rate);
          break;
        }
        default:
          break;
      }
    }
    // Processes: stopped by a fault on the component or by losing too many placements.
    this.comps.forEach((s, i) => {
      const placements = s.c.placement.domains;
      let up = 0;
      let lost: string | undefined;
      for (const d of placements) {
        const down = this.downAncestor(d);
        if (down === undefined) up++;
        else lost ??= down;
      }
      s.placementUp = placements.length === 0 ? 1 : up / placements.length;
      const needed =
        s.c.redundancy.mode === "any"
          ? 1
          : s.c.redundancy.mode === "all"
            ? placements.length
            : s.c.redundancy.quorum;
      const direct = downComponents.get(i);
      const placementLost = placements.length > 0 && up < needed;
      if (direct || placementLost) {
        if (s.process !== "stopped") {
          s.process = "stopped";
          s.processCause =
            direct ??
            ({
              mechanism: "placement",
              from: this.domainFault.get(lost ?? ""),
              fromKind: "fault",
              text: () =>
                `${lost} is down and ${s.c.id} has ${up} of ${placements.length} placements left`,
            } satisfies Why);
        }
      } else if (s.process === "stopped") {
        this.beginRestart(i, ended ?? { mechanism: "restart", text: "what stopped it ended" });
      }
    });
  }

  private fault(target: string, cause: Why): CompState {
    const s = this.comps[this.comp(target)] as CompState;
    s.faultCause ??= cause;
    return s;
  }

  private downAncestor(domain: string): string | undefined {
    let cur: string | null | undefined = domain;
    const seen = new Set<string>();
    while (cur !== null && cur !== undefined && !seen.has(cur)) {
      seen.add(cur);
      if ((this.domainDown.get(cur) ?? 0) > 0) return cur;
      cur = this.domainParent.get(cur);
    }
    return undefined;
  }

  private beginRestart(i: number, cause: Why): void {
    const s = this.comps[i] as CompState;
    const restart = s.c.recovery.restart ?? 0;
    const waiting: Why = {
      mechanism: "cold-start",
      text: "waiting for its hard dependencies to cold-start",
    };
    s.restartAt = this.t + restart;
    if (restart === 0) {
      s.process = "waiting";
      s.processCause = waiting;
      return;
    }
    s.process = "restarting";
    s.processCause = {
      mechanism: "restart",
      from: cause.from,
      fromKind: cause.fromKind,
      text: () => `restarting (${fmt(restart)}) after ${textOf(cause)}`,
    };
    this.schedule(this.t + restart, `0-restart:${s.c.id}`, () => {
      if (s.process !== "restarting" || this.t + EPS < s.restartAt) return;
      s.process = "waiting";
      s.processCause = waiting;
      this.markComp(i);
    });
  }

  // --- actions and alarms ---------------------------------------------------------------------------

  private applyAction(a: ActionSpec, why: string, alarm?: string): void {
    if (this.actionDone.has(a.id)) return;
    this.actionDone.add(a.id);
    this.everything = true;
    const detail = [
      a.rate !== undefined ? `at ${rate(a.rate)}` : "",
      a.fraction !== undefined ? `${pct(a.fraction)} shed` : "",
    ].filter(Boolean);
    this.log("action", a.id, "pending", "done", {
      mechanism: "action",
      ...(alarm !== undefined ? { from: alarm, fromKind: "alarm" as const } : {}),
      text: () =>
        `${a.do} ${a.target}${detail.length > 0 ? ` ${detail.join(", ")}` : ""} (triggered ${why})`,
    });
    // What the action changes is explained by the action.
    const cause: Why = {
      mechanism: "action",
      from: a.id,
      fromKind: "action",
      text: () => `action ${a.id} (${a.do})`,
    };
    // Faults ended by this action, in id order (not the order they were written in).
    for (const f of [...this.scenario.faults].sort((x, y) => (x.id < y.id ? -1 : 1))) {
      if ("action" in f.end && f.end.action === a.id) {
        const active = this.activeFaults.get(f.id);
        if (active) this.endFault(active, cause);
        else this.faultEnded.add(f.id);
      }
    }
    const ci = this.index.get(a.target);
    const s = ci === undefined ? undefined : this.comps[ci];
    switch (a.do) {
      case "fix-dns": {
        const ri = this.recordIndex.get(a.target);
        if (ri !== undefined) {
          for (const f of [...this.activeFaults.values()]) {
            if (f.kind.startsWith("dns-") && "target" in f && f.target === a.target)
              this.endFault(f, cause);
          }
          this.setAnswer(this.records[ri] as RecordState, "ok", cause);
        }
        break;
      }
      case "rollback":
        for (const f of [...this.activeFaults.values()]) {
          if (f.kind === "bad-change" && f.target === a.target) this.endFault(f, cause);
        }
        break;
      case "restart":
        if (s && ci !== undefined) {
          if (a.rate !== undefined) {
            s.throttle = a.rate;
            s.throttledBy = a.id;
          }
          if (s.process !== "stopped") this.beginRestart(ci, cause);
          s.queue = 0;
        }
        break;
      case "throttle":
        if (s && a.rate !== undefined) {
          s.throttle = a.rate;
          s.throttledBy = a.id;
        }
        break;
      case "shed-load":
        // `fraction` is the share of the load shed.
        if (s && a.fraction !== undefined) {
          s.shed = a.fraction;
          s.shedBy = a.id;
        }
        break;
      case "disable-automation":
        if (s) s.automationDisabled = true;
        break;
      case "enable-automation":
        if (s) s.automationDisabled = false;
        break;
      case "break-glass":
        if (s && (s.process === "waiting" || s.process === "restarting")) {
          s.process = "running";
          s.processCause = {
            mechanism: "action",
            from: a.id,
            fromKind: "action",
            text: () => `started by break-glass action ${a.id}`,
          };
        }
        break;
      case "failover":
        // Moves the records that answer with the component to their failover targets.
        if (ci !== undefined) {
          for (const r of this.records) {
            if (r.failoverTargets.length > 0 && r.targets.includes(ci))
              this.switchRecord(r, "failover", cause);
          }
        }
        break;
      case "purge-queue":
      case "pause-queue":
      case "resume-queue": {
        const qi = this.queueIndex.get(a.target);
        const q = qi === undefined ? undefined : this.queues[qi];
        if (!q) break;
        if (a.do === "purge-queue") {
          q.purge();
        } else q.paused = a.do === "pause-queue";
        break;
      }
      default:
        break;
    }
    this.refreshFaults();
  }

  /** Alarm evaluations are quiet events, each scheduling the next period's. */
  private scheduleAlarm(al: AlarmState, t: number): void {
    this.schedule(
      t,
      `3-alarm:${al.a.id}`,
      () => {
        this.evaluateAlarm(al);
        this.scheduleAlarm(al, t + al.a.period);
      },
      true,
    );
  }

  private evaluateAlarm(al: AlarmState): void {
    // Close the period's integral (integrate() accumulated it up to now).
    const period = al.a.period;
    const value = al.integral / period;
    const monitored = al.impaired / period < 0.5;
    al.integral = 0;
    al.impaired = 0;
    const breach = monitored && breaches(al.a, value);
    al.history.push(breach);
    if (al.history.length > al.a.evaluationPeriods) al.history.shift();
    const count = al.history.filter(Boolean).length;
    const firing = count >= al.a.datapoints;
    if (firing !== al.firing) {
      al.firing = firing;
      this.log("alarm", al.a.id, firing ? "ok" : "alarm", firing ? "alarm" : "ok", {
        mechanism: "alarm",
        from: al.a.target,
        fromKind: "component",
        text: () =>
          `${al.a.signal} of ${al.a.target} ${firing ? "breached" : "back within"} ${thresholdText(al.a)} for ${count} of ${al.history.length} periods of ${fmt(period)}`,
      });
      if (firing) {
        for (const a of this.actions) {
          if (a.alarm === al.a.id && !this.actionDone.has(a.id)) {
            this.schedule(this.t + a.delay, `2-action:${a.id}`, () =>
              this.applyAction(a, `alarm ${al.a.id} fired at ${clock(this.t - a.delay)}`, al.a.id),
            );
          }
        }
        // Rollouts stop and roll back when their alarm fires.
        for (const f of this.activeFaults.values()) {
          if (f.kind === "bad-change" && f.rollout.rollbackOn === al.a.id) {
            const fault = f;
            this.schedule(this.t + f.rollout.rollbackAfter, `0-rollback:${f.id}`, () =>
              this.endFault(fault, {
                mechanism: "rollout",
                from: al.a.id,
                fromKind: "alarm",
                text: () => `rolled back after alarm ${al.a.id}`,
              }),
            );
            // No further waves: the rollout stops at its current fraction.
            this.events.remove(`1-wave:${f.id}:`);
          }
        }
      }
    }
  }

  // --- evaluation -------------------------------------------------------------------------------

  /**
   * Every component's success, dependencies first; cycles iterated from "up". Incrementally,
   * only the strongly connected components that were marked (an input changed), woken (a
   * crossing they predicted is due) or that change with time are evaluated; the others would
   * be evaluated to the same result.
   */
  private evaluateComponents(t: number): void {
    const volatile = this.volatileSccs;
    this.volatileSccs = this.nextVolatileSccs;
    this.volatileSccs.length = 0;
    this.nextVolatileSccs = volatile;
    this.evaluated.length = 0;
    if (this.exhaustive || this.everything) {
      for (let k = 0; k + 1 < this.sccStart.length; k++) {
        this.evaluatingScc = k;
        this.fullSccs[k] = 0;
        this.evaluateScc(k, t);
      }
      // What was marked for a later component in this pass has been evaluated since.
      this.pendingSccs.clear();
    } else {
      const wakeups = this.wakeups;
      while (wakeups.peekTime() <= t + WAKE_MARGIN) {
        const k = wakeups.peekSubject();
        if (wakeups.peekTime() === this.wakeTime[k]) {
          // Consumed: the evaluation below predicts its next crossing afresh.
          this.wakeTime[k] = Number.POSITIVE_INFINITY;
          this.fullSccs[k] = 1;
          this.pendingSccs.add(k);
        }
        wakeups.pop();
      }
      for (const k of volatile) {
        this.fullSccs[k] = 1;
        this.pendingSccs.add(k);
      }
      for (let k = this.pendingSccs.pop(); k >= 0; k = this.pendingSccs.pop()) {
        this.evaluatingScc = k;
        if (this.fullSccs[k] === 1) {
          this.fullSccs[k] = 0;
          this.evaluateScc(k, t);
        } else this.updateLatency(this.order[this.sccStart[k] as number] as number);
      }
    }
    this.evaluatingScc = -1;
    for (const k of this.deferredSccs) this.pendingSccs.add(k);
    this.deferredSccs.length = 0;
    if (this.exhaustive) return;
    // The crossings predicted by components not evaluated again are still ahead: they stay
    // boundaries, as if those components had been evaluated and had predicted them again.
    const wakeups = this.wakeups;
    while (wakeups.size > 0 && wakeups.peekTime() !== this.wakeTime[wakeups.peekSubject()])
      wakeups.pop();
    if (wakeups.peekTime() < this.pendingCrossing) this.pendingCrossing = wakeups.peekTime();
  }

  /**
   * Evaluates one strongly connected component; marks the readers of what changed, and notes
   * whether the result changes with time or at a predicted crossing.
   */
  private evaluateScc(k: number, t: number): void {
    const order = this.order;
    const from = this.sccStart[k] as number;
    const to = this.sccStart[k + 1] as number;
    this.timeDependent = false;
    this.wakeAt = Number.POSITIVE_INFINITY;
    const before = this.snapshot;
    for (let m = from; m < to; m++) {
      const s = this.comps[order[m] as number] as CompState;
      before.push(s.s, s.latency, s.degraded ? 1 : 0, PROCESS_CODE[s.process]);
    }
    if (to - from === 1) this.evaluateComponent(order[from] as number, t);
    else {
      // Start the cycle from "up" for running members only: a stopped member cannot lift the
      // others, so a cycle of stopped members cannot cold-start by itself.
      for (let m = from; m < to; m++) {
        const member = this.comps[order[m] as number] as CompState;
        member.s = member.process === "running" ? 1 : 0;
      }
      const sweeps = to - from + 1;
      for (let sweep = 0; sweep < sweeps; sweep++) {
        for (let m = from; m < to; m++) this.evaluateComponent(order[m] as number, t);
      }
    }
    let volatile = this.timeDependent;
    for (let m = from; m < to; m++) {
      const i = order[m] as number;
      const s = this.comps[i] as CompState;
      const b = 4 * (m - from);
      if (
        s.s !== before[b] ||
        (s.degraded ? 1 : 0) !== before[b + 2] ||
        PROCESS_CODE[s.process] !== before[b + 3]
      )
        this.exposedChanged(i);
      else if (s.latency !== before[b + 1]) this.latencyChanged(i);
      volatile ||=
        s.queue > 0 ||
        (s.c.leases !== undefined && (s.leases < 1 || s.leaseSince !== undefined)) ||
        s.load > s.throttle ||
        s.load > s.capacity;
      this.evaluated.push(i);
      this.touch(i, TOUCHED_EVALUATED);
    }
    before.length = 0;
    this.toClassify.add(k);
    if (this.exhaustive) return;
    if (volatile) this.volatileSccs.push(k);
    // A component evaluated again for another reason usually predicts the same crossing: its
    // wake-up stands, and the heap does not grow with its evaluations.
    const wake = volatile ? Number.POSITIVE_INFINITY : this.wakeAt;
    if (wake === this.wakeTime[k]) return;
    this.wakeTime[k] = wake;
    if (wake < Number.POSITIVE_INFINITY) this.wakeups.push(wake, k);
  }

  /** Scratch: the exposed values of the members of the component being evaluated. */
  private readonly snapshot: number[] = [];

  /** Notes that component i was evaluated or its load changed, for the next memory update. */
  private touch(i: number, how: number): void {
    if (this.exhaustive) return;
    const was = this.touchedHow[i] as number;
    if (was === 0) this.touched.push(i);
    this.touchedHow[i] = was | how;
  }

  /** What component i exposes changed: whatever reads it is evaluated again. */
  private exposedChanged(i: number): void {
    if (this.exhaustive) return;
    for (const r of this.readers[i] as number[]) this.markComp(r);
    for (const ri of this.recordsServed[i] as number[]) this.markRecord(ri);
  }

  /** Only the latency of component i changed: its callers' latencies follow. */
  private latencyChanged(i: number): void {
    if (this.exhaustive) return;
    for (const e of (this.comps[i] as CompState).callers) this.markLatency(e.from);
  }

  /** Component i must be evaluated again: in this pass if it comes later, else in the next. */
  private markComp(i: number): void {
    if (this.exhaustive) return;
    const k = this.sccOf[i] as number;
    this.fullSccs[k] = 1;
    if (k <= this.evaluatingScc) this.deferredSccs.push(k);
    else this.pendingSccs.add(k);
  }

  /**
   * Only the latency of a callee of component i changed: its latency is computed again, or it
   * is evaluated again if anything else it computes reads that latency.
   */
  private markLatency(i: number): void {
    const k = this.sccOf[i] as number;
    if (this.latencyOnly[k] === 0) this.fullSccs[k] = 1;
    if (k <= this.evaluatingScc) this.deferredSccs.push(k);
    else this.pendingSccs.add(k);
  }

  /** Record ri must be updated again (its server changed). */
  private markRecord(ri: number): void {
    if (this.exhaustive || this.recordQueued[ri] === 1) return;
    this.recordQueued[ri] = 1;
    this.markedRecords.push(ri);
  }

  /** What record ri answers changed: the components calling through it are evaluated again. */
  private recordChanged(ri: number): void {
    for (const r of this.recordReaders[ri] as number[]) this.markComp(r);
  }

  private evaluate(): void {
    const t = this.t;
    this.pendingCrossing = Number.POSITIVE_INFINITY;
    this.dynamic = false;
    this.updateRecords(t);
    this.evaluateComponents(t);
    this.everything = false;
    this.computeLoads(t);
    // A memory that moved is read from this instant: a breaker that opened or closed (its caller
    // fails fast or calls again), a call that started failing (its response cache ages from
    // now), retries that started (they arrive after their backoff from now), an identity that
    // went down (its tokens age from now), a checker impaired. Its readers are evaluated again
    // at once, a bounded number of times (each memory moves once per onset).
    for (let pass = 0; pass < MEMORY_PASSES && this.updateMemories(t); pass++) {
      this.evaluateComponents(t);
      this.computeLoads(t);
    }
    this.updateQueues();
    this.classify(t);
  }

  /**
   * Updates the records: all of them when exhaustive or after a fault or an action; otherwise
   * those whose answer is ageing, those whose server changed and those with a failover.
   * In record order either way, since an update may write to the timeline.
   */
  private updateRecords(t: number): void {
    let list: number[];
    if (this.exhaustive || this.everything) list = this.records.map((_, ri) => ri);
    else {
      list = this.markedRecords;
      for (const ri of this.activeRecords) this.markRecord(ri);
      for (const ri of this.failoverRecords) this.markRecord(ri);
      list.sort((a, b) => a - b);
    }
    const active: number[] = [];
    for (const ri of list) {
      this.timeDependent = false;
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.updateRecord(ri, t);
      // Cached answers ageing, or a failover's detection time running: updated again at the
      // next change (a record's update is cheap; what reads it is marked only on a change).
      if (this.timeDependent || this.wakeAt < Number.POSITIVE_INFINITY) active.push(ri);
      this.recordQueued[ri] = 0;
    }
    this.markedRecords.length = 0;
    this.activeRecords = active;
  }

  private recordGood(r: RecordState): number {
    if (r.answer === "ok") {
      // Clients still holding the bad answer, cached with the TTL of that answer.
      // A wrong answer was cached with the positive TTL, an empty one or NXDOMAIN with the
      // negative TTL; a server failure is not cached.
      const bad = 1 - r.goodBefore;
      const ttl =
        r.previous === "wrong" ? r.rec.ttl : r.previous === "servfail" ? 0 : r.rec.negativeTtl;
      return bad > 0 ? 1 - bad * this.ageing(r.changedAt, ttl, ttl) : 1;
    }
    // Clients still holding the good answer, cached with the positive TTL.
    return r.goodBefore > 0 ? r.goodBefore * this.ageing(r.changedAt, r.rec.ttl, r.rec.ttl) : 0;
  }

  private updateRecord(ri: number, t: number): void {
    const r = this.records[ri] as RecordState;
    // The DNS server failing stops answers; cached answers live on (no negative caching).
    const server = this.comps[r.server] as CompState;
    if (server.s < DOWN_BELOW && r.answer === "ok") {
      this.setAnswer(r, "servfail", {
        mechanism: "dependency",
        fromKind: "component",
        from: server.c.id,
        text: () => `DNS server ${server.c.id} is not answering`,
      });
    } else if (server.s >= DOWN_BELOW && r.answer === "servfail") {
      this.setAnswer(r, "ok", {
        mechanism: "dns",
        fromKind: "component",
        from: server.c.id,
        text: () => `DNS server ${server.c.id} answers again`,
      });
    }
    const good = this.recordGood(r);
    if (good !== r.good) this.recordChanged(ri);
    r.good = good;
    // Health-checked failover: when every primary target has failed for the check's detection time.
    const fo = r.rec.failover;
    if (fo) {
      const primaryDown = r.targets.every((x) => (this.comps[x] as CompState).s < DOWN_BELOW);
      if (primaryDown) r.primaryFailingSince ??= t;
      else r.primaryFailingSince = undefined;
      const detect = fo.healthCheck.interval * fo.healthCheck.threshold;
      // Only an automatic failover switches by itself; otherwise a `failover` action does.
      const auto = fo.healthCheck.autoFailover;
      if (auto && r.primaryFailingSince !== undefined)
        this.crossing(r.primaryFailingSince + detect);
      if (
        auto &&
        r.active === "primary" &&
        primaryDown &&
        t - (r.primaryFailingSince ?? t) >= detect - EPS
      ) {
        this.switchRecord(r, "failover", {
          mechanism: "health-check",
          text: () =>
            `health checks failed ${fo.healthCheck.threshold}× every ${fmt(fo.healthCheck.interval)}`,
        });
      } else if (auto && r.active === "failover" && !primaryDown) {
        this.switchRecord(r, "primary", {
          mechanism: "health-check",
          text: "primary targets healthy again",
        });
      }
    }
  }

  private switchRecord(r: RecordState, to: "primary" | "failover", cause: Why): void {
    if (r.active === to) return;
    this.everything = true;
    this.log("record", r.rec.name, r.active, to, cause);
    r.active = to;
    r.switchedAt = this.t;
    this.recordChanged(r.index);
  }

  /**
   * Reaching `target` through record r: the fraction of clients whose resolver gives a usable
   * answer (`reach`, persistent per client until its cache entry expires) and the success of
   * whatever that answer points at (`target`, the primary or the failover targets).
   */
  private throughRecord(
    r: RecordState,
    target: number,
  ): { reach: number; target: number; cause?: Why } {
    const good = r.good;
    let p: number;
    if (r.failoverTargets.length === 0) p = (this.comps[target] as CompState).s;
    else {
      // Clients move to the new answer as their cached answer expires.
      const moved = 1 - this.ageing(r.switchedAt, r.rec.ttl, r.rec.ttl);
      const onFailover = r.active === "failover" ? moved : 1 - moved;
      const primary = (this.comps[target] as CompState).s;
      const secondary = Math.max(...r.failoverTargets.map((x) => (this.comps[x] as CompState).s));
      p = (1 - onFailover) * primary + onFailover * secondary;
    }
    if (good < 1 - EPS) {
      // One cause per value of the share, shared by every caller (the text is written lazily).
      let made = r.dnsWhy;
      if (made === undefined || made.good !== good) {
        const { answer, changedAt } = r;
        const name = r.rec.name;
        made = {
          good,
          why: {
            mechanism: "dns",
            from: name,
            fromKind: "record",
            text: () =>
              answer === "ok"
                ? `${pct(1 - good)} of clients still hold the failed answer for ${name} (cached since before ${clock(changedAt)})`
                : `${pct(1 - good)} of clients' cached answers for ${name} have expired (${answer} since ${clock(changedAt)})`,
          },
        };
        r.dnsWhy = made;
      }
      return { reach: good, target: p, cause: made.why };
    }
    return { reach: 1, target: p };
  }

  private authFactor(caller: CompState, identity: number): AuthFactor {
    if (caller.credentialsExpired) {
      return {
        f: 0,
        cause: {
          mechanism: "auth",
          from: caller.faultCause?.from,
          fromKind: "fault",
          text: () => `${caller.c.id}'s credentials expired`,
        },
      };
    }
    const id = this.comps[identity] as CompState;
    if (id.s >= DOWN_BELOW) return AUTH_OK;
    const tokens = id.c.tokens;
    if (!tokens) {
      return {
        f: id.s,
        cause: {
          mechanism: "auth",
          from: id.c.id,
          fromKind: "component",
          text: () => `${id.c.id} cannot authenticate calls`,
        },
      };
    }
    // No token expires for refreshBefore; the last one a lifetime after the last refresh.
    const valid = this.ageing(
      id.unavailableSince ?? this.t,
      tokens.ttl,
      tokens.ttl - tokens.refreshBefore,
    );
    const f = Math.max(id.s, valid);
    if (f >= 1 - EPS) return AUTH_OK;
    return {
      f,
      cause: {
        mechanism: "auth",
        from: id.c.id,
        fromKind: "component",
        text: () =>
          `${pct(1 - valid)} of ${caller.c.id}'s tokens from ${id.c.id} expired (no refresh since ${clock(id.unavailableSince ?? this.t)}; lifetime ${fmt(tokens.ttl)})`,
      },
    };
  }

  private partitionFactor(a: Component, b: Component): number {
    if (this.partitions.length === 0) return 1;
    let crossing = 0;
    let total = 0;
    const pa = a.placement.domains;
    const pb = b.placement.domains;
    for (const x of pa) {
      for (const y of pb) {
        total++;
        for (const [p, q] of this.partitions) {
          const ax = this.within(x, p);
          const bx = this.within(y, q);
          const ay = this.within(x, q);
          const by = this.within(y, p);
          if ((ax && bx) || (ay && by)) {
            crossing++;
            break;
          }
        }
      }
    }
    return total === 0 ? 1 : 1 - crossing / total;
  }

  private within(domain: string, ancestor: string): boolean {
    let cur: string | null | undefined = domain;
    const seen = new Set<string>();
    while (cur !== null && cur !== undefined && !seen.has(cur)) {
      if (cur === ancestor) return true;
      seen.add(cur);
      cur = this.domainParent.get(cur);
    }
    return false;
  }

  /**
   * Success of one call as the caller sees it. Persistent factors hold for a given client on
   * every attempt (its resolver's cached answer, its token, a partition), so retries do not
   * help against them; transient ones (the callee failing a share of its requests, timeouts)
   * are retried: success = persistent × (1 − (1 − transient)^attempts).
   */
  private edgeSuccess(e: EdgeInfo, caller: CompState): number {
    const target = this.comps[e.to] as CompState;
    const d = e.dep;
    // Fast path: a plain call to a healthy callee within its timeout.
    if (
      target.s >= 1 &&
      e.record < 0 &&
      e.auth < 0 &&
      e.breaker === "closed" &&
      this.partitions.length === 0 &&
      (d.timeout === undefined || this.calleeLatency(e) <= d.timeout)
    ) {
      e.attempt = 1;
      e.perCall = 1;
      e.raw = 1;
      e.success = 1;
      e.cause = undefined;
      return 1;
    }
    let cause: Why | undefined;
    let lowest = 1;
    const note = (value: number, c: Why | undefined) => {
      if (c && value < lowest - EPS) {
        lowest = value;
        cause = c;
      }
    };
    let persistent = 1;
    let transient: number;
    if (e.record >= 0) {
      const r = this.throughRecord(this.records[e.record] as RecordState, e.to);
      persistent *= r.reach;
      transient = r.target;
      note(r.reach, r.cause);
    } else transient = target.s;
    // A callee in the caller's own cycle is named only when nothing else about the call
    // explains its failure (see evaluateComponent).
    const sameCycle = this.sccOf[e.to] === this.sccOf[e.from] && e.to !== e.from;
    if (!sameCycle && target.s < lowest - EPS) note(target.s, failingWhy(target));
    if (e.auth >= 0) {
      const a = this.authFactor(caller, e.auth);
      persistent *= a.f;
      note(a.f, a.cause);
    }
    let part = this.partitionCache[e.index] as number;
    if (Number.isNaN(part)) {
      part = this.partitionFactor(caller.c, target.c);
      this.partitionCache[e.index] = part;
    }
    if (part < 1) {
      persistent *= part;
      note(part, {
        mechanism: "partition",
        fromKind: "component",
        from: target.c.id,
        text: () => `a network partition separates ${caller.c.id} from ${target.c.id}`,
      });
    }
    const latency = this.calleeLatency(e);
    const timeout = d.timeout;
    if (timeout !== undefined && latency > timeout) {
      transient = 0;
      note(0, {
        mechanism: "timeout",
        fromKind: "component",
        from: target.c.id,
        text: () =>
          `${target.c.id} answers in ${fmt(latency)}, beyond ${caller.c.id}'s timeout of ${fmt(timeout)}`,
      });
    }
    if (sameCycle && (lowest >= UP_AT || target.s < lowest - EPS) && target.s < 1 - EPS) {
      if (lowest >= UP_AT) {
        lowest = target.s;
        cause = failingWhy(target);
      }
    }
    e.attempt = clamp01(persistent * transient);
    e.perCall = d.retry ? this.attemptsOffered(e, d.retry) : 1;
    let success = d.retry
      ? persistent * successWithRetries(transient, d.retry.attempts, d.retry.budget)
      : e.attempt;
    if (e.breaker === "open") {
      success = 0;
      cause = {
        mechanism: "breaker",
        fromKind: "component",
        from: target.c.id,
        text: () => `circuit breaker to ${target.c.id} is open (since ${clock(e.openedAt)})`,
      };
    }
    if (e.fallback >= 0) {
      const fb = this.comps[e.fallback] as CompState;
      let q = fb.s;
      if (e.fallbackRecord >= 0) {
        const r = this.throughRecord(this.records[e.fallbackRecord] as RecordState, e.fallback);
        q = r.reach * r.target;
      }
      if (e.fallbackAuth >= 0) q *= this.authFactor(caller, e.fallbackAuth).f;
      success += (1 - success) * q;
    }
    // Response cache: answers keep serving for a while after the dependency starts failing.
    // (`failingSince` moves only once the evaluation has settled: see updateMemories.)
    e.raw = success;
    if (d.cache && success < 1) {
      // Every hit is served for staleIfError, then the entries run out over their TTL.
      const valid =
        e.failingSince === undefined
          ? 1
          : this.ageing(e.failingSince, d.cache.ttl + d.cache.staleIfError, d.cache.ttl);
      if (valid > 0) {
        // Calls that fail are answered from the cache while its entries last.
        success += (1 - success) * valid;
        if (valid < 1 - EPS && cause) {
          const c: Why = cause;
          const { ttl, staleIfError } = d.cache;
          cause = {
            ...c,
            text: () =>
              `${textOf(c)}; cached answers (${fmt(ttl)}${staleIfError > 0 ? ` + ${fmt(staleIfError)} stale` : ""}) ran out`,
          };
        }
      }
    }
    e.success = success;
    e.cause = success < 1 - EPS ? cause : undefined;
    return success;
  }

  /** The callee's latency as this call sees it (inside a cycle: its own time only). */
  private calleeLatency(e: EdgeInfo): number {
    const target = this.comps[e.to] as CompState;
    return this.sccOf[e.to] === this.sccOf[e.from]
      ? target.baseLatency + target.extraLatency
      : target.latency;
  }

  private evaluateComponent(i: number, t: number): void {
    const s = this.comps[i] as CompState;
    const c = s.c;
    // The cause is the lowest factor; a dependency inside the component's own cycle is named
    // only when nothing outside the cycle explains the failure (members of a cycle would
    // otherwise name each other while what holds them down is elsewhere).
    let cause: Why | undefined;
    let lowest = 1;
    let inCycle: Why | undefined;
    let lowestInCycle = 1;
    const small: { value: number; why: Why }[] = [];
    const factor = (value: number, why: Why | undefined, cyclic = false) => {
      if (why && value < 1 - EPS) small.push({ value, why });
      if (cyclic) {
        if (value < lowestInCycle - EPS && why) {
          lowestInCycle = value;
          inCycle = why;
        }
      } else if (value < lowest - EPS && why) {
        lowest = value;
        cause = why;
      }
      return value;
    };
    // Process.
    if (s.process === "waiting") {
      const blocking =
        c.recovery.coldStart === "standalone"
          ? undefined
          : s.hard
              .flatMap((e) => (e.auth >= 0 ? [e.to, e.auth] : [e.to]))
              .find((x) => (this.comps[x] as CompState).s < DOWN_BELOW);
      if (blocking !== undefined) {
        const id = (this.comps[blocking] as CompState).c.id;
        s.processCause = {
          mechanism: "cold-start",
          from: id,
          fromKind: "component",
          text: () => `waiting for ${id} to cold-start`,
        };
      } else {
        s.process = "running";
        s.processCause = { mechanism: "restart", text: "started" };
      }
    }
    let value = 1;
    if (s.process !== "running") value *= factor(0, s.processCause);
    if (s.errorRate > 0) value *= factor(1 - s.errorRate, s.faultCause);
    if (s.badFraction > 0) value *= factor(1 - s.badFraction, s.faultCause);
    // Hard dependencies.
    let deps = 1;
    // A request holds the component for its own time plus its slowest hard dependency: calls
    // to different dependencies are taken to run concurrently.
    let latency = s.baseLatency + s.extraLatency;
    let slowest = 0;
    for (const e of s.hard) {
      const p = this.edgeSuccess(e, s);
      deps *= p;
      // A call that does not fail is no factor (and needs no cause).
      if (p < 1 - EPS) {
        const why = e.cause ?? {
          mechanism: "dependency",
          fromKind: "component",
          from: (this.comps[e.to] as CompState).c.id,
          text: () => `${(this.comps[e.to] as CompState).c.id} is failing`,
        };
        const cyclic =
          why.mechanism === "dependency" && this.sccOf[e.to] === this.sccOf[i] && e.to !== i;
        factor(p, why, cyclic);
      }
      slowest = Math.max(slowest, this.holdTime(e));
    }
    latency += slowest;
    s.depsOk = deps;
    value *= deps;
    // Leases: a lease manager serves only the hosts whose lease is valid.
    if (c.leases && s.leases < 1 - EPS) {
      value *= factor(s.leases, s.leaseCause);
    }
    // Overload: requests that waited longer than their callers' timeout are wasted work.
    const capacity = this.capacityOf(s, latency);
    s.capacity = capacity;
    const wait = queueWait(s.queue, capacity);
    latency += wait;
    // A queue that is building or draining changes latency, and so callers' timeouts.
    if (s.queue > 0) this.dynamic = true;
    if (wait >= s.timeout - EPS && s.queue > 0) {
      const surge = [...this.activeFaults.values()].find((f) => f.kind === "surge");
      value *= factor(0, {
        mechanism: "overload",
        ...(surge ? { from: surge.id, fromKind: "fault" as const } : {}),
        text: () =>
          `${fmt(wait)} of queued work at ${c.id} (offered ${rate(s.load)} against ${rate(capacity)}): every request times out before it is served`,
      });
    }
    if (s.load > s.throttle) {
      value *= factor(s.throttle / s.load, {
        mechanism: "throttle",
        from: s.throttledBy,
        fromKind: "action",
        text: () => `throttled to ${rate(s.throttle)} while offered ${rate(s.load)}`,
      });
    }
    if (s.shed > 0)
      value *= factor(1 - s.shed, {
        mechanism: "shed",
        from: s.shedBy,
        fromKind: "action",
        text: () => `shedding ${pct(s.shed)} of its load`,
      });
    // Health-check automation failing healthy capacity out.
    for (const h of this.checkers[i] as number[]) {
      const hc = this.comps[h] as CompState;
      const check = c.healthCheck;
      if (!check?.autoFailover || hc.automationDisabled) continue;
      // A checker that half works flaps: its false failures fail healthy capacity out. One that
      // is down stops checking, and the targets keep their last known state (fail static).
      if (hc.impairedSince === undefined || hc.s < DOWN_BELOW) continue;
      if (t - hc.impairedSince < check.interval * check.threshold - EPS) {
        // Detection takes interval × threshold: that moment is a boundary.
        this.crossing(hc.impairedSince + check.interval * check.threshold);
        continue;
      }
      value *= factor(hc.s, {
        mechanism: "health-check",
        fromKind: "component",
        from: hc.c.id,
        text: () =>
          `${hc.c.id} flaps (${pct(1 - hc.s)} of its checks fail) and its automatic failover takes healthy capacity of ${c.id} out of service`,
      });
    }
    s.s = clamp01(value);
    s.latency = latency;
    if (inCycle && (cause === undefined || lowest >= UP_AT)) cause = inCycle;
    if (value < UP_AT && lowest >= UP_AT && lowestInCycle >= UP_AT && small.length > 1) {
      // No single factor explains it: several small failures add up.
      const parts = [...small].sort((a, b) => a.value - b.value);
      const first = parts[0] as { value: number; why: Why };
      cause = {
        ...first.why,
        text: () =>
          `several small failures add up to ${pct(1 - value)}: ${parts
            .map((x) => `${x.why.from ?? x.why.mechanism} ${pct(1 - x.value)}`)
            .join(", ")}`,
      };
    }
    s.cause = cause ?? { mechanism: "none", text: "up" };
    let degraded = false;
    for (const e of s.soft) {
      const p = this.edgeSuccess(e, s);
      if (p < DOWN_BELOW) degraded = true;
    }
    s.degraded = degraded;
  }

  /** Time a call holds the caller: attempts × the callee's latency (capped by the timeout), plus backoff. */
  private holdTime(e: EdgeInfo): number {
    const d = e.dep;
    // Inside a dependency cycle a call costs the callee's own time only: requests do not go
    // round the cycle.
    const latency = this.calleeLatency(e);
    const per = d.timeout === undefined ? latency : Math.min(latency, d.timeout);
    if (!d.retry) return per * d.calls;
    const attempts = attemptsPerCall(e.attempt, d.retry.attempts, d.retry.budget);
    let waits = 0;
    for (let k = 1; k < Math.ceil(attempts); k++) {
      waits += backoff(
        k,
        d.retry.backoff,
        d.retry.maxBackoff ?? Number.POSITIVE_INFINITY,
        d.retry.jitter,
      ).mean;
    }
    return (per * attempts + waits) * d.calls;
  }

  /**
   * Component i's latency, when the only inputs that changed since its evaluation are its
   * callees' latencies and nothing else it computes reads them (see `latencyOnly`): the
   * latency part of evaluateComponent, with the attempts of its calls as evaluated.
   */
  private updateLatency(i: number): void {
    const s = this.comps[i] as CompState;
    let latency = s.baseLatency + s.extraLatency;
    let slowest = 0;
    for (const e of s.hard) slowest = Math.max(slowest, this.holdTime(e));
    latency += slowest;
    const capacity = this.capacityOf(s, latency);
    s.capacity = capacity;
    latency += queueWait(s.queue, capacity);
    if (latency === s.latency) return;
    s.latency = latency;
    this.latencyChanged(i);
  }

  private capacityOf(s: CompState, latency: number): number {
    let capacity =
      (s.c.capacity ?? Number.POSITIVE_INFINITY) * s.placementUp * (1 - s.capacityLoss);
    if (s.c.concurrency !== undefined && latency > 0)
      capacity = Math.min(capacity, s.c.concurrency / latency);
    return capacity;
  }

  /**
   * Offered load of every component: its workloads, then what its callers admit × calls ×
   * attempts, added by a sweep from callers to callees (the reverse of `order`).
   *
   * Incrementally, only the components whose calls may offer something else are swept again:
   * those just evaluated (their attempts, breakers or process), the workloads' entries (their
   * profile) and, from those, the callees whose load changed. Each call's contribution is kept
   * per edge, and a component's load is summed again from its workloads and the contributions
   * of its callers, in the order the full sweep adds them, so the sums are bit for bit the
   * same. Inside a cycle the full sweep lets a member call with the load it had when the sweep
   * reached it, before the members after it in `order` added theirs: that partial sum is kept
   * too (`loadBefore`).
   */
  private computeLoads(t: number): void {
    this.loadChanged.length = 0;
    if (this.exhaustive) {
      this.sweepLoads(t);
      return;
    }
    const n = this.comps.length;
    const queue = this.loadQueue;
    for (const i of this.evaluated) queue.add(n - 1 - (this.position[i] as number));
    for (const x of this.workloads) queue.add(n - 1 - (this.position[x.entry] as number));
    for (let key = queue.pop(); key >= 0; key = queue.pop()) {
      const p = n - 1 - key;
      const i = this.order[p] as number;
      this.sumLoad(i, t);
      const s = this.comps[i] as CompState;
      const admitted =
        Math.min(this.loadBefore[i] as number, s.throttle) *
        (1 - s.shed) *
        (s.process === "running" ? 1 : 0);
      for (let h = 0; h < s.hard.length + s.soft.length; h++) {
        const e = (h < s.hard.length ? s.hard[h] : s.soft[h - s.hard.length]) as EdgeInfo;
        const d = e.dep;
        let offered = 0;
        if (e.breaker !== "open") {
          // Same admitted load and attempts as when last computed: the same contribution.
          if (admitted === this.offeredFrom[e.index] && e.perCall === this.offeredAt[e.index])
            continue;
          this.offeredFrom[e.index] = admitted;
          this.offeredAt[e.index] = e.perCall;
          offered = admitted * d.calls * e.perCall;
        } else this.offeredFrom[e.index] = Number.NaN;
        if (offered === this.contribution[e.index]) continue;
        this.contribution[e.index] = offered;
        // A callee after this component in the sweep is summed when the sweep reaches it. One
        // before it (in the same cycle) was summed already, and this call comes after the
        // partial sum it calls with: only its total changes.
        const q = this.position[e.to] as number;
        if (q < p) queue.add(n - 1 - q);
        else this.sumLoad(e.to, t);
      }
    }
    // Peaks from the final loads only: a cycle's member may be summed again within the sweep.
    for (const i of this.loadChanged) {
      const s = this.comps[i] as CompState;
      if (s.load > s.peakLoad) s.peakLoad = s.load;
    }
  }

  /** Sums component i's load from its workloads and its callers' contributions. */
  private sumLoad(i: number, t: number): void {
    let load = 0;
    for (const w of this.entryOf[i] as number[])
      load += this.workloadRate((this.workloads[w] as (typeof this.workloads)[number]).w, t);
    const above = this.incomingAbove[i] as number;
    const end = this.incomingStart[i + 1] as number;
    let k = this.incomingStart[i] as number;
    for (; k < above; k++) load += this.contribution[this.incoming[k] as number] as number;
    this.loadBefore[i] = load;
    for (; k < end; k++) load += this.contribution[this.incoming[k] as number] as number;
    const s = this.comps[i] as CompState;
    if (load === s.load) return;
    s.load = load;
    this.loadChanged.push(i);
    this.touch(i, TOUCHED_LOAD);
    // Its evaluation reads its load (throttle, overload).
    this.markComp(i);
  }

  /** The full sweep over every component and call (the exhaustive reference). */
  private sweepLoads(t: number): void {
    const previous = this.comps.map((s) => s.load);
    for (const s of this.comps) s.load = 0;
    for (const x of this.workloads) {
      (this.comps[x.entry] as CompState).load += this.workloadRate(x.w, t);
    }
    // Callers before callees: reverse dependency-first order.
    for (let k = this.order.length - 1; k >= 0; k--) {
      const s = this.comps[this.order[k] as number] as CompState;
      const admitted =
        Math.min(s.load, s.throttle) * (1 - s.shed) * (s.process === "running" ? 1 : 0);
      for (let h = 0; h < s.hard.length + s.soft.length; h++) {
        const e = (h < s.hard.length ? s.hard[h] : s.soft[h - s.hard.length]) as EdgeInfo;
        if (e.breaker === "open") continue;
        (this.comps[e.to] as CompState).load += admitted * e.dep.calls * e.perCall;
      }
    }
    this.comps.forEach((s, i) => {
      if (s.load > s.peakLoad) s.peakLoad = s.load;
      if (s.load !== previous[i]) this.loadChanged.push(i);
    });
  }

  workloadRate(w: Workload, t: number): number {
    let r = w.rate;
    for (const p of w.profile) if (p.at <= t + EPS) r = p.rate;
    return r * (this.surge.get(w.id) ?? 1);
  }

  /**
   * Updates the memories that need the time a condition started; true when a breaker moved.
   * Incrementally, a component's memories move only when it was evaluated, and a call's when
   * its caller was evaluated or its load changed (breaker volumes) — or, for a breaker open or
   * counting errors, with time; leases are few and followed at every evaluation.
   */
  private updateMemories(t: number): boolean {
    // Whether a memory that some evaluation reads moved (see `evaluate`).
    let moved = false;
    const all = this.exhaustive;
    const visited = all ? this.comps.map((_, i) => i) : this.touched;
    for (const i of visited) {
      if (!all && ((this.touchedHow[i] as number) & TOUCHED_EVALUATED) === 0) continue;
      const s = this.comps[i] as CompState;
      const unavailable = s.unavailableSince;
      if (s.s < DOWN_BELOW) s.unavailableSince ??= t;
      else s.unavailableSince = undefined;
      // Tokens from an identity age from when it became unavailable; nothing else reads it.
      if (s.unavailableSince !== unavailable && s.c.tokens) {
        this.exposedChanged(i);
        moved = true;
      }
      const impaired = s.impairedSince;
      if (s.s < UP_AT) s.impairedSince ??= t;
      else s.impairedSince = undefined;
      // What a health checker observes reads when it became impaired.
      if (s.impairedSince !== impaired && (this.observedBy[i] as number[]).length > 0) {
        for (const o of this.observedBy[i] as number[]) this.markComp(o);
        moved = true;
      }
    }
    for (const i of this.leaseComps) this.updateLeases(i, t);
    for (const i of this.leaseComps) {
      // Leases come back linearly: the moments they cross the state thresholds are boundaries.
      const s = this.comps[i] as CompState;
      if (s.leaseRate <= 0 || !s.c.leases) continue;
      this.dynamic = true;
      for (const threshold of [DOWN_BELOW, UP_AT]) {
        if (s.leases < threshold)
          this.crossing(t + ((threshold - s.leases) * s.c.leases.count) / s.leaseRate);
      }
    }
    // Calls: every one when exhaustive; else the calls of the evaluated components, the
    // breakers of the components whose load changed, and the breakers open or counting.
    this.visit++;
    const active: EdgeInfo[] = [];
    const update = (e: EdgeInfo) => {
      if (this.edgeVisited[e.index] === this.visit) return;
      this.edgeVisited[e.index] = this.visit;
      // A response cache ages from the moment the call starts failing noticeably.
      const failing = e.failingSince;
      const erring = e.errorSince;
      const retrying = e.retrySince;
      const breaker = e.breaker;
      if (e.raw < UP_AT) e.failingSince ??= t;
      else e.failingSince = undefined;
      // Retries follow failed attempts after their backoff, from when attempts started failing.
      if (e.dep.retry && e.attempt < 1 - EPS) e.retrySince ??= t;
      else e.retrySince = undefined;
      const b = e.dep.breaker;
      if (b) {
        this.updateBreaker(e, b, t);
        if (e.errorSince !== undefined || e.breaker === "open") active.push(e);
      }
      // What the caller's evaluation reads: the breaker, the cache's and the retries' onsets.
      if (
        e.breaker !== breaker ||
        (e.dep.cache && e.failingSince !== failing) ||
        e.retrySince !== retrying
      )
        moved = true;
      if (
        e.failingSince !== failing ||
        e.errorSince !== erring ||
        e.retrySince !== retrying ||
        e.breaker !== breaker
      )
        this.markComp(e.from);
    };
    if (all) for (const e of this.edges) update(e);
    else {
      for (const i of this.touched) {
        const s = this.comps[i] as CompState;
        if (((this.touchedHow[i] as number) & TOUCHED_EVALUATED) !== 0) {
          for (const e of s.hard) update(e);
          for (const e of s.soft) update(e);
        } else {
          for (const e of s.hard) if (e.dep.breaker) update(e);
          for (const e of s.soft) if (e.dep.breaker) update(e);
        }
        this.touchedHow[i] = 0;
      }
      this.touched.length = 0;
      for (const e of this.activeBreakers) update(e);
    }
    this.activeBreakers = active;
    return moved;
  }

  /** A lease manager's leases: lapsing while its dependencies fail, re-established after. */
  private updateLeases(i: number, t: number): void {
    const s = this.comps[i] as CompState;
    const leases = s.c.leases;
    if (!leases) return;
    const since = s.leaseSince;
    const valid = s.leases;
    const cause = s.leaseCause;
    if (s.depsOk < DOWN_BELOW) {
      if (s.leaseSince === undefined) {
        s.leaseSince = t;
        s.leasesAtSince = s.leases;
        const dep = s.hard.find((e) => e.success < DOWN_BELOW);
        s.leaseCause = {
          mechanism: "leases",
          ...(dep
            ? { from: (this.comps[dep.to] as CompState).c.id, fromKind: "component" as const }
            : {}),
          text: () =>
            `leases lapse: renewals fail since ${clock(t)}${dep?.cause ? ` (${textOf(dep.cause)})` : ""}`,
        };
      }
      // The first lease lapses duration − renewEvery after the last renewal.
      const v = this.ageing(s.leaseSince, leases.duration, leases.renewEvery);
      s.leases = s.leasesAtSince * v;
      s.leaseRate = 0;
    } else {
      s.leaseSince = undefined;
      const expired = leases.count * (1 - s.leases);
      const work = leases.establishRate ?? Number.POSITIVE_INFINITY;
      if (expired <= EPS) {
        s.leases = 1;
        s.leaseRate = 0;
      } else if (Number.isFinite(s.throttle)) {
        s.leaseRate = Math.min(s.throttle, work);
        s.leaseCause = {
          mechanism: "leases",
          // Still the dependency whose failure let the leases lapse; the text names the throttle.
          from: s.leaseCause?.from,
          fromKind: s.leaseCause?.fromKind,
          text: () =>
            `re-establishing ${count(expired)} lapsed leases at ${rate(s.leaseRate)} (throttled by ${s.throttledBy ?? "an action"})`,
        };
      } else if (expired / work > leases.duration) {
        s.leaseRate = 0;
        s.leaseCause = {
          mechanism: "congestive-collapse",
          // Still the dependency whose failure let the leases lapse.
          from: s.leaseCause?.from,
          fromKind: s.leaseCause?.fromKind,
          text: () =>
            `re-establishing ${count(expired)} lapsed leases at ${rate(work)} takes ${fmt(expired / work)}, longer than a lease lasts (${fmt(leases.duration)}), so every attempt times out and is queued again`,
        };
      } else {
        s.leaseRate = work;
        s.leaseCause = {
          mechanism: "leases",
          from: s.leaseCause?.from,
          fromKind: s.leaseCause?.fromKind,
          text: () => `re-establishing ${count(expired)} lapsed leases at ${rate(work)}`,
        };
      }
    }
    // Its evaluation reads its leases and why they lapsed.
    if (s.leaseSince !== since || s.leases !== valid || s.leaseCause !== cause) this.markComp(i);
  }

  /** A breaker's window, opening and probes (see docs/simulation.md). */
  private updateBreaker(e: EdgeInfo, b: NonNullable<Dependency["breaker"]>, t: number): void {
    const errors = 1 - e.attempt;
    if (e.breaker === "closed") {
      const caller = this.comps[e.from] as CompState;
      const volume = caller.load * e.dep.calls * b.window;
      if (errors >= b.errorRate - EPS && volume >= b.minRequests) {
        e.errorSince ??= t;
        if (t - e.errorSince >= b.window - EPS) {
          e.breaker = "open";
          e.openedAt = t;
        }
      } else e.errorSince = undefined;
    } else {
      // Half-open probes at openedAt + k·openFor. Between boundaries the callee's health is
      // constant, so only a probe while it looks healthy can close the breaker: that probe
      // becomes a boundary, and the probes that would fail need no step of their own.
      const since = t - e.openedAt;
      const k = Math.floor((since + EPS) / b.openFor);
      const atProbe = k >= 1 && Math.abs(since - k * b.openFor) <= EPS;
      if (errors < b.errorRate - EPS) {
        if (atProbe) {
          e.breaker = "closed";
          e.errorSince = undefined;
        } else this.crossing(e.openedAt + (k + 1) * b.openFor);
      }
    }
  }

  /** Queue rates from the publishers, the queue service and the consumers as evaluated now. */
  private updateQueues(): void {
    this.queues.forEach((q, i) => {
      q.resetRates();
      const service = this.comps[this.services[i] as number];
      const serviceUp = !service || service.s >= DOWN_BELOW;
      let inRate = 0;
      for (const p of this.publishers[i] as number[]) {
        const ps = this.comps[p] as CompState;
        inRate += Math.min(ps.load, ps.throttle) * (1 - ps.shed) * ps.s;
      }
      // A host whose lease is re-established has state to propagate: one message per lease.
      for (const p of this.leasePublishers[i] as number[])
        inRate += (this.comps[p] as CompState).leaseRate;
      if (!serviceUp) {
        q.rejectRate = inRate;
        return;
      }
      q.inRate = inRate;
      if (q.paused) return;
      q.q.consumers.forEach((consumer, k) => {
        const cs = this.comps[(this.consumers[i] as number[])[k] as number] as CompState;
        if (cs.process !== "running") return;
        q.addConsumer(Math.min(consumer.rate, cs.throttle) * cs.placementUp, cs.s);
      });
    });
  }

  /**
   * States and their causes, logged when they change. Only a component evaluated since the
   * last classification can have changed state or cause (all of them when exhaustive).
   */
  private classify(t: number): void {
    // Dependencies first, so that changes at one instant are logged in causal order.
    const sccs = this.toClassify;
    for (let k = sccs.pop(); k >= 0; k = sccs.pop()) {
      const end = this.sccStart[k + 1] as number;
      for (let m = this.sccStart[k] as number; m < end; m++)
        this.classifyComponent(this.order[m] as number, t);
    }
    this.classifyQueues();
  }

  private classifyComponent(i: number, t: number): void {
    const s = this.comps[i] as CompState;
    let state: ComponentState;
    if (s.process === "stopped") state = "down";
    else if (s.process !== "running") state = "recovering";
    else if (s.s < DOWN_BELOW - EPS) state = "down";
    else if (s.s < UP_AT - EPS || s.degraded) state = "degraded";
    else state = "up";
    if (s.s < s.worst) s.worst = s.s;
    const cause: Why =
      state === "up"
        ? { mechanism: "recovered", text: "serving normally again" }
        : s.degraded && s.s >= UP_AT
          ? this.softCause(s)
          : s.process !== "running"
            ? s.processCause
            : s.cause;
    const changed = state !== s.state;
    if (changed) {
      this.log("component", s.c.id, s.state, state, cause);
      if (s.state === "up" && s.firstImpact === null) s.firstImpact = t;
      if (state === "up") s.recoveredAt = t;
      if (state === "up") this.impaired.delete(i);
      else this.impaired.add(i);
      s.state = state;
    } else if (
      state !== "up" &&
      (cause.mechanism !== s.loggedCause.mechanism || cause.from !== s.loggedCause.from)
    ) {
      // Same state, another reason: a component kept down by something new (the lease
      // manager still down after the DNS repair, now because its leases collapsed).
      this.log("component", s.c.id, s.state, state, cause);
    }
    s.loggedCause = cause;
  }

  private classifyQueues(): void {
    for (const q of this.queues) {
      const state = q.backlog > EPS ? "backlogged" : "normal";
      if (state !== q.state) {
        this.log("queue", q.q.id, q.state, state, {
          mechanism: "queue",
          ...this.queueSource(q),
          text:
            state === "backlogged"
              ? q.inRate === 0 && this.deadLetterSources(q).length > 0
                ? `dead letters from ${this.deadLetterSources(q).join(", ")}`
                : `messages arrive at ${rate(q.inRate)} and leave at ${rate(q.outCapacity)}`
              : `backlog drained`,
        });
        q.state = state;
      }
    }
  }

  /** What a queue's backlog comes from: its service down, or a consumer not keeping up. */
  private queueSource(q: MessageQueue): Pick<Why, "from" | "fromKind"> {
    const i = this.queues.indexOf(q);
    const service = this.comps[this.services[i] as number];
    if (service && service.s < DOWN_BELOW) return { from: service.c.id, fromKind: "component" };
    const dead = this.deadLetterSources(q)[0];
    if (q.inRate === 0 && dead !== undefined) return { from: dead, fromKind: "queue" };
    const slow = (this.consumers[i] as number[])
      .map((x) => this.comps[x] as CompState)
      .find((x) => x.state !== "up" || x.process !== "running");
    return slow ? { from: slow.c.id, fromKind: "component" } : {};
  }

  private deadLetterSources(q: MessageQueue): string[] {
    return this.queues.filter((x) => x.deadLetters === q).map((x) => x.q.id);
  }

  private softCause(s: CompState): Why {
    const e = s.soft.find((x) => x.success < DOWN_BELOW);
    const to = e ? (this.comps[e.to] as CompState).c.id : undefined;
    return {
      mechanism: "degraded-mode",
      ...(to ? { from: to, fromKind: "component" as const } : {}),
      text: () =>
        `soft dependency ${to ?? "?"} failing${e?.dep.degradedMode ? `: running in degraded mode ${e.dep.degradedMode}` : ""}`,
    };
  }

  /**
   * The share of a population still valid since it stopped being refreshed at `start` (see
   * `staircase`: FINE_STEPS stairs over the sloped part of the ramp). The next stair's edge is
   * a crossing: what reads the population is evaluated again there, and only there.
   */
  private ageing(start: number, lifetime: number, refreshEvery: number): number {
    const a = staircase(this.t - start, lifetime, refreshEvery, FINE_STEPS, MIN_STEP);
    if (a.next < Number.POSITIVE_INFINITY) this.crossing(start + a.next);
    return a.value;
  }

  /**
   * Attempts per call offered to the callee now: the first, and retry k with probability
   * (1 − p)^k once its backoff has passed since attempts started failing — a step at the
   * backoff's sum without jitter, a ramp over its range with (read as a staircase, like the
   * caches), capped by the retry budget. Long after the onset it is `attemptsPerCall`.
   */
  private attemptsOffered(e: EdgeInfo, retry: NonNullable<Dependency["retry"]>): number {
    const q = 1 - e.attempt;
    // As for `retrySince`: failures below EPS are no failures.
    if (q <= EPS) return 1;
    const start = e.retrySince ?? this.t;
    let retries = 0;
    let weight = 1;
    for (const delay of e.retryDelays) {
      weight *= q;
      // The share of this retry's stream arriving: none before min, all after max.
      retries += weight * (1 - this.ageing(start, delay.max, delay.max - delay.min));
    }
    return 1 + (retry.budget === undefined ? retries : Math.min(retries, retry.budget));
  }

  /**
   * A ramp starts at time t (after a flat stretch): make it a boundary. What is being evaluated
   * stays constant until then, and is evaluated again at that time.
   */
  private crossing(t: number): void {
    if (t > this.t + EPS) {
      if (t < this.pendingCrossing) this.pendingCrossing = t;
      if (t < this.wakeAt) this.wakeAt = t;
    } else this.timeDependent = true;
  }

  /**
   * The earliest predicted crossing of the continuous state after now. Only components with a
   * capacity can queue, only lease managers re-establish leases, and only breakers counting
   * errors fill their window.
   */
  private nextCrossing(): number {
    let best = this.pendingCrossing;
    const t = this.t;
    for (const i of this.capacityComps) {
      const s = this.comps[i] as CompState;
      const admitted = Math.min(s.load, s.throttle) * (1 - s.shed);
      if (Number.isFinite(s.capacity) && s.process === "running") {
        const net = admitted - s.capacity;
        if (net > EPS && s.queue < s.timeout * s.capacity)
          best = Math.min(best, t + (s.timeout * s.capacity - s.queue) / net);
        if (net < -EPS && s.queue > EPS) {
          best = Math.min(best, t + s.queue / -net);
          const limit = s.timeout * s.capacity;
          if (s.queue > limit) best = Math.min(best, t + (s.queue - limit) / -net);
        }
      }
    }
    for (const i of this.leaseComps) {
      const s = this.comps[i] as CompState;
      if (s.leaseRate > 0 && s.c.leases) {
        const expired = s.c.leases.count * (1 - s.leases);
        best = Math.min(best, t + expired / s.leaseRate);
      }
    }
    for (const q of this.queues) best = Math.min(best, q.nextCrossing(t));
    for (const e of this.exhaustive ? this.edges : this.activeBreakers) {
      if (e.dep.breaker && e.breaker === "closed" && e.errorSince !== undefined) {
        best = Math.min(best, e.errorSince + e.dep.breaker.window);
      }
    }
    return best;
  }

  // --- integration between boundaries ------------------------------------------------------------------

  /** Success of each workload's entry, in workload order. */
  private entrySuccess(): number[] {
    return this.workloads.map((x) => (this.comps[x.entry] as CompState).s);
  }

  /** Offered, served and failed requests of each workload (and window) over [t0, t1]. */
  private account(t0: number, t1: number, start: readonly number[], end: readonly number[]): void {
    this.workloads.forEach((x, i) => {
      const entry = this.comps[x.entry] as CompState;
      const s = ((start[i] as number) + (end[i] as number)) / 2;
      const offered = this.workloadRate(x.w, t0) * (t1 - t0);
      const served = offered * s;
      x.offered += offered;
      x.served += served;
      x.failed += offered - served;
      if (entry.latency > Math.max(2 * entry.baseLatency, entry.baseLatency + 1))
        x.delayed += served;
      for (const win of this.windows) {
        if (win.workload !== i) continue;
        const a = Math.max(t0, win.x.from);
        const b = Math.min(t1, win.x.to);
        if (b <= a) continue;
        // The window's ends are boundaries, so a window covers whole steps.
        const part = this.workloadRate(x.w, t0) * (b - a);
        win.offered += part;
        win.served += part * s;
      }
    });
  }

  private integrate(t0: number, t1: number): void {
    const dt = t1 - t0;
    if (dt <= 0) return;
    // Downtime and degraded time grow for the components that are not up.
    for (const i of this.exhaustive ? this.comps.keys() : this.impaired) {
      const s = this.comps[i] as CompState;
      if (s.state === "down" || s.state === "recovering") s.downtime += dt;
      else if (s.state === "degraded") s.degradedTime += dt;
    }
    // Overload queues: a component without a capacity or a concurrency limit never queues.
    for (const i of this.capacityComps) {
      const s = this.comps[i] as CompState;
      if (Number.isFinite(s.capacity) && s.process === "running") {
        const admitted = Math.min(s.load, s.throttle) * (1 - s.shed);
        s.queue = Math.max(0, s.queue + (admitted - s.capacity) * dt);
        if (s.queue < EPS * Math.max(1, s.capacity)) s.queue = 0;
      } else if (s.process !== "running") s.queue = 0;
    }
    for (const i of this.leaseComps) {
      const s = this.comps[i] as CompState;
      if (s.leaseRate > 0 && s.c.leases) {
        s.leases = Math.min(1, s.leases + (s.leaseRate * dt) / s.c.leases.count);
        if (1 - s.leases < EPS) s.leases = 1;
      }
    }
    for (const q of this.queues) q.integrate(t0, t1);
    for (const al of this.alarms) {
      const monitor = this.comps[al.monitor] as CompState;
      if (monitor.s < DOWN_BELOW) al.impaired += dt;
      al.integral += this.alarmSignal(al) * dt;
    }
  }

  private alarmSignal(al: AlarmState): number {
    if (al.queue >= 0) {
      const q = this.queues[al.queue] as MessageQueue;
      return al.a.signal === "backlog" ? q.backlog : 0;
    }
    const s = this.comps[al.target] as CompState;
    switch (al.a.signal) {
      case "error-rate":
        return 1 - s.s;
      case "availability":
        return s.s;
      case "latency":
        return s.latency;
      case "saturation":
        return Number.isFinite(s.capacity) && s.capacity > 0 ? s.load / s.capacity : 0;
      default:
        return 0;
    }
  }

  // --- output -------------------------------------------------------------------------------------------

  private log(
    kind: TimelineEntry["kind"],
    subject: string,
    from: string,
    to: string,
    cause: Why,
  ): void {
    const written: Cause = {
      mechanism: cause.mechanism,
      ...(cause.from !== undefined ? { from: cause.from } : {}),
      ...(cause.from !== undefined && cause.fromKind !== undefined
        ? { fromKind: cause.fromKind }
        : {}),
      text: textOf(cause),
    };
    this.timeline.push({ t: round(this.t, 3), kind, subject, from, to, cause: written });
  }

  private sample(i: number): void {
    const push = (m: Map<string, number[]>, k: string, v: number) => {
      let list = m.get(k);
      if (!list) {
        list = [];
        m.set(k, list);
      }
      list[i] = v;
    };
    for (const s of this.comps) {
      s.seriesState[i] = STATE_CODE[s.state];
      s.seriesSuccess[i] = round(s.s, 6);
      if (s.c.capacity !== undefined) s.seriesLoad[i] = round(s.load, 3);
    }
    for (const x of this.workloads) {
      push(this.series.workloads, x.w.id, round((this.comps[x.entry] as CompState).s, 6));
    }
    for (const q of this.queues) push(this.series.backlog, q.q.id, round(q.backlog, 3));
  }

  private journal(): Journal {
    const components: ComponentResult[] = this.comps.map((s) => ({
      id: s.c.id,
      impacted: s.firstImpact !== null,
      firstImpact: s.firstImpact === null ? null : round(s.firstImpact, 3),
      recoveredAt:
        s.firstImpact !== null && s.state === "up" && s.recoveredAt !== null
          ? round(s.recoveredAt, 3)
          : null,
      downtime: round(s.downtime, 3),
      // Written so that downtime + degradedTime is the rounded total, not a sum of two roundings.
      degradedTime: round(round(s.downtime + s.degradedTime, 3) - round(s.downtime, 3), 3),
      finalState: s.state,
      worstSuccess: round(s.worst, 6),
      peakLoad: round(s.peakLoad, 3),
      capacity: s.c.capacity ?? null,
    }));
    const workloads: WorkloadResult[] = this.workloads.map((x) => {
      const availability = x.offered > 0 ? x.served / x.offered : 1;
      const slo = x.w.slo ?? null;
      return {
        id: x.w.id,
        offered: round(x.offered, 3),
        served: round(x.served, 3),
        // As written, offered = served + failed exactly.
        failed: round(round(x.offered, 3) - round(x.served, 3), 3),
        delayed: round(x.delayed, 3),
        availability: round(availability, 9),
        slo,
        sloBurn: slo === null || slo >= 1 ? null : round((1 - availability) / (1 - slo), 6),
      };
    });
    const queues: QueueResult[] = this.queues.map((q) => q.result());
    const facts: RunFacts = {
      components,
      queues,
      timeline: this.timeline,
      windowAvailability: (x) => {
        const w = this.windows.find((y) => y.x === x);
        return w && w.offered > 0 ? w.served / w.offered : 1;
      },
    };
    const expectations = this.scenario.expectations.map((x) => verdict(x, facts));
    const toRecord = (m: Map<string, number[]>) =>
      Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    return {
      schemaVersion: JOURNAL_SCHEMA_VERSION,
      model: { name: this.model.name, files: this.model.files },
      scenario: {
        name: this.scenario.name,
        file: this.scenario.file,
        duration: this.scenario.duration,
        seed: this.seed,
        startsAt: this.scenario.startsAt ?? null,
      },
      timeline: this.timeline,
      components,
      workloads,
      queues,
      expectations,
      series: {
        times: this.sampleTimes.map((x) => round(x, 3)),
        state: toRecord(new Map(this.comps.map((s) => [s.c.id, s.seriesState]))),
        success: toRecord(new Map(this.comps.map((s) => [s.c.id, s.seriesSuccess]))),
        load: toRecord(
          new Map(
            this.comps.filter((s) => s.c.capacity !== undefined).map((s) => [s.c.id, s.seriesLoad]),
          ),
        ),
        workloads: toRecord(this.series.workloads),
        backlog: toRecord(this.series.backlog),
      },
      stats: { steps: this.steps, events: this.eventCount },
    };
  }
}

const STATE_CODE: Record<ComponentState, number> = { up: 0, degraded: 1, down: 2, recovering: 3 };

/** A model or scenario action as the engine runs it. */
function actionSpec(a: Action | ScenarioAction): ActionSpec {
  return {
    id: a.id,
    do: a.do,
    target: a.target,
    delay: a.delay,
    ...(a.rate !== undefined ? { rate: a.rate } : {}),
    ...(a.fraction !== undefined ? { fraction: a.fraction } : {}),
    ...(a.trigger.on === "time" ? { at: a.trigger.at } : {}),
    ...(a.trigger.on === "alarm" ? { alarm: a.trigger.alarm } : {}),
  };
}

/** Time a request waits in an overload queue of `queue` requests served at `capacity`. */
function queueWait(queue: number, capacity: number): number {
  return Number.isFinite(capacity) && capacity > 0
    ? queue / capacity
    : queue > 0
      ? Number.POSITIVE_INFINITY
      : 0;
}

function thresholdText(a: Alarm): string {
  switch (a.signal) {
    case "error-rate":
    case "availability":
    case "saturation":
      return pct(a.threshold);
    case "latency":
      return fmt(a.threshold);
    default:
      return count(a.threshold);
  }
}

function breaches(a: Alarm, value: number): boolean {
  return a.signal === "availability" ? value < a.threshold : value > a.threshold;
}

function faultText(f: Fault): string {
  switch (f.kind) {
    case "down":
      return `${f.target} down`;
    case "dns-empty":
      return `DNS record ${f.target} emptied`;
    case "dns-wrong":
      return `DNS record ${f.target} points at a wrong target`;
    case "dns-nxdomain":
      return `DNS record ${f.target} removed (NXDOMAIN)`;
    case "latency":
      return `${fmt(f.latency)} added latency on ${f.target}`;
    case "error-rate":
      return `${pct(f.rate)} of ${f.target}'s requests fail`;
    case "capacity-loss":
      return `${f.target} loses ${pct(f.fraction)} of its capacity`;
    case "partition":
      return `network partition between ${f.between[0]} and ${f.between[1]}`;
    case "surge":
      return `traffic on ${f.target} × ${f.factor}`;
    case "credential-expiry":
      return `${f.target}'s credentials expire`;
    case "bad-change":
      return `bad change to ${f.target}`;
    default:
      return "fault";
  }
}
