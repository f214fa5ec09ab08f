/**
 * @module sim/scenario-fixtures
 * Scenarios for the tests: the us-east-1 example's DNS outage, random scenarios valid against a
 * model (for the property tests), and a scenario written back as a scenario file.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { actionTargetKind } from "../model/actions.js";
import { loadModel } from "../model/load.js";
import { ACTION_KINDS, type ActionKind, type Dependency, type Model } from "../model/types.js";
import { orderedChanges } from "../scenario/apply.js";
import {
  type Expectation,
  FAULT_KINDS,
  type Fault,
  type FaultEnd,
  type FaultKind,
  type ModelChange,
  type Scenario,
  type ScenarioAction,
} from "../scenario/types.js";
import { LOC, scenarioOf } from "./fixtures.js";

/** The us-east-1 example's DynamoDB DNS outage: the record emptied at 0, fixed by hand at 02:37. */
export function usEast1DnsOutage(): { model: Model; scenario: Scenario } {
  const record = "dynamodb.us-east-1.amazonaws.com";
  return {
    model: loadModel("examples/aws-us-east-1.yaml"),
    scenario: scenarioOf({
      duration: 86400,
      faults: [{ id: "emptied", kind: "dns-empty", target: record, end: { action: "fix" } }],
      actions: [{ id: "fix", do: "fix-dns", target: record, trigger: { on: "time", at: 9420 } }],
      disabledModelActions: ["repair-endpoint-dns"],
    }),
  };
}

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Whether domain `inner` lies inside (or is) `outer`. */
function inside(model: Model, inner: string, outer: string): boolean {
  const parent = new Map(model.domains.map((d) => [d.id, d.parent]));
  for (let cur: string | null | undefined = inner; cur; cur = parent.get(cur)) {
    if (cur === outer) return true;
  }
  return false;
}

export interface ScenarioArbOptions {
  /** Shortest and longest duration, in seconds (default 2 minutes to a day). */
  readonly minDuration?: number;
  readonly maxDuration?: number;
  readonly maxFaults?: number;
  readonly maxActions?: number;
}

/**
 * Random scenarios valid against `model` (as `loadScenario` would accept them): faults of every
 * kind on targets of the right sort, ended at a time, by an action (of the scenario or the
 * model) or never; operator actions of every kind, at a time or on one of the model's alarms;
 * model actions sometimes disabled; what-if changes to dependencies; and expectations of every
 * kind.
 */
