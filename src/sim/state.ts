/**
 * @module sim/state
 * The explicit state of a run: what every mechanism module reads and updates, in one plain
 * object (`Sim`). Components, calls, DNS records, queues, alarms and workloads are arrays
 * indexed by position (the model's order, which is sorted by id), so hot loops touch typed
 * arrays and indexes rather than maps. The fixed structure derived from the model once — the
 * evaluation order, who reads what — is `Topology` (built by `sim/topology.ts`); the bookkeeping
 * that lets a step evaluate only what changed is `Incremental` (kept by `sim/incremental.ts`).
 * Their types are declared in `sim/structure.ts`, so that those modules import the types they
 * fill and this one imports neither.
 */

import type {
  Action,
  Alarm,
  Component,
  Dependency,
  DnsRecord,
  Model,
  Workload,
} from "../model/types.js";
import type { AvailabilityExpectation, Fault, Scenario } from "../scenario/types.js";
import type { CachedPopulation } from "./cached-population.js";
import type { Answer, Cause, CauseDetail, CauseSource, Mechanism } from "./causes.js";
import type { ContentSim } from "./content.js";
import type { Shared } from "./correlation.js";
import type { EventQueue } from "./event-queue.js";
import { round } from "./format.js";
import type { LeaseWork, WorkRates } from "./lease-work.js";
import type { MessageQueue } from "./message-queue.js";
import type { Incremental, Topology } from "./structure.js";
import type { ComponentState, FailoverRecord, LossRecord, TimelineEntry } from "./types.js";

/** Success below this is "down", below UP_AT "degraded". */
export const DOWN_BELOW = 0.5;
export const UP_AT = 0.99;
/** Callers without a declared timeout give up after this long in a server's queue. */
export const DEFAULT_TIMEOUT = 30;
export const EPS = 1e-9;
/** Stairs per ageing ramp (a TTL, a token lifetime…), and the narrowest stair in seconds. */
export const FINE_STEPS = 200;
export const MIN_STEP = 0.1;

/**
 * A cause as the engine keeps it while running: its particulars are made only when the journal
 * records it (most causes computed at each step never are), and may read the state then.
 */
export interface Why {
  readonly mechanism: Mechanism;
  readonly from?: string | undefined;
  readonly fromKind?: CauseSource | undefined;
  readonly detail: CauseDetail | (() => CauseDetail);
}

/** The cause as the journal records it, its particulars made now. */
export function resolve(why: Why): Cause {
  return {
    mechanism: why.mechanism,
    ...(why.from !== undefined ? { from: why.from } : {}),
    ...(why.from !== undefined && why.fromKind !== undefined ? { fromKind: why.fromKind } : {}),
    detail: typeof why.detail === "function" ? why.detail() : why.detail,
  };
}

export type Process = "running" | "stopped" | "restarting" | "waiting";
export const PROCESS_CODE: Record<Process, number> = {
  running: 0,
  stopped: 1,
  restarting: 2,
  waiting: 3,
};

