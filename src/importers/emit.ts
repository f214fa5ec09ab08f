/**
 * @module importers/emit
 * A merged model as model YAML: the failure-domain tree its placements need, the components
 * with their dependencies, the DNS records under the components that serve them, workloads, and
 * a `source` on every imported element. Everything is sorted and every key comes in a fixed
 * order, so the same inputs give the same bytes.
 *
 * Built as data first (`modelFileOf`), so that the import can check the model it writes without
 * reading the text back, then written by `yaml-writer.ts`.
 */
import { basename, relative } from "node:path";
import type {
  MergedComponent,
  MergedDependency,
  MergedModel,
  MergedRecord,
  Placed,
} from "./merge.js";
import type { ObservedDraft, Provenance } from "./types.js";
import { cmp } from "./units.js";
import { type Data, writeYaml } from "./yaml-writer.js";

export interface EmitOptions {
  /** The model's name; without one the file is a fragment to `include` (no `name`). */
  readonly name?: string;
  /** Directory the output is written to: provenance files are written relative to it. */
  readonly relativeTo: string;
  /** The input files, named in the header. */
  readonly inputs: readonly string[];
}

/** Mappings written in flow style wherever they occur. */
const FLOW_KEYS: ReadonlySet<string> = new Set([
  "placement",
  "redundancy",
  "recovery",
  "retry",
  "breaker",
  "implicit",
  "source",
]);

type Mutable = { [key: string]: Data };

/** The model file, as data: what the YAML says, key for key. */
export function modelFileOf(model: MergedModel, options: EmitOptions): Mutable {
  const file: Mutable = {};
  if (options.name !== undefined) file.name = options.name;
  const components = [...model.components.values()].sort((a, b) => cmp(a.id, b.id));
  const domains = domainsOf(components);
  if (Object.keys(domains).length > 0) file.domains = domains;

  const deps = new Map<string, MergedDependency[]>();
  for (const d of model.dependencies.values()) deps.set(d.from, [...(deps.get(d.from) ?? []), d]);
  const records = new Map<string, MergedRecord[]>();
  for (const r of model.records.values())
    records.set(r.server, [...(records.get(r.server) ?? []), r]);
  const source = (
    sources: readonly Provenance[],
    observed?: MergedDependency["observed"],
  ): Data => {
    const list = sources.map((s) =>
      provenanceOf(s, options.relativeTo, s === observed?.at ? observed.values : undefined),
    );
    return list.length === 1 ? (list[0] as Data) : list;
  };

  const out: Mutable = {};
  for (const c of components) {
    const e: Mutable = { kind: c.kind };
    if (c.plane === "control") e.plane = "control";
    if (c.description !== undefined) e.description = c.description;
    e.placement = placementOf(c.placement);
    if (c.redundancy !== undefined && c.placement?.at === "zones" && c.placement.zones.length > 1)
      e.redundancy =
        typeof c.redundancy === "string" ? c.redundancy : { quorum: c.redundancy.quorum };
    if (c.latency !== undefined) e.latency = c.latency;
    if (c.capacity !== undefined) e.capacity = c.capacity;
    if (c.restart !== undefined) e.recovery = { restart: c.restart };
    const served = (records.get(c.id) ?? []).sort((a, b) => cmp(a.name, b.name));
    if (served.length > 0)
      e.records = Object.fromEntries(
        served.map((r) => [r.name, { targets: r.targets, ttl: r.ttl }]),
      );
    const mine = (deps.get(c.id) ?? []).sort((a, b) => cmp(a.to, b.to));
    for (const [section, hard] of [
      ["needs", true],
      ["wants", false],
    ] as const) {
      const list = mine.filter((d) => d.hard === hard);
      if (list.length > 0)
        e[section] = Object.fromEntries(
          list.map((d) => [d.to, dependencyOf(d, hard, source(d.sources, d.observed))]),
        );
    }
    if (c.catalogue !== undefined) e.source = { address: `catalogue ${c.catalogue}` };
    else if (c.sources.length > 0) e.source = source(c.sources);
    out[c.id] = e;
  }
  file.components = out;
  const workloads = [...model.workloads.values()].sort((a, b) => cmp(a.id, b.id));
  if (workloads.length > 0)
    file.workloads = Object.fromEntries(
      workloads.map((w) => [w.id, { entry: w.entry, rate: w.rate }]),
    );
  return file;
}

/** The model file's data as YAML, with a header naming its sources. */
export function writeModel(data: Mutable, options: EmitOptions): string {
  return writeYaml(data, headerOf(options), FLOW_KEYS);
}

