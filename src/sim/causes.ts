/**
 * @module sim/causes
 * Why something changed, as data: the engine records a cause with every timeline entry, and the
 * renderers (`reports/causes.ts`, and through it the HTML report and the web UI) turn it into
 * words. A cause names its mechanism, the subject it came from (a component, record, fault,
 * action…, which `explain` follows), and a detail keyed by `what` that carries the numbers and
 * times the sentence needs — times in seconds from the start of the run, so a renderer can write
 * them on whichever clock it writes the rest of the line with.
 */
import type { ActionCondition, ActionKind, Signal } from "../model/types.js";
import type { FaultKind } from "../scenario/types.js";

export type CauseSource =
  | "component"
  | "record"
  | "fault"
  | "action"
  | "alarm"
  | "domain"
  | "queue"
  | "workload";

export const MECHANISMS = [
  "none",
  "fault",
  "rollout",
  "placement",
  "restart",
  "cold-start",
  "action",
  "change",
  "alarm",
  "dependency",
  "dns",
  "auth",
  "partition",
  "timeout",
  "breaker",
  "cache",
  "overload",
  "throttle",
  "shed",
  "health-check",
  "leases",
  "congestive-collapse",
  "degraded-mode",
  "recovered",
  "queue",
] as const;
export type Mechanism = (typeof MECHANISMS)[number];

/** What a fault does, as its start is recorded (enough to say it in words). */
export type FaultSummary =
  | { readonly kind: "down"; readonly target: string }
  | { readonly kind: "data-loss"; readonly target: string }
  | {
      readonly kind: Extract<FaultKind, "dns-empty" | "dns-wrong" | "dns-nxdomain">;
      readonly target: string;
    }
  | { readonly kind: "latency"; readonly target: string; readonly latency: number }
  | { readonly kind: "error-rate"; readonly target: string; readonly rate: number }
  | { readonly kind: "capacity-loss"; readonly target: string; readonly fraction: number }
  | { readonly kind: "partition"; readonly between: readonly [string, string] }
  | { readonly kind: "surge"; readonly target: string; readonly factor: number }
  | {
      readonly kind: "credential-expiry";
      readonly target: string;
      readonly credential: "client" | "certificate";
    }
  | {
      readonly kind: Extract<
        FaultKind,
        "bad-change" | "bad-config" | "config-oversize" | "key-removed"
      >;
      readonly target: string;
    };

/** The answer a DNS record gives (servfail: its server does not answer). */
export type Answer = "ok" | "empty" | "wrong" | "nxdomain" | "servfail";

/** How an operator action was triggered. */
export type ActionTrigger =
  | { readonly on: "time"; readonly at: number }
  | { readonly on: "alarm"; readonly alarm: string; readonly firedAt: number };

