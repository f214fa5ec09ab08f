/**
 * @module scenario/semantics
 * Everything the schema cannot check alone: values that are impossible together (a fault ending
 * before it starts, a window whose end is not after its start, atLeast above atMost), times past
 * the end of the run, and references into the model the scenario runs on (targets of the right
 * sort, alarms, model actions, workloads, queues), each with the closest valid name. Fills the
 * defaults and produces the normalized `Scenario`, keeping the file's order. Every problem is
 * collected; none stops the others from being found. Expectations are checked in
 * `expectations.ts`.
 */

import {
  actionOptionProblems,
  actionParameters,
  actionTargetKind,
  conditionReference,
} from "../model/actions.js";
import {
  type Diagnostic,
  type DiagnosticCode,
  type LocatedExtra,
  locatedError,
  suggest,
} from "../model/diagnostics.js";
import type { PathKey, SourceFile } from "../model/source.js";
import type { Location, Model } from "../model/types.js";
import { formatDuration, formatPercent } from "../model/units.js";
import { buildChanges } from "./changes.js";
import { buildContentFault } from "./content-faults.js";
import { buildExpectation, wallClockSeconds } from "./expectations.js";
import type { ActionInput, FaultInput, ScenarioFile } from "./schema.js";
import type {
  Fact,
  Fault,
  FaultEnd,
  PublicEvent,
  Rollout,
  Scenario,
  ScenarioAction,
  ScenarioTrigger,
  ScoredExpectation,
} from "./types.js";

/** Defaults for values a scenario may leave out; documented in docs/scenarios.md. */
export const SCENARIO_DEFAULTS = {
  waves: [1] as readonly number[],
  bake: 0,
  rollbackAfter: 0,
  effect: "down",
} as const;

type Known = ReadonlyMap<string, unknown> | ReadonlySet<string>;

type Extra = LocatedExtra;

