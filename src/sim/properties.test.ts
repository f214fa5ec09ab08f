/**
 * Invariants of the engine over random models and scenarios: quantities are conserved, finite
 * and non-negative, time runs forwards, fractions stay fractions, the timeline, summaries and
 * series agree, and the journal depends only on the model and the scenario — not on the run,
 * nor on the order faults, actions or YAML entries are written in. The journal writes its
 * totals so that these identities hold as written (the queue's own counters are checked before
 * rounding in message-queue.test.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import type { Model } from "../model/types.js";
import type { Scenario } from "../scenario/types.js";
import { generateModel } from "../synthetic/generate.js";
import { simulate } from "./engine.js";
import { modelOf } from "./fixtures.js";
import { generatedModelArb, modelTextArb } from "./model-fixtures.js";
import { scenarioArb, scenarioText } from "./scenario-fixtures.js";
import type { Journal } from "./types.js";

/** Runs per property, scaled by SIM_PROPERTY_RUNS (e.g. 20 for a long search). */
const SCALE = Number(process.env.SIM_PROPERTY_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
/** Time allowed per property: vitest's default, scaled with the runs. */
const TIMEOUT = 60_000 * Math.max(1, SCALE);

/** Fewer samples than the default keep each run short; the grid still forces boundaries. */
const SAMPLES = 121;

/** A model and a scenario on it, shown as a generator call or YAML when a property fails. */
interface Case {
  readonly model: Model;
  readonly scenario: Scenario;
  /** The model's source: generator parameters or YAML text. */
  readonly source: string;
}

function caseOf(model: Model, source: string, scenario: Scenario): Case {
  return {
    model,
    scenario,
    source,
    [fc.toStringMethod]: () => `model:\n${source}\nscenario:\n${scenarioText(scenario)}`,
  } as Case;
}

const generated = generatedModelArb.chain(({ model, source }) =>
  scenarioArb(model).map((scenario) => caseOf(model, source, scenario)),
);

const written = modelTextArb.chain((text) => {
  const model = modelOf(text);
  return scenarioArb(model).map((scenario) => caseOf(model, text, scenario));
});

/** Random models of both sorts: generated at scale, and written over a small vocabulary. */
const cases = fc.oneof(generated, written);

const run = ({ model, scenario }: Case) => simulate(model, scenario, { samples: SAMPLES });

/**
 * The invariants below share one seed, so they see the same cases: each case's journal is
 * computed once and checked by each of them. SIM_PROPERTY_SEED explores other cases.
 */
const SEED = Number(process.env.SIM_PROPERTY_SEED ?? 20251020);
const journals = new Map<string, Journal>();
function journalOf(c: Case): Journal {
  const key = `${c.source}\n${JSON.stringify(c.scenario)}`;
  let j = journals.get(key);
  if (!j) {
    j = run(c);
    journals.set(key, j);
  }
  return j;
}

/** Fields of the journal that are null when there is nothing to say. */
const NULLABLE = new Set([
  "scenario.startsAt",
  "components.*.firstImpact",
  "components.*.recoveredAt",
  "components.*.capacity",
  "workloads.*.slo",
  "workloads.*.sloBurn",
  "queues.*.peakAt",
  "queues.*.drainedAt",
  // State lost by a component without backups: there is no backup to name.
  "losses.*.backup",
  "timeline.*.cause.detail.backup",
]);
/** Fields that may be absent (undefined) from an object. */
const OPTIONAL = new Set(["timeline.*.cause.from", "timeline.*.cause.fromKind"]);

/** Every problem with a value anywhere in the journal: NaN, infinities, negatives, stray nulls. */
function badValues(journal: Journal): string[] {
  const problems: string[] = [];
  const walk = (v: unknown, path: string[], pattern: string[]) => {
    const at = path.join(".");
    const shape = pattern.join(".");
    if (v === null) {
      if (!NULLABLE.has(shape)) problems.push(`${at} is null`);
    } else if (v === undefined) {
      if (!OPTIONAL.has(shape)) problems.push(`${at} is undefined`);
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) problems.push(`${at} is ${v}`);
      else if (v < 0) problems.push(`${at} is negative (${v})`);
    } else if (typeof v === "string") {
      if (/NaN|undefined|Infinity/.test(v)) problems.push(`${at} reads ${JSON.stringify(v)}`);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => {
        walk(x, [...path, String(i)], [...pattern, "*"]);
      });
    } else if (typeof v === "object") {
      // Series are keyed by component, workload and queue ids.
      const keyed = pattern.length === 2 && pattern[0] === "series";
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k], [...pattern, keyed ? "*" : k]);
    } else if (typeof v !== "boolean") problems.push(`${at} is a ${typeof v}`);
  };
  walk(journal, [], []);
  return problems;
}

