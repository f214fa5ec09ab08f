/**
 * @module sim/model-fixtures
 * Random models for the property tests: the body of a small model file over a fixed
 * vocabulary, valid by construction (pass it to `modelOf` in `sim/fixtures`).
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { actionTargetKind } from "../model/actions.js";
import { ACTION_KINDS, type Model } from "../model/types.js";
import { generateModel } from "../synthetic/generate.js";

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const PLAIN_KINDS = ["api", "web", "worker", "database", "cache", "compute", "kv-store"] as const;

/** Placements over the test domains, and how many placements each counts. */
const PLACEMENTS: readonly [unknown, number][] = [
  [{ zones: ["r1-a", "r1-b"] }, 2],
  [{ zones: ["r1-a", "r1-b", "r1-c"] }, 3],
  [{ zones: ["r1-a"] }, 1],
  [{ region: "r1" }, 1],
  [{ region: "r2" }, 1],
  [{ regions: ["r1", "r2"] }, 2],
  [{ zones: ["r2-a", "r2-b"], region: "r2" }, 2],
  ["global", 0],
  [{ global: true, provider: "cloud" }, 1],
];

const componentSpec = fc.record({
  kind: fc.constantFrom(...PLAIN_KINDS),
  placement: fc.nat({ max: PLACEMENTS.length - 1 }),
  redundancy: fc.constantFrom("any", "all", "quorum"),
  capacity: opt(fc.constantFrom("20 rps", "200 rps", "2k rps", "50k rps")),
  concurrency: opt(fc.constantFrom(10, 200)),
  latency: opt(fc.constantFrom("5ms", "100ms", "1s")),
  restart: opt(fc.constantFrom("30s", "5m", "20m")),
  warmup: opt(
    fc.constantFrom(
      { over: "10m", capacity: "25%" },
      { over: "2m", calls: 3 },
      { over: "30m", capacity: "50%", calls: 2 },
    ),
  ),
  standalone: fc.boolean(),
  healthCheck: fc.boolean(),
  record: opt(
    fc.record({
      ttl: fc.constantFrom("30s", "60s", "5m"),
      negativeTtl: opt(fc.constantFrom("1m", "15m")),
      failover: opt(fc.record({ to: fc.nat(), autoFailover: fc.boolean() })),
      managed: fc.boolean(),
    }),
  ),
  publishes: fc.subarray(["jobs", "events"]),
});

const dependencySpec = fc.record({
  from: fc.nat(),
  to: fc.nat(),
  soft: fc.boolean(),
  calls: fc.constantFrom(1, 1, 2, 0.5),
  timeout: opt(fc.constantFrom("200ms", "2s", "30s")),
  retry: opt(
    fc.record({
      attempts: fc.integer({ min: 1, max: 4 }),
      backoff: fc.constantFrom("0s", "100ms"),
      jitter: fc.constantFrom("none", "full", "equal", "decorrelated"),
      budget: opt(fc.constantFrom("10%", "50%")),
    }),
  ),
  breaker: fc.boolean(),
  cache: opt(fc.constantFrom("0s", "1h")),
  via: fc.boolean(),
  auth: opt(fc.constantFrom("idp", "sts")),
  fallback: opt(fc.nat()),
  degraded: fc.boolean(),
  probe: fc.boolean(),
});

const SIGNALS = {
  "error-rate": ["5%", "50%"],
  latency: ["1s", "100ms"],
  availability: ["95%", "50%"],
  saturation: ["80%", 1.5],
  backlog: ["1k"],
} as const;