export function headerOf(options: EmitOptions): string[] {
  return [
    "Imported by faultline import; refine it in an overlay rather than by hand (docs/importers.md).",
    `Sources: ${options.inputs.map((f) => relativePath(f, options.relativeTo)).join(", ")}`,
  ];
}

function dependencyOf(d: MergedDependency, hard: boolean, source: Data): Mutable {
  const o = d.options;
  const e: Mutable = {};
  if (o.via !== undefined) e.via = o.via;
  if (o.calls !== undefined) e.calls = o.calls;
  if (o.timeout !== undefined) e.timeout = o.timeout;
  if (o.retry !== undefined)
    e.retry = {
      attempts: o.retry.attempts,
      ...(o.retry.backoff !== undefined ? { backoff: o.retry.backoff } : {}),
    };
  if (o.breaker !== undefined) {
    const b = o.breaker;
    e.breaker = {
      errorRate: b.errorRate,
      ...(b.window !== undefined ? { window: b.window } : {}),
      ...(b.openFor !== undefined ? { openFor: b.openFor } : {}),
      ...(b.minRequests !== undefined ? { minRequests: b.minRequests } : {}),
    };
  }
  if (!hard) e.degraded = o.degraded ?? "degraded";
  if (d.implicit !== undefined) {
    const i = d.implicit;
    e.implicit = {
      catalogue: i.catalogue,
      service: i.service,
      edge: i.edge,
      confidence: i.confidence,
      cite: [...i.cite],
    };
  }
  e.source = source;
  return e;
}

function provenanceOf(p: Provenance, relativeTo: string, observed?: ObservedDraft): Mutable {
  const e: Mutable = { file: relativePath(p.file, relativeTo) };
  if (p.line !== undefined) e.line = p.line;
  if (p.column !== undefined) e.column = p.column;
  e.address = p.address;
  if (observed !== undefined) {
    const o: Mutable = {};
    if (observed.count !== undefined) o.count = observed.count;
    if (observed.rate !== undefined) o.rate = observed.rate;
    if (observed.p50 !== undefined) o.p50 = observed.p50;
    if (observed.p99 !== undefined) o.p99 = observed.p99;
    e.observed = o;
  }
  return e;
}

/** A path as written in the model: relative to the output's directory, with forward slashes. */
export function relativePath(file: string, relativeTo: string): string {
  const rel = relative(relativeTo === "" ? "." : relativeTo, file);
  return (rel === "" ? basename(file) : rel).replace(/\\/g, "/");
}

function placementOf(p: Placed | undefined): Data {
  if (p === undefined) return "global";
  switch (p.at) {
    case "zones":
      return { zones: p.zones, region: p.region };
    case "region":
      return { region: p.region };
    case "regions":
      return { regions: [...p.regions].sort(cmp) };
    case "global":
      return p.provider !== undefined ? { global: true, provider: p.provider } : "global";
    case "domain":
      return { domains: [p.domain] };
  }
}

/** The domain tree the placements need: provider > region > zones, and custom domains. */
function domainsOf(components: readonly MergedComponent[]): Mutable {
  const providers = new Map<string, Map<string, Set<string>>>();
  const custom = new Map<string, string>();
  const region = (provider: string, r: string) => {
    const regions = providers.get(provider) ?? new Map<string, Set<string>>();
    providers.set(provider, regions);
    const zones = regions.get(r) ?? new Set<string>();
    regions.set(r, zones);
    return zones;
  };
  for (const c of components) {
    const p = c.placement;
    if (p === undefined) continue;
    if (p.at === "zones") for (const z of p.zones) region(p.provider, p.region).add(z);
    else if (p.at === "region") region(p.provider, p.region);
    else if (p.at === "regions") for (const r of p.regions) region(p.provider, r);
    else if (p.at === "global" && p.provider !== undefined && !providers.has(p.provider))
      providers.set(p.provider, new Map());
    else if (p.at === "domain") custom.set(p.domain, p.kind);
  }
  const out: Mutable = {};
  for (const provider of [...providers.keys()].sort(cmp)) {
    const regions = providers.get(provider) as Map<string, Set<string>>;
    out[provider] =
      regions.size === 0
        ? {}
        : {
            contains: Object.fromEntries(
              [...regions.keys()].sort(cmp).map((r) => {
                const zones = [...(regions.get(r) as Set<string>)].sort(cmp);
                return [r, zones.length === 0 ? {} : zones];
              }),
            ),
          };
  }
  for (const domain of [...custom.keys()].sort(cmp))
    out[domain] = { kind: custom.get(domain) as string };
  return out;
}
