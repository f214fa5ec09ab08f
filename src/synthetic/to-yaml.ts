/**
 * @module synthetic/to-yaml
 * Writes a normalized `Model` back in the model file format, so that `parseModel` of the text
 * gives back an equal model (locations and file names aside, and assumptions, whose paths name
 * places in the file as it was written, not as this module writes it). Units are written as people write
 * them (`90s`, `250ms`, `5m`, `1234 rps`, `99.95%`). Durations and percentages are checked
 * against their parsers and fall back to a form that reads back exactly (plain seconds, a
 * fraction) when the friendly one would not; rates are plain decimals, exact for any value on the
 * 1e-9 grid the parsers round to, which is every value a model file can state.
 *
 * Defaults are left out where the normalized model cannot tell them from a stated value
 * (`redundancy: any`, `plane: data`, `calls: 1`, an empty profile), and written out otherwise.
 */
import { stringify } from "yaml";
import type {
  ActionCondition,
  Component,
  Dependency,
  DnsRecord,
  Domain,
  HealthCheck,
  Model,
  Placement,
} from "../model/types.js";
import { parseDuration, parsePercent } from "../model/units.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The depth-implied kinds of the domain tree, as `model/domains` reads them. */
const DEPTH_KINDS = ["provider", "region", "zone"];

