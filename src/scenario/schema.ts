/**
 * @module scenario/schema
 * The scenario file format, written once in zod with the model's own building blocks (strict
 * objects that name their allowed keys, units, ids): the validator checks YAML against it and
 * `scenarioJsonSchema()` derives the JSON Schema editors use. The two cannot drift apart.
 *
 * The schema checks shapes, units and ranges of single values. Whatever needs several values at
 * once (a fault ending before it starts, a window with `to` before `from`) or the model the
 * scenario runs on (targets, alarms, model actions) is checked by `scenario/semantics.ts`.
 */
import * as z from "zod";
import { actionCondition, assumptions } from "../model/schema.js";
import {
  count,
  duration,
  id,
  idMap,
  ids,
  obj,
  percent,
  rate,
  size,
} from "../model/schema-values.js";
import { ACTION_KINDS } from "../model/types.js";
import { DURATION_PATTERN, parseDuration } from "../model/units.js";
import { INSTANT_PATTERN, parseInstant } from "./instant.js";
import type { FAULT_KINDS } from "./types.js";

/**
 * A duration inside a union with a mapping form. Each branch rejects the other's type outright,
 * so a mistake is reported against the form that was written (see `model/shape-issues.ts`).
 * A bare number is read as text so that it gets the unit hint rather than a type error.
 */
function durationOr(mapping: string, keyword?: string) {
  const words = keyword !== undefined ? `${keyword}, ` : "";
  return z
    .preprocess(
      (v) => (typeof v === "number" ? String(v) : v),
      z.string().transform((v, ctx) => {
        if (keyword !== undefined && v === keyword) return keyword;
        const r = parseDuration(v);
        if (typeof r === "string") {
          ctx.addIssue({
            code: "custom",
            message: /needs a unit|negative|longer|short units/.test(r)
              ? r
              : `expected ${words}a duration such as 30s or 2h37m, or ${mapping}`,
            input: v,
          });
          return z.NEVER;
        }
        return r;
      }),
    )
    .meta({
      anyOf: [
        ...(keyword !== undefined ? [{ const: keyword }] : []),
        { type: "string", pattern: DURATION_PATTERN },
      ],
    });
}

/**
 * A time in an expectation: a duration from the start, or a wall-clock instant (for scenarios
 * with `startsAt`; `scenario/expectations.ts` turns it into seconds from the start), or the
 * mapping form `mapping` names when there is one.
 */
function moment(mapping?: string) {
  return z
    .preprocess(
      (v) => (typeof v === "number" ? String(v) : v),
      z.string().transform((v, ctx): number | { instant: string } => {
        const r = parseDuration(v);
        if (typeof r !== "string") return r;
        if (parseInstant(v) !== undefined) return { instant: v };
        ctx.addIssue({
          code: "custom",
          message: /needs a unit|negative|longer|short units/.test(r)
            ? r
            : `expected a duration such as 2h37m, or a date and time with an offset such as 2025-10-20T09:40:00-07:00 (scenarios with startsAt)${mapping ? `, or ${mapping}` : ""}`,
          input: v,
        });
        return z.NEVER;
      }),
    )
    .meta({
      anyOf: [
        { type: "string", pattern: DURATION_PATTERN },
        { type: "string", pattern: INSTANT_PATTERN },
      ],
    });
}

/** `until`: a time, `never`, or `{ action: id }`. */
const until = z
  .union([
    obj({ action: id.describe("Scenario or model action whose effect ends the fault") }),
    durationOr("{ action: id }", "never"),
  ])
  .describe("When the fault ends: a time such as 2h37m, never (the default), or { action: id }");

const at = duration.optional().describe("When the fault starts (default 0s)");

/** What every fault accepts besides its own keys. */
const timing = { at, until: until.optional() };

const target = (what: string) => z.string().min(1).describe(what);

const rollout = obj({
  waves: z
    .array(percent)
    .min(1)
    .optional()
    .describe("Cumulative share of the fleet reached by each wave, ascending (default [100%])"),
  bake: duration.optional().describe("Time from the start of one wave to the next (default 0s)"),
  rollbackOn: id.optional().describe("Alarm whose firing stops the rollout and rolls it back"),
  rollbackAfter: duration
    .optional()
    .describe("Time from the alarm firing to the change being rolled back (default 0s)"),
});