const close = (a: number, b: number, relative: number, absolute = 0) =>
  Math.abs(a - b) <= relative * Math.max(1, Math.abs(a), Math.abs(b)) + absolute;

/**
 * An invariant over the shared cases: `check` lists what is wrong with a journal (one line per
 * violation, naming the subject), and the property holds when the list is empty.
 */
function invariant(name: string, check: (j: Journal, c: Case) => string[]) {
  it(
    name,
    () => {
      fc.assert(
        fc.property(cases, (c) => {
          expect(check(journalOf(c), c)).toEqual([]);
        }),
        { numRuns: runs(20), seed: SEED },
      );
    },
    TIMEOUT,
  );
}

describe("simulate over random models and scenarios", () => {
  invariant("conserves requests and messages", (j) => {
    const out: string[] = [];
    for (const w of j.workloads) {
      if (!close(w.offered, w.served + w.failed, 1e-9, 0))
        out.push(`workload ${w.id}: offered ≠ served + failed in ${JSON.stringify(w)}`);
    }
    for (const q of j.queues) {
      const gone = q.consumed + q.deadLettered + q.expired + q.purged + q.rejected;
      if (!close(q.published, gone + q.finalBacklog, 1e-9, 0))
        out.push(`queue ${q.id}: published ≠ what left + final backlog in ${JSON.stringify(q)}`);
    }
    return out;
  });

  invariant(
    "writes only finite, non-negative numbers, and null only where nothing is known",
    badValues,
  );

  invariant("moves forwards in time, within the run", (j, c) => {
    const out: string[] = [];
    const duration = c.scenario.duration;
    let last = 0;
    for (const e of j.timeline) {
      const what = `timeline ${e.kind} ${e.subject} ${e.from} → ${e.to} at ${e.t}`;
      if (e.t < last) out.push(`${what}: before the previous entry (${last})`);
      if (e.t > duration) out.push(`${what}: after the end`);
      last = e.t;
    }
    const times = j.series.times;
    if (times[0] !== 0 || times.at(-1) !== duration)
      out.push(`series times run from ${times[0]} to ${times.at(-1)}`);
    for (let i = 1; i < times.length; i++) {
      if ((times[i] as number) <= (times[i - 1] as number))
        out.push(`series time ${i} (${times[i]}) is not after ${times[i - 1]}`);
    }
    for (const x of j.components) {
      if (x.firstImpact !== null && x.recoveredAt !== null && x.firstImpact > x.recoveredAt)
        out.push(`${x.id}: recovered at ${x.recoveredAt}, before its first impact`);
      for (const t of [x.firstImpact, x.recoveredAt])
        if (t !== null && t > duration) out.push(`${x.id}: a time (${t}) after the end`);
      if (x.downtime + x.degradedTime > duration * (1 + 1e-12))
        out.push(`${x.id}: downtime ${x.downtime} + degraded ${x.degradedTime} > ${duration}`);
    }
    for (const q of j.queues) {
      for (const t of [q.peakAt, q.drainedAt])
        if (t !== null && t > duration) out.push(`${q.id}: a time (${t}) after the end`);
    }
    return out;
  });

  invariant("keeps fractions within [0, 1] and states within their codes", (j) => {
    const out: string[] = [];
    const fraction = (what: string, x: number) => {
      if (!(x >= 0 && x <= 1)) out.push(`${what} is ${x}`);
    };
    for (const group of [j.series.success, j.series.workloads]) {
      for (const [id, xs] of Object.entries(group)) {
        for (const [i, x] of xs.entries()) fraction(`success of ${id} at sample ${i}`, x);
      }
    }
    for (const w of j.workloads) fraction(`availability of ${w.id}`, w.availability);
    for (const x of j.components) fraction(`worst success of ${x.id}`, x.worstSuccess);
    for (const [id, xs] of Object.entries(j.series.state)) {
      xs.forEach((x, i) => {
        if (![0, 1, 2, 3].includes(x)) out.push(`state of ${id} at sample ${i} is ${x}`);
      });
    }
    return out;
  });

  invariant("tells one story in its timeline, summaries and series", (j, c) => {
    const out: string[] = [];
    const n = j.series.times.length;
    const ids = (list: readonly { id: string }[]) => JSON.stringify(list.map((x) => x.id).sort());
    const keys = (group: Readonly<Record<string, readonly number[]>>) =>
      JSON.stringify(Object.keys(group).sort());
    if (keys(j.series.state) !== ids(c.model.components)) out.push("state series ≠ components");
    if (keys(j.series.success) !== ids(c.model.components)) out.push("success series ≠ components");
    if (keys(j.series.workloads) !== ids(c.model.workloads))
      out.push("workload series ≠ workloads");
    if (keys(j.series.backlog) !== ids(c.model.queues)) out.push("backlog series ≠ queues");
    for (const [name, group] of Object.entries(j.series)) {
      if (name === "times") continue;
      for (const [id, values] of Object.entries(group as Record<string, number[]>))
        if (values.length !== n) out.push(`${name} series of ${id}: ${values.length} samples`);
    }
    // Each subject's changes chain: every one starts from where the previous one ended. A
    // record has two such states (its answer, and whether it routes to its failover targets),
    // and a fault's rollout waves run beside its activity.
    const current = new Map<string, string>();
    for (const e of j.timeline) {
      const aspect =
        e.kind === "record" && ["primary", "failover"].includes(e.from)
          ? " route"
          : e.kind === "fault" && e.from.startsWith("wave ")
            ? " waves"
            : "";
      const key = `${e.kind} ${e.subject}${aspect}`;
      const before = current.get(key);
      if (before !== undefined && e.from !== before)
        out.push(`${key} changes from ${e.from} at ${e.t}, but was ${before}`);
      // A component that stays impaired for a new reason is logged again in the same state.
      const newReason = e.kind === "component" && e.to !== "up";
      if (e.from === e.to && !newReason)
        out.push(`${key} changes from ${e.from} to itself at ${e.t}`);
      current.set(key, e.to);
    }
    const CODE = { up: 0, degraded: 1, down: 2, recovering: 3 } as const;
    for (const x of j.components) {
      const changes = j.timeline.filter((e) => e.kind === "component" && e.subject === x.id);
      const first = changes[0];
      if (x.impacted !== (first !== undefined)) out.push(`${x.id}: impacted ${x.impacted}`);
      // Timeline times are rounded to the millisecond.
      if (first && (x.firstImpact === null || Math.abs(x.firstImpact - first.t) > 5e-4))
        out.push(`${x.id}: first impact ${x.firstImpact}, first change at ${first.t}`);
      if (first && first.from !== "up") out.push(`${x.id}: first change is from ${first.from}`);
      const last = changes.at(-1)?.to ?? "up";
      if (last !== x.finalState) out.push(`${x.id}: final state ${x.finalState}, last ${last}`);
      if (j.series.state[x.id]?.at(-1) !== CODE[x.finalState])
        out.push(
          `${x.id}: final state ${x.finalState}, last sample ${j.series.state[x.id]?.at(-1)}`,
        );
      if (x.recoveredAt !== null && x.finalState !== "up")
        out.push(`${x.id}: recovered at ${x.recoveredAt} but ends ${x.finalState}`);
      const worst = Math.min(...(j.series.success[x.id] ?? []));
      if (x.worstSuccess > worst + 1e-6)
        out.push(`${x.id}: worst success ${x.worstSuccess}, a sample of ${worst}`);
      const load = j.series.load[x.id];
      if (load && x.peakLoad < Math.max(...load) - 1e-3)
        out.push(`${x.id}: peak load ${x.peakLoad}, a sample of ${Math.max(...load)}`);
    }
    for (const q of j.queues) {
      const backlog = j.series.backlog[q.id] ?? [];
      if (Math.abs((backlog.at(-1) ?? 0) - q.finalBacklog) > 1e-3)
        out.push(`${q.id}: final backlog ${q.finalBacklog}, last sample ${backlog.at(-1)}`);
      if (q.peakBacklog < Math.max(...backlog) - 1e-3)
        out.push(`${q.id}: peak backlog ${q.peakBacklog}, a sample of ${Math.max(...backlog)}`);
    }
    for (const w of j.workloads) {
      if (w.offered > 0 && !close(w.availability, w.served / w.offered, 1e-6))
        out.push(`${w.id}: availability ${w.availability} ≠ served / offered`);
    }
    return out;
  });

  it(
    "gives the same bytes twice, and leaves its inputs alone",
    () => {
      fc.assert(
        fc.property(cases, (c) => {
          const before = JSON.stringify([c.model, c.scenario]);
          const a = JSON.stringify(journalOf(c));
          const b = JSON.stringify(run(c));
          expect(a === b).toBe(true);
          expect(JSON.stringify([c.model, c.scenario]) === before).toBe(true);
        }),
        { numRuns: runs(20), seed: SEED },
      );
    },
    TIMEOUT,
  );
});

