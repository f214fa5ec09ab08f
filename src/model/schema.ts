/**
 * @module model/schema
 * The model file format, written once in zod: the validator checks YAML against it and
 * `modelJsonSchema()` derives from it the JSON Schema that editors use to complete and check
 * model files. The two cannot drift apart. Its building blocks (strict objects, values in units,
 * ids), which the scenario schema shares, are in `schema-values.ts`.
 *
 * The schema checks shapes, units and ranges of single values. Whatever needs the whole model
 * (references, duplicate ids across files, a zone outside its region, a quorum larger than the
 * replicas) is checked afterwards by `model/semantics.ts`, which has every file in hand.
 */
import * as z from "zod";
import { count, duration, id, idMap, ids, obj, percent, rate, size } from "./schema-values.js";
import {
  ACTION_KINDS,
  COMPONENT_KINDS,
  CONFIDENCES,
  CONTENT_KINDS,
  FLEET_SHARES,
  IMPLICIT_EDGES,
  LAST_KNOWN_GOOD,
} from "./types.js";
import { parseCount, parseDuration, parsePercent } from "./units.js";

const smallInt = (min: number, max: number) => z.number().int().min(min).max(max);

// --- failure domains ---------------------------------------------------------------------------

export interface DomainNodeInput {
  kind?: string;
  availability?: string | number;
  contains?: Record<string, DomainNodeInput | null | string[]> | string[];
}

const domainNode: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.null(),
    ids,
    obj({
      kind: id.optional().describe("provider, region, zone, or a custom scope (cell, rack…)"),
      availability: percent.optional(),
      contains: z.union([ids, idMap(domainNode)]).optional(),
    }),
  ]),
);

// --- components --------------------------------------------------------------------------------

const placement = z.union([
  z.literal("global"),
  obj({
    zones: ids.min(1).optional().describe("Zones holding one replica each"),
    region: id.optional().describe("A single region; with zones, the region they must lie in"),
    regions: ids.min(1).optional().describe("Regions holding one replica each"),
    domains: ids.min(1).optional().describe("Custom failure domains holding one replica each"),
    global: z.literal(true).optional(),
    provider: id.optional().describe("With global: the provider whose failure takes it down"),
  }),
]);

const redundancy = z.union([
  z.enum(["any", "all"]),
  obj({ quorum: smallInt(1, 1000).describe("How many placements must be up") }),
]);

const retry = obj({
  attempts: smallInt(1, 100).describe("Total attempts, the first included"),
  backoff: duration.optional(),
  maxBackoff: duration.optional(),
  jitter: z.enum(["none", "full", "equal", "decorrelated"]).optional(),
  budget: percent.optional().describe("Retries allowed as a share of first attempts"),
});

const breaker = obj({
  errorRate: percent.describe("Error rate over the window that opens the breaker"),
  window: duration.optional(),
  openFor: duration.optional(),
  minRequests: smallInt(1, 1_000_000).optional(),
  halfOpenProbes: smallInt(1, 1000).optional(),
});

const cache = obj({
  ttl: duration,
  staleIfError: duration.optional().describe("How long stale answers are served on errors"),
  hitRatio: percent
    .optional()
    .describe("Share of calls answered from the cache while its entries are fresh (default 100%)"),
  latency: duration.optional().describe("Time to answer a hit (default 0s)"),
});

// --- provenance: where an imported element came from ---------------------------------------

const observed = obj({
  count: count.optional().describe("Calls seen in the source"),
  rate: rate.optional().describe("Calls per second seen in the source"),
  p50: duration.optional().describe("Median latency seen"),
  p99: duration.optional().describe("99th percentile latency seen"),
});

const provenance = obj({
  file: z.string().min(1).optional().describe("Source file, relative to this model file"),
  line: z.number().int().min(1).optional(),
  column: z.number().int().min(1).optional(),
  address: z.string().min(1).describe("The resource, object or span it came from"),
  observed: observed.optional().describe("What the source measured (traces)"),
});

/** One provenance or several, for elements merged from several sources (the first wins). */
const sources = z
  .union([provenance, z.array(provenance).min(1)])
  .describe("Where an imported element came from: { file, line, column, address }");

const implicit = obj({
  catalogue: id.describe("The provider catalogue entry the edge comes from (aws.iam-control)"),
  service: z.string().min(1).describe("The managed service leant on, as people name it (IAM)"),
  edge: z.enum(IMPLICIT_EDGES),
  confidence: z.enum(CONFIDENCES),
  cite: z.array(z.string().min(1)).min(1).describe("Where the fact is published"),
});