/** What a reader's validation and limits can see of a bad version of content. */
const grown = {
  size: size.optional().describe("Size of the bad version"),
  entries: count.optional().describe("Entries (features, rules, keys) in the bad version"),
};
const badVersion = {
  ...grown,
  missing: z
    .array(z.string().min(1))
    .optional()
    .describe("Fields the bad version lacks (a reader validating them rejects it)"),
};

/** How the bad versions of content go out. */
const publishing = {
  delay: duration
    .optional()
    .describe("Time from publishing to readers being able to fetch it (default 0s)"),
  generations: percent
    .optional()
    .describe(
      "For content its server regenerates: share of the regenerations that come out bad while the fault lasts (default 100%)",
    ),
};

const fault = z.discriminatedUnion("kind", [
  obj({
    kind: z.literal("down"),
    target: target("Component or failure domain (zone, region, provider…) that stops serving"),
    ...timing,
  }),
  obj({
    kind: z.literal("data-loss"),
    target: target(
      "Component whose state is lost or corrupted: down until restore-backup (or until) restores it",
    ),
    ...timing,
  }),
  obj({
    kind: z.literal(["dns-empty", "dns-wrong", "dns-nxdomain"]),
    target: target("DNS record name, as declared in the model"),
    ...timing,
  }),
  obj({
    kind: z.literal("latency"),
    target: target("Component"),
    latency: duration.describe("Latency added to every request the component serves"),
    ...timing,
  }),
  obj({
    kind: z.literal("error-rate"),
    target: target("Component"),
    rate: percent.describe("Share of the component's requests that fail"),
    ...timing,
  }),
  obj({
    kind: z.literal("capacity-loss"),
    target: target("Component"),
    fraction: percent.describe("Share of the component's capacity lost"),
    ...timing,
  }),
  obj({
    kind: z.literal("partition"),
    between: ids
      .meta({ minItems: 2, maxItems: 2 })
      .describe("The two failure domains that cannot reach each other"),
    ...timing,
  }),
  obj({
    kind: z.literal("surge"),
    target: target("Workload"),
    factor: z.number().positive().max(1000).describe("Multiplier of the workload's rate"),
    ...timing,
  }),
  obj({
    kind: z.literal("credential-expiry"),
    target: target("Component whose credential or certificate expires"),
    credential: z
      .enum(["client", "certificate"])
      .optional()
      .describe(
        "client: the credentials it calls with (default); certificate: the one it serves with",
      ),
    ...timing,
  }),
  obj({
    kind: z.literal("bad-change"),
    target: target("Component whose fleet receives the change"),
    effect: z
      .enum(["down", "error-rate"])
      .optional()
      .describe("What the change does where it lands (default down)"),
    rate: percent.optional().describe("With effect error-rate: share of requests that fail"),
    rollout: rollout.optional(),
    ...timing,
  }),
  obj({
    kind: z.literal("bad-config"),
    target: target("Served content (named under some component's serves) that gets a bad version"),
    effect: z
      .enum(["down", "error-rate", "wrong-answers"])
      .optional()
      .describe(
        "What the bad version does to a reader that takes it: fail it (down, the default), fail rate of its requests, or answer rate of them wrongly",
      ),
    rate: percent
      .optional()
      .describe(
        "With error-rate (required) or wrong-answers (default 100%): share of the requests",
      ),
    ...badVersion,
    hosts: percent
      .optional()
      .describe("Share of each reader's hosts the bad version harms (default 100%)"),
    after: duration
      .optional()
      .describe("Time from a host taking the version to its effect (default 0s: at once)"),
    trigger: id
      .optional()
      .describe("A fault of this scenario: the bad version stays latent until it starts"),
    repair: duration
      .optional()
      .describe(
        "With effect down: a host it fails cannot fetch again (it fails as it starts), so it stays down after the version is withdrawn until repaired by hand, this long after it failed on average (spread exponentially over the harmed hosts)",
      ),
    ...publishing,
    ...timing,
  }),
  obj({
    kind: z.literal("config-oversize"),
    target: target("Served content that grows past its readers' limits"),
    ...grown,
    ...publishing,
    ...timing,
  }),
  obj({
    kind: z.literal("key-removed"),
    target: target("Served content of kind signing-keys that loses a key still in use"),
    rate: percent
      .optional()
      .describe("Share of requests whose tokens the removed key signed (default 100%)"),
    hosts: percent
      .optional()
      .describe("Share of each reader's hosts that validate with the key set (default 100%)"),
    ...publishing,
    ...timing,
  }),
]);