/** The particulars of a cause, keyed by `what`. */
export type CauseDetail =
  // Faults and rollouts.
  | { readonly what: "fault"; readonly fault: FaultSummary }
  | { readonly what: "fault-ended"; readonly fault: string; readonly scheduled: boolean }
  | {
      readonly what: "wave";
      readonly fault: string;
      readonly share: number;
      readonly target: string;
    }
  | { readonly what: "rolled-back"; readonly alarm: string }
  | {
      /** A partition cuts a checker from part of its target: that part is failed out. */
      readonly what: "checks-partitioned";
      readonly checker: string;
      readonly component: string;
      readonly removed: number;
    }
  | {
      /** Hosts of a reader whose copy of content expired while its server was down (fail-closed). */
      readonly what: "content-expired";
      readonly content: string;
      readonly reader: string;
      readonly server: string;
      readonly share: number;
    }
  | {
      /** A sharded component lost some shards: their requests fail. */
      readonly what: "shards-lost";
      readonly domain: string;
      readonly component: string;
      readonly up: number;
      readonly of: number;
    }
  | {
      /** Callers of a primary sent to its replica, with what its lag puts at risk. */
      readonly what: "replica-failover";
      readonly primary: string;
      readonly replica: string;
      readonly lag: number;
      readonly atRisk: number;
      readonly automatic: boolean;
    }
  | { readonly what: "replica-failback"; readonly primary: string; readonly replica: string }
  | {
      /** A component's state lost: what it served since its last backup is at risk. */
      readonly what: "state-lost";
      readonly component: string;
      readonly backup: number | null;
      readonly atRisk: number;
    }
  | {
      /** A version of content reaches a stage of its readers (all of them when not staged). */
      readonly what: "content-published";
      readonly content: string;
      readonly good: boolean;
      readonly stage: number;
      readonly stages: number;
      readonly readers: readonly string[];
    }
  | {
      /**
       * A staged rollout's health gate stops a version of content or a change to a fleet: a
       * reader or member of an earlier stage is impaired.
       */
      readonly what: "rollout-halted";
      /** The content or fleet rolled out. */
      readonly subject: string;
      readonly stage: number;
      /** The impaired reader or member. */
      readonly impaired: string;
    }
  | {
      /**
       * Hosts of a reader hurt by a version: harmed by it, rejecting it (fail-closed), over a
       * limit, or stranded by it (failed, and down until repaired by hand).
       */
      readonly what: "content-version";
      readonly content: string;
      readonly reader: string;
      readonly share: number;
      readonly how: "harm" | "rejected" | "over-limit" | "stranded";
    }
  | {
      readonly what: "placement-lost";
      readonly domain: string;
      readonly component: string;
      readonly up: number;
      readonly of: number;
    }
  | {
      readonly what: "below-minimum";
      readonly component: string;
      readonly left: number;
      readonly minimum: number;
    }
  // Processes.
  | { readonly what: "stop-ended" }
  | { readonly what: "restarting"; readonly duration: number; readonly after: Cause }
  | { readonly what: "waiting-for-dependencies" }
  | { readonly what: "waiting-for"; readonly component: string }
  | { readonly what: "started" }
  | { readonly what: "break-glass"; readonly action: string }
  // Actions and alarms.
  | {
      readonly what: "action-taken";
      readonly action: string;
      readonly do: ActionKind;
      readonly target: string;
      readonly rate?: number;
      readonly fraction?: number;
      readonly capacity?: number;
      readonly factor?: number;
      readonly maxWait?: number;
      readonly to?: number;
      readonly over?: number;
      readonly trigger: ActionTrigger;
    }
  | { readonly what: "action-effect"; readonly action: string; readonly do: ActionKind }
  | {
      /** A scenario change taking effect (`changes` with `at`); `change` is its index. */
      readonly what: "dependency-changed";
      readonly change: number;
      readonly from: string;
      readonly to: string;
      /** The record the call resolves from then on, or "none" (a private endpoint). */
      readonly via?: string;
      /** The identity that authenticates it from then on, or "none". */
      readonly auth?: string;
      /** The ttl of the response cache it adds. */
      readonly cache?: number;
      readonly disable?: boolean;
    }
  | {
      readonly what: "action-skipped";
      readonly action: string;
      readonly do: ActionKind;
      readonly condition: ActionCondition;
      /** What was found instead: a state, a backlog or an age in seconds. */
      readonly found: string | number;
      readonly trigger: ActionTrigger;
    }
  | {
      readonly what: "alarm";
      readonly state: "ok" | "alarm" | "insufficient-data";
      readonly signal: Signal;
      readonly target: string;
      readonly monitor: string;
      readonly threshold: number;
      /** Breaching datapoints among the last `periods`, and how many fire the alarm. */
      readonly breaching: number;
      readonly datapoints: number;
      readonly periods: number;
      readonly period: number;
    }
  // DNS.
  | { readonly what: "dns-server-down"; readonly server: string }
  | { readonly what: "dns-server-back"; readonly server: string }
  | {
      readonly what: "failover-detected";
      readonly threshold: number;
      readonly interval: number;
    }
  | { readonly what: "primary-healthy" }
  | {
      readonly what: "dns-answers";
      readonly record: string;
      /** Share of clients without a usable answer. */
      readonly share: number;
      /** The record's answer now: ok when clients still hold the failed answer it replaced. */
      readonly answer: Answer;
      readonly since: number;
    }
  // Calls.
  | { readonly what: "credentials-expired"; readonly component: string }
  | { readonly what: "certificate-expired"; readonly component: string }
  | { readonly what: "cannot-authenticate"; readonly identity: string }
  | {
      readonly what: "tokens-expired";
      readonly share: number;
      readonly caller: string;
      readonly identity: string;
      readonly since: number;
      readonly lifetime: number;
    }
  | { readonly what: "partition"; readonly caller: string; readonly callee: string }
  | {
      readonly what: "timeout";
      readonly callee: string;
      readonly latency: number;
      readonly caller: string;
      readonly timeout: number;
    }
  | { readonly what: "breaker-open"; readonly callee: string; readonly since: number }
  | {
      readonly what: "cache-ran-out";
      readonly ttl: number;
      readonly staleIfError: number;
      readonly inner: Cause;
    }
  | {
      readonly what: "dependency-failing";
      readonly component: string;
      /** The callee's share of requests failing, when it is known. */
      readonly failing?: number;
      readonly down: boolean;
    }
  // The component's own factors.
  | {
      readonly what: "overload";
      readonly component: string;
      readonly wait: number;
      readonly load: number;
      readonly capacity: number;
      /** Warming up after a start: the share of its capacity it has. */
      readonly warming?: number;
      /**
       * Its queue held at its callers' timeout: the share of requests that time out (the one
       * that holds it there); none for every request (sliding.ts).
       */
      readonly share?: number;
    }
  | { readonly what: "no-capacity"; readonly component: string }
  | { readonly what: "throttled"; readonly rate: number; readonly load: number }
  | { readonly what: "shedding"; readonly fraction: number }
  | {
      readonly what: "checker-flaps";
      readonly checker: string;
      readonly failing: number;
      readonly component: string;
      /** The share its failover took out when a velocity limit capped it. */
      readonly removed?: number;
      /** What its checks go through (`probe`), failing: the checker runs and finds it unhealthy. */
      readonly probe?: string;
    }
  | {
      /** State a component needs fresh is still queued (`needsFresh`). */
      readonly what: "state-stale";
      readonly queue: string;
      readonly age: number;
      readonly maxStaleness: number;
      readonly share: number;
    }
  | {
      readonly what: "several-small";
      readonly failing: number;
      readonly parts: readonly { readonly name: string; readonly failing: number }[];
    }
  | { readonly what: "recovered" }
  /** No factor explains the state (kept for completeness: every factor names its cause). */
  | { readonly what: "none" }
  | { readonly what: "degraded-mode"; readonly dependency?: string; readonly mode?: string }
  // Leases.
  | { readonly what: "leases-lapse"; readonly since: number; readonly inner?: Cause }
  | {
      readonly what: "leases-reestablishing";
      readonly lapsed: number;
      readonly rate: number;
      readonly throttledBy?: string;
      readonly throttled: boolean;
    }
  | {
      /** Its bounded queue (`buffer`) holds all it can: arrivals beyond what it serves are dropped. */
      readonly what: "buffer-full";
      readonly buffer: number;
      readonly admitted: number;
      readonly load: number;
    }
  | {
      readonly what: "queue-age-admission";
      readonly maxWait: number;
      readonly admitted: number;
      readonly load: number;
    }
  | {
      readonly what: "leases-collapse";
      readonly lapsed: number;
      /** The manager's establishment rate. */
      readonly rate: number;
      /** Attempts queued, and the age of the one served next. */
      readonly queued: number;
      readonly oldest: number;
      /** How long a host awaits an attempt. */
      readonly timeout: number;
    }
  // Queues.
  | { readonly what: "dead-letters"; readonly from: readonly string[] }
  | {
      readonly what: "arrivals";
      readonly inRate: number;
      /** What the consumers can receive per second. */
      readonly outRate: number;
      /** The share of receives that fail; their messages return after `visibility` seconds. */
      readonly failShare: number;
      readonly visibility: number;
    }
  | { readonly what: "drained" };

/** Why something changed: the mechanism, the subject it came from, and the particulars. */
export interface Cause {
  readonly mechanism: Mechanism;
  /** The component, record, fault or action the change comes from, when there is one. */
  readonly from?: string | undefined;
  /** What `from` names (ids of different sorts may coincide). */
  readonly fromKind?: CauseSource | undefined;
  readonly detail: CauseDetail;
}