describe("incremental evaluation", () => {
  it(
    "gives the same journal as evaluating every component at every step",
    () => {
      fc.assert(
        fc.property(cases, (c) => {
          const full = simulate(c.model, c.scenario, { samples: SAMPLES, exhaustive: true });
          const incremental = journalOf(c);
          // Steps and events are the same; the journal must be too, byte for byte.
          expect(JSON.stringify(incremental)).toBe(JSON.stringify(full));
        }),
        { numRuns: runs(40), seed: SEED },
      );
    },
    TIMEOUT,
  );

  // Larger models than the cases above, so that a step changes only part of the model: the
  // incremental bookkeeping (which components, loads, memories and records are looked at
  // again) is what decides, not the evaluation of each component.
  const larger = fc
    .record({
      components: fc.integer({ min: 60, max: 150 }),
      density: fc.constantFrom(2, 4, 5),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      regions: fc.integer({ min: 2, max: 3 }),
    })
    .chain(({ components, density, seed, regions }) => {
      const params = { components, dependencies: components * density, seed, regions };
      const model = generateModel(params);
      const source = `generateModel(${JSON.stringify(params)})`;
      return scenarioArb(model, { maxDuration: 3600 }).map((scenario) =>
        caseOf(model, source, scenario),
      );
    });

  it(
    "gives the same journal as evaluating every component at every step, on larger models",
    () => {
      fc.assert(
        fc.property(larger, (c) => {
          const full = simulate(c.model, c.scenario, { samples: SAMPLES, exhaustive: true });
          const incremental = simulate(c.model, c.scenario, { samples: SAMPLES });
          expect(JSON.stringify(incremental)).toBe(JSON.stringify(full));
        }),
        { numRuns: runs(5), seed: SEED },
      );
    },
    TIMEOUT,
  );
});

