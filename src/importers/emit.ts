/**
 * @module importers/emit
 * A merged model as model YAML: the failure-domain tree its placements need, the components
 * with their dependencies, the DNS records under the components that serve them, workloads, and
 * a `source` on every imported element. Everything is sorted and every key comes in a fixed
 * order, so the same inputs give the same bytes.
 *
 * Written line by line rather than through a YAML library: the shape is fixed, the output is
 * read by people (flow style for short mappings), and a 10k-resource import must not spend its
 * time here. A scalar is written plain only when it cannot be misread (ids, paths, units);
 * anything else is a JSON string, which YAML reads as a double-quoted scalar.
 */
import { basename, relative } from "node:path";
import type { MergedComponent, MergedDependency, MergedModel, Placed } from "./merge.js";
import type { ObservedDraft, Provenance } from "./types.js";
import { cmp } from "./units.js";

export interface EmitOptions {
  /** The model's name; without one the file is a fragment to `include` (no `name`). */
  readonly name?: string;
  /** Directory the output is written to: provenance files are written relative to it. */
  readonly relativeTo: string;
  /** The input files, named in the header. */
  readonly inputs: readonly string[];
}

const PLAIN = /^[A-Za-z_./@][A-Za-z0-9_./@:%+-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** A scalar as YAML text: plain when unambiguous, else a double-quoted (JSON) string. */
export function scalar(value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  if (PLAIN.test(value) && !RESERVED.test(value) && !value.includes(": ")) return value;
  return JSON.stringify(value);
}

/** A value with units (`250ms`, `50 rps`), plain when it has no space, else quoted. */
function unit(value: string): string {
  return /^[0-9][0-9.]*[a-z%]*$/.test(value) ? value : scalar(value);
}

export function emitModel(model: MergedModel, options: EmitOptions): string {
  const out: string[] = [
    "# Imported by faultline import; refine it in an overlay rather than by hand (docs/importers.md).",
    `# Sources: ${options.inputs.map((f) => relativePath(f, options.relativeTo)).join(", ")}`,
  ];
  if (options.name !== undefined) out.push(`name: ${scalar(options.name)}`);

  const components = [...model.components.values()].sort((a, b) => cmp(a.id, b.id));
  emitDomains(components, out);

  const deps = new Map<string, MergedDependency[]>();
  for (const d of model.dependencies.values()) {
    const list = deps.get(d.from);
    if (list) list.push(d);
    else deps.set(d.from, [d]);
  }
  const records = new Map<
    string,
    typeof model.records extends Map<string, infer R> ? R[] : never
  >();
  for (const r of model.records.values()) {
    const list = records.get(r.server);
    if (list) list.push(r);
    else records.set(r.server, [r]);
  }

  const source = (
    sources: readonly Provenance[],
    catalogue: string | undefined,
    observed?: MergedDependency["observed"],
  ) => {
    if (catalogue !== undefined) return `{ address: ${scalar(`catalogue ${catalogue}`)} }`;
    const items = sources.map((s) =>
      provenanceText(s, options.relativeTo, s === observed?.at ? observed.values : undefined),
    );
    return items.length === 1 ? (items[0] as string) : `[${items.join(", ")}]`;
  };

  out.push("components:");
  for (const c of components) {
    out.push(`  ${scalar(c.id)}:`);
    out.push(`    kind: ${c.kind}`);
    if (c.plane === "control") out.push("    plane: control");
    if (c.description !== undefined) out.push(`    description: ${scalar(c.description)}`);
    out.push(`    placement: ${placementText(c.placement)}`);
    if (c.redundancy !== undefined && c.placement?.at === "zones" && c.placement.zones.length > 1)
      out.push(
        `    redundancy: ${typeof c.redundancy === "string" ? c.redundancy : `{ quorum: ${c.redundancy.quorum} }`}`,
      );
    if (c.latency !== undefined) out.push(`    latency: ${unit(c.latency)}`);
    if (c.capacity !== undefined) out.push(`    capacity: ${unit(c.capacity)}`);
    if (c.restart !== undefined) out.push(`    recovery: { restart: ${unit(c.restart)} }`);
    const served = (records.get(c.id) ?? []).sort((a, b) => cmp(a.name, b.name));
    if (served.length > 0) {
      out.push("    records:");
      for (const r of served) {
        out.push(`      ${scalar(r.name)}:`);
        out.push(`        targets: [${r.targets.map(scalar).join(", ")}]`);
        out.push(`        ttl: ${unit(r.ttl)}`);
      }
    }
    const mine = (deps.get(c.id) ?? []).sort((a, b) => cmp(a.to, b.to));
    for (const [section, hard] of [
      ["needs", true],
      ["wants", false],
    ] as const) {
      const list = mine.filter((d) => d.hard === hard);
      if (list.length === 0) continue;
      out.push(`    ${section}:`);
      for (const d of list) {
        out.push(`      ${scalar(d.to)}:`);
        dependencyLines(d, hard, source(d.sources, undefined, d.observed), out);
      }
    }
    if (c.sources.length > 0 || c.catalogue !== undefined)
      out.push(`    source: ${source(c.sources, c.catalogue)}`);
  }

  const workloads = [...model.workloads.values()].sort((a, b) => cmp(a.id, b.id));
  if (workloads.length > 0) {
    out.push("workloads:");
    for (const w of workloads) {
      out.push(`  ${scalar(w.id)}: { entry: ${scalar(w.entry)}, rate: ${unit(w.rate)} }`);
    }
  }
  return `${out.join("\n")}\n`;
}

function dependencyLines(d: MergedDependency, hard: boolean, source: string, out: string[]): void {
  const o = d.options;
  const pad = "        ";
  if (o.via !== undefined) out.push(`${pad}via: ${scalar(o.via)}`);
  if (o.calls !== undefined) out.push(`${pad}calls: ${o.calls}`);
  if (o.timeout !== undefined) out.push(`${pad}timeout: ${unit(o.timeout)}`);
  if (o.retry !== undefined)
    out.push(
      `${pad}retry: { attempts: ${o.retry.attempts}${o.retry.backoff !== undefined ? `, backoff: ${unit(o.retry.backoff)}` : ""} }`,
    );
  if (o.breaker !== undefined) {
    const b = o.breaker;
    const parts = [`errorRate: ${unit(b.errorRate)}`];
    if (b.window !== undefined) parts.push(`window: ${unit(b.window)}`);
    if (b.openFor !== undefined) parts.push(`openFor: ${unit(b.openFor)}`);
    if (b.minRequests !== undefined) parts.push(`minRequests: ${b.minRequests}`);
    out.push(`${pad}breaker: { ${parts.join(", ")} }`);
  }
  if (!hard) out.push(`${pad}degraded: ${scalar(o.degraded ?? "degraded")}`);
  if (d.implicit !== undefined) {
    const i = d.implicit;
    out.push(
      `${pad}implicit: { catalogue: ${scalar(i.catalogue)}, service: ${scalar(i.service)}, edge: ${i.edge}, confidence: ${i.confidence}, cite: [${i.cite.map(scalar).join(", ")}] }`,
    );
  }
  out.push(`${pad}source: ${source}`);
}

function observedText(o: ObservedDraft): string {
  const parts: string[] = [];
  if (o.count !== undefined) parts.push(`count: ${o.count}`);
  if (o.rate !== undefined) parts.push(`rate: ${unit(o.rate)}`);
  if (o.p50 !== undefined) parts.push(`p50: ${unit(o.p50)}`);
  if (o.p99 !== undefined) parts.push(`p99: ${unit(o.p99)}`);
  return `{ ${parts.join(", ")} }`;
}

function provenanceText(p: Provenance, relativeTo: string, observed?: ObservedDraft): string {
  const parts = [`file: ${scalar(relativePath(p.file, relativeTo))}`];
  if (p.line !== undefined) parts.push(`line: ${p.line}`);
  if (p.column !== undefined) parts.push(`column: ${p.column}`);
  parts.push(`address: ${scalar(p.address)}`);
  if (observed !== undefined) parts.push(`observed: ${observedText(observed)}`);
  return `{ ${parts.join(", ")} }`;
}

/** A path as written in the model: relative to the output's directory, with forward slashes. */
export function relativePath(file: string, relativeTo: string): string {
  const rel = relative(relativeTo === "" ? "." : relativeTo, file);
  return (rel === "" ? basename(file) : rel).replace(/\\/g, "/");
}

function placementText(p: Placed | undefined): string {
  if (p === undefined) return "global";
  switch (p.at) {
    case "zones":
      return `{ zones: [${p.zones.map(scalar).join(", ")}], region: ${scalar(p.region)} }`;
    case "region":
      return `{ region: ${scalar(p.region)} }`;
    case "regions":
      return `{ regions: [${[...p.regions].sort(cmp).map(scalar).join(", ")}] }`;
    case "global":
      return p.provider !== undefined
        ? `{ global: true, provider: ${scalar(p.provider)} }`
        : "global";
    case "domain":
      return `{ domains: [${scalar(p.domain)}] }`;
  }
}

/** The domain tree the placements need: provider > region > zones, and custom domains. */
function emitDomains(components: readonly MergedComponent[], out: string[]): void {
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
  if (providers.size === 0 && custom.size === 0) return;
  out.push("domains:");
  for (const provider of [...providers.keys()].sort(cmp)) {
    const regions = providers.get(provider) as Map<string, Set<string>>;
    if (regions.size === 0) {
      out.push(`  ${scalar(provider)}: {}`);
      continue;
    }
    out.push(`  ${scalar(provider)}:`);
    out.push("    contains:");
    for (const r of [...regions.keys()].sort(cmp)) {
      const zones = [...(regions.get(r) as Set<string>)].sort(cmp);
      out.push(
        zones.length === 0
          ? `      ${scalar(r)}: {}`
          : `      ${scalar(r)}: [${zones.map(scalar).join(", ")}]`,
      );
    }
  }
  for (const domain of [...custom.keys()].sort(cmp))
    out.push(`  ${scalar(domain)}: { kind: ${scalar(custom.get(domain) as string)} }`);
}