/** One call from a component to a dependency, with what the engine remembers about it. */
export interface EdgeState {
  /** Position in the engine's edge list (indexes its per-edge arrays). */
  readonly index: number;
  readonly dep: Dependency;
  readonly from: number;
  readonly to: number;
  readonly hard: boolean;
  /**
   * Whether the call is made in this part of the run: a scenario change with `at` stops one
   * version of a dependency and starts another (`changes.ts`). A call not made is in neither
   * of its caller's lists and sends nothing.
   */
  active: boolean;
  readonly record: number;
  /** The callee's replica is the call's second target (its failover, see replicas.ts). */
  readonly toReplica: boolean;
  readonly auth: number;
  readonly fallback: number;
  readonly fallbackRecord: number;
  readonly fallbackAuth: number;
  /** Edge success (before its response cache) fell below UP_AT at this time. */
  failingSince: number | undefined;
  /** Its response cache refills since this time, from this share of its usual answers. */
  refillSince: number | undefined;
  refillFrom: number;
  /** Breaker: error fraction reached its threshold at this time. */
  errorSince: number | undefined;
  /** Attempts started failing at this time: their retries arrive after their backoff. */
  retrySince: number | undefined;
  /**
   * The components this call can send to: its callee, then its record's failover targets, then
   * its fallback; `slotBase` is where they start in the run's per-slot arrays.
   */
  readonly slots: readonly number[];
  readonly slotBase: number;
  /** Per slot: calls (attempts) reaching it now per call made, retries included. */
  readonly flow: number[];
  /** Per target (callee, failover targets): the share of calls reaching it, and its attempts. */
  readonly groupShare: number[];
  readonly groupAttempts: number[];
  /** Share of calls answered by the response cache; share sent to the fallback (of misses). */
  hits: number;
  fallbackShare: number;
  /** Share of calls resolved and authenticated (before partitions). */
  reachShare: number;
  /** The call's shared failures and independent success (see correlation.ts). */
  shared: Shared;
  independent: number;
  /** Keys of the caller's own resolver cache of the call's record and of its credentials. */
  readonly dnsKey: string;
  readonly authKey: string;
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

export interface RecordState {
  /** Position in the engine's record list. */
  readonly index: number;
  readonly rec: DnsRecord;
  readonly targets: readonly number[];
  readonly failoverTargets: readonly number[];
  readonly server: number;
  answer: Answer;
  changedAt: number;
  /** Which answer set the record serves: primary targets or its failover targets. */
  active: "primary" | "failover";
  /** Failed over by hand: the automation does not fail it back (a `failback` action does). */
  pinned: boolean;
  /** Its clients, each holding the answer it last read until its entry expires. */
  readonly clients: CachedPopulation;
  /** Shares of clients holding an answer that names the primary targets, the failover targets. */
  onPrimary: number;
  onFailover: number;
  primaryFailingSince: number | undefined;
  /** The cause given to callers for the last share of clients without a usable answer. */
  dnsWhy: { readonly good: number; readonly why: Why } | undefined;
}

export interface CompState {
  readonly c: Component;
  /** The calls it makes now, hard and soft, each in the order of the model's dependencies. */
  readonly hard: EdgeState[];
  readonly soft: EdgeState[];
  readonly callers: EdgeState[];
  process: Process;
  processCause: Why;
  restartAt: number;
  /** Admission limits set by actions. */
  throttle: number;
  shed: number;
  /** The actions that set the throttle and the shed fraction. */
  throttledBy: string | undefined;
  /** The action that set admission by queue age (`maxWait`). */
  maxWaitBy: string | undefined;
  shedBy: string | undefined;
  /**
   * Set by `scale` actions: the capacity it has with every placement up (instead of the
   * model's), and a factor on its capacity and concurrency.
   */
  scaledCapacity: number | undefined;
  scale: number;
  /**
   * Warming up after a (re)start (`recovery.warmup`): the share of its capacity it has and the
   * multiple of its usual calls it makes, both stairs of a linear ramp; since when, and why it
   * restarted (what an overload while warming up is traced to).
   */
  warm: number;
  burst: number;
  warmSince: number | undefined;
  restartCause: Why | undefined;
  /** The scale action that set them last. */
  scaledBy: string | undefined;
  automationDisabled: boolean;
  // Fault-driven factors (recomputed when faults change).
  errorRate: number;
  extraLatency: number;
  capacityLoss: number;
  badFraction: number;
  credentialsExpired: boolean;
  /** The certificate it serves with expired: no call to it succeeds. */
  certificateExpired: boolean;
  placementUp: number;
  /** For a sharded component missing some shards: why (their requests fail). */
  shardCause: Why | undefined;
  faultCause: Why | undefined;
  /** The capacity-loss fault (the first by id) taking capacity from it. */
  capacityCause: Why | undefined;
  /** What started its overload (a capacity loss, a lost placement, a surge), while it lasts. */
  overloadTrigger: Why | undefined;
  // Evaluated.
  s: number;
  /** Its success as shared failures and an independent part (see correlation.ts). */
  shared: Shared;
  independent: number;
  /** The key of its own failure when it serves nothing. */
  readonly downKey: string;
  depsOk: number;
  /** Whether its calls are being made (it ran at its last evaluation); see `notRunning`. */
  calling: boolean;
  degraded: boolean;
  latency: number;
  /** Its latency without its overload queue's wait: the time a request takes once it starts. */
  serviceTime: number;
  baseLatency: number;
  load: number;
  capacity: number;
  state: ComponentState;
  cause: Why;
  /** The cause of the last timeline entry written for this component, and when it was written. */
  loggedCause: Why;
  causeLoggedAt: number;
  /** The state it was in before its last change of state, and when that change was logged. */
  stateBefore: ComponentState;
  stateChangedAt: number;
  /** Why calls to it fail, at the success it had when that was last asked (see failingWhy). */
  failing: { readonly s: number; readonly why: Why } | undefined;
  unavailableSince: number | undefined;
  impairedSince: number | undefined;
  /**
   * Its success leaving aside the requests that fail on state still queued (`needsFresh`): what
   * it could serve with its state fresh. Equal to `s` for a component that needs none.
   */
  working: number;
  /**
   * A health checker with hard dependencies marked `probe`: its checks go through them, so
   * `working` leaves them out (it is running and wrong, not down, while they fail).
   */
  hasProbes: boolean;
  // Overload queue of requests waiting for capacity.
  queue: number;
  timeout: number;
  // Leases.
  leases: number;
  leaseSince: number | undefined;
  leasesAtSince: number;
  leaseCause: Why | undefined;
  leaseRate: number;
  /** A lease manager's re-establishment work, and its rates until the next evaluation. */
  work: LeaseWork | undefined;
  workRates: WorkRates;
  /**
   * Admission by queue age (a throttle's `maxWait`): work is admitted only while it would wait
   * less than this; unbounded by default.
   */
  maxWait: number;
  // Results.
  firstImpact: number | null;
  recoveredAt: number | null;
  downtime: number;
  degradedTime: number;
  worst: number;
  peakLoad: number;
  /** The highest latency of the requests it served (its own time, dependencies and queue). */
  peakLatency: number;
  /** Share of the requests it serves that it answers wrongly (a bad version of content). */
  wrongRate: number;
  /** Requests answered wrongly so far, and since when it has answered any wrongly. */
  wrongAnswers: number;
  wrongSince: number | undefined;
  /** A primary with a replica: its callers are sent to the replica (see replicas.ts). */
  failedOver: boolean;
  /** When an automatic failover is due, while one is on the agenda. */
  failoverDue: number | undefined;
  /** Its offered load the last time it was up: what its replica's lag puts at risk. */
  healthyLoad: number;
  /** Attempts that waited in its overload queue past their callers' timeout. */
  abandoned: number;
  /** The longest wait in its overload queue. */
  peakWait: number;
  /** Whether its queued work outwaits its callers, and since when (see `overloaded`). */
  overloaded: boolean;
  overloadedSince: number;
  /**
   * Its overload queue and the queue's net rate (admitted − capacity) when the last step was
   * planned (NaN before any): with the present ones, the secant that predicts where a queue
   * whose arrivals depend on its wait settles (see `settleCrossing`).
   */
  trendQueue: number;
  trendNet: number;
  /** Held at its callers' timeout, the share of arrivals that outwait them (see sliding.ts). */
  slide: Slide | undefined;
  /** It may start to slide again from this time (after a search that found no share). */
  slideAfter: number;
  /**
   * Held at its admission threshold (`maxWait`), the share of what it is offered that it
   * refuses, and the search for it (see admission.ts).
   */
  admission: Slide | undefined;
  /** The refused share found on the draining side of a jump is held until this time. */
  admissionHeld: number;
  /** While a `scale` ramps its capacity, the length of the ramp's stairs (else 0), from when. */
  scaleStair: number;
  scaleFrom: number;
  // Sampled series.
  readonly seriesState: number[];
  readonly seriesSuccess: number[];
  readonly seriesLoad: number[];
  readonly seriesLatency: number[];
}

/** A queue held at its callers' timeout, and the search for its share (see sliding.ts). */
export interface Slide {
  /** The share of arrivals that outwait the callers. */
  share: number;
  /**
   * The search at this instant: a share with which the queue grows and one with which it
   * drains (NaN: none yet), with their net rates (Illinois: halved when kept twice).
   */
  grow: number;
  growNet: number;
  drain: number;
  drainNet: number;
  /** The end replaced last: 1 the growing one, −1 the draining one, 0 none. */
  kept: number;
  iterations: number;
  /** The net rate's slope against the share, from the last search (NaN: none). */
  slope: number;
}

export interface AlarmState {
  readonly a: Alarm;
  readonly monitor: number;
  readonly target: number;
  readonly queue: number;
  integral: number;
  impaired: number;
  /** Per period of the evaluation window: breaching, not breaching, or no datapoint (null). */
  history: (boolean | null)[];
  state: "ok" | "alarm" | "insufficient-data";
}

/** A unified operator action: from the model or the scenario. */
export interface ActionSpec {
  readonly id: string;
  readonly do: Action["do"];
  readonly target: string;
  readonly delay: number;
  readonly rate?: number;
  readonly fraction?: number;
  readonly capacity?: number;
  readonly factor?: number;
  readonly to?: number;
  readonly over?: number;
  readonly maxWait?: number;
  readonly condition?: Action["condition"];
  readonly at?: number;
  readonly alarm?: string;
}

export interface WorkloadState {
  readonly w: Workload;
  /** The entry component's index. */
  readonly entry: number;
  offered: number;
  served: number;
  failed: number;
  delayed: number;
  /** Failed requests whose users will try again (`returnRate`), not yet back. */
  pool: number;
  /** The rate at which they come back, held over a step: pool / returnAfter at its start. */
  returning: number;
  /** Requests that came back, in total (part of `offered`). */
  returned: number;
}

/** An availability expectation's window, accumulated exactly like the workload totals. */
export interface WindowState {
  readonly x: AvailabilityExpectation;
  /** Index in `workloads`. */
  readonly workload: number;
  offered: number;
  served: number;
}

/** What the active faults impose, recomputed whenever a fault starts, ends or moves. */
export interface FaultState {
  readonly active: Map<string, Fault>;
  readonly ended: Set<string>;
  /** The fleet share each bad change's rollout has reached. */
  readonly rollout: Map<string, number>;
  /** For a bad change going through a staged fleet: the members its stages have reached. */
  readonly fleetReached: Map<string, Set<string>>;
  /** Rate multipliers per workload. */
  readonly surge: Map<string, number>;
  /** The active partitions, by fault id. */
  readonly partitions: { readonly id: string; readonly between: readonly [string, string] }[];
  /** The key of the calls the active partitions cut (see correlation.ts). */
  partitionKey: string;
  /** Down failure domains (how many faults hold each down) and the first fault by id. */
  readonly domainDown: Map<string, number>;
  readonly domainFault: Map<string, string>;
}

export interface SimOptions {
  /** Samples in the journal's series (a regular grid over the run). */
  readonly samples: number;
  /** Evaluate everything at every step (the reference the incremental mode is tested against). */
  readonly exhaustive: boolean;
}

/** The whole state of a run. */
export interface Sim {
  readonly model: Model;
  readonly scenario: Scenario;
  readonly options: SimOptions;
  /** Simulated time, in seconds from the start. */
  t: number;
  readonly comps: CompState[];
  readonly edges: EdgeState[];
  readonly records: RecordState[];
  readonly queues: MessageQueue[];
  readonly alarms: AlarmState[];
  readonly workloads: WorkloadState[];
  readonly windows: WindowState[];
  readonly actions: ActionSpec[];
  readonly actionDone: Set<string>;
  readonly faults: FaultState;
  /** Served content going out to its readers (see content.ts). */
  readonly content: ContentSim;
  readonly topo: Topology;
  readonly inc: Incremental;
  readonly events: EventQueue;
  readonly timeline: TimelineEntry[];
  /** Primaries failed over to their replicas, in order (see replicas.ts). */
  readonly failovers: FailoverRecord[];
  /** State lost by components (data-loss faults), in order (see replicas.ts). */
  readonly losses: LossRecord[];
  /** Components not up (their downtime or degraded time grows). */
  readonly impaired: Set<number>;
  /** Components whose queue is held at their callers' timeout, by index (see sliding.ts). */
  readonly sliding: number[];
  /** Components whose queue is held at their admission threshold, by index (admission.ts). */
  readonly admitting: number[];
  /** Components whose new reason waits for CAUSE_DWELL before it is logged (classify.ts). */
  readonly heldCauses: number[];
  /** Components whose return to their previous state waits for CAUSE_DWELL (classify.ts). */
  readonly heldStates: number[];
  /** Whether the next evaluation must evaluate every component (after a fault or an action). */
  everything: boolean;
  /** Whether the last evaluation found anything changing continuously (a queue, leases). */
  dynamic: boolean;
  /**
   * Whether success itself changes continuously (leases coming back). A queue changes only
   * latencies continuously: success moves at its crossings, all at once.
   */
  ramping: boolean;
  pendingCrossing: number;
  /** Some workload's users come back (`returnRate`), and some pool is still moving. */
  readonly hasReturns: boolean;
  returnsMoving: boolean;
  steps: number;
  eventCount: number;
  readonly sampleTimes: number[];
  readonly series: {
    readonly workloads: Map<string, number[]>;
    readonly backlog: Map<string, number[]>;
  };
}

/** Component i's state (indexes are always in range: they come from the topology). */
export function comp(sim: Sim, i: number): CompState {
  return sim.comps[i] as CompState;
}

/** Appends a timeline entry, its cause made now. */
export function log(
  sim: Sim,
  kind: TimelineEntry["kind"],
  subject: string,
  from: string,
  to: string,
  cause: Why,
): void {
  sim.timeline.push({ t: round(sim.t, 3), kind, subject, from, to, cause: resolve(cause) });
}

/** The model's component at `id`'s position; throws for an id the loader let through. */
export function indexOf(index: ReadonlyMap<string, number>, id: string): number {
  const i = index.get(id);
  if (i === undefined) throw new Error(`simulate: unknown component '${id}'`);
  return i;
}

export type { Component, Workload };