const action = obj({
  do: z.enum(ACTION_KINDS),
  target: z.string().min(1).describe("Component, DNS record or queue, depending on `do`"),
  at: duration.optional().describe("Time trigger; exactly one of at and when"),
  when: z
    .union([obj({ alarm: id }), obj({ at: duration })])
    .optional()
    .describe(
      "Alarm trigger, { alarm: id } (or a time, { at: 2h }, as in models); exactly one of at and when",
    ),
  after: duration.optional().describe("Delay between the trigger and the effect (default 0s)"),
  rate: rate.optional().describe("Admitted rate, for throttle (required there) and restart"),
  fraction: percent.optional().describe("Shed fraction, for shed-load (required there)"),
  capacity: rate
    .optional()
    .describe("For scale: the capacity it will have; exactly one of capacity and factor"),
  factor: z
    .number()
    .positive()
    .optional()
    .describe(
      "For scale: a factor on its capacity and concurrency; exactly one of capacity and factor",
    ),
  to: rate.optional().describe("For a throttle that ramps: the rate it admits at the end"),
  over: duration.optional().describe("For a throttle or a scale that ramps: how long it takes"),
  maxWait: duration
    .optional()
    .describe("For a throttle: admit work only while it would wait less than this (queue age)"),
  if: actionCondition.optional(),
});

const bounds = <T extends z.ZodType>(value: T) => ({
  atLeast: value.optional(),
  atMost: value.optional(),
});

/** One entry of `expect`: a mapping with exactly one key naming its kind. */
const expectation = obj({
  availability: obj({
    workload: id,
    from: moment().optional().describe("Start of the window (default 0s)"),
    to: moment().optional().describe("End of the window (default the scenario's duration)"),
    ...bounds(percent),
  }).optional(),
  impacted: obj({
    component: id,
    is: z.boolean().optional().describe("Whether it is impacted (default true)"),
  }).optional(),
  timeToImpact: obj({
    component: id,
    from: z
      .union([
        obj({ fault: id.describe("Measure from the start of this fault") }),
        moment("{ fault: id }"),
      ])
      .optional()
      .describe("A time (default 0s) or { fault: id }"),
    ...bounds(duration),
    state: z
      .enum(["impaired", "down"])
      .optional()
      .describe("impaired: its first impact (the default); down: the first time it is down"),
  }).optional(),
  alarm: obj({
    alarm: id.describe("An alarm of the model"),
    fires: z.boolean().optional().describe("Whether it fires (default true)"),
    by: moment()
      .optional()
      .describe(
        "With fires: true, the time it fires by; with false, the time it stays silent until",
      ),
    after: moment()
      .optional()
      .describe("With fires: true, it fires no earlier than this (a window with by)"),
  }).optional(),
  peakLoad: obj({ component: id, ...bounds(rate) })
    .optional()
    .describe("The highest load offered to a component (retries included) over the run"),
  peakLatency: obj({ component: id, ...bounds(duration) })
    .optional()
    .describe(
      "The highest latency of a request the component served (its own time, its dependencies, its queue)",
    ),
  wrongAnswers: obj({ component: id, ...bounds(count) })
    .optional()
    .describe("Requests a component answered wrongly (a bad version of content) over the run"),
  dataAtRisk: obj({ component: id, ...bounds(count) })
    .optional()
    .describe(
      "Requests a primary had not replicated when it failed over (offered load when last up × lag), summed over its failovers",
    ),
  timeToRecover: obj({
    component: id,
    from: z
      .union([
        obj({ fault: id.describe("Measure from the end of this fault") }),
        moment("{ fault: id }"),
      ])
      .optional()
      .describe("A time (default 0s) or { fault: id }"),
    ...bounds(duration),
    to: z
      .enum(["up", "degraded"])
      .optional()
      .describe(
        "up: serving normally again (the default); degraded: out of down for good (half its requests or more)",
      ),
  }).optional(),
  drainedBy: obj({ queue: id, by: moment(), after: moment().optional() }).optional(),
  messagesLost: obj({ queue: id, ...bounds(count) }).optional(),
}).meta({ minProperties: 1, maxProperties: 1 });

