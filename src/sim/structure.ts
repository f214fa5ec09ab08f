/**
 * @module sim/structure
 * The types of a run's fixed structure, derived once from the model (`Topology`, built by
 * `sim/topology.ts`), and of the bookkeeping that lets a step evaluate only what changed
 * (`Incremental`, kept by `sim/incremental.ts`). Types only: `sim/state.ts` holds them in `Sim`
 * without importing the modules that build them.
 */
import type { Shared } from "./correlation.js";
import type { EdgeState } from "./state.js";
import type { IndexHeap, WakeHeap } from "./worklists.js";

/** The fixed structure of a run, derived once from the model (see `buildTopology`). */
export interface Topology {
  readonly index: ReadonlyMap<string, number>;
  /** Each fleet's members (a bad change aimed at a fleet reaches all of them). */
  readonly fleetMembers: ReadonlyMap<string, readonly string[]>;
  readonly recordIndex: ReadonlyMap<string, number>;
  readonly queueIndex: ReadonlyMap<string, number>;
  readonly domainParent: ReadonlyMap<string, string | null>;
  /** Components in dependency-first order, grouped by strongly connected component. */
  readonly order: Int32Array;
  readonly sccStart: Int32Array;
  /** Strongly connected component of each component (cycle members share one). */
  readonly sccOf: Int32Array;
  /** Position of each component in `order`. */
  readonly position: Int32Array;
  /** Per component: the health-check components that observe it; per checker, what it observes. */
  readonly checkers: readonly (readonly number[])[];
  /** Every component that is some component's checker, in index order. */
  readonly checkerList: readonly number[];
  readonly observedBy: readonly (readonly number[])[];
  /** Per component: the components whose evaluation reads its success, latency or process. */
  readonly readers: readonly (readonly number[])[];
  /** Per record: the components calling through it. Per component: the records it serves. */
  readonly recordReaders: readonly (readonly number[])[];
  readonly recordsServed: readonly (readonly number[])[];
  /** Records with a health-checked failover: they read their targets, so they are always updated. */
  readonly failoverRecords: readonly number[];
  /**
   * Per strongly connected component: 1 for a single component that reads its callees'
   * latencies only to add them to its own — no timeout on its calls, no concurrency limit
   * turning latency into capacity — so that a callee's latency changing changes its latency
   * only. 0 for a cycle (its members read each other whole).
   */
  readonly latencyOnly: Uint8Array;
  /** Per call slot: its call (edge index). */
  readonly slotEdge: Int32Array;
  /** Incoming call slots per component, in the order a sweep of callers before callees adds them. */
  readonly incoming: Int32Array;
  readonly incomingStart: Int32Array;
  /** Where the calls from callers later in `order` (inside a cycle) end in `incoming`. */
  readonly incomingAbove: Int32Array;
  /** Per component: the workloads entering at it, in workload order. */
  readonly entryOf: readonly (readonly number[])[];
  /** Components with leases; components whose capacity can be finite (they can queue). */
  readonly leaseComps: readonly number[];
  readonly capacityComps: readonly number[];
  /**
   * Per component: 1 when a component with a `concurrency` limit calls it, directly or through
   * hard calls: its latency, queueing included, is part of that component's, whose capacity
   * (K / L) it lowers — what reaches it can then depend on its own queue (see `settleCrossing`).
   */
  readonly latencyFeedback: Uint8Array;
  /** Per queue: its publishers, its lease publishers, its service (−1 for none), its consumers. */
  readonly publishers: readonly (readonly number[])[];
  readonly leasePublishers: readonly (readonly number[])[];
  readonly services: readonly number[];
  readonly consumers: readonly (readonly number[])[];
  /** Per component: the consumer slots (queue, consumer) whose intake is part of its load. */
  readonly intakeOf: readonly (readonly number[])[];
  /** Per consumer slot, in queue then consumer order: its queue and consumer positions. */
  readonly consumerSlots: readonly { readonly queue: number; readonly k: number }[];
}

/** What lets a step evaluate only what changed (see `createIncremental` and sim/incremental.ts). */
export interface Incremental {
  /** Strongly connected components to evaluate in the next pass (by id, dependencies first). */
  readonly pendingSccs: IndexHeap;
  /** Per strongly connected component: marked for a full evaluation, not just its latency. */
  readonly fullSccs: Uint8Array;
  /** Marked during a pass at or before the one being evaluated: for the next pass. */
  readonly deferredSccs: number[];
  evaluatingScc: number;
  /**
   * Per strongly connected component: the crossing its last evaluation predicted (+∞ for none).
   * A wake-up for another time is stale: the component was evaluated again since.
   */
  readonly wakeTime: Float64Array;
  /**
   * Strongly connected components whose result is constant until a predicted crossing (a
   * cache's stale period ends, tokens start expiring, a health check detects a flapping
   * checker): evaluated again at that time, and their crossing stays a boundary meanwhile.
   */
  readonly wakeups: WakeHeap;
  /** Strongly connected components whose result changes with time: evaluated at every pass. */
  volatileSccs: number[];
  nextVolatileSccs: number[];
  /** Set when the evaluation under way reads something ageing along a ramp. */
  timeDependent: boolean;
  /** The earliest crossing the evaluation under way predicted. */
  wakeAt: number;
  /** Components evaluated in the current pass. */
  readonly evaluated: number[];
  /** Strongly connected components evaluated since the last classification. */
  readonly toClassify: IndexHeap;
  /** Records whose answer is ageing (updated at every evaluation), and records marked by their server. */
  activeRecords: number[];
  readonly markedRecords: number[];
  readonly recordQueued: Uint8Array;
  /**
   * Loads: each call's contribution to the load of each component it can send to (per slot,
   * see `EdgeState.slots`), each component's load before its cycle's members that come after it
   * in `order` add theirs (see loads.ts).
   */
  readonly contribution: Float64Array;
  /** Per consumer slot (see Topology.consumerSlots): messages it takes from its queue per second. */
  readonly intake: Float64Array;
  /** Consumers whose intake changed since their load was last summed. */
  readonly intakeChanged: number[];
  readonly loadBefore: Float64Array;
  readonly loadQueue: IndexHeap;
  /** Components whose load changed in the last load computation. */
  readonly loadChanged: number[];
  /** Per component: 1 when its load changed in a way its evaluation reads (loads.ts). */
  readonly loadRead: Uint8Array;
  /**
   * Components evaluated, or whose load changed, since the memories were last updated, and how
   * (TOUCHED_EVALUATED, TOUCHED_LOAD).
   */
  readonly touched: number[];
  readonly touchedHow: Uint8Array;
  /** Edges with a breaker that is open or counting errors: they change with time. */
  activeBreakers: EdgeState[];
  readonly edgeVisited: Int32Array;
  visit: number;
  /**
   * Per call slot: the share of its caller's and target's placement pairs that no partition
   * separates, while the partitions stay the same (NaN: not computed since they changed).
   */
  readonly partitionCache: Float64Array;
  /** Scratch: the exposed values of the members of the component being evaluated. */
  readonly snapshot: number[];
  /**
   * Scratch: their shared failures before it (compared by content: a cycle's evaluation
   * starts its members from "up", so the list is replaced even when it comes back the same).
   */
  readonly sharedSnapshot: Shared[];
}