const dependencyOptions = obj({
  via: z.string().min(1).optional().describe("DNS record name resolved to reach the dependency"),
  auth: id.optional().describe("Identity component that authenticates the call"),
  calls: z.number().positive().max(1000).optional().describe("Calls per request"),
  timeout: duration.optional(),
  retry: retry.optional(),
  breaker: breaker.optional(),
  cache: cache.optional(),
  fallback: z
    .union([id, obj({ to: id, via: z.string().min(1).optional(), auth: id.optional() })])
    .optional()
    .describe("Component that serves the call when the dependency fails, or { to, via, auth }"),
  degraded: z.string().min(1).optional().describe("Degraded mode entered (soft dependencies)"),
  probe: z
    .boolean()
    .optional()
    .describe(
      "A health checker's hard dependency its checks go through: when it fails, the checks fail (the checker runs and finds its targets unhealthy)",
    ),
  source: sources.optional(),
  implicit: implicit
    .optional()
    .describe("A dependency the provider catalogue adds: the service, edge kind and source"),
});

const dependencies = z.union([ids, idMap(z.union([z.null(), dependencyOptions]))]);

const healthCheck = obj({
  interval: duration,
  threshold: smallInt(1, 100).describe("Consecutive failures before a target is unhealthy"),
  autoFailover: z.boolean().optional(),
  maxRemoved: percent
    .optional()
    .describe("The most capacity its failover may take out of service (default: all of it)"),
});

/** State a component needs fresh from a queue: its requests that need it fail while it is stale. */
const freshState = obj({
  maxStaleness: duration.describe(
    "How old the oldest unprocessed message may be before requests needing it fail",
  ),
  share: percent.optional().describe("Share of its requests that need that state (default 100%)"),
});

const dnsRecord = obj({
  targets: ids.min(1).describe("Components the record points at"),
  ttl: duration,
  negativeTtl: duration.optional().describe("How long resolvers cache a missing answer"),
  failover: obj({ targets: ids.min(1), healthCheck: healthCheck.optional() }).optional(),
  managedBy: id.optional().describe("Automation that writes the record"),
  availability: percent.optional(),
});

// --- content, fleets, replicas and shards (see model/content.ts) -----------------------------

const rollout = obj({
  staged: z.boolean().describe("True when a change reaches one stage at a time, health-gated"),
  stages: smallInt(1, 1000).optional().describe("Number of stages (waves)"),
  bake: duration.optional().describe("Time each stage bakes before the next one starts"),
});

const served = obj({
  kind: z.enum(CONTENT_KINDS),
  size: size.optional().describe("Size of a version"),
  entries: count.optional().describe("Entries in a version (features, rules, keys)"),
  rollout: rollout
    .optional()
    .describe("How a new version reaches readers; without it, all at once"),
  regenerate: duration
    .optional()
    .describe("The server publishes a fresh version this often (a generator on a timer)"),
});

const contentRead = obj({
  refresh: duration.optional().describe("How often the reader fetches a new version (default 1m)"),
  ttl: duration
    .optional()
    .describe("How long a copy may be used without a successful refresh (default: for ever)"),
  lastKnownGood: z
    .enum(LAST_KNOWN_GOOD)
    .optional()
    .describe(
      "When a copy expires or a version fails validation: keep the last good one, fail-closed (default) or fail-open",
    ),
  validate: obj({
    maxSize: size.optional(),
    maxEntries: count.optional(),
    fields: z.array(z.string().min(1)).optional().describe("Fields a version must have"),
  })
    .optional()
    .describe("Limits a new version is checked against before it is used"),
  limits: obj({
    maxSize: size.optional(),
    maxEntries: count.optional(),
  })
    .optional()
    .describe(
      "The reader's own hard limits (a preallocated table, a buffer): a version past them makes the reader fail",
    ),
});

const replication = obj({
  replica: id.describe("The component holding the replica"),
  lag: duration.describe("How far the replica trails the primary"),
  failover: z
    .enum(["automatic", "manual"])
    .optional()
    .describe(
      "automatic: callers are served by the replica when the primary fails (default manual)",
    ),
  failoverAfter: duration
    .optional()
    .describe(
      "With automatic failover: time from the primary failing to its callers reaching the replica (detection and promotion; default 0s)",
    ),
});

const fleet = obj({
  members: ids.min(1).describe("Components in the fleet"),
  shares: z
    .array(z.enum(FLEET_SHARES))
    .min(1)
    .describe(
      "What one change or limit hits in all of them: software-version, configuration, host-limit",
    ),
  rollout: rollout
    .optional()
    .describe("How a new version reaches the members; without it, all at once"),
  description: z.string().optional(),
});