const modelSpec = fc.record({
  plain: fc.array(componentSpec, { minLength: 2, maxLength: 7 }),
  dns: opt(
    fc.constantFrom<unknown>("global", { region: "r1" }, { global: true, provider: "cloud" }),
  ),
  idp: opt(fc.record({ ttl: fc.constantFrom("15m", "1h"), global: fc.boolean() })),
  sts: fc.boolean(),
  monitor: fc.boolean(),
  healthChecker: fc.boolean(),
  leases: opt(
    fc.record({
      count: fc.constantFrom("1k", "500k"),
      establishRate: opt(fc.constantFrom("10 rps", "1k rps")),
      attemptTimeout: opt(fc.constantFrom("1m", "10m")),
      retryBackoff: opt(fc.constantFrom("30s", "5m")),
      publishes: fc.boolean(),
    }),
  ),
  queueService: fc.boolean(),
  automation: fc.boolean(),
  dependencies: fc.array(dependencySpec, { maxLength: 16 }),
  observes: fc.array(fc.nat(), { maxLength: 5 }),
  queues: opt(
    fc.record({
      service: fc.boolean(),
      consumers: fc.array(
        fc.record({
          c: fc.nat(),
          rate: fc.constantFrom("5 rps", "50 rps", "1k rps"),
          concurrency: opt(fc.constantFrom(5, 100)),
        }),
        { maxLength: 3 },
      ),
      retention: fc.constantFrom("1h", "1d", "4d"),
      deadLetter: fc.boolean(),
      drainDeadLetters: fc.boolean(),
    }),
  ),
  workloads: fc.array(
    fc.record({
      entry: fc.nat(),
      rate: fc.constantFrom("10 rps", "100 rps", "1k rps"),
      profile: fc.boolean(),
      slo: fc.boolean(),
      returns: fc.option(fc.constantFrom("20%", "60%"), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  alarms: fc.array(
    fc.record({
      target: fc.nat(),
      signal: fc.constantFrom(...(Object.keys(SIGNALS) as (keyof typeof SIGNALS)[])),
      threshold: fc.nat(),
      period: fc.constantFrom("30s", "1m", "5m"),
      evaluationPeriods: fc.integer({ min: 1, max: 3 }),
      datapoints: fc.integer({ min: 1, max: 3 }),
    }),
    { maxLength: 3 },
  ),
  actions: fc.array(
    fc.record({
      do: fc.constantFrom(...ACTION_KINDS),
      target: fc.nat(),
      when: fc.oneof(
        fc.constant<"manual">("manual"),
        fc.record({ alarm: fc.nat() }),
        fc.record({ at: fc.constantFrom("10m", "2h") }),
      ),
      after: fc.constantFrom("0s", "5m"),
      rate: fc.constantFrom("5 rps", "500 rps"),
      fraction: fc.constantFrom("10%", "90%", "100%"),
    }),
    { maxLength: 3 },
  ),
});

type ModelSpec = typeof modelSpec extends fc.Arbitrary<infer T> ? T : never;

/** Renders a model spec as the body of a model file (see `modelOf`), valid by construction. */
function renderModel(spec: ModelSpec): string {
  const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
  const plainIds = spec.plain.map((_, i) => `s${i}`);
  const components: Record<string, Record<string, unknown>> = {};
  spec.plain.forEach((c, i) => {
    const [placement, replicas] = pick(PLACEMENTS, c.placement);
    const out: Record<string, unknown> = { kind: c.kind, placement };
    if (c.redundancy === "all") out.redundancy = "all";
    if (c.redundancy === "quorum" && replicas >= 2) out.redundancy = { quorum: 2 };
    if (c.capacity !== undefined) out.capacity = c.capacity;
    if (c.concurrency !== undefined) out.concurrency = c.concurrency;
    if (c.latency !== undefined) out.latency = c.latency;
    if (c.restart !== undefined || c.standalone || c.warmup !== undefined) {
      out.recovery = {
        ...(c.restart !== undefined ? { restart: c.restart } : {}),
        ...(c.standalone ? { coldStart: "standalone" } : {}),
        ...(c.warmup !== undefined ? { warmup: c.warmup } : {}),
      };
    }
    if (c.healthCheck) out.healthCheck = { interval: "10s", threshold: 3 };
    components[plainIds[i] as string] = out;
  });
  if (spec.idp) {
    components.idp = {
      kind: "identity",
      placement: spec.idp.global ? "global" : { region: "r1" },
      tokens: { ttl: spec.idp.ttl, refreshBefore: "5m" },
    };
  }
  if (spec.sts) components.sts = { kind: "token-service", placement: { region: "r2" } };
  if (spec.leases) {
    components.lm = {
      kind: "lease-manager",
      placement: { region: "r1" },
      leases: {
        duration: "30m",
        renewEvery: "5m",
        count: spec.leases.count,
        ...(spec.leases.establishRate !== undefined
          ? { establishRate: spec.leases.establishRate }
          : {}),
        ...(spec.leases.attemptTimeout !== undefined
          ? { attemptTimeout: spec.leases.attemptTimeout }
          : {}),
        ...(spec.leases.retryBackoff !== undefined
          ? { retryBackoff: spec.leases.retryBackoff }
          : {}),
      },
    };
  }
  if (spec.queueService) components.qsvc = { kind: "queue-service", placement: { region: "r1" } };
  if (spec.automation) components.auto = { kind: "automation", placement: { region: "r1" } };
  // Records (served by `dns`) for the plain components that ask for one.
  const recordOf = new Map<string, string>();
  if (spec.dns !== undefined) {
    const records: Record<string, unknown> = {};
    spec.plain.forEach((c, i) => {
      if (!c.record) return;
      const id = plainIds[i] as string;
      const name = `${id}.example`;
      const r: Record<string, unknown> = { targets: [id], ttl: c.record.ttl };
      if (c.record.negativeTtl !== undefined) r.negativeTtl = c.record.negativeTtl;
      const fo = c.record.failover;
      if (fo && plainIds.length > 1) {
        const to = pick(
          plainIds.filter((x) => x !== id),
          fo.to,
        );
        r.failover = {
          targets: [to],
          healthCheck: { interval: "10s", threshold: 3, autoFailover: fo.autoFailover },
        };
      }
      if (c.record.managed && spec.automation) r.managedBy = "auto";
      records[name] = r;
      recordOf.set(id, name);
    });
    components.dns = { kind: "dns", placement: spec.dns, records };
  }
  const ids = Object.keys(components);
  // Monitors come last: their observes lists name the others.
  if (spec.monitor) {
    const observes = [...new Set(spec.observes.map((k) => pick(ids, k)))];
    components.mon = {
      kind: "monitoring",
      placement: { region: "r2" },
      ...(observes.length > 0 ? { observes } : {}),
    };
  }
  if (spec.healthChecker) {
    const observes = plainIds.filter((_, i) => spec.plain[i]?.healthCheck);
    components.hc = {
      kind: "health-check",
      placement: { zones: ["r1-a", "r1-b"] },
      ...(observes.length > 0 ? { observes } : {}),
    };
  }
  const all = Object.keys(components);
  // Dependencies: no self-dependencies, one entry per pair, options only where they are valid.
  const seen = new Set<string>();
  for (const d of spec.dependencies) {
    const from = pick(all, d.from);
    const to = pick(all, d.to);
    if (from === to || seen.has(`${from} ${to}`)) continue;
    seen.add(`${from} ${to}`);
    const o: Record<string, unknown> = {};
    if (d.calls !== 1) o.calls = d.calls;
    if (d.timeout !== undefined) o.timeout = d.timeout;
    if (d.retry) {
      o.retry = {
        attempts: d.retry.attempts,
        backoff: d.retry.backoff,
        jitter: d.retry.jitter,
        ...(d.retry.budget !== undefined ? { budget: d.retry.budget } : {}),
      };
    }
    if (d.breaker) o.breaker = { errorRate: "50%", window: "10s", openFor: "30s" };
    if (d.cache !== undefined) o.cache = { ttl: "5m", staleIfError: d.cache };
    if (d.soft) {
      if (d.degraded) o.degraded = `without-${to}`;
    } else {
      const record = recordOf.get(to);
      if (d.via && record !== undefined && from !== "dns") o.via = record;
      if (d.probe && from === "hc") o.probe = true;
      if (d.auth !== undefined && components[d.auth] && d.auth !== from) o.auth = d.auth;
      if (d.fallback !== undefined) {
        const fb = pick(all, d.fallback);
        if (fb !== from && fb !== to) o.fallback = fb;
      }
    }
    const section = d.soft ? "wants" : "needs";
    const c = components[from] as Record<string, unknown>;
    c[section] = { ...((c[section] as object | undefined) ?? {}), [to]: o };
  }
  // Queues, their consumers and publishers.
  const queueIds: string[] = [];
  const queues: Record<string, unknown> = {};
  if (spec.queues) {
    const q = spec.queues;
    const consumers: Record<string, unknown> = {};
    for (const c of q.consumers) {
      const id = pick(plainIds, c.c);
      consumers[id] =
        c.concurrency === undefined ? c.rate : { rate: c.rate, concurrency: c.concurrency };
    }
    const service = q.service && spec.queueService ? { service: "qsvc" } : {};
    queues.jobs = {
      ...service,
      ...(Object.keys(consumers).length > 0 ? { consumers } : {}),
      retention: q.retention,
      ...(q.deadLetter ? { maxReceives: 3, deadLetter: "jobs-dlq" } : {}),
    };
    queueIds.push("jobs");
    if (q.deadLetter) {
      queues["jobs-dlq"] = {
        ...service,
        ...(q.drainDeadLetters ? { consumers: { [plainIds[0] as string]: "1 rps" } } : {}),
        retention: "1d",
      };
      queueIds.push("jobs-dlq");
    }
    queues.events = { retention: q.retention, consumers: { [pick(plainIds, 1)]: "20 rps" } };
    queueIds.push("events");
    // The lease manager's re-established leases as messages to propagate.
    const lm = components.lm as { leases: Record<string, unknown> } | undefined;
    if (lm && spec.leases?.publishes) lm.leases.publishes = "events";
    spec.plain.forEach((c, i) => {
      const publishes = c.publishes.filter((x) => queueIds.includes(x));
      if (publishes.length > 0)
        (components[plainIds[i] as string] as { publishes?: unknown }).publishes = publishes;
    });
  }
  const workloads: Record<string, unknown> = {};
  spec.workloads.forEach((w, i) => {
    workloads[`w${i}`] = {
      entry: pick(plainIds, w.entry),
      rate: w.rate,
      ...(w.profile
        ? {
            profile: [
              { at: "0s", rate: w.rate },
              { at: "30m", rate: "2k rps" },
              { at: "2h", rate: w.rate },
            ],
          }
        : {}),
      ...(w.slo ? { slo: "99.9%" } : {}),
      ...(w.returns ? { returnRate: w.returns, returnAfter: "2m" } : {}),
    };
  });
  const alarms: Record<string, unknown> = {};
  const observed = (components.mon?.observes as string[] | undefined) ?? [];
  if (observed.length > 0) {
    spec.alarms.forEach((a, i) => {
      const evaluationPeriods = a.evaluationPeriods;
      alarms[`alarm${i}`] = {
        monitor: "mon",
        target: pick(observed, a.target),
        signal: a.signal,
        threshold: pick<string | number>(SIGNALS[a.signal], a.threshold),
        period: a.period,
        evaluationPeriods,
        datapoints: Math.min(a.datapoints, evaluationPeriods),
      };
    });
  }
  const alarmIds = Object.keys(alarms);
  const recordNames = [...recordOf.values()];
  const actions: Record<string, unknown> = {};
  spec.actions.forEach((a, i) => {
    const kind = actionTargetKind(a.do);
    // Only a component with a capacity or a concurrency limit can be scaled.
    const pool =
      kind === "record"
        ? recordNames
        : kind === "content" || a.do === "restore-backup"
          ? [] // these models serve no content and keep no backups
          : kind === "queue"
            ? queueIds
            : a.do === "scale"
              ? all.filter(
                  (x) =>
                    components[x]?.capacity !== undefined ||
                    components[x]?.concurrency !== undefined,
                )
              : all;
    if (pool.length === 0) return;
    let when: unknown = a.when;
    if (typeof a.when === "object" && "alarm" in a.when) {
      if (alarmIds.length === 0) return;
      when = { alarm: pick(alarmIds, a.when.alarm) };
    }
    actions[`m${i}-${a.do}`] = {
      do: a.do,
      target: pick(pool, a.target),
      when,
      after: a.after,
      ...(a.do === "throttle" || a.do === "restart" ? { rate: a.rate } : {}),
      ...(a.do === "shed-load" ? { fraction: a.fraction } : {}),
      ...(a.do === "scale" ? (a.fraction === "10%" ? { capacity: a.rate } : { factor: 2 }) : {}),
    };
  });
  const body: Record<string, unknown> = { components };
  if (queueIds.length > 0) body.queues = queues;
  body.workloads = workloads;
  if (alarmIds.length > 0) body.alarms = alarms;
  if (Object.keys(actions).length > 0) body.actions = actions;
  return stringify(body, { aliasDuplicateObjects: false });
}

/**
 * The body of a random small model file over a fixed vocabulary (pass it to `modelOf`): plain
 * services in the test domains, and optionally a DNS service with records (some with failover,
 * some managed by an automation), an identity with tokens, a token service, a lease manager, a
 * queue service with queues and a dead-letter queue, a monitor with alarms, a health checker,
 * and model actions on every trigger. Valid by construction.
 */
export const modelTextArb: fc.Arbitrary<string> = modelSpec.map(renderModel);

/**
 * Models from the synthetic generator at test scale (5 to 40 components, various densities and
 * regions), with the generator call that made each, to show when a property fails.
 */
export const generatedModelArb: fc.Arbitrary<{ model: Model; source: string }> = fc
  .record({
    components: fc.integer({ min: 5, max: 40 }),
    density: fc.constantFrom(0.5, 1, 2, 3),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    workloads: fc.integer({ min: 1, max: 5 }),
    regions: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ components, density, seed, workloads, regions }) => {
    const params = {
      components,
      dependencies: Math.min(components * (components - 1), Math.round(components * density)),
      seed,
      workloads,
      regions,
    };
    return { model: generateModel(params), source: `generateModel(${JSON.stringify(params)})` };
  });
