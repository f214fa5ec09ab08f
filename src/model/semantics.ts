/**
 * @module model/semantics
 * Everything the schema cannot check alone, because it needs the whole model: references
 * between entities (with the closest valid name for a typo), ids declared twice across files,
 * values that are impossible together (a quorum larger than the replicas, a zone outside its
 * region, a refresh window longer than the token), and defaults. Produces the normalized
 * `Model`, sorted by id. Every problem is collected; none stops the others from being found.
 * One place per section: the larger checks live in `records.ts`, `placement.ts`,
 * `dependency.ts`, `traffic.ts` (queues, workloads), `alarms.ts` and `actions.ts`, and what
 * they share in `checking.ts`.
 */

import { buildActions } from "./actions.js";
import { buildAlarms } from "./alarms.js";
import { appendAll, sortInPlace } from "./arrays.js";
import {
  healthCheckOf,
  IDENTITY_KINDS,
  type Known,
  type Mutable,
  type Origin,
} from "./checking.js";
import { checkShards, resolveCommonCauses, withKeyReads } from "./content.js";
import { resolveDependency } from "./dependency.js";
import {
  type Diagnostic,
  type DiagnosticCode,
  type LocatedExtra,
  locatedError,
  suggest,
} from "./diagnostics.js";
import { type FlatDomain, flattenDomains } from "./domains.js";
import { resolvePlacement } from "./placement.js";
import { provenanceLocation, provenanceOf } from "./provenance.js";
import { collectRecords } from "./records.js";
import type { ComponentInput, DependencyOptionsInput, FleetInput, ModelFile } from "./schema.js";
import type { PathKey, SourceFile } from "./source.js";
import { buildQueues, buildWorkloads } from "./traffic.js";
import type { Component, Dependency, Domain, Model, Redundancy, Warmup } from "./types.js";

export interface ParsedFile {
  readonly source: SourceFile;
  readonly data: ModelFile;
  readonly isRoot: boolean;
}

export { DEFAULTS } from "./checking.js";

const OBSERVER_KINDS = new Set(["monitoring", "health-check", "status-page"]);