/** A seeded shuffle (the permutation is part of the counterexample). */
function shuffle<T>(list: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A model file with every mapping's entries, and every list of ids, in a shuffled order. */
function shuffledYaml(text: string, seed: number): string {
  let k = seed;
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) {
      const items = v.map((x) => walk(x));
      // Lists of ids are sets; a load profile is ordered in time.
      return key === "profile" ? items : shuffle(items, k++);
    }
    if (v && typeof v === "object")
      return Object.fromEntries(shuffle(Object.entries(v), k++).map(([x, y]) => [x, walk(y, x)]));
    return v;
  };
  return stringify(walk(parseDocument(text).toJS()), { aliasDuplicateObjects: false });
}

/** About ten components using records (with failover), tokens, leases, queues, alarms, actions. */
const SHOP = `
components:
  dns:
    kind: dns
    placement: { global: true, provider: cloud }
    records:
      db.example:
        targets: [db]
        ttl: 60s
        negativeTtl: 5m
        managedBy: planner
        failover: { targets: [db-replica], healthCheck: { interval: 10s, threshold: 3 } }
      cache.example: { targets: [cache], ttl: 30s }
  planner: { kind: automation, placement: { region: r1 } }
  idp:
    kind: identity
    placement: { region: r1 }
    tokens: { ttl: 1h, refreshBefore: 10m }
    needs: { db: { via: db.example } }
  db:
    kind: database
    placement: { zones: [r1-a, r1-b, r1-c] }
    redundancy: { quorum: 2 }
    capacity: 5k rps
    latency: 5ms
    recovery: { restart: 5m }
  db-replica: { kind: database, placement: { region: r2 }, capacity: 2k rps, latency: 40ms }
  cache: { kind: cache, placement: { zones: [r1-a, r1-b] }, latency: 2ms }
  lm:
    kind: lease-manager
    placement: { region: r1 }
    leases: { duration: 30m, renewEvery: 5m, count: 10k, establishRate: 20 rps }
    needs: [db, dns]
  api:
    kind: api
    placement: { zones: [r1-a, r1-b], region: r1 }
    capacity: 3k rps
    concurrency: 400
    healthCheck: { interval: 10s, threshold: 3 }
    needs:
      db:
        via: db.example
        auth: idp
        timeout: 2s
        retry: { attempts: 3, backoff: 100ms, jitter: full, budget: 20% }
        breaker: { errorRate: 50% }
        fallback: db-replica
      lm: { calls: 0.5 }
    wants:
      cache: { cache: { ttl: 5m, staleIfError: 1h }, degraded: no-cache }
    publishes: [orders, audit]
  worker:
    kind: worker
    placement: { zones: [r1-a, r1-b] }
    needs: { db: { timeout: 1s }, cache: { via: cache.example } }
    recovery: { restart: 2m, coldStart: standalone }
  sqs: { kind: queue-service, placement: { region: r1 } }
  lb-check: { kind: health-check, placement: { region: r1 }, observes: [api] }
  mon: { kind: monitoring, placement: { region: r2 }, observes: [api, db, worker, lm] }
queues:
  orders:
    service: sqs
    consumers: { worker: { rate: 500 rps, concurrency: 50 } }
    retention: 2h
    maxReceives: 3
    deadLetter: orders-dlq
  orders-dlq: { service: sqs, retention: 1d }
  audit: { consumers: { worker: 100 rps, db-replica: 50 rps }, retention: 4h }
workloads:
  checkout:
    entry: api
    rate: 400 rps
    slo: 99.9%
    profile: [{ at: 0s, rate: 400 rps }, { at: 1h, rate: 2k rps }, { at: 3h, rate: 400 rps }]
  browse: { entry: api, rate: 1k rps, slo: 99% }
  batch: { entry: worker, rate: 50 rps }
alarms:
  api-errors:
    monitor: mon
    target: api
    signal: error-rate
    threshold: 5%
    evaluationPeriods: 3
    datapoints: 2
  db-saturated: { monitor: mon, target: db, signal: saturation, threshold: 90%, period: 30s }
  worker-slow: { monitor: mon, target: worker, signal: latency, threshold: 1s }
  lm-available: { monitor: mon, target: lm, signal: availability, threshold: 99% }
actions:
  restart-api: { do: restart, target: api, when: { alarm: api-errors }, after: 10m }
  fix-db-dns: { do: fix-dns, target: db.example, after: 30m }
  shed: { do: shed-load, target: api, when: { alarm: db-saturated }, fraction: 30% }
  throttle-lm: { do: throttle, target: lm, when: { alarm: lm-available }, rate: 50 rps }
  purge-dlq: { do: purge-queue, target: orders-dlq, when: { at: 6h } }
  pause-audit: { do: pause-queue, target: audit, when: { at: 20m } }
  resume-audit: { do: resume-queue, target: audit, when: { at: 1h } }
`;

