/**
 * @module model/types
 * The normalized architecture model: what `loadModel` returns once every file has been parsed,
 * validated and merged. Units are already converted (durations in seconds, rates in requests
 * per second, percentages as fractions), every reference is known to resolve, and every entity
 * remembers where it was written (`loc`), so the analysis can point findings at YAML lines.
 *
 * Maps are kept as arrays sorted by id: iteration order never depends on the order of entries
 * in the YAML, which is what makes results order-independent.
 */

/** A place in a source file (1-based line and column). */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export type DomainKind = "provider" | "region" | "zone" | (string & {});

export interface Domain {
  readonly id: string;
  readonly kind: DomainKind;
  readonly parent: string | null;
  /** Probability the domain is up, when declared (for the availability rule). */
  readonly availability?: number;
  readonly loc: Location;
}

export const COMPONENT_KINDS = [
  "api",
  "automation",
  "cache",
  "cdn",
  "compute",
  "container-platform",
  "database",
  "dns",
  "event-bus",
  "external",
  "health-check",
  "identity",
  "kv-store",
  "lease-manager",
  "load-balancer",
  "monitoring",
  "network-manager",
  "object-store",
  "queue-service",
  "serverless",
  "service-discovery",
  "status-page",
  "token-service",
  "web",
  "worker",
  "other",
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** Kinds whose failure makes a dependency cycle impossible to cold-start without break-glass. */
export const FOUNDATIONAL_KINDS: ReadonlySet<ComponentKind> = new Set([
  "dns",
  "identity",
  "token-service",
  "service-discovery",
]);

export type Plane = "control" | "data";

export type Placement =
  | { readonly scope: "zones"; readonly domains: readonly string[]; readonly region?: string }
  | { readonly scope: "regions"; readonly domains: readonly string[] }
  | { readonly scope: "region"; readonly domains: readonly [string] }
  | { readonly scope: "domains"; readonly domains: readonly string[] }
  | { readonly scope: "global"; readonly domains: readonly string[] };

/** How many of a component's placements must be up for it to be up. */
export type Redundancy =
  | { readonly mode: "any" }
  | { readonly mode: "all" }
  | { readonly mode: "quorum"; readonly quorum: number };

export interface Retry {
  readonly attempts: number;
  readonly backoff: number;
  readonly maxBackoff?: number;
  readonly jitter: "none" | "full" | "equal" | "decorrelated";
  /** Retries allowed as a fraction of first attempts (a retry budget), when declared. */
  readonly budget?: number;
}

export interface Breaker {
  readonly errorRate: number;
  readonly window: number;
  readonly openFor: number;
  readonly minRequests: number;
  readonly halfOpenProbes: number;
}

export interface ResponseCache {
  readonly ttl: number;
  /** How long a cached answer may be served after the dependency starts failing. */
  readonly staleIfError: number;
  /** Share of calls whose answer the cache holds fresh in normal operation (hits). */
  readonly hitRatio: number;
  /** Time to answer a hit. */
  readonly latency: number;
}

export type DependencyKind = "hard" | "soft";

/**
 * Where an imported element came from: the source file (as a path from the working directory,
 * like every `loc`), its line and column where the format has lines, and the address of the
 * resource, object or span in it. Hand-written elements have none.
 */
export interface Provenance {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly address: string;
  /** What the source measured about a call (traces): calls seen, their rate and latencies. */
  readonly observed?: Observed;
}

export interface Observed {
  readonly count?: number;
  /** Calls per second. */
  readonly rate?: number;
  /** Latencies in seconds. */
  readonly p50?: number;
  readonly p99?: number;
}

/**
 * The kinds of implicit edge the provider catalogue adds: a call on the request path
 * (`runtime`), a credential fetched only at refresh (`credential`), a control-plane call needed
 * only to create, change or fail over (`provisioning`), and configuration pushed from a control
 * plane to a data plane (`config-propagation`).
 */
export const IMPLICIT_EDGES = [
  "runtime",
  "credential",
  "provisioning",
  "config-propagation",
] as const;
export type ImplicitEdge = (typeof IMPLICIT_EDGES)[number];

export const CONFIDENCES = ["high", "medium", "low"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** A dependency no source declared, added from the provider catalogue with its evidence. */
export interface Implicit {
  /** Catalogue entry, e.g. `aws.iam-control`. */
  readonly catalogue: string;
  /** The managed service as people name it, e.g. `IAM`. */
  readonly service: string;
  readonly edge: ImplicitEdge;
  readonly confidence: Confidence;
  /** Where the fact is published (URLs). */
  readonly cite: readonly string[];
}

export interface Fallback {
  readonly to: string;
  readonly via?: string;
  readonly auth?: string;
}

/** A dependency as written by the user (`needs` is hard, `wants` is soft). */
export interface Dependency {
  readonly from: string;
  readonly to: string;
  readonly kind: DependencyKind;
  readonly calls: number;
  readonly timeout?: number;
  readonly retry?: Retry;
  readonly breaker?: Breaker;
  readonly cache?: ResponseCache;
  /** Component that serves the call when `to` fails, and how it is reached. */
  readonly fallback?: Fallback;
  /** Name of the degraded mode the caller enters when a soft dependency fails. */
  readonly degradedMode?: string;
  /**
   * A health checker's hard dependency that its checks go through: when it fails, the checker
   * is running and finds its targets unhealthy, rather than down (and failing static).
   */
  readonly probe?: boolean;
  /** DNS record name the caller resolves to reach `to`. */
  readonly via?: string;
  /** Identity component that authenticates the call. */
  readonly auth?: string;
  /** Where an imported dependency came from; `loc` points at the first one with a file. */
  readonly sources?: readonly Provenance[];
  /** Set on dependencies the provider catalogue added. */
  readonly implicit?: Implicit;
  readonly loc: Location;
}

export interface Tokens {
  readonly ttl: number;
  readonly refreshBefore: number;
}

export interface Leases {
  readonly duration: number;
  readonly renewEvery: number;
  readonly count: number;
  /** Lapsed leases re-established per second; unbounded when absent. */
  readonly establishRate?: number;
  /** How long a host awaits an attempt to re-establish its lease (default: `duration`). */
  readonly attemptTimeout?: number;
  /** How long a host waits after a timed-out attempt before sending another (default 0). */
  readonly retryBackoff?: number;
  /** Queue receiving one message per lease re-established (the host's state to propagate). */
  readonly publishes?: string;
}

export interface HealthCheck {
  readonly interval: number;
  readonly threshold: number;
  /** Whether failing health checks shift traffic automatically (an automation that can misfire). */
  readonly autoFailover: boolean;
  /** The most capacity its failover may take out of service (a velocity limit); all when absent. */
  readonly maxRemoved?: number;
}

/** State a component needs fresh from a queue (`needsFresh`). */
export interface FreshState {
  readonly queue: string;
  /** How old the oldest unprocessed message may be before the requests needing it fail. */
  readonly maxStaleness: number;
  /** Share of its requests that need that state. */
  readonly share: number;
}

export interface DnsFailover {
  readonly targets: readonly string[];
  readonly healthCheck: HealthCheck;
}

export interface DnsRecord {
  readonly name: string;
  /** The dns component that serves the record. */
  readonly server: string;
  readonly targets: readonly string[];
  readonly ttl: number;
  readonly negativeTtl: number;
  readonly failover?: DnsFailover;
  /** Automation component that writes the record. */
  readonly managedBy?: string;
  readonly availability?: number;
  readonly loc: Location;
}

export type ColdStart = "needs-dependencies" | "after-dependencies" | "standalone";

export interface Recovery {
  /** Time to restart once its dependencies are up; absent when the model does not say. */
  readonly restart?: number;
  readonly coldStart: ColdStart;
  /**
   * The least share of its capacity it can run with: a capacity loss leaving less stops the
   * process, which restarts in full once the loss leaves at least this share.
   */
  readonly minimum?: number;
  /** After a (re)start: capacity and a burst of calls that settle over a duration. */
  readonly warmup?: Warmup;
}

/**
 * A process that has just started is not at full strength: its capacity starts at `capacity`
 * (a share) and its calls to each dependency at `calls` times the usual (sessions, connections,
 * caches filled again), both reaching normal linearly over `over`.
 */
export interface Warmup {
  readonly over: number;
  readonly capacity: number;
  readonly calls: number;
}

/** What served content is: it changes behaviour, and readers cache it (see `model/content.ts`). */
export const CONTENT_KINDS = [
  "configuration",
  "feature-flags",
  "policy",
  "signing-keys",
  "service-catalogue",
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** How a change to content or software reaches its readers or hosts. */
export interface ChangeRollout {
  /** True when a change reaches one stage at a time, each gated on the health of the last. */
  readonly staged: boolean;
  /** Number of stages (waves), when staged. */
  readonly stages?: number;
  /** Time a stage bakes before the next one starts. */
  readonly bake?: number;
}

/** Named content a component serves: configuration, flags, policies, keys, catalogues. */
export interface Content {
  readonly id: string;
  readonly kind: ContentKind;
  /** The component that serves (publishes) it. */
  readonly server: string;
  /** Size in bytes, when stated. */
  readonly size?: number;
  /** Entries (features, rules, keys), when stated. */
  readonly entries?: number;
  /** How a new version reaches readers; absent means all at once. */
  readonly rollout?: ChangeRollout;
  /** Period at which the server publishes a fresh version, when it regenerates the content. */
  readonly regenerate?: number;
  readonly loc: Location;
}

export const LAST_KNOWN_GOOD = ["keep", "fail-closed", "fail-open"] as const;
/**
 * What a reader does when its copy expires or a new version fails validation: keep serving the
 * last good version, fail, or carry on without the content.
 */
export type LastKnownGood = (typeof LAST_KNOWN_GOOD)[number];

/** A component's read of served content, with its own cache settings. */
export interface ContentRead {
  readonly reader: string;
  readonly content: string;
  /** How often the reader fetches a new version. */
  readonly refresh: number;
  /** How long a copy may be used without a successful refresh; absent: for ever. */
  readonly ttl?: number;
  readonly lastKnownGood: LastKnownGood;
  /** Limits a new version is checked against before it is used. */
  readonly validate?: {
    readonly maxSize?: number;
    readonly maxEntries?: number;
    readonly fields?: readonly string[];
  };
  /**
   * Set on a read the model did not write: a relying party validating tokens against the
   * signing keys its callers' identity serves (see `model/content.ts`, `withKeyReads`).
   */
  readonly implicit?: true;
  /** The reader's own hard limits: a version past them makes it fail (it was never checked). */
  readonly limits?: {
    readonly maxSize?: number;
    readonly maxEntries?: number;
  };
  readonly loc: Location;
}

export const FLEET_SHARES = ["software-version", "configuration", "host-limit"] as const;
/** What the members of a fleet have in common, so that one change or limit hits all of them. */
export type FleetShare = (typeof FLEET_SHARES)[number];

/** Components that fail as one: one binary, one configuration source, one per-host limit. */
export interface Fleet {
  readonly id: string;
  readonly members: readonly string[];
  readonly shares: readonly FleetShare[];
  /** How a new version reaches the members; absent means all at once. */
  readonly rollout?: ChangeRollout;
  readonly description?: string;
  readonly loc: Location;
}

/** A primary's replica: what failover to it costs. */
export interface Replication {
  readonly replica: string;
  /** How far the replica trails the primary. */
  readonly lag: number;
  /** Automatic: callers are served by the replica when the primary fails. */
  readonly failover: "automatic" | "manual";
  /** With automatic failover: time from the primary failing to the switch. */
  readonly failoverAfter: number;
}

/** Backups of a component's state (see `sim/replicas.ts` for what a restore costs). */
export interface Backup {
  readonly every: number;
  readonly restore: number;
}

/** A component split by region, zone or cell: one shard per placement domain. */
export interface Shards {
  readonly by: "region" | "zone" | "cell" | (string & {});
}

export interface Component {
  readonly id: string;
  readonly kind: ComponentKind;
  readonly plane: Plane;
  readonly placement: Placement;
  readonly redundancy: Redundancy;
  readonly description?: string;
  readonly capacity?: number;
  readonly concurrency?: number;
  readonly latency?: number;
  /** The most work it queues, as a wait at its capacity (seconds); beyond it, arrivals are dropped. */
  readonly buffer?: number;
  readonly recovery: Recovery;
  readonly rto?: number;
  readonly availability?: number;
  readonly tokens?: Tokens;
  readonly leases?: Leases;
  readonly healthCheck?: HealthCheck;
  /** Queues whose state it needs fresh, sorted by queue id (absent when none). */
  readonly needsFresh?: readonly FreshState[];
  readonly observes: readonly string[];
  readonly publishes: readonly string[];
  /** A replica the component can fail over to, with its lag. */
  readonly replication?: Replication;
  /** Set when each placement domain holds a shard of the component's state. */
  readonly shards?: Shards;
  /** Backups of its state: taken every `every`, restored in `restore`. */
  readonly backup?: Backup;
  /** Where an imported component came from; `loc` points at the first one with a file. */
  readonly sources?: readonly Provenance[];
  readonly loc: Location;
}

export interface Consumer {
  readonly component: string;
  readonly rate: number;
  readonly concurrency?: number;
}

export interface Queue {
  readonly id: string;
  /** Component hosting the queue (its failure stops enqueue and dequeue). */
  readonly service?: string;
  readonly consumers: readonly Consumer[];
  readonly retention: number;
  readonly visibilityTimeout: number;
  readonly maxReceives?: number;
  readonly deadLetter?: string;
  readonly loc: Location;
}

export interface RatePoint {
  readonly at: number;
  readonly rate: number;
}

export interface Workload {
  readonly id: string;
  readonly entry: string;
  readonly rate: number;
  readonly profile: readonly RatePoint[];
  /**
   * The share of its failed requests whose users try again (a fraction below 1), on average
   * `returnAfter` seconds later: they come back as new requests on top of its rate.
   */
  readonly returnRate?: number;
  readonly returnAfter?: number;
  readonly slo?: number;
  readonly rto?: number;
  readonly tier?: number;
  readonly loc: Location;
}

export type Signal = "error-rate" | "latency" | "availability" | "backlog" | "saturation";

export interface Alarm {
  readonly id: string;
  readonly monitor: string;
  readonly target: string;
  readonly signal: Signal;
  readonly threshold: number;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapoints: number;
  readonly loc: Location;
}

export const ACTION_KINDS = [
  "fix-dns",
  "invalidate-cache",
  "rollback",
  "failover",
  "failback",
  "restart",
  "shed-load",
  "unshed",
  "throttle",
  "unthrottle",
  "scale",
  "disable-automation",
  "enable-automation",
  "purge-queue",
  "pause-queue",
  "resume-queue",
  "break-glass",
  "rollback-config",
  "restore-backup",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export type Trigger =
  | { readonly on: "alarm"; readonly alarm: string }
  | { readonly on: "time"; readonly at: number }
  | { readonly on: "manual" };

/**
 * A condition an action checks when it triggers; when it does not hold, the action is skipped
 * (and the timeline says why).
 */
export type ActionCondition =
  | { readonly component: string; readonly is: "up" | "degraded" | "down" | "recovering" }
  | { readonly alarm: string; readonly is: "ok" | "alarm" | "insufficient-data" }
  | { readonly queue: string; readonly backlogAbove: number }
  | { readonly queue: string; readonly ageAbove: number };

export interface Action {
  readonly id: string;
  readonly do: ActionKind;
  readonly target: string;
  readonly trigger: Trigger;
  /** Time from trigger to effect (detection, decision, execution). */
  readonly delay: number;
  /** For throttled restarts and load shedding: the admitted rate or fraction. */
  readonly rate?: number;
  readonly fraction?: number;
  /** For scale: the capacity it will have (all placements up), or a factor on its capacity. */
  readonly capacity?: number;
  readonly factor?: number;
  /** For a throttle that ramps: the rate it admits at the end; for it or a scale, how long it takes. */
  readonly to?: number;
  readonly over?: number;
  /** For a throttle: work is admitted only while it would wait less than this (queue age). */
  readonly maxWait?: number;
  /** Checked when the action triggers: it is skipped unless this holds. */
  readonly condition?: ActionCondition;
  readonly loc: Location;
}

/** Where a number comes from: a public fact, a fit to a public observation, or a guess. */
export const ASSUMPTION_SOURCES = ["public", "calibrated", "guess"] as const;
export type AssumptionSource = (typeof ASSUMPTION_SOURCES)[number];

/**
 * An entry of a file's `assumptions:` section: the origin of the number at a path of that same
 * file. Nothing but `faultline sensitivity` reads it.
 */
export interface Assumption {
  /** The path as written: slash-separated, `~1` for a slash and `~0` for a tilde in a key. */
  readonly key: string;
  /** The path's keys; list positions as numbers. */
  readonly path: readonly (string | number)[];
  readonly source: AssumptionSource;
  /** For `public`: the fact the number states. */
  readonly fact?: string;
  /** For `calibrated`: the public observation the number was fitted to. */
  readonly to?: string;
  readonly note?: string;
  /** The number at the path as loaded, in base units (seconds, per second, fractions). */
  readonly value: number;
  /** The entry's key in `assumptions:`; `loc.file` is the file the path points into. */
  readonly loc: Location;
  /** Set when a pattern (a path with `*` parts) reached the number: the pattern. */
  readonly pattern?: string;
}

export interface Model {
  readonly name: string;
  readonly description?: string;
  /** The files the model was read from, the root first. */
  readonly files: readonly string[];
  readonly domains: readonly Domain[];
  readonly components: readonly Component[];
  readonly dependencies: readonly Dependency[];
  readonly records: readonly DnsRecord[];
  readonly queues: readonly Queue[];
  readonly workloads: readonly Workload[];
  readonly alarms: readonly Alarm[];
  readonly actions: readonly Action[];
  /** Served content, sorted by id (absent in models that declare none). */
  readonly contents?: readonly Content[];
  /** Reads of served content, sorted by reader then content. */
  readonly reads?: readonly ContentRead[];
  /** Declared fleets, sorted by id. */
  readonly fleets?: readonly Fleet[];
  /** The files' `assumptions:` entries, by file (as in `files`) then key (absent when none). */
  readonly assumptions?: readonly Assumption[];
}