const componentShape = {
  kind: z.enum(COMPONENT_KINDS),
  plane: z.enum(["control", "data"]).optional(),
  description: z.string().optional(),
  placement,
  redundancy: redundancy.optional(),
  capacity: rate.optional(),
  concurrency: count.optional(),
  latency: duration.optional(),
  buffer: duration
    .optional()
    .describe(
      "The most work it queues, as a wait at its capacity: what arrives beyond it is dropped at once (a bounded queue, tail drop), instead of queueing until callers time out",
    ),
  recovery: obj({
    restart: duration.optional(),
    coldStart: z.enum(["needs-dependencies", "after-dependencies", "standalone"]).optional(),
    minimum: percent
      .optional()
      .describe(
        "The least share of its capacity it can run with: a capacity loss that leaves less stops it, and it restarts in full once it has that share again",
      ),
    warmup: obj({
      over: duration.describe("How long it takes to reach full strength after a (re)start"),
      capacity: percent
        .optional()
        .describe("The share of its capacity it has when it starts (default 100%)"),
      calls: z
        .number()
        .optional()
        .describe(
          "Its calls to each dependency when it starts, as a multiple of the usual (default 1)",
        ),
    }).optional(),
  }).optional(),
  rto: duration.optional().describe("Recovery time objective"),
  availability: percent.optional(),
  tokens: obj({ ttl: duration, refreshBefore: duration.optional() }).optional(),
  leases: obj({
    duration,
    renewEvery: duration,
    count,
    establishRate: rate
      .optional()
      .describe("Lapsed leases the component can re-establish per second"),
    attemptTimeout: duration
      .optional()
      .describe("How long a host awaits an attempt to re-establish its lease (default: duration)"),
    retryBackoff: duration
      .optional()
      .describe("How long a host waits before sending another attempt (default 0s)"),
    publishes: z
      .string()
      .min(1)
      .optional()
      .describe("Queue that receives one message per lease re-established (state to propagate)"),
  }).optional(),
  healthCheck: healthCheck.optional(),
  records: z.record(z.string().min(1), dnsRecord).optional(),
  needs: dependencies.optional().describe("Hard dependencies: the caller fails without them"),
  wants: dependencies.optional().describe("Soft dependencies: the caller degrades without them"),
  publishes: ids.optional(),
  observes: ids.optional(),
  needsFresh: idMap(freshState)
    .optional()
    .describe("Queues whose state it needs fresh, keyed by queue id"),
  serves: idMap(served).optional().describe("Named content this component serves"),
  reads: z
    .union([ids, idMap(z.union([z.null(), contentRead]))])
    .optional()
    .describe("Served content this component reads, with its cache settings"),
  replication: replication.optional().describe("A replica of this component's state"),
  backup: obj({
    every: duration.describe("How often a backup of its state is taken"),
    restore: duration.describe("How long restoring it from the last backup takes"),
  })
    .optional()
    .describe("Backups of this component's state, and what restoring one takes"),
  shards: obj({ by: id.describe("region, zone, cell or a custom domain kind") })
    .optional()
    .describe("Each placement domain holds a shard of the state, failing on its own"),
  source: sources.optional(),
};
const component = obj(componentShape);

/**
 * A refinement of a component declared in another file (usually an imported one): any of the
 * component's keys, all optional, plus `drop` to take dependencies out. See `model/refine.ts`.
 */
const refinement = obj({
  ...(Object.fromEntries(
    Object.entries(componentShape)
      .filter(([k]) => k !== "source")
      .map(([k, v]) => [k, (v as z.ZodType).optional()]),
  ) as {
    [K in Exclude<keyof typeof componentShape, "source">]: z.ZodOptional<
      (typeof componentShape)[K]
    >;
  }),
  drop: ids.optional().describe("Dependencies (needs or wants) of the component to take out"),
});

// --- queues, workloads, monitoring, operations ------------------------------------------------------

const consumer = z.union([rate, obj({ rate, concurrency: count.optional() })]);

const queue = obj({
  service: id.optional().describe("Component hosting the queue"),
  consumers: idMap(consumer).optional(),
  retention: duration.optional(),
  visibilityTimeout: duration.optional(),
  maxReceives: smallInt(1, 1000).optional(),
  deadLetter: id.optional(),
});

const workload = obj({
  entry: id,
  rate,
  profile: z.array(obj({ at: duration, rate })).optional(),
  returnRate: percent
    .optional()
    .describe("Share of failed requests whose users try again (below 100%), with returnAfter"),
  returnAfter: duration
    .optional()
    .describe("How long, on average, users wait before trying a failed request again"),
  slo: percent.optional(),
  rto: duration.optional(),
  tier: smallInt(1, 4).optional(),
});

const threshold = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === "number") return v;
    for (const parse of [parsePercent, parseDuration, parseCount]) {
      const r = parse(v);
      if (typeof r === "number") return r;
    }
    ctx.addIssue({
      code: "custom",
      message: "expected a number, a percentage (5%), a duration (2s) or a count (10k)",
      input: v,
    });
    return z.NEVER;
  })
  .meta({ anyOf: [{ type: "number" }, { type: "string" }] });

