/**
 * @module importers/merge
 * Several fragments into one model. Components are matched by id — the same name gives the
 * same id in every source (`units.toId`) — and merged attribute by attribute with a fixed
 * precedence (docs/importers.md#merge):
 *
 * - what a component is and where it runs: Terraform, CloudFormation, Kubernetes, Compose,
 *   Backstage, Istio, traces — infrastructure code knows placement best;
 * - how a call behaves: Istio, traces, then the configuration sources — the mesh enforces
 *   timeouts and retries, and traces measured the calls;
 * - whether a dependency is hard or soft: the first source that says.
 *
 * When a source of lower precedence states a different value, the higher one is kept and the
 * difference is reported as a `conflict` at the losing source's line. Every element keeps the
 * provenance of every source that described it, in precedence order.
 *
 * References found in configuration (a host name in an environment variable) are resolved here
 * against every source's components, aliases and DNS records; Istio's policies are applied to
 * every edge into the service they govern; Kubernetes placements are resolved to the zones of
 * the cluster an infrastructure source creates. What stays unresolved is reported in one line.
 */
import type { ComponentKind, Plane } from "../model/types.js";
import { hostOf } from "./hosts.js";
import type {
  CallOptions,
  ComponentDraft,
  Fragment,
  ImportDiagnostic,
  ImportFormat,
  Managed,
  ObservedDraft,
  PlacementDraft,
  Provenance,
  RedundancyDraft,
} from "./types.js";
import { cmp, toId } from "./units.js";

const COMPONENT_PRECEDENCE: readonly ImportFormat[] = [
  "terraform",
  "cloudformation",
  "kubernetes",
  "compose",
  "backstage",
  "istio",
  "traces",
];
const CALL_PRECEDENCE: readonly ImportFormat[] = [
  "istio",
  "traces",
  "kubernetes",
  "compose",
  "terraform",
  "cloudformation",
  "backstage",
];

/** A placement once clusters are resolved: everything but `cluster`. */
export type Placed = Exclude<PlacementDraft, { at: "cluster" }>;

export interface MergedComponent {
  readonly id: string;
  kind: ComponentKind;
  plane?: Plane;
  placement?: Placed;
  redundancy?: RedundancyDraft;
  description?: string;
  latency?: string;
  capacity?: string;
  restart?: string;
  managed?: Managed;
  readonly sources: Provenance[];
  /** Set on components the provider catalogue added: the entry they come from. */
  catalogue?: string;
}

export interface ImplicitMark {
  readonly catalogue: string;
  readonly service: string;
  readonly edge: "runtime" | "credential" | "provisioning" | "config-propagation";
  readonly confidence: "high" | "medium" | "low";
  readonly cite: readonly string[];
}

export interface MergedDependency {
  readonly from: string;
  readonly to: string;
  hard: boolean;
  options: CallOptions & { via?: string };
  /** What a trace measured, and the source it was measured in. */
  observed?: { readonly at: Provenance; readonly values: ObservedDraft };
  implicit?: ImplicitMark;
  readonly sources: Provenance[];
}

export interface MergedRecord {
  readonly name: string;
  readonly server: string;
  readonly ttl: string;
  readonly targets: string[];
  readonly sources: Provenance[];
}

export interface MergedWorkload {
  readonly id: string;
  readonly entry: string;
  readonly rate: string;
  readonly sources: Provenance[];
}

export interface MergedModel {
  readonly components: Map<string, MergedComponent>;
  readonly dependencies: Map<string, MergedDependency>;
  readonly records: Map<string, MergedRecord>;
  readonly workloads: Map<string, MergedWorkload>;
  readonly diagnostics: ImportDiagnostic[];
}

export const edgeKey = (from: string, to: string) => `${from}\u0000${to}`;

const rank = (order: readonly ImportFormat[], f: ImportFormat) => order.indexOf(f);
const bySource = (a: Provenance, b: Provenance) =>
  cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.address, b.address);