/** A what-if change to one dependency of the model, for this run only. */
const change = obj({
  dependency: obj({
    from: id.describe("The calling component"),
    to: id.describe("The component it depends on"),
    cache: obj({
      ttl: duration,
      staleIfError: duration
        .optional()
        .describe("How long answers may be served stale (default 0s)"),
      hitRatio: percent
        .optional()
        .describe("Share of calls answered from the cache while fresh (default 100%)"),
      latency: duration.optional().describe("Time to answer a hit (default 0s)"),
    })
      .optional()
      .describe("A response cache on the call"),
    via: z
      .string()
      .min(1)
      .optional()
      .describe("DNS record the call resolves, or none for a private endpoint"),
    auth: z.string().min(1).optional().describe("Identity that authenticates the call, or none"),
    disable: z
      .boolean()
      .optional()
      .describe("true: the caller stops making the call; false: it makes it again"),
    at: duration.optional().describe("When the change takes effect (default: for the whole run)"),
  }).describe("Replaces options of an existing dependency, for the run or from a time"),
});

/** One event of the public timeline a replay is compared with (the report's case view). */
const timelineEvent = obj({
  at: moment().describe(
    "When it happened: a duration from the start, or a wall-clock time (with startsAt)",
  ),
  event: z.string().min(1).describe("What happened, in a line"),
  source: z.string().min(1).optional().describe("Where it is told"),
});

/**
 * A public fact the replay is scored on: the claim, its public value, and the expectations that
 * check it (or why none can).
 */
const fact = obj({
  claim: z.string().min(1).describe("What the public record says happened"),
  public: z
    .string()
    .min(1)
    .describe("The public value, as published (a time, a duration, a share)"),
  source: z.string().min(1).optional().describe("Where it is published"),
  expect: z
    .array(expectation)
    .min(1)
    .optional()
    .describe("The expectations that check it (two-sided windows around the public value)"),
  notSimulated: z
    .string()
    .min(1)
    .optional()
    .describe("Instead of expect: why no expectation of the engine can check it"),
});

export const EXPECTATION_KEYS = [
  "availability",
  "impacted",
  "timeToImpact",
  "timeToRecover",
  "drainedBy",
  "messagesLost",
  "alarm",
  "peakLoad",
  "dataAtRisk",
  "wrongAnswers",
  "peakLatency",
] as const;

const startsAt = z
  .string()
  .refine(
    (text) => parseInstant(text) !== undefined,
    "expected a date and time with an offset, such as 2025-10-19T23:48:00-07:00",
  )
  .meta({ pattern: INSTANT_PATTERN })
  .describe("Wall-clock time of time 0, ISO 8601 with an offset; used only to print times");

export const scenarioFileSchema = obj({
  name: z.string().min(1),
  description: z.string().optional(),
  duration: duration.describe("Simulated time, from 0"),
  seed: z
    .unknown()
    .optional()
    .describe("Not used: the engine is deterministic and draws nothing at random (an error)"),
  startsAt: startsAt.optional(),
  faults: idMap(fault).optional().describe("Faults, keyed by id"),
  actions: idMap(action).optional().describe("Operator actions, keyed by id"),
  disableModelActions: ids.optional().describe("Model actions left out of this run"),
  changes: z
    .array(change)
    .optional()
    .describe("What-if changes to the model for this run (lessons applied)"),
  expect: z.array(expectation).optional().describe("What the run must show"),
  timeline: z
    .array(timelineEvent)
    .optional()
    .describe("The public timeline of the outage a replay follows, for the report's case view"),
  facts: idMap(fact)
    .optional()
    .describe("Public facts the replay is scored on, keyed by id, each with its expectations"),
  assumptions: assumptions.optional(),
});

export type ScenarioFile = z.output<typeof scenarioFileSchema>;
export type FaultInput = NonNullable<ScenarioFile["faults"]>[string];
export type ActionInput = NonNullable<ScenarioFile["actions"]>[string];
export type ExpectationInput = NonNullable<ScenarioFile["expect"]>[number];
export type FactInput = NonNullable<ScenarioFile["facts"]>[string];
export type TimelineInput = NonNullable<ScenarioFile["timeline"]>[number];
export type ChangeInput = NonNullable<ScenarioFile["changes"]>[number];

// The kinds above must be exactly FAULT_KINDS: a kind added to the types needs a shape here.
type Written = FaultInput["kind"];
const _kindsMatch: [Written] extends [(typeof FAULT_KINDS)[number]]
  ? [(typeof FAULT_KINDS)[number]] extends [Written]
    ? true
    : never
  : never = true;
void _kindsMatch;

/** The JSON Schema for editors, derived from the validator's own schema. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioFileSchema, { io: "input", unrepresentable: "any" });
  return {
    ...schema,
    $id: "https://faultline.dev/schema/faultline-scenario.schema.json",
    title: "Faultline outage scenario",
  };
}