export function scenarioArb(
  model: Model,
  options: ScenarioArbOptions = {},
): fc.Arbitrary<Scenario> {
  const components = model.components.map((c) => c.id);
  const domains = model.domains.map((d) => d.id);
  const records = model.records.map((r) => r.name);
  const workloads = model.workloads.map((w) => w.id);
  const queues = model.queues.map((q) => q.id);
  const contents = (model.contents ?? []).map((c) => c.id);
  const alarms = model.alarms.map((a) => a.id);
  const pairs: [string, string][] = [];
  for (const a of domains) {
    for (const b of domains) {
      if (a < b && !inside(model, a, b) && !inside(model, b, a)) pairs.push([a, b]);
    }
  }
  const scalable = model.components
    .filter((c) => c.capacity !== undefined || c.concurrency !== undefined)
    .map((c) => c.id);
  const targetsOf = (kind: ActionKind) => {
    const sort = actionTargetKind(kind);
    return sort === "record"
      ? records
      : sort === "content"
        ? contents
        : sort === "queue"
          ? queues
          : kind === "scale"
            ? scalable
            : kind === "restore-backup"
              ? model.components.filter((c) => c.backup).map((c) => c.id)
              : components;
  };
  const actionKinds = ACTION_KINDS.filter((k) => targetsOf(k).length > 0);
  const faultTargets: Record<FaultKind, readonly unknown[]> = {
    down: [...components, ...domains],
    "dns-empty": records,
    "dns-wrong": records,
    "dns-nxdomain": records,
    latency: components,
    "error-rate": components,
    "capacity-loss": components,
    partition: pairs,
    surge: workloads,
    "credential-expiry": components,
    "bad-change": components,
    "data-loss": components,
    "bad-config": contents,
    "config-oversize": [],
    "key-removed": [],
  };
  const faultKinds = FAULT_KINDS.filter((k) => faultTargets[k].length > 0);
  const fraction = fc.constantFrom(0.01, 0.3, 0.5, 0.99, 1);
  // Mostly minutes to hours (each run stays short), sometimes up to the longest.
  const lo = options.minDuration ?? 120;
  const hi = Math.max(lo, options.maxDuration ?? 86_400);
  const duration = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: lo, max: Math.max(lo, Math.min(hi, 3600)) }) },
    { weight: 1, arbitrary: fc.integer({ min: lo, max: hi }) },
  );
  const disabled = fc.subarray(model.actions.map((a) => a.id));

  return fc.tuple(duration, disabled).chain(([duration, disabledModelActions]) => {
    /** A time in [0, duration), often a round one. */
    const time = fc.oneof(
      fc.integer({ min: 0, max: duration - 1 }),
      fc.constantFrom(0, 60, 600, 3600).filter((t) => t < duration),
    );
    const action = (i: number) =>
      fc
        .record({
          do: fc.constantFrom(...actionKinds),
          target: fc.nat(),
          alarm: alarms.length > 0 ? opt(fc.constantFrom(...alarms)) : fc.constant(undefined),
          at: time,
          delay: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 7200 })),
          rate: opt(fc.constantFrom(1, 50, 1000)),
          fraction,
        })
        .map((a): ScenarioAction => {
          const pool = targetsOf(a.do);
          // A timed action takes effect within the run.
          const delay = a.alarm !== undefined ? a.delay : Math.min(a.delay, duration - 1 - a.at);
          return {
            id: `act-${i}`,
            do: a.do,
            target: pool[a.target % pool.length] as string,
            trigger:
              a.alarm !== undefined ? { on: "alarm", alarm: a.alarm } : { on: "time", at: a.at },
            delay,
            ...(a.do === "throttle" ? { rate: a.rate ?? 100 } : {}),
            ...(a.do === "restart" && a.rate !== undefined ? { rate: a.rate } : {}),
            ...(a.do === "shed-load" ? { fraction: a.fraction } : {}),
            ...(a.do === "scale"
              ? a.fraction < 0.5
                ? { capacity: a.rate ?? 100 }
                : { factor: 1 + a.fraction }
              : {}),
            loc: LOC,
          };
        });
    const actions =
      actionKinds.length === 0
        ? fc.constant([] as ScenarioAction[])
        : fc
            .integer({ min: 0, max: options.maxActions ?? 4 })
            .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => action(i))));
    return actions.chain((actions) => {
      const enders = [
        ...actions.map((a) => a.id),
        ...model.actions.map((a) => a.id).filter((id) => !disabledModelActions.includes(id)),
      ];
      const end = (at: number): fc.Arbitrary<FaultEnd> =>
        fc.oneof(
          fc.constant({ never: true } as const),
          fc.integer({ min: at + 1, max: duration + 600 }).map((t) => ({ at: t })),
          // Often the first action, so that several faults end by the same one.
          ...(enders.length > 0
            ? [fc.constantFrom(enders[0] as string, ...enders).map((action) => ({ action }))]
            : []),
        );
      const fault = (i: number) =>
        fc
          .record({
            kind: fc.constantFrom(...faultKinds),
            target: fc.nat(),
            at: time,
            latency: fc.constantFrom(0.05, 0.5, 5, 60),
            amount: fraction,
            factor: fc.constantFrom(0.5, 1.5, 3, 10, 1000),
            effect: fc.constantFrom("down", "error-rate"),
            waves: fc.uniqueArray(fraction, { minLength: 1, maxLength: 4 }),
            bake: fc.constantFrom(0, 60, 1800),
            rollbackOn:
              alarms.length > 0 ? opt(fc.constantFrom(...alarms)) : fc.constant(undefined),
            rollbackAfter: fc.constantFrom(0, 300),
          })
          .chain((f) =>
            end(f.at).map((end): Fault => {
              const id = `fault-${i}`;
              const pool = faultTargets[f.kind];
              const target = pool[f.target % pool.length];
              const base = { id, at: f.at, end, loc: LOC };
              switch (f.kind) {
                case "partition":
                  return { ...base, kind: f.kind, between: target as [string, string] };
                case "latency":
                  return { ...base, kind: f.kind, target: target as string, latency: f.latency };
                case "error-rate":
                  return { ...base, kind: f.kind, target: target as string, rate: f.amount };
                case "capacity-loss":
                  return { ...base, kind: f.kind, target: target as string, fraction: f.amount };
                case "surge":
                  return { ...base, kind: f.kind, target: target as string, factor: f.factor };
                case "bad-change": {
                  const waves = [...f.waves].sort((a, b) => a - b);
                  return {
                    ...base,
                    kind: f.kind,
                    target: target as string,
                    effect: f.effect as "down" | "error-rate",
                    rate: f.effect === "down" ? 1 : f.amount,
                    rollout: {
                      waves,
                      bake: waves.length > 1 ? f.bake : 0,
                      ...(f.rollbackOn !== undefined ? { rollbackOn: f.rollbackOn } : {}),
                      rollbackAfter: f.rollbackOn !== undefined ? f.rollbackAfter : 0,
                    },
                  };
                }
                case "credential-expiry":
                  return { ...base, kind: f.kind, target: target as string, credential: "client" };
                case "bad-config":
                case "config-oversize":
                case "key-removed":
                  return {
                    ...base,
                    kind: f.kind,
                    target: target as string,
                    version: { missing: [] },
                    effect: f.effect as "down" | "error-rate",
                    rate: f.effect === "down" ? 1 : f.amount,
                    hosts: 1,
                    after: 0,
                    delay: 0,
                    generations: 1,
                  };
                default:
                  return { ...base, kind: f.kind, target: target as string };
              }
            }),
          );
      const faults = fc
        .integer({ min: 0, max: options.maxFaults ?? 5 })
        .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => fault(i))));
      return fc.tuple(faults, changesArb(model, duration)).chain(([faults, changes]) =>
        expectationsArb(model, duration, faults).map(
          (expectations): Scenario => ({
            name: "random",
            file: "scenario.yaml",
            duration,
            faults,
            actions,
            disabledModelActions,
            changes,
            expectations,
            facts: [],
            timeline: [],
            loc: LOC,
          }),
        ),
      );
    });
  });
}