const where = (p: Provenance) => `${p.file}${p.line !== undefined ? `:${p.line}` : ""}`;

export function mergeFragments(fragments: readonly Fragment[]): MergedModel {
  const diagnostics: ImportDiagnostic[] = [];
  const note = (
    code: ImportDiagnostic["code"],
    severity: ImportDiagnostic["severity"],
    at: Provenance,
    message: string,
  ) =>
    diagnostics.push({
      code,
      severity,
      message,
      file: at.file,
      line: at.line ?? 1,
      column: at.column ?? 1,
    });

  // --- components, in component precedence
  type Tagged<T> = { format: ImportFormat; draft: T };
  const tagged = <T extends { source: Provenance }>(pick: (f: Fragment) => readonly T[]) =>
    fragments
      .flatMap((f) => pick(f).map((draft) => ({ format: f.format, draft })))
      .sort(
        (a, b) =>
          rank(COMPONENT_PRECEDENCE, a.format) - rank(COMPONENT_PRECEDENCE, b.format) ||
          bySource(a.draft.source, b.draft.source),
      );

  const clusters = new Map<string, Tagged<Fragment["clusters"][number]>["draft"]>();
  for (const { draft } of tagged((f) => f.clusters))
    if (!clusters.has(draft.name)) clusters.set(draft.name, draft);

  const components = new Map<string, MergedComponent>();
  const aliases = new Map<string, string>();
  const from = new Map<string, ImportFormat>();
  for (const { format, draft } of tagged((f) => f.components)) {
    const resolved = resolvePlacement(draft, clusters);
    const prior = components.get(draft.id);
    if (!prior) {
      components.set(draft.id, {
        id: draft.id,
        kind: draft.kind,
        ...(draft.plane !== undefined ? { plane: draft.plane } : {}),
        ...(resolved.placement ? { placement: resolved.placement } : {}),
        ...(resolved.redundancy !== undefined ? { redundancy: resolved.redundancy } : {}),
        ...(draft.description !== undefined ? { description: draft.description } : {}),
        ...(draft.latency !== undefined ? { latency: draft.latency } : {}),
        ...(draft.capacity !== undefined ? { capacity: draft.capacity } : {}),
        ...(draft.restart !== undefined ? { restart: draft.restart } : {}),
        ...(draft.managed !== undefined ? { managed: draft.managed } : {}),
        sources: [draft.source],
      });
      from.set(draft.id, format);
    } else {
      const winner = from.get(draft.id) as ImportFormat;
      const attribute = <K extends keyof MergedComponent>(key: K, value: MergedComponent[K]) => {
        if (value === undefined) return;
        const kept = prior[key];
        if (kept === undefined) {
          prior[key] = value;
          return;
        }
        if (JSON.stringify(kept) !== JSON.stringify(value)) {
          note(
            "conflict",
            "warning",
            draft.source,
            `components.${draft.id}.${String(key)}: ${format} says ${show(value)}, ${winner} (${where(prior.sources[0] as Provenance)}) says ${show(kept)}; kept ${show(kept)} (${winner} takes precedence)`,
          );
        }
      };
      // Fallback kinds say nothing, and a trace only guesses what a service is.
      const guess = format === "traces" || WEAK_KINDS.has(draft.kind);
      if (prior.kind !== draft.kind && !guess) {
        if (WEAK_KINDS.has(prior.kind)) prior.kind = draft.kind;
        else attribute("kind", draft.kind);
      }
      attribute("plane", draft.plane);
      attribute("placement", resolved.placement);
      attribute("redundancy", resolved.redundancy);
      if (prior.description === undefined && draft.description !== undefined)
        prior.description = draft.description;
      attribute("latency", draft.latency);
      attribute("capacity", draft.capacity);
      attribute("restart", draft.restart);
      if (prior.managed === undefined && draft.managed !== undefined) prior.managed = draft.managed;
      prior.sources.push(draft.source);
    }
    for (const alias of draft.aliases ?? []) {
      const key = alias.toLowerCase();
      if (!aliases.has(key)) aliases.set(key, draft.id);
    }
  }

  // --- DNS records
  const records = new Map<string, MergedRecord>();
  const resolveName = (name: string): string | undefined => {
    const lower = name.toLowerCase();
    if (components.has(lower)) return lower;
    return aliases.get(lower) ?? aliases.get(lower.replace(/\.$/, ""));
  };
  for (const { draft } of tagged((f) => f.records)) {
    if (records.has(draft.name)) continue;
    const targets = [...new Set(draft.targets.map(resolveName))].filter(
      (t): t is string => t !== undefined,
    );
    if (targets.length === 0 || !components.has(draft.server)) {
      note(
        "unresolved-reference",
        "warning",
        draft.source,
        `DNS record ${draft.name} answers with ${draft.targets.join(", ")}, which no source describes: left out`,
      );
      continue;
    }
    records.set(draft.name, { ...draft, targets: targets.sort(), sources: [draft.source] });
  }

  // --- dependencies: declared, then references resolved, then policies
  const dependencies = new Map<string, MergedDependency>();
  const dangling: Provenance[] = [];
  const hardFrom = new Map<string, ImportFormat>();
  const optionFrom = new Map<string, Map<string, { format: ImportFormat; at: Provenance }>>();
  const addEdge = (
    format: ImportFormat,
    d: {
      from: string;
      to: string;
      hard?: boolean;
      options?: CallOptions & { via?: string };
      observed?: ObservedDraft;
      source: Provenance;
    },
  ) => {
    if (d.from === d.to) return;
    if (!components.has(d.from) || !components.has(d.to)) {
      dangling.push({ ...d.source, address: `${d.from} → ${d.to}` });
      return;
    }
    const key = edgeKey(d.from, d.to);
    let edge = dependencies.get(key);
    if (!edge) {
      edge = { from: d.from, to: d.to, hard: true, options: {}, sources: [] };
      dependencies.set(key, edge);
    }
    edge.sources.push(d.source);
    if (d.hard !== undefined) {
      const first = hardFrom.get(key);
      if (first === undefined) {
        hardFrom.set(key, format);
        edge.hard = d.hard;
      } else if (edge.hard !== d.hard)
        note(
          "conflict",
          "warning",
          d.source,
          `components.${d.from}.${d.hard ? "needs" : "wants"}.${d.to}: ${format} says ${d.hard ? "hard" : "soft"}, ${first} says ${edge.hard ? "hard" : "soft"}; kept ${edge.hard ? "hard" : "soft"}`,
        );
    }
    if (d.observed !== undefined && edge.observed === undefined)
      edge.observed = { at: d.source, values: d.observed };
    const seen = optionFrom.get(key) ?? new Map();
    optionFrom.set(key, seen);
    for (const [name, value] of Object.entries(d.options ?? {})) {
      if (value === undefined) continue;
      const prior = seen.get(name);
      const current = (edge.options as Record<string, unknown>)[name];
      if (prior === undefined) {
        (edge.options as Record<string, unknown>)[name] = value;
        seen.set(name, { format, at: d.source });
      } else if (JSON.stringify(current) !== JSON.stringify(value)) {
        note(
          "conflict",
          "warning",
          d.source,
          `components.${d.from}.needs.${d.to}.${name}: ${format} says ${show(value)}, ${prior.format} (${where(prior.at)}) says ${show(current)}; kept ${show(current)}`,
        );
      }
    }
  };

  type Edgeish = Parameters<typeof addEdge>[1];
  const calls: { format: ImportFormat; edge: Edgeish }[] = [];
  for (const f of fragments)
    for (const d of f.dependencies) calls.push({ format: f.format, edge: d });

  const unresolved: Provenance[] = [];
  for (const f of fragments) {
    for (const r of f.references) {
      let hit = r.exact
        ? mapped(resolveName(r.target))
        : resolveReference(r.target, resolveName, records);
      if (hit === undefined && r.orElse !== undefined) {
        const c = r.orElse;
        if (!components.has(c.id))
          components.set(c.id, {
            id: c.id,
            kind: c.kind,
            ...(c.placement !== undefined && c.placement.at !== "cluster"
              ? { placement: c.placement }
              : {}),
            ...(c.latency !== undefined ? { latency: c.latency } : {}),
            sources: [c.source],
          });
        hit = { to: c.id };
      }
      if (hit === undefined) {
        if (r.exact) continue;
        unresolved.push({ ...r.source, address: `${r.from} → ${r.target}` });
        continue;
      }
      calls.push({
        format: f.format,
        edge: {
          from: r.from,
          to: hit.to,
          ...(r.hard !== undefined ? { hard: r.hard } : {}),
          ...(hit.via !== undefined || r.options !== undefined
            ? { options: { ...r.options, ...(hit.via !== undefined ? { via: hit.via } : {}) } }
            : {}),
          ...(r.observed !== undefined ? { observed: r.observed } : {}),
          source: r.source,
        },
      });
    }
  }
  calls.sort(
    (a, b) =>
      rank(CALL_PRECEDENCE, a.format) - rank(CALL_PRECEDENCE, b.format) ||
      bySource(a.edge.source, b.edge.source) ||
      cmp(a.edge.from, b.edge.from) ||
      cmp(a.edge.to, b.edge.to),
  );
  for (const { format, edge } of calls) addEdge(format, edge);

  // Policies govern every call into their service, whoever makes it; they outrank the rest.
  const governed = new Set<string>();
  const policies = tagged((f) => f.policies);
  for (const { draft } of policies) {
    const to = resolveName(draft.to) ?? draft.to;
    let applied = 0;
    for (const edge of dependencies.values()) {
      if (edge.to !== to) continue;
      applied++;
      const key = edgeKey(edge.from, edge.to);
      const seen = optionFrom.get(key) ?? new Map();
      optionFrom.set(key, seen);
      for (const [name, value] of Object.entries(draft.options)) {
        if (value === undefined) continue;
        const prior = seen.get(name);
        if (prior?.format === "istio") continue; // the first policy for a host wins
        (edge.options as Record<string, unknown>)[name] = value;
        seen.set(name, { format: "istio", at: draft.source });
      }
      edge.sources.push(draft.source);
    }
    governed.add(to);
    if (applied === 0)
      note(
        "unresolved-reference",
        "warning",
        draft.source,
        `the policy for ${draft.to} governs no call that a source declares: nothing to apply it to`,
      );
  }

  if (dangling.length > 0) {
    dangling.sort(bySource);
    note(
      "unresolved-reference",
      "warning",
      dangling[0] as Provenance,
      `${dangling.length} dependenc${dangling.length === 1 ? "y names" : "ies name"} a component no source describes, and ${dangling.length === 1 ? "was" : "were"} left out: ${listed(dangling.map((u) => u.address))}`,
    );
  }
  if (unresolved.length > 0) {
    unresolved.sort(bySource);
    const first = unresolved[0] as Provenance;
    note(
      "unresolved-reference",
      "info",
      first,
      `${unresolved.length} reference(s) in configuration name nothing any source describes, so no dependency was made for them: ${listed(unresolved.map((u) => u.address))}`,
    );
  }

  // --- workloads
  const workloads = new Map<string, MergedWorkload>();
  for (const { draft } of tagged((f) => f.workloads)) {
    const prior = workloads.get(draft.id);
    if (prior) prior.sources.push(draft.source);
    else if (components.has(draft.entry))
      workloads.set(draft.id, { ...draft, sources: [draft.source] });
  }

  return { components, dependencies, records, workloads, diagnostics };
}