const alarm = obj({
  monitor: id.describe("Monitoring component that evaluates the alarm"),
  target: id.describe("Component whose signal is watched"),
  signal: z.enum(["error-rate", "latency", "availability", "backlog", "saturation"]),
  threshold,
  period: duration.optional(),
  evaluationPeriods: smallInt(1, 1000).optional(),
  datapoints: smallInt(1, 1000).optional(),
});

/** A condition an action checks when it triggers (model and scenario actions alike). */
export const actionCondition = z
  .union([
    obj({ component: id, is: z.enum(["up", "degraded", "down", "recovering"]) }),
    obj({ alarm: id, is: z.enum(["ok", "alarm", "insufficient-data"]) }),
    obj({ queue: id, backlogAbove: count }),
    obj({ queue: id, ageAbove: duration }),
  ])
  .describe(
    "Checked when the action triggers, else it is skipped: { component: id, is: down }, { alarm: id, is: alarm }, { queue: id, backlogAbove: 10k } or { queue: id, ageAbove: 30m }",
  );

const action = obj({
  do: z.enum(ACTION_KINDS),
  target: z.string().min(1),
  when: z
    .union([z.literal("manual"), obj({ alarm: id }), obj({ at: duration })])
    .optional()
    .describe("manual (default), { alarm: id } or { at: 2h }"),
  at: duration
    .optional()
    .describe("Time trigger, as in scenarios: the same as when: { at: 2h }; not with when"),
  after: duration.optional().describe("Delay between the trigger and the effect"),
  rate: rate.optional(),
  fraction: percent.optional(),
  capacity: rate.optional().describe("For scale: the capacity it will have"),
  factor: z
    .number()
    .positive()
    .optional()
    .describe("For scale: a factor on its capacity and concurrency (2 doubles them)"),
  to: rate.optional().describe("For a throttle that ramps: the rate it admits at the end"),
  over: duration.optional().describe("For a throttle or a scale that ramps: how long it takes"),
  maxWait: duration
    .optional()
    .describe("For a throttle: admit work only while it would wait less than this (queue age)"),
  if: actionCondition.optional(),
});

// --- assumptions: where a number comes from (paths checked by model/assumptions.ts) ----------

const assumptionNote = z
  .string()
  .min(1)
  .optional()
  .describe("Anything else worth knowing about the number");

/**
 * One entry of `assumptions:` (model and scenario files alike): where the number at a path of
 * the same file comes from. A public number names its fact, a calibrated one the public
 * observation it was fitted to; a guess may say why it was chosen.
 */
const assumption = z.discriminatedUnion("source", [
  obj({
    source: z.literal("public"),
    fact: z.string().min(1).describe("The public fact the number states, and where it is"),
    note: assumptionNote,
  }),
  obj({
    source: z.literal("calibrated"),
    to: z.string().min(1).describe("The public observation the number was fitted to"),
    note: assumptionNote,
  }),
  obj({ source: z.literal("guess"), note: assumptionNote }),
]);

export const assumptions = z
  .record(z.string().min(1).describe("A slash-separated path to a number of this file"), assumption)
  .describe(
    "Where numbers of this file come from, keyed by slash-separated path (components/api/capacity): public (with fact), calibrated (with to) or guess",
  );

export const modelFileSchema = obj({
  version: z.literal(1).optional(),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  include: z.array(z.string().min(1)).optional().describe("Further model files, relative paths"),
  domains: idMap(domainNode).optional(),
  components: idMap(component).optional(),
  queues: idMap(queue).optional(),
  workloads: idMap(workload).optional(),
  alarms: idMap(alarm).optional(),
  actions: idMap(action).optional(),
  fleets: idMap(fleet)
    .optional()
    .describe("Components that fail as one: one binary, one configuration, one per-host limit"),
  refine: idMap(refinement)
    .optional()
    .describe("Changes to components declared in other files (an overlay on imported ones)"),
  assumptions: assumptions.optional(),
});

export type ModelFileInput = z.input<typeof modelFileSchema>;
export type ModelFile = z.output<typeof modelFileSchema>;
export type ComponentInput = z.output<typeof component>;
export type DependencyOptionsInput = z.output<typeof dependencyOptions>;
export type DnsRecordInput = z.output<typeof dnsRecord>;
export type FleetInput = z.output<typeof fleet>;
export type RefinementInput = z.output<typeof refinement>;
export type ProvenanceInput = z.output<typeof provenance>;
export type AssumptionInput = z.output<typeof assumption>;

/** The JSON Schema for editors, derived from the validator's own schema. */
export function modelJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(modelFileSchema, { io: "input", unrepresentable: "any" });
  return {
    ...schema,
    $id: "https://faultline.dev/schema/faultline-model.schema.json",
    title: "Faultline architecture model",
  };
}