/**
 * What-if changes to existing dependencies: a response cache, another record or identity, or
 * none, or the call stopped; for the whole run or from a time.
 */
function changesArb(model: Model, duration: number): fc.Arbitrary<ModelChange[]> {
  if (model.dependencies.length === 0) return fc.constant([]);
  const identities = model.components
    .filter((c) => c.kind === "identity" || c.kind === "token-service")
    .map((c) => c.id);
  const change = fc
    .record({
      dep: fc.nat({ max: model.dependencies.length - 1 }),
      cache: opt(
        fc.record({
          ttl: fc.constantFrom(60, 300),
          staleIfError: fc.constantFrom(0, 3600),
          hitRatio: fc.constantFrom(1, 0.8),
          latency: fc.constant(0),
        }),
      ),
      via: fc.option(fc.nat(), { nil: undefined }),
      auth: fc.option(fc.nat(), { nil: undefined }),
      disable: fc.boolean(),
      at: fc.option(fc.integer({ min: 1, max: Math.max(1, duration - 1) }), { nil: undefined }),
    })
    .map(({ dep, cache, via, auth, disable, at }): ModelChange => {
      const d = model.dependencies[dep] as Dependency;
      const records = model.records
        .filter((r) => [...r.targets, ...(r.failover?.targets ?? [])].includes(d.to))
        .map((r) => r.name);
      const auths = identities.filter((id) => id !== d.from);
      // A number picks a record or identity; one past the end (or none to pick) means "none".
      const choose = (list: string[], k: number | undefined) =>
        k === undefined ? undefined : (list[k % (list.length + 1)] ?? null);
      const v = choose(records, via);
      const a = choose(auths, auth);
      const timing = at !== undefined ? { at } : {};
      // A call stopped takes no other option.
      if (disable || (!cache && v === undefined && a === undefined))
        return { kind: "dependency", from: d.from, to: d.to, disable: true, ...timing, loc: LOC };
      return {
        kind: "dependency",
        from: d.from,
        to: d.to,
        ...timing,
        ...(cache ? { cache } : {}),
        ...(v !== undefined ? { via: v } : {}),
        ...(a !== undefined ? { auth: a } : {}),
        loc: LOC,
      };
    });
  // As the loader requires: a call stopped is only changed by making it again — a timed change
  // after a stop becomes that (disable: false), one for the whole run is left out.
  return fc.array(change, { maxLength: 3 }).map((list) => {
    const stopped = new Set<string>();
    const kept = new Map<ModelChange, ModelChange>();
    for (const { change: c } of orderedChanges(list)) {
      const key = `${c.from}\u0000${c.to}`;
      if (stopped.has(key)) {
        if (c.at === undefined) continue;
        kept.set(c, {
          kind: "dependency",
          from: c.from,
          to: c.to,
          disable: false,
          at: c.at,
          loc: LOC,
        });
        stopped.delete(key);
        continue;
      }
      if (c.disable === true) stopped.add(key);
      kept.set(c, c);
    }
    return list.flatMap((c) => {
      const k = kept.get(c);
      return k === undefined ? [] : [k];
    });
  });
}