describe("simulate is independent of the order things are written in", () => {
  it(
    "faults, actions and disabled model actions in any order give the same journal",
    () => {
      fc.assert(
        fc.property(cases, (c) => {
          const s = c.scenario;
          // Reversed, then shuffled by a seed of the case's own (the cases are the invariants').
          const reordered: Scenario = {
            ...s,
            faults: shuffle([...s.faults].reverse(), s.duration),
            actions: shuffle([...s.actions].reverse(), s.duration + 1),
            disabledModelActions: shuffle([...s.disabledModelActions].reverse(), s.duration + 2),
          };
          const a = JSON.stringify(journalOf(c));
          const b = JSON.stringify(run({ ...c, scenario: reordered }));
          expect(a === b).toBe(true);
        }),
        { numRuns: runs(20), seed: SEED },
      );
    },
    TIMEOUT,
  );

  it(
    "a model's YAML entries in any order give the same journal",
    () => {
      const shop = modelOf(SHOP);
      const shopCases = scenarioArb(shop, { maxDuration: 6 * 3600 });
      fc.assert(
        fc.property(shopCases, fc.nat(), (scenario, seed) => {
          const a = JSON.stringify(simulate(shop, scenario, { samples: SAMPLES }));
          const b = JSON.stringify(
            simulate(modelOf(shuffledYaml(SHOP, seed)), scenario, { samples: SAMPLES }),
          );
          expect(a === b).toBe(true);
        }),
        { numRuns: runs(10) },
      );
    },
    TIMEOUT,
  );

  it(
    "so does a random model's",
    () => {
      const texts = modelTextArb.chain((text) =>
        scenarioArb(modelOf(text), { maxDuration: 6 * 3600 }).map((scenario) => ({
          text,
          scenario,
          [fc.toStringMethod]: () => `model:\n${text}\nscenario:\n${scenarioText(scenario)}`,
        })),
      );
      fc.assert(
        fc.property(texts, fc.nat(), ({ text, scenario }, seed) => {
          const a = JSON.stringify(simulate(modelOf(text), scenario, { samples: SAMPLES }));
          const b = JSON.stringify(
            simulate(modelOf(shuffledYaml(text, seed)), scenario, { samples: SAMPLES }),
          );
          expect(a === b).toBe(true);
        }),
        { numRuns: runs(10) },
      );
    },
    TIMEOUT,
  );
});