export function buildModel(files: readonly ParsedFile[]): {
  model?: Model;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const report = (
    code: DiagnosticCode,
    source: SourceFile,
    path: readonly PathKey[],
    message: string,
    extra: LocatedExtra = {},
  ) => {
    diagnostics.push(locatedError(code, source, path, message, extra));
  };
  /** Something the model says that changes nothing: reported, at the key, without failing it. */
  const warn = (source: SourceFile, path: readonly PathKey[], message: string) => {
    diagnostics.push({
      ...locatedError("impossible-value", source, path, message, { at: "key" }),
      severity: "warning",
    });
  };

  // Merge the sections of every file, reporting ids declared twice.
  const collect = <T>(section: keyof ModelFile): Map<string, Origin<T>> => {
    const out = new Map<string, Origin<T>>();
    for (const f of files) {
      const entries = f.data[section] as Record<string, T> | undefined;
      if (!entries) continue;
      for (const [id, value] of Object.entries(entries)) {
        const path = [section, id];
        const first = out.get(id);
        if (first) {
          const at = first.source.locate(first.path, "key");
          report(
            "duplicate-id",
            f.source,
            path,
            `'${id}' is already declared at ${at.file}:${at.line}`,
            {
              at: "key",
            },
          );
          continue;
        }
        out.set(id, { value, source: f.source, path });
      }
    }
    return out;
  };

  const domainMap = new Map<string, FlatDomain>();
  for (const f of files)
    flattenDomains(f.source, f.data.domains as Record<string, unknown>, domainMap, diagnostics);
  const components = collect<ComponentInput>("components");
  const queues = collect<NonNullable<ModelFile["queues"]>[string]>("queues");
  const workloads = collect<NonNullable<ModelFile["workloads"]>[string]>("workloads");
  const alarms = collect<NonNullable<ModelFile["alarms"]>[string]>("alarms");
  const actions = collect<NonNullable<ModelFile["actions"]>[string]>("actions");

  const root = files.find((f) => f.isRoot);
  for (const f of files) {
    if (!f.isRoot && f.data.name !== undefined) {
      report("impossible-value", f.source, ["name"], "only the root model file names the model", {
        at: "key",
      });
    }
  }

  const refer = (
    source: SourceFile,
    path: readonly PathKey[],
    what: string,
    ref: string,
    known: Known,
    at: "key" | "value" = "value",
  ): boolean => {
    if (known.has(ref)) return true;
    report("unknown-reference", source, path, `unknown ${what} '${ref}'`, {
      suggestion: suggest(ref, known.keys()),
      at,
    });
    return false;
  };

  // --- DNS records live inside dns components; collect them first so dependencies can use them.
  const records = collectRecords(components, report, refer);
  // Content, fleets, replicas and shards (model/content.ts).
  const common = resolveCommonCauses(
    components,
    collect<FleetInput>("fleets"),
    (id) =>
      components.has(id)
        ? "component"
        : records.has(id)
          ? "DNS record"
          : domainMap.has(id)
            ? "failure domain"
            : undefined,
    report,
    refer,
  );

  // --- components
  const outComponents: Component[] = [];
  // Each component's dependencies, sorted by target at the end; with the components sorted by
  // id, that orders them by (from, to) without sorting a million of them at once.
  const dependenciesOf = new Map<string, Dependency[]>();
  for (const [cid, { value: c, source, path }] of components) {
    const placement = resolvePlacement(c, source, path, domainMap, report, refer);
    checkShards(c, placement, domainMap, source, path, report);
    const replicas = placement?.domains.length ?? 1;
    let redundancy: Redundancy = { mode: "any" };
    if (c.redundancy === "all") redundancy = { mode: "all" };
    else if (typeof c.redundancy === "object") {
      if (placement && replicas > 1 && c.redundancy.quorum > replicas) {
        report(
          "impossible-value",
          source,
          [...path, "redundancy", "quorum"],
          `a quorum of ${c.redundancy.quorum} cannot be met by ${replicas} placement(s)`,
        );
      }
      redundancy = { mode: "quorum", quorum: c.redundancy.quorum };
    }
    if (
      c.availability !== undefined &&
      placement &&
      placement.domains.length > 1 &&
      redundancy.mode !== "all" &&
      !(redundancy.mode === "quorum" && redundancy.quorum >= replicas)
    ) {
      warn(
        source,
        [...path, "availability"],
        `'${cid}' is replicated over ${replicas} placements, so it fails only through its domains and dependencies and this availability is not used; declare availability on the domains instead`,
      );
    }
    if (c.buffer !== undefined && c.capacity === undefined && c.concurrency === undefined)
      report(
        "impossible-value",
        source,
        [...path, "buffer"],
        `'${cid}' has no capacity or concurrency, so nothing queues to be bounded; give it a capacity (e.g. capacity: 1k rps) or leave buffer out`,
        { at: "key" },
      );
    if (c.buffer !== undefined && c.buffer <= 0)
      report(
        "impossible-value",
        source,
        [...path, "buffer"],
        "a buffer above 0s holds work; to drop everything beyond capacity, give it a short one (e.g. 1ms)",
      );
    const warm = c.recovery?.warmup;
    if (
      warm?.capacity !== undefined &&
      warm.capacity < 1 &&
      c.capacity === undefined &&
      c.concurrency === undefined &&
      c.leases === undefined
    ) {
      warn(
        source,
        [...path, "recovery", "warmup", "capacity"],
        `'${cid}' has no capacity, concurrency or lease rate, so a share of it while warming up changes nothing; give it a capacity (e.g. capacity: 1k rps) or leave warmup.capacity out`,
      );
    }
    if (typeof c.redundancy === "object" && placement && replicas < 2) {
      report(
        "impossible-value",
        source,
        [...path, "redundancy"],
        "a quorum needs a placement in several domains (zones, regions or domains)",
        { at: "key" },
      );
    }
    if (c.tokens) {
      if (c.tokens.ttl <= 0)
        report(
          "impossible-value",
          source,
          [...path, "tokens", "ttl"],
          "tokens need a positive ttl",
        );
      if (!IDENTITY_KINDS.has(c.kind)) {
        report(
          "impossible-value",
          source,
          [...path, "tokens"],
          `only identity and token-service components issue tokens ('${cid}' is ${c.kind})`,
          {
            at: "key",
          },
        );
      } else if ((c.tokens.refreshBefore ?? 0) >= c.tokens.ttl) {
        report(
          "impossible-value",
          source,
          [...path, "tokens", "refreshBefore"],
          "tokens must be refreshed before they expire: refreshBefore must be shorter than ttl",
        );
      }
    }
    if (c.leases?.attemptTimeout !== undefined && c.leases.attemptTimeout <= 0)
      report(
        "impossible-value",
        source,
        [...path, "leases", "attemptTimeout"],
        "a host awaits its attempt for some time: attemptTimeout must be above 0s (it defaults to the lease's duration)",
      );
    if (c.leases && c.leases.renewEvery >= c.leases.duration) {
      report(
        "impossible-value",
        source,
        [...path, "leases", "renewEvery"],
        "leases must be renewed before they expire: renewEvery must be shorter than duration",
      );
    }
    if (c.observes && c.observes.length > 0 && !OBSERVER_KINDS.has(c.kind)) {
      report(
        "impossible-value",
        source,
        [...path, "observes"],
        `only monitoring, health-check and status-page components observe others ('${cid}' is ${c.kind})`,
        {
          at: "key",
        },
      );
    }
    for (const [i, o] of (c.observes ?? []).entries())
      refer(source, [...path, "observes", i], "component", o, components);
    for (const [i, q] of (c.publishes ?? []).entries())
      refer(source, [...path, "publishes", i], "queue", q, queues);
    if (c.leases?.publishes !== undefined)
      refer(source, [...path, "leases", "publishes"], "queue", c.leases.publishes, queues);
    for (const q of Object.keys(c.needsFresh ?? {}))
      refer(source, [...path, "needsFresh", q], "queue", q, queues, "key");

    const seenTargets = new Map<string, "needs" | "wants">();
    const dependencies: Dependency[] = [];
    dependenciesOf.set(cid, dependencies);
    const depend = (
      section: "needs" | "wants",
      to: string,
      opts: DependencyOptionsInput | null,
      list: object,
      index: number,
    ) => {
      // A list's entries are located by position, a mapping's by target.
      const dpath = [...path, section, Array.isArray(list) ? index : to];
      if (!refer(source, dpath, "component", to, components, "key")) return;
      if (to === cid) {
        report("impossible-value", source, dpath, `'${cid}' cannot depend on itself`, {
          at: "key",
        });
        return;
      }
      const prior = seenTargets.get(to);
      if (prior) {
        report("duplicate-id", source, dpath, `'${to}' is already listed under ${prior}`, {
          at: "key",
        });
        return;
      }
      seenTargets.set(to, section);
      const at = source.locateEntry?.(list, index) ?? source.locate(dpath, "key");
      dependencies.push(
        resolveDependency(
          cid,
          to,
          section,
          opts,
          source,
          dpath,
          at,
          components,
          records,
          report,
          refer,
        ),
      );
    };
    // Plain loops rather than entry lists: a million dependencies, each spared its tuples.
    for (const section of ["needs", "wants"] as const) {
      const deps = c[section];
      if (!deps) continue;
      if (Array.isArray(deps)) {
        for (let i = 0; i < deps.length; i++) depend(section, deps[i] as string, null, deps, i);
      } else {
        let i = 0;
        for (const to in deps)
          depend(section, to, deps[to] as DependencyOptionsInput | null, deps, i++);
      }
    }

    // Built by assignment, in the key order of the type (see resolveDependency).
    const out = {
      id: cid,
      kind: c.kind,
      plane: c.plane ?? "data",
      placement: placement ?? { scope: "global", domains: [] },
      redundancy,
    } as Mutable<Component>;
    if (c.description !== undefined) out.description = c.description;
    if (c.capacity !== undefined) out.capacity = c.capacity;
    if (c.concurrency !== undefined) out.concurrency = c.concurrency;
    if (c.latency !== undefined) out.latency = c.latency;
    if (c.buffer !== undefined) out.buffer = c.buffer;
    out.recovery = {
      ...(c.recovery?.restart !== undefined ? { restart: c.recovery.restart } : {}),
      coldStart: c.recovery?.coldStart ?? "needs-dependencies",
      ...(c.recovery?.minimum !== undefined ? { minimum: c.recovery.minimum } : {}),
      ...(c.recovery?.warmup !== undefined
        ? { warmup: warmupOf(c.recovery.warmup, source, [...path, "recovery", "warmup"], report) }
        : {}),
    };
    if (c.rto !== undefined) out.rto = c.rto;
    if (c.availability !== undefined) out.availability = c.availability;
    if (c.tokens) out.tokens = { ttl: c.tokens.ttl, refreshBefore: c.tokens.refreshBefore ?? 0 };
    if (c.leases) {
      const leases = {
        duration: c.leases.duration,
        renewEvery: c.leases.renewEvery,
        count: c.leases.count,
      } as Mutable<NonNullable<Component["leases"]>>;
      if (c.leases.establishRate !== undefined) leases.establishRate = c.leases.establishRate;
      if (c.leases.attemptTimeout !== undefined) leases.attemptTimeout = c.leases.attemptTimeout;
      if (c.leases.retryBackoff !== undefined) leases.retryBackoff = c.leases.retryBackoff;
      if (c.leases.publishes !== undefined) leases.publishes = c.leases.publishes;
      out.leases = leases;
    }
    if (c.healthCheck) out.healthCheck = healthCheckOf(c.healthCheck);
    if (c.needsFresh && Object.keys(c.needsFresh).length > 0)
      out.needsFresh = Object.entries(c.needsFresh)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([queue, f]) => ({ queue, maxStaleness: f.maxStaleness, share: f.share ?? 1 }));
    out.observes = c.observes ? [...new Set(c.observes)].sort() : [];
    out.publishes = c.publishes ? [...new Set(c.publishes)].sort() : [];
    Object.assign(out, common.extras.get(cid));
    const sources = provenanceOf(c.source, source.file);
    if (sources) out.sources = sources;
    out.loc = provenanceLocation(sources) ?? source.locate(path, "key");
    outComponents.push(out);
  }

  // --- queues, workloads and alarms (model/traffic.ts, model/alarms.ts)
  const outQueues = buildQueues(queues, components, report, refer);
  const outWorkloads = buildWorkloads(workloads, components, report, refer);
  const outAlarms = buildAlarms(alarms, components, report, refer);

  // --- actions
  const outActions = buildActions(actions, {
    report,
    refer,
    records,
    queues,
    components,
    alarms,
    contents: new Set(common.contents.map((c) => c.id)),
  });

  // Components, failure domains and DNS records share one namespace in findings.
  for (const [name, { origin }] of records) {
    if (domainMap.has(name)) {
      report(
        "duplicate-id",
        origin.source,
        origin.path,
        `'${name}' names both a DNS record and a failure domain; findings need distinct names`,
        {
          at: "key",
        },
      );
    }
  }
  for (const [cid, { source, path }] of components) {
    const clash = domainMap.has(cid)
      ? "failure domain"
      : records.has(cid)
        ? "DNS record"
        : undefined;
    if (clash) {
      report(
        "duplicate-id",
        source,
        path,
        `'${cid}' names both a component and a ${clash}; findings need distinct names`,
        {
          at: "key",
        },
      );
    }
  }

  if (!root) return { diagnostics };
  if (root.data.name === undefined) {
    report(
      "missing-key",
      root.source,
      [],
      "a model needs a name: add `name: my-system` at the top",
    );
  }
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };

  const domains: Domain[] = [...domainMap.values()].map((d) => ({
    id: d.id,
    kind: d.kind,
    parent: d.parent,
    ...(d.availability !== undefined ? { availability: d.availability } : {}),
    loc: d.loc,
  }));
  const byId = <T extends { id: string }>(a: T, b: T) => cmp(a.id, b.id);
  // Components sorted first: dependencies follow their callers' order.
  outComponents.sort(byId);
  const dependencies = dependenciesInOrder(outComponents, dependenciesOf);
  const model: Model = {
    name: root.data.name as string,
    ...(root.data.description !== undefined ? { description: root.data.description } : {}),
    files: files.map((f) => f.source.file),
    domains: domains.sort(byId),
    components: outComponents,
    dependencies,
    records: [...records.values()].map((r) => r.record).sort((a, b) => cmp(a.name, b.name)),
    queues: outQueues.sort(byId),
    workloads: outWorkloads.sort(byId),
    alarms: outAlarms.sort(byId),
    actions: outActions.sort(byId),
    ...(common.contents.length > 0
      ? {
          contents: common.contents,
          reads: withKeyReads(common.contents, common.reads, dependencies),
        }
      : {}),
    ...(common.fleets.length > 0 ? { fleets: common.fleets } : {}),
  };
  return { model, diagnostics };
}

