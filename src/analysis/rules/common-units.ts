/**
 * @module analysis/rules/common-units
 * What the `config-blast-radius` and `common-cause` rules share: what one common-cause unit (a
 * content item, a fleet) takes down, in words and in data, with the path from each workload it
 * takes down to the unit.
 */
import type { Component, Model } from "../../model/types.js";
import { type AuditContext, placementText } from "../context.js";

export interface TakenDown {
  /** Components taken down, in model order. */
  readonly components: readonly Component[];
  /** Workloads whose entry is taken down, in model order. */
  readonly workloads: readonly string[];
  /** Failure domains the components taken down are placed in (sorted; "global" for global ones). */
  readonly domains: readonly string[];
  /** Per workload: entry → … → unit. */
  readonly paths: Readonly<Record<string, readonly string[]>>;
}

export function takenDown(ctx: AuditContext, node: number): TakenDown {
  const m: Model = ctx.model;
  const down = ctx.propagator().run([node]);
  const base = ctx.compiled.componentBase;
  const components = m.components.filter((_, i) => down[base + i] === 1);
  const workloads: string[] = [];
  const paths: Record<string, readonly string[]> = {};
  for (const w of m.workloads) {
    const entry = ctx.nodeOf(w.entry);
    if (down[entry] !== 1) continue;
    workloads.push(w.id);
    paths[w.id] = ctx.hardPath(entry, node) ?? [w.entry, ctx.idOf(node)];
  }
  return { components, workloads, domains: domainsOf(components), paths };
}

/** The failure domains components are placed in, sorted; "global" for global ones. */
export function domainsOf(components: readonly Component[]): string[] {
  const domains = new Set<string>();
  for (const c of components) {
    if (c.placement.scope === "global") domains.add("global");
    for (const d of c.placement.domains) domains.add(d);
  }
  return [...domains].sort();
}

/** "edge-us (3 zones), edge-eu (3 zones) and 2 more" */
export function namedComponents(list: readonly Component[], limit = 8): string {
  const named = list.slice(0, limit).map((c) => `${c.id} (${placementText(c.placement)})`);
  if (list.length > limit) named.push(`and ${list.length - limit} more`);
  return named.join(", ");
}

/** "w1 (w1-entry → reader → unit); w2 (…)" for the first few workloads. */
export function workloadPaths(t: TakenDown, limit = 3): string {
  const parts = t.workloads.slice(0, limit).map((w) => `${w} (${(t.paths[w] ?? []).join(" → ")})`);
  if (t.workloads.length > limit) parts.push(`and ${t.workloads.length - limit} more`);
  return parts.join("; ");
}
