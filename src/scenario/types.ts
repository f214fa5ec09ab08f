/**
 * @module scenario/types
 * The normalized scenario: what `loadScenario` returns once a scenario file has been parsed,
 * validated on its own and checked against the model it runs on. Times are seconds from the
 * start of the simulation, rates are requests per second, percentages are fractions; every
 * entity remembers where it was written (`loc`) so the engine's verdicts and explanations can
 * point at YAML lines. Lists keep the order of the file (faults and actions have ids, so that
 * results never depend on that order; the engine sorts by time, then id).
 */
import type {
  ActionCondition,
  ActionKind,
  Assumption,
  Location,
  ResponseCache,
} from "../model/types.js";

export const FAULT_KINDS = [
  "down",
  "dns-empty",
  "dns-wrong",
  "dns-nxdomain",
  "latency",
  "error-rate",
  "capacity-loss",
  "partition",
  "surge",
  "credential-expiry",
  "bad-change",
  "bad-config",
  "config-oversize",
  "key-removed",
  "data-loss",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How a fault ends: at a time, when an operator action takes effect, or never by itself. */
export type FaultEnd =
  | { readonly at: number }
  | { readonly action: string }
  | { readonly never: true };

/** A rollout of a bad change: waves of the fleet, each baked before the next. */
export interface Rollout {
  /** Cumulative fleet fractions reached by each wave, ascending, the last one ≤ 1. */
  readonly waves: readonly number[];
  /** Time between the start of one wave and the start of the next. */
  readonly bake: number;
  /** Alarm whose firing stops the rollout and rolls the change back. */
  readonly rollbackOn?: string;
  /** Time from the alarm firing to the change being rolled back everywhere. */
  readonly rollbackAfter: number;
}

interface FaultBase {
  readonly id: string;
  readonly at: number;
  readonly end: FaultEnd;
  readonly loc: Location;
}

export type Fault =
  /** A component, zone, region or provider stops serving. */
  | (FaultBase & { readonly kind: "down"; readonly target: string })
  /**
   * A component's state is lost or corrupted: it serves nothing until it is restored from its
   * last backup (`restore-backup`), which loses what was written since.
   */
  | (FaultBase & { readonly kind: "data-loss"; readonly target: string })
  /** A DNS record's answer is emptied, pointed at a wrong target, or removed (NXDOMAIN). */
  | (FaultBase & {
      readonly kind: "dns-empty" | "dns-wrong" | "dns-nxdomain";
      readonly target: string;
    })
  /** Added latency on every request a component serves. */
  | (FaultBase & { readonly kind: "latency"; readonly target: string; readonly latency: number })
  /** A fraction of a component's requests fail. */
  | (FaultBase & { readonly kind: "error-rate"; readonly target: string; readonly rate: number })
  /** A fraction of a component's capacity is lost. */
  | (FaultBase & {
      readonly kind: "capacity-loss";
      readonly target: string;
      readonly fraction: number;
    })
  /** Two failure domains cannot reach each other (calls crossing them fail). */
  | (FaultBase & { readonly kind: "partition"; readonly between: readonly [string, string] })
  /** A workload's rate is multiplied. */
  | (FaultBase & { readonly kind: "surge"; readonly target: string; readonly factor: number })
  /**
   * A credential or certificate a component presents expires: every call it makes with
   * `auth` (or every call it serves, for a certificate on the server) fails.
   */
  | (FaultBase & {
      readonly kind: "credential-expiry";
      readonly target: string;
      /** client: the credentials it calls with; certificate: the one it serves with. */
      readonly credential: "client" | "certificate";
    })
  /**
   * A bad change rolled out to a component's fleet: the changed fraction fails (`effect`
   * down) or fails `rate` of its requests (`effect` error-rate).
   */
  | (FaultBase & {
      readonly kind: "bad-change";
      readonly target: string;
      readonly effect: "down" | "error-rate";
      readonly rate: number;
      readonly rollout: Rollout;
    })
  /**
   * A bad version of served content is published (see `sim/content.ts`): `bad-config` harms the
   * readers that take it without rejecting it (`effect`); `config-oversize` only crosses
   * readers' validation and hard limits; `key-removed` fails the requests signed with the key.
   */
  | (FaultBase & ContentFaultSpec);

export type ContentFaultKind = "bad-config" | "config-oversize" | "key-removed";

/** What a bad version of content is, as a reader's validation and hard limits see it. */
export interface BadVersion {
  readonly size?: number;
  readonly entries?: number;
  /** Fields it lacks. */
  readonly missing: readonly string[];
}

export interface ContentFaultSpec {
  readonly kind: ContentFaultKind;
  /** The content's id. */
  readonly target: string;
  readonly version: BadVersion;
  /** What a reader that takes the version suffers: `none` when only limits can make it harmful. */
  readonly effect: "down" | "error-rate" | "wrong-answers" | "none";
  /** With effect error-rate: share of the reader's requests that fail. */
  readonly rate: number;
  /** Share of each reader's hosts the version harms. */
  readonly hosts: number;
  /** Time from a host taking the version to the harm. */
  readonly after: number;
  /** A fault whose start makes the version harmful (latent until then). */
  readonly trigger?: string;
  /**
   * With effect down: the hosts it fails cannot fetch again (they fail as they start), so the
   * end of the fault does not bring them back; each is repaired by hand, this long after it
   * failed on average (exponentially spread over the harmed hosts), and then fetches.
   */
  readonly repair?: number;
  /** Time from publishing to readers being able to fetch it. */
  readonly delay: number;
  /** For regenerated content: share of the regenerations that come out bad. */
  readonly generations: number;
}

export type ScenarioTrigger =
  | { readonly on: "alarm"; readonly alarm: string }
  | { readonly on: "time"; readonly at: number };

/** An operator action written in the scenario (model actions keep their own triggers). */
export interface ScenarioAction {
  readonly id: string;
  readonly do: ActionKind;
  /** Component, DNS record, queue or automation the action acts on. */
  readonly target: string;
  readonly trigger: ScenarioTrigger;
  readonly delay: number;
  /** Admitted rate, for throttle and for a restart that comes back throttled. */
  readonly rate?: number;
  /** Share of the load shed, for shed-load (as in model actions). */
  readonly fraction?: number;
  /** For scale: the capacity it will have, or a factor on its capacity (as in model actions). */
  readonly capacity?: number;
  readonly factor?: number;
  /** For a throttle that ramps: the rate it admits at the end; for it or a scale, how long (as in the model). */
  readonly to?: number;
  readonly over?: number;
  /** For a throttle: work is admitted only while it would wait less than this (as in the model). */
  readonly maxWait?: number;
  /** Checked when the action triggers: it is skipped unless this holds (as in model actions). */
  readonly condition?: ActionCondition;
  readonly loc: Location;
}

export type Expectation =
  /** Fraction of a workload's requests served over a window. */
  | {
      readonly kind: "availability";
      readonly workload: string;
      readonly from: number;
      readonly to: number;
      readonly atLeast?: number;
      readonly atMost?: number;
      readonly loc: Location;
    }
  /** Whether a component is impacted (degraded or down) at some point. */
  | {
      readonly kind: "impacted";
      readonly component: string;
      readonly impacted: boolean;
      readonly loc: Location;
    }
  /**
   * Time from `from` (a time, or the start of a fault by id) to a component's first impact, or
   * (`state: down`) to the first time it is down.
   */
  | {
      readonly kind: "time-to-impact";
      readonly component: string;
      readonly from: number | { readonly fault: string };
      readonly state?: "down";
      readonly atLeast?: number;
      readonly atMost?: number;
      readonly loc: Location;
    }
  /**
   * Time at which a component is last restored (it is up from then to the end), measured from
   * `from` (a time, or the end of a fault by id).
   */
  | {
      readonly kind: "time-to-recover";
      readonly component: string;
      readonly from: number | { readonly fault: string };
      /** degraded: out of down for good (at least half its requests served); up by default. */
      readonly to?: "degraded";
      readonly atLeast?: number;
      readonly atMost?: number;
      readonly loc: Location;
    }
  /** A queue's backlog is drained (back to its normal level) by a time, and after `after`. */
  | {
      readonly kind: "drained-by";
      readonly queue: string;
      readonly by: number;
      readonly after?: number;
      readonly loc: Location;
    }
  /** Messages lost (expired past retention) and dead-lettered, at most. */
  | {
      readonly kind: "messages-lost";
      readonly queue: string;
      readonly atLeast?: number;
      readonly atMost?: number;
      readonly loc: Location;
    }
  /** An alarm fires (by a time), or stays silent (until a time, or to the end). */
  | {
      readonly kind: "alarm";
      readonly alarm: string;
      readonly fires: boolean;
      readonly by?: number;
      /** With fires: it fires no earlier than this. */
      readonly after?: number;
      readonly loc: Location;
    }
  /** The highest load offered to a component over the run, retries included, within bounds. */
  | {
      readonly kind: "peak-load";
      readonly component: string;
      readonly atLeast?: number;
      readonly atMost?: number;
      readonly loc: Location;
    }
  /** The highest latency of a request a component served, within bounds (seconds). */
  | {
      readonly kind: "peak-latency";
      readonly component: string;
      readonly atLeast?: number;
      readonly atMost?: number;
      readonly loc: Location;
    }
  /** Requests a component answered wrongly over the run, within bounds. */
  | {
      readonly kind: "wrong-answers";
      readonly component: string;
      readonly atLeast?: number;
      readonly atMost?: number;
      readonly loc: Location;
    }
  /** Requests a primary had not replicated when it failed over, summed, within bounds. */
  | {
      readonly kind: "data-at-risk";
      readonly component: string;
      readonly atLeast?: number;
      readonly atMost?: number;
      readonly loc: Location;
    };

/** An expectation, and the public fact it checks when it was written under `facts:`. */
export type ScoredExpectation = Expectation & { readonly fact?: string };

/** A public fact a replay is scored on (`facts:`): its expectations carry its id. */
export interface Fact {
  readonly id: string;
  readonly claim: string;
  /** The public value, as published. */
  readonly public: string;
  readonly source?: string;
  /** Why no expectation checks it; absent when it has expectations. */
  readonly notSimulated?: string;
  readonly loc: Location;
}

/** One event of the public timeline (`timeline:`), in seconds from the start. */
export interface PublicEvent {
  readonly at: number;
  readonly event: string;
  readonly source?: string;
  readonly loc: Location;
}

export type AvailabilityExpectation = Extract<Expectation, { readonly kind: "availability" }>;

/**
 * A what-if change to the model: the same outage against the architecture as it would be with a
 * lesson applied, or as operators changed it during the incident. A dependency's options are
 * replaced where given: a response cache (with stale-if-error), the DNS record it is reached
 * through (`via`, null for a private endpoint that no shared record serves) and the identity
 * that authenticates it (`auth`, null for a call that needs none); `disable` stops the call (or,
 * false, makes it again). Without `at` the change holds for the whole run; with it, from then on
 * (route around a failing record, bypass an identity, turn off a feature that calls a failing
 * service).
 */
export interface ModelChange {
  readonly kind: "dependency";
  readonly from: string;
  readonly to: string;
  readonly cache?: ResponseCache;
  readonly via?: string | null;
  readonly auth?: string | null;
  /** true: the call is no longer made; false: it is made again. */
  readonly disable?: boolean;
  /** When the change takes effect; absent, it holds for the whole run. */
  readonly at?: number;
  readonly loc: Location;
}

export interface Scenario {
  readonly name: string;
  readonly description?: string;
  readonly file: string;
  /** Simulated time, from 0. */
  readonly duration: number;
  /** Optional wall-clock label of time 0 (ISO 8601), used only to print times. */
  readonly startsAt?: string;
  readonly faults: readonly Fault[];
  readonly actions: readonly ScenarioAction[];
  /** Model actions left out of this run (by id), e.g. to replace them with timed ones. */
  readonly disabledModelActions: readonly string[];
  /** What-if changes applied to the model for this run, in file order. */
  readonly changes: readonly ModelChange[];
  /** `expect:` entries and those of `facts:` (which name their fact), in file order. */
  readonly expectations: readonly ScoredExpectation[];
  /** The public facts the replay is scored on, in file order (empty when none). */
  readonly facts: readonly Fact[];
  /** The public timeline, in file order (empty when none). */
  readonly timeline: readonly PublicEvent[];
  /** The file's `assumptions:` entries, by path (absent when none); only sensitivity reads them. */
  readonly assumptions?: readonly Assumption[];
  readonly loc: Location;
}