export function buildScenario(
  source: SourceFile,
  data: ScenarioFile,
  model: Model,
): { scenario?: Scenario; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (
    code: DiagnosticCode,
    path: readonly PathKey[],
    message: string,
    extra: Extra = {},
  ) => {
    diagnostics.push(locatedError(code, source, path, message, extra));
  };
  const refer = (path: readonly PathKey[], what: string, ref: string, known: Known): boolean => {
    if (known.has(ref)) return true;
    report("unknown-reference", path, `unknown ${what} '${ref}'`, {
      suggestion: suggest(ref, known.keys()),
    });
    return false;
  };

  const ids = <T extends { id: string }>(list: readonly T[]) => new Map(list.map((x) => [x.id, x]));
  const components = ids(model.components);
  const domains = ids(model.domains);
  const queues = ids(model.queues);
  const workloads = ids(model.workloads);
  const alarms = ids(model.alarms);
  const modelActions = ids(model.actions);
  const records = new Set(model.records.map((r) => r.name));
  const componentsAndDomains = new Set([...components.keys(), ...domains.keys()]);
  const componentsAndFleets = new Set([
    ...components.keys(),
    ...(model.fleets ?? []).map((f) => f.id),
  ]);
  const contents = new Set((model.contents ?? []).map((c) => c.id));

  const duration = data.duration;
  if (duration <= 0)
    report("impossible-value", ["duration"], "a scenario needs a duration above 0s");
  const ends = `the scenario ends at ${formatDuration(duration)}`;

  // Entries in the order they are written (JavaScript objects put integer-like keys first).
  const inFileOrder = <T>(section: string, entries: Readonly<Record<string, T>> | undefined) =>
    Object.entries(entries ?? {})
      .map(([id, value]) => ({ id, value, path: [section, id], loc: source.locate([section, id]) }))
      .sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column);

  if (data.seed !== undefined)
    report(
      "unknown-key",
      ["seed"],
      "'seed' has no effect: the engine follows expected values and draws nothing at random, so every run of a scenario gives the same result — remove it",
      { at: "key" },
    );

  // --- disabled model actions
  const disabled = new Set<string>();
  (data.disableModelActions ?? []).forEach((aid, i) => {
    const path = ["disableModelActions", i];
    if (disabled.has(aid)) report("duplicate-id", path, `'${aid}' is listed twice`);
    else refer(path, "model action", aid, modelActions);
    disabled.add(aid);
  });

  // --- actions
  const actionEntries = inFileOrder("actions", data.actions);
  const actions: ScenarioAction[] = [];
  for (const { id, value: a, path, loc } of actionEntries) {
    const action = buildAction(id, a, path, loc);
    if (action) actions.push(action);
  }
  const scenarioActions = new Set(actionEntries.map((e) => e.id));

  function buildAction(
    id: string,
    a: ActionInput,
    path: readonly PathKey[],
    loc: Location,
  ): ScenarioAction | undefined {
    if (modelActions.has(id) && !disabled.has(id)) {
      report(
        "duplicate-id",
        path,
        `'${id}' is also an action of the model; give this one another id, or list '${id}' under disableModelActions to replace it`,
        { at: "key" },
      );
    }
    const targetKind = actionTargetKind(a.do);
    if (a.do === "invalidate-cache" && contents.has(a.target)) {
      // Content: every reader fetches it again now.
    } else if (targetKind === "record") referRecord([...path, "target"], a.target, a.do);
    else if (targetKind === "content") refer([...path, "target"], "content", a.target, contents);
    else if (
      a.do === "restore-backup" &&
      components.has(a.target) &&
      !components.get(a.target)?.backup
    )
      report(
        "impossible-value",
        [...path, "target"],
        `${a.target} has no backup to restore from — give it backup: { every, restore } in the model`,
      );
    else
      refer(
        [...path, "target"],
        targetKind,
        a.target,
        targetKind === "queue" ? queues : components,
      );
    const delay = a.after ?? 0;
    let trigger: ScenarioTrigger | undefined;
    if (a.at !== undefined && a.when !== undefined) {
      report(
        "impossible-value",
        [...path, "when"],
        "an action has one trigger: at (a time) or when (an alarm), not both",
        { at: "key" },
      );
    } else if (a.at !== undefined || (a.when !== undefined && "at" in a.when)) {
      // `when: { at: 2h }` is the models' spelling of `at: 2h`.
      const at = a.at ?? (a.when && "at" in a.when ? a.when.at : 0);
      const atPath = a.at !== undefined ? [...path, "at"] : [...path, "when", "at"];
      trigger = { on: "time", at };
      if (at >= duration) {
        report("impossible-value", atPath, `this action never runs: ${ends}`);
      } else if (at + delay >= duration) {
        report(
          "impossible-value",
          [...path, "after"],
          `this action takes effect at ${formatDuration(at + delay)}, but ${ends}`,
        );
      }
    } else if (a.when !== undefined) {
      refer([...path, "when", "alarm"], "alarm", a.when.alarm, alarms);
      trigger = { on: "alarm", alarm: a.when.alarm };
    } else {
      report("missing-key", path, "an action needs a trigger: at (a time) or when (an alarm)", {
        at: "key",
        expected: "at: 2h or when: { alarm: id }",
      });
    }
    for (const p of actionOptionProblems(a))
      report(
        p.missing ? "missing-key" : "impossible-value",
        p.key ? [...path, p.key] : path,
        p.message,
        p.atKey ? { at: "key" } : {},
      );
    if (a.if !== undefined) {
      const r = conditionReference(a.if);
      const known = r.key === "component" ? components : r.key === "alarm" ? alarms : queues;
      refer([...path, "if", r.key], r.key, r.id, known);
    }
    const scaled = a.do === "scale" ? components.get(a.target) : undefined;
    if (scaled && scaled.capacity === undefined && scaled.concurrency === undefined)
      report(
        "impossible-value",
        [...path, "target"],
        `${a.target} declares neither capacity nor concurrency in the model: there is nothing to scale — declare its capacity (or concurrency) there`,
      );
    if (!trigger) return undefined;
    return {
      id,
      do: a.do,
      target: a.target,
      trigger,
      delay,
      ...actionParameters(a),
      ...(a.if !== undefined ? { condition: a.if } : {}),
      loc,
    };
  }

  /**
   * A DNS record by name; a component named instead gets the records that point at it, which
   * is what "the DNS of db" usually means.
   */
  function referRecord(
    path: readonly PathKey[],
    target: string,
    what: string,
    otherwise = "",
  ): boolean {
    if (records.has(target)) return true;
    const component = components.get(target);
    if (!component) return refer(path, "DNS record", target, records);
    const pointing = model.records
      .filter((r) => r.targets.includes(target) || (r.failover?.targets ?? []).includes(target))
      .map((r) => r.name);
    report(
      "unknown-reference",
      path,
      pointing.length > 0
        ? `'${target}' is a component; ${what} acts on a DNS record, and the records that point at ${target} are ${pointing.join(", ")}`
        : `'${target}' is a component; ${what} acts on a DNS record, and no record points at ${target}${otherwise}`,
      pointing.length > 0 ? { suggestion: pointing[0] } : {},
    );
    return false;
  }

  // --- faults
  const faultEntries = inFileOrder("faults", data.faults);
  const faultIds = new Set(faultEntries.map((e) => e.id));
  const faults: Fault[] = [];
  for (const { id, value: f, path, loc } of faultEntries) {
    const fault = buildFault(id, f, path, loc);
    if (fault) faults.push(fault);
  }

  function buildFault(
    id: string,
    f: FaultInput,
    path: readonly PathKey[],
    loc: Location,
  ): Fault | undefined {
    const at = f.at ?? 0;
    if (at >= duration) {
      report("impossible-value", [...path, "at"], `this fault never starts: ${ends}`);
    }
    const end = faultEnd(f.until, at, [...path, "until"]);
    const timing = { at, end, loc };
    const positive = (key: string, value: number, what: string) => {
      if (value <= 0) report("impossible-value", [...path, key], `${what} must be above 0`);
    };
    const tpath = [...path, "target"];
    switch (f.kind) {
      case "down":
        refer(tpath, "component or failure domain", f.target, componentsAndDomains);
        return { id, kind: f.kind, target: f.target, ...timing };
      case "data-loss":
        refer(tpath, "component", f.target, components);
        return { id, kind: f.kind, target: f.target, ...timing };
      case "dns-empty":
      case "dns-wrong":
      case "dns-nxdomain":
        referRecord(tpath, f.target, f.kind, " (kind: down takes the component itself)");
        return { id, kind: f.kind, target: f.target, ...timing };
      case "latency":
        refer(tpath, "component", f.target, components);
        positive("latency", f.latency, "the added latency");
        return { id, kind: f.kind, target: f.target, latency: f.latency, ...timing };
      case "error-rate":
        refer(tpath, "component", f.target, components);
        positive("rate", f.rate, "the error rate");
        return { id, kind: f.kind, target: f.target, rate: f.rate, ...timing };
      case "capacity-loss": {
        const c = components.get(f.target);
        if (refer(tpath, "component", f.target, components) && c && f.fraction < 1) {
          if (c.capacity === undefined && c.concurrency === undefined)
            report(
              "impossible-value",
              [...path, "fraction"],
              `${f.target} declares neither capacity nor concurrency, so losing ${formatPercent(f.fraction)} of an unbounded capacity changes nothing — declare its capacity (or concurrency) in the model, or lose all of it (fraction: 100%)`,
            );
        }
        positive("fraction", f.fraction, "the capacity lost");
        return { id, kind: f.kind, target: f.target, fraction: f.fraction, ...timing };
      }
      case "surge":
        refer(tpath, "workload", f.target, workloads);
        return { id, kind: f.kind, target: f.target, factor: f.factor, ...timing };
      case "credential-expiry": {
        const credential = f.credential ?? "client";
        if (
          refer(tpath, "component", f.target, components) &&
          credential === "client" &&
          !model.dependencies.some(
            (d) => d.from === f.target && (d.auth !== undefined || d.fallback?.auth !== undefined),
          )
        )
          report(
            "impossible-value",
            tpath,
            `${f.target} makes no call with auth, so its client credentials expiring changes nothing — write credential: certificate for the certificate it serves with, or aim at a component whose calls need auth`,
          );
        return { id, kind: f.kind, target: f.target, credential, ...timing };
      }
      case "partition": {
        const between = partition(f.between, [...path, "between"]);
        return between ? { id, kind: f.kind, between, ...timing } : undefined;
      }
      case "bad-change": {
        refer(tpath, "component or fleet", f.target, componentsAndFleets);
        const effect = f.effect ?? SCENARIO_DEFAULTS.effect;
        let rate = 1;
        if (effect === "error-rate") {
          if (f.rate === undefined) {
            report(
              "missing-key",
              [...path, "effect"],
              "'rate' is required with effect: error-rate",
              { at: "key", expected: "a percentage such as 30%" },
            );
          } else {
            positive("rate", f.rate, "the error rate");
            rate = f.rate;
          }
        } else if (f.rate !== undefined) {
          report(
            "impossible-value",
            [...path, "rate"],
            "'rate' goes with effect: error-rate; a change with effect down fails every request where it lands",
            { at: "key" },
          );
        }
        const rollout = rolloutOf(f.rollout, [...path, "rollout"]);
        return { id, kind: f.kind, target: f.target, effect, rate, rollout, ...timing };
      }
      case "bad-config":
      case "config-oversize":
      case "key-removed": {
        const spec = buildContentFault(id, f, path, { model, faultIds, report, refer });
        return spec ? { id, ...spec, ...timing } : undefined;
      }
    }
  }

  function faultEnd(until: FaultInput["until"], at: number, path: readonly PathKey[]): FaultEnd {
    if (until === undefined || until === "never") return { never: true };
    if (typeof until === "number") {
      if (until <= at) {
        report(
          "impossible-value",
          path,
          `this fault would end at ${formatDuration(until)}, not after it starts at ${formatDuration(at)}`,
          { expected: `a time after ${formatDuration(at)}` },
        );
      }
      return { at: until };
    }
    if (typeof until === "string") return { never: true }; // unreachable: the schema parsed it
    const name = until.action;
    const apath = [...path, "action"];
    if (scenarioActions.has(name)) return { action: name };
    if (disabled.has(name) && modelActions.has(name)) {
      report(
        "impossible-value",
        apath,
        `model action '${name}' is disabled in this scenario (disableModelActions), so it never ends this fault`,
      );
    } else {
      const known = new Set([...scenarioActions, ...modelActions.keys()]);
      refer(apath, "action", name, known);
    }
    return { action: name };
  }

  function partition(
    between: readonly string[],
    path: readonly PathKey[],
  ): readonly [string, string] | undefined {
    if (between.length !== 2) {
      report(
        "impossible-value",
        path,
        `a partition is between exactly two failure domains, not ${between.length}`,
        { at: "key" },
      );
      return undefined;
    }
    const [a, b] = between as [string, string];
    const okA = refer([...path, 0], "failure domain", a, domains);
    const okB = refer([...path, 1], "failure domain", b, domains);
    if (!okA || !okB) return [a, b];
    if (a === b) {
      report("impossible-value", [...path, 1], `a domain cannot be partitioned from itself`);
    } else {
      for (const [inner, outer, i] of [
        [a, b, 0],
        [b, a, 1],
      ] as const) {
        if (ancestors(inner).includes(outer)) {
          report(
            "impossible-value",
            [...path, i],
            `'${inner}' lies inside '${outer}'; a partition separates two disjoint domains`,
          );
        }
      }
    }
    return [a, b];
  }

  function ancestors(domain: string): string[] {
    const out: string[] = [];
    let parent = domains.get(domain)?.parent ?? null;
    while (parent !== null && !out.includes(parent)) {
      out.push(parent);
      parent = domains.get(parent)?.parent ?? null;
    }
    return out;
  }

  function rolloutOf(
    r: Extract<FaultInput, { kind: "bad-change" }>["rollout"],
    path: readonly PathKey[],
  ): Rollout {
    const waves = r?.waves ?? SCENARIO_DEFAULTS.waves;
    waves.forEach((w, i) => {
      const prev = waves[i - 1];
      if (i === 0 && w <= 0) {
        report("impossible-value", [...path, "waves", i], "the first wave must reach above 0%");
      } else if (prev !== undefined && w <= prev) {
        report(
          "impossible-value",
          [...path, "waves", i],
          `waves are cumulative and must grow: ${formatPercent(w)} does not exceed ${formatPercent(prev)}`,
        );
      }
    });
    if (r?.bake !== undefined && waves.length < 2) {
      report(
        "impossible-value",
        [...path, "bake"],
        "bake is the time between waves, and this rollout has one wave; list the waves or drop bake",
        { at: "key" },
      );
    }
    if (r?.rollbackOn !== undefined) refer([...path, "rollbackOn"], "alarm", r.rollbackOn, alarms);
    else if (r?.rollbackAfter !== undefined) {
      report(
        "impossible-value",
        [...path, "rollbackAfter"],
        "rollbackAfter counts from the rollbackOn alarm, and there is none",
        { at: "key" },
      );
    }
    return {
      waves: [...waves],
      bake: r?.bake ?? SCENARIO_DEFAULTS.bake,
      ...(r?.rollbackOn !== undefined ? { rollbackOn: r.rollbackOn } : {}),
      rollbackAfter: r?.rollbackAfter ?? SCENARIO_DEFAULTS.rollbackAfter,
    };
  }

  // --- expectations
  const faultEnds = new Map(faults.map((f) => [f.id, f.end]));
  const expectations: ScoredExpectation[] = [];
  const expectationContext = {
    source,
    report,
    refer,
    duration,
    ends,
    workloads,
    components,
    replicated: new Set(model.components.filter((c) => c.replication).map((c) => c.id)),
    lossy: new Set(faults.flatMap((f) => (f.kind === "data-loss" ? [f.target] : []))),
    queues,
    alarms: ids(model.alarms),
    faultIds,
    faultEnds,
    startsAt: data.startsAt,
  };
  (data.expect ?? []).forEach((entry, i) => {
    const e = buildExpectation(entry, ["expect", i], expectationContext);
    if (e) expectations.push(e);
  });

  // --- public facts, each with the expectations that check it, and the public timeline
  const facts: Fact[] = [];
  for (const { id, value: f, path, loc } of inFileOrder("facts", data.facts)) {
    if ((f.expect === undefined) === (f.notSimulated === undefined)) {
      report(
        f.expect === undefined ? "missing-key" : "impossible-value",
        path,
        f.expect === undefined
          ? `fact '${id}' needs expect (the expectations that check it) or notSimulated (why none can)`
          : `fact '${id}' has both expect and notSimulated: keep expect if it can be checked, notSimulated if not`,
        { at: "key" },
      );
    }
    (f.expect ?? []).forEach((entry, i) => {
      const e = buildExpectation(entry, [...path, "expect", i], expectationContext);
      if (e) expectations.push({ ...e, fact: id });
    });
    facts.push({
      id,
      claim: f.claim,
      public: f.public,
      ...(f.source !== undefined ? { source: f.source } : {}),
      ...(f.notSimulated !== undefined ? { notSimulated: f.notSimulated } : {}),
      loc,
    });
  }
  // In the order of the file, whichever section an expectation is written in.
  expectations.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column);
  const timeline: PublicEvent[] = (data.timeline ?? []).map((t, i) => {
    const at =
      typeof t.at === "number"
        ? t.at
        : wallClockSeconds(t.at.instant, data.startsAt, (message) =>
            report("impossible-value", ["timeline", i, "at"], message),
          );
    return {
      at,
      event: t.event,
      ...(t.source !== undefined ? { source: t.source } : {}),
      loc: source.locate(["timeline", i], "value"),
    };
  });

  // --- what-if changes to the model
  const changes = buildChanges(data.changes ?? [], {
    source,
    model,
    report,
    refer,
    components,
    records,
    duration,
    ends,
  });

  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const scenario: Scenario = {
    name: data.name,
    ...(data.description !== undefined ? { description: data.description } : {}),
    file: source.file,
    duration,
    ...(data.startsAt !== undefined ? { startsAt: data.startsAt } : {}),
    faults,
    actions,
    disabledModelActions: [...disabled],
    changes,
    expectations,
    facts,
    timeline,
    loc: source.locate([], "value"),
  };
  return { scenario, diagnostics };
}