function expectationsArb(
  model: Model,
  duration: number,
  faults: readonly Fault[],
): fc.Arbitrary<Expectation[]> {
  const components = model.components.map((c) => c.id);
  const ended = faults.filter((f) => !("never" in f.end)).map((f) => f.id);
  const bound = (max: number) =>
    fc
      .record({
        atLeast: opt(fc.integer({ min: 0, max })),
        atMost: opt(fc.integer({ min: 0, max })),
      })
      .map(({ atLeast, atMost }) => {
        const lo =
          atLeast !== undefined && atMost !== undefined ? Math.min(atLeast, atMost) : atLeast;
        const hi =
          atLeast !== undefined && atMost !== undefined ? Math.max(atLeast, atMost) : atMost;
        return lo === undefined && hi === undefined
          ? { atMost: max }
          : {
              ...(lo !== undefined ? { atLeast: lo } : {}),
              ...(hi !== undefined ? { atMost: hi } : {}),
            };
      });
  const options: fc.Arbitrary<Expectation>[] = [
    fc
      .record({ c: fc.constantFrom(...components), impacted: fc.boolean() })
      .map(({ c, impacted }) => ({ kind: "impacted", component: c, impacted, loc: LOC })),
    fc
      .record({ c: fc.constantFrom(...components), b: bound(duration) })
      .map(({ c, b }) => ({ kind: "time-to-impact", component: c, from: 0, ...b, loc: LOC })),
    fc
      .record({
        c: fc.constantFrom(...components),
        from: fc.oneof(
          fc.integer({ min: 0, max: duration - 1 }),
          ...(ended.length > 0 ? [fc.constantFrom(...ended).map((fault) => ({ fault }))] : []),
        ),
        b: bound(duration),
      })
      .map(({ c, from, b }) => ({ kind: "time-to-recover", component: c, from, ...b, loc: LOC })),
  ];
  if (model.workloads.length > 0) {
    options.push(
      fc
        .record({
          w: fc.constantFrom(...model.workloads.map((w) => w.id)),
          from: fc.integer({ min: 0, max: duration - 1 }),
          length: fc.integer({ min: 1, max: duration }),
          atLeast: fc.constantFrom(0.5, 0.99, 0.999),
        })
        .map(({ w, from, length, atLeast }) => ({
          kind: "availability",
          workload: w,
          from,
          to: Math.min(duration, from + length),
          atLeast,
          loc: LOC,
        })),
    );
  }
  if (model.queues.length > 0) {
    const queue = fc.constantFrom(...model.queues.map((q) => q.id));
    options.push(
      fc
        .record({ queue, by: fc.integer({ min: 1, max: duration }) })
        .map(({ queue, by }) => ({ kind: "drained-by", queue, by, loc: LOC })),
      fc
        .record({ queue, atMost: fc.constantFrom(0, 1000) })
        .map(({ queue, atMost }) => ({ kind: "messages-lost", queue, atMost, loc: LOC })),
    );
  }
  return fc.array(fc.oneof(...options), { maxLength: 3 });
}