export function modelToYaml(model: Model): string {
  const doc: JsonObject = { name: model.name };
  if (model.description !== undefined) doc.description = model.description;

  if (model.domains.length > 0) doc.domains = domainTree(model.domains);

  const needs = groupBy(
    model.dependencies.filter((d) => d.kind === "hard"),
    (d) => d.from,
  );
  const wants = groupBy(
    model.dependencies.filter((d) => d.kind === "soft"),
    (d) => d.from,
  );
  const records = groupBy(model.records, (r) => r.server);
  if (model.components.length > 0) {
    const components: JsonObject = {};
    for (const c of model.components) {
      components[c.id] = component(c, records.get(c.id), needs.get(c.id), wants.get(c.id));
    }
    doc.components = components;
  }

  if (model.queues.length > 0) {
    const queues: JsonObject = {};
    for (const q of model.queues) {
      const out: JsonObject = {};
      if (q.service !== undefined) out.service = q.service;
      if (q.consumers.length > 0) {
        const consumers: JsonObject = {};
        for (const c of q.consumers) {
          consumers[c.component] =
            c.concurrency === undefined
              ? rate(c.rate)
              : { rate: rate(c.rate), concurrency: c.concurrency };
        }
        out.consumers = consumers;
      }
      out.retention = duration(q.retention);
      out.visibilityTimeout = duration(q.visibilityTimeout);
      if (q.maxReceives !== undefined) out.maxReceives = q.maxReceives;
      if (q.deadLetter !== undefined) out.deadLetter = q.deadLetter;
      queues[q.id] = out;
    }
    doc.queues = queues;
  }

  if (model.workloads.length > 0) {
    const workloads: JsonObject = {};
    for (const w of model.workloads) {
      const out: JsonObject = { entry: w.entry, rate: rate(w.rate) };
      if (w.profile.length > 0)
        out.profile = w.profile.map((p) => ({ at: duration(p.at), rate: rate(p.rate) }));
      if (w.returnRate !== undefined) out.returnRate = percent(w.returnRate);
      if (w.returnAfter !== undefined) out.returnAfter = duration(w.returnAfter);
      if (w.slo !== undefined) out.slo = percent(w.slo);
      if (w.rto !== undefined) out.rto = duration(w.rto);
      if (w.tier !== undefined) out.tier = w.tier;
      workloads[w.id] = out;
    }
    doc.workloads = workloads;
  }

  if (model.alarms.length > 0) {
    const alarms: JsonObject = {};
    for (const a of model.alarms) {
      alarms[a.id] = {
        monitor: a.monitor,
        target: a.target,
        signal: a.signal,
        // A plain number reads back unchanged, whatever the signal's unit.
        threshold: a.threshold,
        period: duration(a.period),
        evaluationPeriods: a.evaluationPeriods,
        datapoints: a.datapoints,
      };
    }
    doc.alarms = alarms;
  }

  if (model.actions.length > 0) {
    const actions: JsonObject = {};
    for (const a of model.actions) {
      const out: JsonObject = { do: a.do, target: a.target };
      if (a.trigger.on === "alarm") out.when = { alarm: a.trigger.alarm };
      else if (a.trigger.on === "time") out.when = { at: duration(a.trigger.at) };
      else out.when = "manual";
      out.after = duration(a.delay);
      if (a.rate !== undefined) out.rate = rate(a.rate);
      if (a.fraction !== undefined) out.fraction = percent(a.fraction);
      if (a.capacity !== undefined) out.capacity = rate(a.capacity);
      if (a.factor !== undefined) out.factor = a.factor;
      if (a.to !== undefined) out.to = rate(a.to);
      if (a.over !== undefined) out.over = duration(a.over);
      if (a.maxWait !== undefined) out.maxWait = duration(a.maxWait);
      if (a.condition !== undefined) out.if = condition(a.condition);
      actions[a.id] = out;
    }
    doc.actions = actions;
  }

  return stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/** An action's `if:` as written. */
function condition(c: ActionCondition): JsonObject {
  if ("component" in c) return { component: c.component, is: c.is };
  if ("alarm" in c) return { alarm: c.alarm, is: c.is };
  if ("backlogAbove" in c) return { queue: c.queue, backlogAbove: c.backlogAbove };
  return { queue: c.queue, ageAbove: duration(c.ageAbove) };
}

function component(
  c: Component,
  records: readonly DnsRecord[] | undefined,
  needs: readonly Dependency[] | undefined,
  wants: readonly Dependency[] | undefined,
): JsonObject {
  const out: JsonObject = { kind: c.kind };
  if (c.plane !== "data") out.plane = c.plane;
  if (c.description !== undefined) out.description = c.description;
  out.placement = placement(c.placement);
  if (c.redundancy.mode === "all") out.redundancy = "all";
  else if (c.redundancy.mode === "quorum") out.redundancy = { quorum: c.redundancy.quorum };
  if (c.capacity !== undefined) out.capacity = rate(c.capacity);
  if (c.concurrency !== undefined) out.concurrency = c.concurrency;
  if (c.latency !== undefined) out.latency = duration(c.latency);
  const recovery: JsonObject = {};
  if (c.recovery.restart !== undefined) recovery.restart = duration(c.recovery.restart);
  if (c.recovery.coldStart !== "needs-dependencies") recovery.coldStart = c.recovery.coldStart;
  const warmup = c.recovery.warmup;
  if (warmup !== undefined)
    recovery.warmup = {
      over: duration(warmup.over),
      ...(warmup.capacity !== 1 ? { capacity: percent(warmup.capacity) } : {}),
      ...(warmup.calls !== 1 ? { calls: warmup.calls } : {}),
    };
  if (Object.keys(recovery).length > 0) out.recovery = recovery;
  if (c.rto !== undefined) out.rto = duration(c.rto);
  if (c.availability !== undefined) out.availability = percent(c.availability);
  if (c.tokens) {
    const tokens: JsonObject = { ttl: duration(c.tokens.ttl) };
    if (c.tokens.refreshBefore !== 0) tokens.refreshBefore = duration(c.tokens.refreshBefore);
    out.tokens = tokens;
  }
  if (c.leases) {
    out.leases = {
      duration: duration(c.leases.duration),
      renewEvery: duration(c.leases.renewEvery),
      count: c.leases.count,
      ...(c.leases.establishRate !== undefined
        ? { establishRate: rate(c.leases.establishRate) }
        : {}),
      ...(c.leases.attemptTimeout !== undefined
        ? { attemptTimeout: duration(c.leases.attemptTimeout) }
        : {}),
      ...(c.leases.retryBackoff !== undefined
        ? { retryBackoff: duration(c.leases.retryBackoff) }
        : {}),
      ...(c.leases.publishes !== undefined ? { publishes: c.leases.publishes } : {}),
    };
  }
  if (c.healthCheck) out.healthCheck = healthCheck(c.healthCheck);
  if (c.needsFresh) {
    const fresh: JsonObject = {};
    for (const f of c.needsFresh)
      fresh[f.queue] = { maxStaleness: duration(f.maxStaleness), share: percent(f.share) };
    out.needsFresh = fresh;
  }
  if (records && records.length > 0) {
    const map: JsonObject = {};
    for (const r of records) map[r.name] = record(r);
    out.records = map;
  }
  if (needs && needs.length > 0) out.needs = dependencySection(needs);
  if (wants && wants.length > 0) out.wants = dependencySection(wants);
  if (c.publishes.length > 0) out.publishes = [...c.publishes];
  if (c.observes.length > 0) out.observes = [...c.observes];
  return out;
}

function placement(p: Placement): Json {
  switch (p.scope) {
    case "zones":
      return p.region !== undefined
        ? { zones: [...p.domains], region: p.region }
        : { zones: [...p.domains] };
    case "regions":
      return { regions: [...p.domains] };
    case "region":
      return { region: p.domains[0] };
    case "domains":
      return { domains: [...p.domains] };
    case "global": {
      const provider = p.domains[0];
      return provider === undefined ? "global" : { global: true, provider };
    }
  }
}

function record(r: DnsRecord): JsonObject {
  const out: JsonObject = {
    targets: [...r.targets],
    ttl: duration(r.ttl),
    negativeTtl: duration(r.negativeTtl),
  };
  if (r.failover) {
    out.failover = {
      targets: [...r.failover.targets],
      healthCheck: healthCheck(r.failover.healthCheck),
    };
  }
  if (r.managedBy !== undefined) out.managedBy = r.managedBy;
  if (r.availability !== undefined) out.availability = percent(r.availability);
  return out;
}

function healthCheck(h: HealthCheck): JsonObject {
  return {
    interval: duration(h.interval),
    threshold: h.threshold,
    autoFailover: h.autoFailover,
    ...(h.maxRemoved !== undefined ? { maxRemoved: percent(h.maxRemoved) } : {}),
  };
}

/** A list of names when no dependency has options, else a map of options by target. */
function dependencySection(deps: readonly Dependency[]): Json {
  const options = deps.map(dependencyOptions);
  if (options.every((o) => Object.keys(o).length === 0)) return deps.map((d) => d.to);
  const map: JsonObject = {};
  deps.forEach((d, i) => {
    map[d.to] = options[i] as JsonObject;
  });
  return map;
}

function dependencyOptions(d: Dependency): JsonObject {
  const out: JsonObject = {};
  if (d.via !== undefined) out.via = d.via;
  if (d.auth !== undefined) out.auth = d.auth;
  if (d.calls !== 1) out.calls = d.calls;
  if (d.timeout !== undefined) out.timeout = duration(d.timeout);
  if (d.retry) {
    const retry: JsonObject = {
      attempts: d.retry.attempts,
      backoff: duration(d.retry.backoff),
    };
    if (d.retry.maxBackoff !== undefined) retry.maxBackoff = duration(d.retry.maxBackoff);
    retry.jitter = d.retry.jitter;
    if (d.retry.budget !== undefined) retry.budget = percent(d.retry.budget);
    out.retry = retry;
  }
  if (d.breaker) {
    out.breaker = {
      errorRate: percent(d.breaker.errorRate),
      window: duration(d.breaker.window),
      openFor: duration(d.breaker.openFor),
      minRequests: d.breaker.minRequests,
      halfOpenProbes: d.breaker.halfOpenProbes,
    };
  }
  if (d.cache)
    out.cache = { ttl: duration(d.cache.ttl), staleIfError: duration(d.cache.staleIfError) };
  if (d.fallback) {
    const f = d.fallback;
    if (f.via === undefined && f.auth === undefined) out.fallback = f.to;
    else {
      const fb: JsonObject = { to: f.to };
      if (f.via !== undefined) fb.via = f.via;
      if (f.auth !== undefined) fb.auth = f.auth;
      out.fallback = fb;
    }
  }
  if (d.degradedMode !== undefined) out.degraded = d.degradedMode;
  return out;
}

/** Rebuilds the `provider > region > zone` tree from the parent links. */
function domainTree(domains: readonly Domain[]): JsonObject {
  const children = groupBy(domains, (d) => d.parent ?? "");
  const node = (d: Domain, depth: number): Json => {
    const kids = children.get(d.id) ?? [];
    const defaultKind = DEPTH_KINDS[depth] ?? "cell";
    const plain = (x: Domain, k: number) =>
      x.availability === undefined && x.kind === (DEPTH_KINDS[k] ?? "cell") && !children.has(x.id);
    const out: JsonObject = {};
    if (d.kind !== defaultKind) out.kind = d.kind;
    if (d.availability !== undefined) out.availability = percent(d.availability);
    if (kids.length > 0) {
      if (kids.every((k) => plain(k, depth + 1))) out.contains = kids.map((k) => k.id);
      else {
        const map: JsonObject = {};
        for (const k of kids) map[k.id] = node(k, depth + 1);
        out.contains = map;
      }
    }
    return Object.keys(out).length === 0 ? null : out;
  };
  const tree: JsonObject = {};
  for (const root of children.get("") ?? []) tree[root.id] = node(root, 0);
  return tree;
}

function groupBy<T>(list: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}

// --- units ------------------------------------------------------------------------------------

/** A decimal without exponent that reads back as the same double (values are 1e-9 grained). */
function decimal(x: number): string {
  const s = String(x);
  if (!/e/i.test(s)) return s;
  return x.toFixed(9).replace(/\.?0+$/, "");
}

const DURATION_STEPS: readonly [string, number][] = [
  ["d", 86400],
  ["h", 3600],
  ["m", 60],
];

/** Seconds as `4d`, `2h`, `5m`, `90s` or `250ms`. */
function duration(seconds: number): string {
  const candidates: string[] = [];
  if (seconds > 0 && Number.isInteger(seconds)) {
    for (const [unit, size] of DURATION_STEPS) {
      if (seconds % size === 0) candidates.push(`${seconds / size}${unit}`);
    }
  }
  if (seconds > 0 && seconds < 1) candidates.push(`${decimal(Math.round(seconds * 1e6) / 1e3)}ms`);
  candidates.push(`${decimal(seconds)}s`);
  return firstExact(candidates, parseDuration, seconds) ?? `${decimal(seconds)}s`;
}

/** Requests per second as `1234 rps`. */
function rate(rps: number): string {
  return `${decimal(rps)} rps`;
}

/** A fraction as `99.95%`, or as the fraction itself when no percentage reads back exactly. */
function percent(fraction: number): string | number {
  const candidates = [
    `${decimal(Number((fraction * 100).toFixed(7)))}%`,
    `${decimal(fraction * 100)}%`,
  ];
  return firstExact(candidates, parsePercent, fraction) ?? fraction;
}

function firstExact(
  candidates: readonly string[],
  parse: (text: string) => number | string,
  value: number,
): string | undefined {
  return candidates.find((c) => parse(c) === value);
}
