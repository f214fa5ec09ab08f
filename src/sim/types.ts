/**
 * @module sim/types
 * The journal of a simulation: everything the text report, the JSON output, `explain`, the
 * HTML report and the web UI read. Nothing downstream re-runs the engine. Times are seconds
 * from the start of the run; fractions are 0..1.
 */

import type { Location } from "../model/types.js";
import type { Cause } from "./causes.js";

/** Version of the journal's JSON shape; bumped on breaking changes. */
export const JOURNAL_SCHEMA_VERSION = 3;

export type ComponentState = "up" | "degraded" | "down" | "recovering";

export type {
  ActionTrigger,
  Answer,
  Cause,
  CauseDetail,
  CauseSource,
  FaultSummary,
  Mechanism,
} from "./causes.js";

export interface TimelineEntry {
  readonly t: number;
  readonly kind: "component" | "record" | "fault" | "action" | "change" | "alarm" | "queue";
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  readonly cause: Cause;
}

export interface ComponentResult {
  readonly id: string;
  readonly impacted: boolean;
  /** First time the component left `up`. */
  readonly firstImpact: number | null;
  /** Last time it came back `up` (and stayed up to the end); null if never impacted or never recovered. */
  readonly recoveredAt: number | null;
  /** Time spent down or recovering. */
  readonly downtime: number;
  /** Time spent degraded. */
  readonly degradedTime: number;
  readonly finalState: ComponentState;
  /** Lowest success fraction seen. */
  readonly worstSuccess: number;
  /** Highest offered load (requests per second, retries included) and the capacity it met. */
  readonly peakLoad: number;
  readonly capacity: number | null;
  /**
   * Attempts that waited in its overload queue longer than their callers' timeout: failed for
   * the caller, and served all the same once their turn came (wasted work), unless a restart
   * dropped the queue.
   */
  readonly abandoned: number;
  /** The longest queueing delay (seconds) its overload queue reached. */
  readonly peakWait: number;
  /** The highest latency of a request it served: its own time, its dependencies and its queue. */
  readonly peakLatency?: number;
  /** Requests it answered wrongly (a bad version of content), and when the first was; absent when none. */
  readonly wrongAnswers?: number;
  readonly wrongSince?: number;
}

export interface WorkloadResult {
  readonly id: string;
  /** Requests offered, served, failed over the run (a conserved split: offered = served + failed). */
  readonly offered: number;
  readonly served: number;
  readonly failed: number;
  /** Requests served later than the entry component's normal latency by more than its timeout budget. */
  readonly delayed: number;
  /**
   * For a workload whose users come back (`returnRate`): the requests among `offered` that were
   * users trying again after a failure.
   */
  readonly returned?: number;
  readonly availability: number;
  readonly slo: number | null;
  /** Error budget of the SLO over the run spent, as a multiple (1 = exactly the budget). */
  readonly sloBurn: number | null;
}

export interface QueueResult {
  readonly id: string;
  readonly published: number;
  readonly consumed: number;
  readonly deadLettered: number;
  readonly expired: number;
  readonly purged: number;
  readonly rejected: number;
  readonly finalBacklog: number;
  readonly peakBacklog: number;
  readonly peakAt: number | null;
  /** When the backlog last returned to zero after having built up; null if it never built up or never drained. */
  readonly drainedAt: number | null;
}

export interface Verdict {
  readonly kind: string;
  readonly subject: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
  readonly loc: Location;
  /** The public fact it checks, for an expectation written under `facts:`. */
  readonly fact?: string;
}

/** Sampled values on a regular grid, for charts. */
export interface Series {
  readonly times: readonly number[];
  /** Per component: state code per sample (0 up, 1 degraded, 2 down, 3 recovering). */
  readonly state: Readonly<Record<string, readonly number[]>>;
  /** Per component: success fraction per sample. */
  readonly success: Readonly<Record<string, readonly number[]>>;
  /** Per component with a capacity: offered load per sample (requests per second). */
  readonly load: Readonly<Record<string, readonly number[]>>;
  /**
   * Per component with a capacity or a concurrency limit: the time a request takes there per
   * sample (seconds; its own time, its slowest hard dependency's and its queueing delay).
   */
  readonly latency: Readonly<Record<string, readonly number[]>>;
  /** Per workload: success fraction per sample. */
  readonly workloads: Readonly<Record<string, readonly number[]>>;
  /** Per queue: backlog per sample. */
  readonly backlog: Readonly<Record<string, readonly number[]>>;
}

/** A number a scenario's or model's `assumptions:` marks (see `provenance.ts`). */
export interface MarkedNumber {
  readonly key: string;
  readonly file: string;
  /** For a calibrated number: the public observation it was fitted to. */
  readonly to?: string;
  readonly note?: string;
}

export interface NumbersRestedOn {
  readonly calibrated: readonly MarkedNumber[];
  /** Guesses about the parts the run touched. */
  readonly guessed: readonly MarkedNumber[];
  /** Guesses about parts the run left alone. */
  readonly otherGuesses: number;
  readonly public: number;
}

/** A replay's public facts and timeline, as the scenario writes them (times from the start). */
export interface PublicRecord {
  readonly facts: readonly {
    readonly id: string;
    readonly claim: string;
    readonly public: string;
    readonly source?: string;
    /** Why no expectation checks it; its expectations otherwise carry its id. */
    readonly notSimulated?: string;
  }[];
  readonly timeline: readonly {
    readonly t: number;
    readonly event: string;
    readonly source?: string;
  }[];
}

export interface Journal {
  readonly schemaVersion: number;
  readonly model: { readonly name: string; readonly files: readonly string[] };
  readonly scenario: {
    readonly name: string;
    readonly file: string;
    readonly duration: number;
    readonly startsAt: string | null;
  };
  readonly timeline: readonly TimelineEntry[];
  readonly components: readonly ComponentResult[];
  readonly workloads: readonly WorkloadResult[];
  readonly queues: readonly QueueResult[];
  /** Primaries failed over to their replicas, with the work their lag put at risk (when any). */
  readonly failovers?: readonly FailoverRecord[];
  /** State lost by components, with what was served since their last backup (when any). */
  readonly losses?: readonly LossRecord[];
  readonly expectations: readonly Verdict[];
  /** The public record a replay is compared with: its facts and timeline (when the scenario has any). */
  readonly publicRecord?: PublicRecord;
  /** The calibrated and guessed numbers the run rests on, when its files mark any. */
  readonly numbers?: NumbersRestedOn;
  readonly series: Series;
  readonly stats: { readonly steps: number; readonly events: number };
}

/** State lost by a component (a data-loss fault), as the journal reports it. */
export interface LossRecord {
  readonly component: string;
  readonly at: number;
  /** The backup it can be restored from (its time), or null without backups. */
  readonly backup: number | null;
  /** Requests served since that backup (offered load when last up × the time). */
  readonly atRisk: number;
}

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