/** Kinds importers fall back on when a source cannot say what something is. */
const WEAK_KINDS: ReadonlySet<ComponentKind> = new Set(["other", "external"]);

function resolvePlacement(
  draft: ComponentDraft,
  clusters: ReadonlyMap<string, { zones: readonly string[]; provider: string; region: string }>,
): { placement?: Placed; redundancy?: RedundancyDraft } {
  const p = draft.placement;
  if (p === undefined)
    return draft.redundancy !== undefined ? { redundancy: draft.redundancy } : {};
  if (p.at !== "cluster")
    return {
      placement: p,
      ...(draft.redundancy !== undefined ? { redundancy: draft.redundancy } : {}),
    };
  const cluster =
    p.cluster !== undefined
      ? clusters.get(p.cluster)
      : clusters.size === 1
        ? [...clusters.values()][0]
        : undefined;
  if (cluster === undefined || cluster.zones.length === 0)
    return {
      placement: { at: "domain", domain: `cluster:${p.cluster ?? "kubernetes"}`, kind: "cluster" },
    };
  const allowed =
    p.zones !== undefined ? cluster.zones.filter((z) => p.zones?.includes(z)) : cluster.zones;
  const zones = [...(allowed.length > 0 ? allowed : cluster.zones)].sort();
  const placement: Placed = {
    at: "zones",
    provider: cluster.provider,
    region: cluster.region,
    zones,
  };
  if (zones.length === 1) return { placement };
  if (!p.spread) return { placement, redundancy: "all" };
  // Spread evenly, each zone holds replicas/zones pods: a budget of k pods needs that many zones.
  if (p.replicas !== undefined && p.minAvailable !== undefined && p.minAvailable > 0) {
    const perZone = p.replicas / zones.length;
    const needed = Math.min(zones.length, Math.max(1, Math.ceil(p.minAvailable / perZone - 1e-9)));
    return { placement, redundancy: needed <= 1 ? "any" : { quorum: needed } };
  }
  const r = draft.redundancy;
  return { placement, ...(r !== undefined ? { redundancy: r } : {}) };
}