/** Every dependency, by (from, to): components come sorted by id, and each one's by target. */
function dependenciesInOrder(
  components: readonly Component[],
  dependenciesOf: ReadonlyMap<string, Dependency[]>,
): Dependency[] {
  const all: Dependency[] = [];
  for (const c of components) {
    const own = dependenciesOf.get(c.id) ?? [];
    appendAll(
      all,
      sortInPlace(own, (a, b) => cmp(a.to, b.to)),
    );
  }
  return all;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A component's `recovery.warmup`, defaults filled; a warm-up that changes nothing is refused. */
function warmupOf(
  w: { over: number; capacity?: number | undefined; calls?: number | undefined },
  source: SourceFile,
  path: readonly PathKey[],
  report: (
    code: DiagnosticCode,
    source: SourceFile,
    path: readonly PathKey[],
    message: string,
  ) => void,
): Warmup {
  const capacity = w.capacity ?? 1;
  const calls = w.calls ?? 1;
  if (!(w.over > 0))
    report(
      "impossible-value",
      source,
      [...path, "over"],
      "a warm-up takes some time: write e.g. over: 10m",
    );
  if (!(capacity > 0 && capacity <= 1))
    report(
      "impossible-value",
      source,
      [...path, "capacity"],
      "the capacity it starts with is a share above 0% and at most 100% (e.g. capacity: 25%)",
    );
  if (!(calls >= 1))
    report(
      "impossible-value",
      source,
      [...path, "calls"],
      "calls is a multiple of its usual calls, at least 1 (e.g. calls: 3 for a burst three times the usual)",
    );
  if (capacity === 1 && calls === 1)
    report(
      "impossible-value",
      source,
      path,
      "this warm-up changes nothing: start below full capacity (capacity: 25%) or with a burst of calls (calls: 3)",
    );
  return { over: w.over, capacity, calls };
}