/** A scenario written back as a scenario file, to load with `parseScenario` or to show. */
export function scenarioText(s: Scenario): string {
  const d = (t: number) => `${t}s`;
  const p = (x: number) => `${Math.round(x * 1e6) / 1e4}%`;
  const until = (e: FaultEnd) =>
    "never" in e ? "never" : "at" in e ? d(e.at) : { action: e.action };
  const faults = Object.fromEntries(
    s.faults.map((f) => {
      const out: Record<string, unknown> = { kind: f.kind };
      if (f.kind === "partition") out.between = [...f.between];
      else out.target = f.target;
      out.at = d(f.at);
      out.until = until(f.end);
      if (f.kind === "latency") out.latency = d(f.latency);
      if (f.kind === "error-rate") out.rate = p(f.rate);
      if (f.kind === "capacity-loss") out.fraction = p(f.fraction);
      if (f.kind === "surge") out.factor = f.factor;
      if (f.kind === "bad-change") {
        out.effect = f.effect;
        if (f.effect === "error-rate") out.rate = p(f.rate);
        const r = f.rollout;
        out.rollout = {
          waves: r.waves.map(p),
          ...(r.waves.length > 1 ? { bake: d(r.bake) } : {}),
          ...(r.rollbackOn !== undefined
            ? { rollbackOn: r.rollbackOn, rollbackAfter: d(r.rollbackAfter) }
            : {}),
        };
      }
      return [f.id, out];
    }),
  );
  const actions = Object.fromEntries(
    s.actions.map((a) => [
      a.id,
      {
        do: a.do,
        target: a.target,
        ...(a.trigger.on === "time"
          ? { at: d(a.trigger.at) }
          : { when: { alarm: a.trigger.alarm } }),
        after: d(a.delay),
        ...(a.rate !== undefined ? { rate: `${a.rate} rps` } : {}),
        ...(a.fraction !== undefined ? { fraction: p(a.fraction) } : {}),
        ...(a.capacity !== undefined ? { capacity: `${a.capacity} rps` } : {}),
        ...(a.factor !== undefined ? { factor: a.factor } : {}),
      },
    ]),
  );
  const expect = s.expectations.map((x) => {
    const bounds = (b: { atLeast?: number; atMost?: number }, f: (n: number) => unknown) => ({
      ...(b.atLeast !== undefined ? { atLeast: f(b.atLeast) } : {}),
      ...(b.atMost !== undefined ? { atMost: f(b.atMost) } : {}),
    });
    switch (x.kind) {
      case "availability":
        return {
          availability: { workload: x.workload, from: d(x.from), to: d(x.to), ...bounds(x, p) },
        };
      case "impacted":
        return { impacted: { component: x.component, is: x.impacted } };
      case "time-to-impact":
        return {
          timeToImpact: {
            component: x.component,
            from: typeof x.from === "number" ? d(x.from) : x.from,
            ...bounds(x, d),
          },
        };
      case "time-to-recover":
        return {
          timeToRecover: {
            component: x.component,
            from: typeof x.from === "number" ? d(x.from) : x.from,
            ...bounds(x, d),
          },
        };
      case "drained-by":
        return {
          drainedBy: {
            queue: x.queue,
            by: d(x.by),
            ...(x.after !== undefined ? { after: d(x.after) } : {}),
          },
        };
      case "messages-lost":
        return { messagesLost: { queue: x.queue, atMost: x.atMost } };
      case "alarm":
        return {
          alarm: { alarm: x.alarm, fires: x.fires, ...(x.by !== undefined ? { by: d(x.by) } : {}) },
        };
      case "peak-load":
        return { peakLoad: { component: x.component, ...bounds(x, (n) => `${n} rps`) } };
      case "peak-latency":
        return { peakLatency: { component: x.component, ...bounds(x, d) } };
      case "wrong-answers":
        return { wrongAnswers: { component: x.component, ...bounds(x, (n) => `${n}`) } };
      case "data-at-risk":
        return { dataAtRisk: { component: x.component, ...bounds(x, (n) => `${n}`) } };
      default: {
        const never: never = x;
        throw new Error(`unknown expectation ${JSON.stringify(never)}`);
      }
    }
  });
  return stringify({
    name: s.name,
    duration: d(s.duration),
    ...(s.faults.length > 0 ? { faults } : {}),
    ...(s.actions.length > 0 ? { actions } : {}),
    ...(s.disabledModelActions.length > 0
      ? { disableModelActions: [...s.disabledModelActions] }
      : {}),
    ...(s.changes.length > 0
      ? {
          changes: s.changes.map((c) => ({
            dependency: {
              from: c.from,
              to: c.to,
              ...(c.cache
                ? {
                    cache: {
                      ttl: d(c.cache.ttl),
                      staleIfError: d(c.cache.staleIfError),
                      hitRatio: `${c.cache.hitRatio * 100}%`,
                    },
                  }
                : {}),
              ...(c.via !== undefined ? { via: c.via ?? "none" } : {}),
              ...(c.auth !== undefined ? { auth: c.auth ?? "none" } : {}),
              ...(c.disable !== undefined ? { disable: c.disable } : {}),
              ...(c.at !== undefined ? { at: d(c.at) } : {}),
            },
          })),
        }
      : {}),
    ...(expect.length > 0 ? { expect } : {}),
  });
}