/**
 * What a name in configuration designates: a component (by id or alias), the component a DNS
 * record answers with (reached via the record), or a host inside a URL, a `host:port` or a
 * cluster-local name (`orders.shop.svc.cluster.local` is `orders`).
 */
function resolveReference(
  target: string,
  resolveName: (name: string) => string | undefined,
  records: ReadonlyMap<string, MergedRecord>,
): { to: string; via?: string } | undefined {
  const direct = resolveName(target);
  if (direct !== undefined) return { to: direct };
  const host = hostOf(target);
  if (host === undefined) return undefined;
  const record = records.get(host) ?? records.get(`${host}.`);
  if (record !== undefined) return { to: record.targets[0] as string, via: record.name };
  const byHost = resolveName(host);
  if (byHost !== undefined) return { to: byHost };
  const local = /^([a-z0-9-]+)(\.[a-z0-9-]+)?\.svc(\.cluster\.local)?$/.exec(host);
  if (local) return mapped(resolveName(local[1] as string));
  if (!host.includes(".")) return mapped(resolveName(toId(host)));
  return undefined;
}

function mapped(to: string | undefined): { to: string; via?: string } | undefined {
  return to === undefined ? undefined : { to };
}

function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && "at" in value) {
    const p = value as Placed;
    switch (p.at) {
      case "zones":
        return `zones ${p.zones.join(", ")}`;
      case "region":
        return `region ${p.region}`;
      case "regions":
        return `regions ${p.regions.join(", ")}`;
      case "global":
        return p.provider ? `global on ${p.provider}` : "global";
      case "domain":
        return `${p.kind} ${p.domain}`;
    }
  }
  return JSON.stringify(value);
}

/** The first few of a list, and how many more: summaries stay one line. */
export function listed(items: readonly string[], limit = 5): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}
