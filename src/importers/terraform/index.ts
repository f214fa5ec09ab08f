/**
 * @module importers/terraform
 * Terraform's JSON (`terraform show -json`, of a state or a plan) to a fragment. Resources are
 * grouped by address without instance key — the instances of a `count` or `for_each` are the
 * replicas of one component — and modules are flattened: `module.app.aws_lambda_function.orders`
 * becomes `app/orders`. Each type's table entry (`aws.ts`, `azure.ts`, `google.ts`) says what
 * it is; references between resources (`references.ts`) become dependencies, passing through
 * configuration such as target groups and task definitions, and give components their zones
 * (subnets) and catalogue traits (roles, keys, certificates).
 */

import { FragmentBuilder, provenance } from "../fragment.js";
import { looksLikeHost } from "../hosts.js";
import { walkFrom } from "../resource-graph.js";
import type {
  ComponentDraft,
  Importer,
  PlacementDraft,
  Provenance,
  SourceDocument,
} from "../types.js";
import { cmp, toId } from "../units.js";
import { AWS_TYPES } from "./aws.js";
import { AZURE_TYPES } from "./azure.js";
import { GOOGLE_TYPES } from "./google.js";
import { type ComponentSpec, type TypeSpec, valueAt, valuesAt } from "./mapping.js";
import { type Cloud, cloudOf, ownZones, regionOf, regionOfZone } from "./place.js";
import { readRecords } from "./records.js";
import { HandleIndex, handlesOf, scanValues, skipKeys } from "./references.js";
import {
  type Configuration,
  isTerraform,
  type Resource,
  readConfiguration,
  readResources,
} from "./resources.js";

export interface Unit {
  readonly key: string;
  readonly first: Resource;
  readonly instances: Resource[];
  readonly spec: TypeSpec | undefined;
  readonly cloud: Cloud | undefined;
  readonly config: Configuration;
  id?: string;
}

function specOf(type: string): TypeSpec | undefined {
  return AWS_TYPES[type] ?? AZURE_TYPES[type] ?? GOOGLE_TYPES[type];
}

export const terraformImporter: Importer = {
  format: "terraform",
  detect: (doc) => isTerraform(doc.data),
  run(docs) {
    const out = new FragmentBuilder("terraform");
    const units = new Map<string, Unit>();
    let dataSources = 0;
    let firstData: Provenance | undefined;
    docs.forEach((doc, d) => {
      if (!isTerraform(doc.data)) {
        out.report(
          "invalid-input",
          "error",
          { file: doc.file, ...doc.locate([]) },
          "not Terraform JSON: expected the output of terraform show -json (format_version, values or planned_values)",
        );
        return;
      }
      const config = readConfiguration(doc);
      for (const r of readResources(doc)) {
        if (r.mode === "data") {
          dataSources++;
          firstData ??= provenance(r.doc, r.path, r.address);
          continue;
        }
        const key = `${d}#${r.base}`;
        const unit = units.get(key);
        if (unit) unit.instances.push(r);
        else
          units.set(key, {
            key,
            first: r,
            instances: [r],
            spec: specOf(r.type),
            cloud: cloudOf(r.provider),
            config,
          });
      }
    });
    if (dataSources > 0 && firstData)
      out.report(
        "ignored",
        "info",
        firstData,
        `${dataSources} data source(s) are read by the configuration, not resources of the system: not imported`,
      );

    const ordered = [...units.values()].sort((a, b) => cmp(a.key, b.key));
    const comps = ordered.filter((u) => u.spec?.role === "component");
    assignIds(comps);

    // Handles: what other resources call each unit by.
    const index = new HandleIndex();
    for (const u of ordered)
      for (const r of u.instances)
        for (const h of handlesOf(r.values, handleAttributes(u.spec))) index.add(h, u.key);
    const byBase = new Map<string, Unit[]>();
    for (const u of ordered) {
      const prefix = u.key.slice(0, u.key.indexOf("#") + 1);
      const list = byBase.get(`${prefix}${u.first.base}`) ?? [];
      list.push(u);
      byBase.set(`${prefix}${u.first.base}`, list);
    }
    const unitsNamed = (u: Unit, bases: Iterable<string>, out: Set<string>) => {
      const prefix = u.key.slice(0, u.key.indexOf("#") + 1);
      for (const b of bases) for (const t of byBase.get(`${prefix}${b}`) ?? []) out.add(t.key);
    };

    // Outgoing references of a unit, computed once.
    const refs = new Map<string, Set<string>>();
    const refsOf = (u: Unit): Set<string> => {
      let set = refs.get(u.key);
      if (set) return set;
      set = new Set<string>();
      const skip = skipKeys(handleAttributes(u.spec));
      for (const r of u.instances) {
        scanValues(r.values, skip, index, set);
        unitsNamed(u, r.dependsOn, set);
      }
      unitsNamed(u, u.config.references.get(u.first.base) ?? [], set);
      set.delete(u.key);
      refs.set(u.key, set);
      return set;
    };
    const resolveAttr = (u: Unit, path: string): Set<string> => {
      const set = new Set<string>();
      for (const r of u.instances) for (const v of valuesAt(r.values, path)) index.resolve(v, set);
      unitsNamed(u, u.config.attributeReferences(u.first.base, path), set);
      set.delete(u.key);
      return set;
    };

    // Glue: connections a resource makes between others; trait-of: traits it gives another.
    const glue = new Map<string, { to: string; soft?: string; at: Provenance }[]>();
    const givenTraits = new Map<string, Set<string>>();
    const clusterNodes = new Map<string, Set<string>>();
    for (const u of ordered) {
      const spec = u.spec;
      if (spec?.role === "glue") {
        const at = provenance(u.first.doc, u.first.path, u.first.base);
        for (const e of spec.edges) {
          const from = resolveAttr(u, e.from);
          if (e.traits)
            for (const f of from) {
              const set = givenTraits.get(f) ?? new Set<string>();
              for (const r of u.instances) for (const t of e.traits(r.values)) set.add(t);
              givenTraits.set(f, set);
            }
          const to = resolveAttr(u, e.to);
          for (const f of from)
            for (const t of to) {
              if (f === t) continue;
              const list = glue.get(f) ?? [];
              list.push({ to: t, ...(e.soft !== undefined ? { soft: e.soft } : {}), at });
              glue.set(f, list);
            }
        }
      } else if (spec?.role === "trait-of") {
        for (const target of spec.target.flatMap((path) => [...resolveAttr(u, path)])) {
          const set = givenTraits.get(target) ?? new Set<string>();
          for (const r of u.instances) for (const t of spec.traits(r.values)) set.add(t);
          givenTraits.set(target, set);
        }
      } else if (spec?.role === "nodes") {
        const zones = zonesVia(u, units, refsOf);
        for (const c of spec.cluster.flatMap((path) => [...resolveAttr(u, path)])) {
          const set = clusterNodes.get(c) ?? new Set<string>();
          for (const z of zones) set.add(z);
          clusterNodes.set(c, set);
        }
      } else if (spec?.role === "component" && spec.routedFrom) {
        const at = provenance(u.first.doc, u.first.path, u.first.base);
        for (const from of spec.routedFrom.flatMap((path) => [...resolveAttr(u, path)])) {
          const list = glue.get(from) ?? [];
          list.push({ to: u.key, at });
          glue.set(from, list);
        }
      } else if (spec === undefined) {
        out.unknownType(u.first.type, provenance(u.first.doc, u.first.path, u.first.base));
      }
    }

    // Components: placement, traits and dependencies, walking through configuration parts.
    for (const u of comps) {
      const spec = u.spec as ComponentSpec;
      const reached = walkFrom(u, {
        node: (k) => units.get(k),
        refs: refsOf,
        glue: (k) => glue.get(k) ?? [],
        subnetZones: (n) => n.instances.flatMap((r) => valuesAt(r.values, "availability_zone")),
      });
      const traits = new Set<string>();
      for (const r of u.instances) for (const t of spec.traits?.(r.values) ?? []) traits.add(t);
      for (const t of givenTraits.get(u.key) ?? []) traits.add(t);
      for (const p of reached.parts) {
        const ps = units.get(p)?.spec;
        if (ps?.role === "trait") for (const t of ps.traits) traits.add(t);
        if (ps?.role === "pass" && ps.traits)
          for (const r of (units.get(p) as Unit).instances)
            for (const t of ps.traits(r.values)) traits.add(t);
      }
      const where = placementOf(u, spec, reached.zones);
      const rgRegion = resourceGroupRegion(u, ordered);
      if (rgRegion !== undefined) traits.add("resource-group");
      if (u.cloud === "azure") traits.add("arm");
      const source = provenance(u.first.doc, u.first.path, u.first.base);
      const aliases = new Set<string>();
      for (const r of u.instances)
        for (const h of handlesOf(r.values, handleAttributes(spec))) aliases.add(h);
      const draft: ComponentDraft = {
        id: u.id as string,
        kind: spec.kind,
        ...(spec.plane !== undefined ? { plane: spec.plane } : {}),
        ...(where.placement ? { placement: where.placement } : {}),
        ...(where.redundancy ? { redundancy: where.redundancy } : {}),
        ...(u.cloud
          ? {
              managed: {
                provider: u.cloud,
                service: spec.service,
                ...(where.region !== undefined ? { region: where.region } : {}),
                traits: [...traits].sort(),
                ...(rgRegion !== undefined ? { resourceGroupRegion: rgRegion } : {}),
              },
            }
          : {}),
        aliases: [...aliases].sort(),
        source,
      };
      out.component(draft);
      for (const [target, edge] of [...reached.components].sort((a, b) => cmp(a[0], b[0]))) {
        const t = units.get(target) as Unit;
        out.dependency({
          from: u.id as string,
          to: t.id as string,
          hard: edge.soft === undefined,
          ...(edge.soft !== undefined ? { options: { degraded: edge.soft } } : {}),
          source: edge.at ?? source,
        });
      }
      // Host names no resource here answers to may name what another source describes.
      for (const path of spec.refsFrom ?? []) {
        for (const r of u.instances)
          for (const v of valuesAt(r.values, path)) {
            const hits = new Set<string>();
            index.resolve(v, hits);
            if (hits.size === 0 && looksLikeHost(v))
              out.reference({ from: u.id as string, target: v, source });
          }
      }
      if (spec.kind === "container-platform" && u.cloud && where.region !== undefined) {
        const zones = new Set([
          ...(clusterNodes.get(u.key) ?? []),
          ...(where.placement?.at === "zones" ? where.placement.zones : []),
        ]);
        for (const r of u.instances)
          for (const z of ownZones(u.cloud, r.values, where.region)) zones.add(z);
        out.cluster({
          name: u.id as string,
          provider: u.cloud,
          region: where.region,
          zones: [...zones].sort(),
          source,
        });
      }
    }
    readRecords(ordered, index, out);
    return out.build();
  },
};

/**
 * What a resource is known by: its id, ARN and self link, and its type's handles and names (a
 * part's `name`). A role is known by its ARN only: its name is often another resource's name
 * too (a database called like the role of its service), which is no reference to the role.
 */
function handleAttributes(spec: TypeSpec | undefined): string[] {
  if (spec?.role === "component")
    return ["id", "arn", "self_link", ...(spec.handles ?? []), ...(spec.names ?? [])];
  if (spec?.role === "trait" && spec.byArn) return ["arn"];
  return ["id", "arn", "self_link", "name"];
}

/** Ids from names, module path first; on a clash compute keeps the name and the rest add their type. */
function assignIds(comps: readonly Unit[]): void {
  const byId = new Map<string, Unit[]>();
  for (const u of comps) {
    const modules =
      u.first.module === "" ? [] : u.first.module.split(".").filter((_, i) => i % 2 === 1);
    const id = toId([...modules, u.first.name].join("/"));
    const list = byId.get(id) ?? [];
    list.push(u);
    byId.set(id, list);
  }
  const taken = new Set<string>();
  for (const [id, list] of [...byId].sort((a, b) => cmp(a[0], b[0]))) {
    const primary = list.filter((u) => (u.spec as ComponentSpec).primary);
    const keeper = list.length === 1 ? list[0] : primary.length === 1 ? primary[0] : undefined;
    for (const u of list) {
      let candidate = u === keeper ? id : `${id}-${toId(u.first.type.replace(/^[a-z0-9]+_/, ""))}`;
      for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
      taken.add(candidate);
      u.id = candidate;
    }
  }
}

/** The zones of the subnets a part (a node group) uses. */
function zonesVia(
  u: Unit,
  units: ReadonlyMap<string, Unit>,
  refsOf: (u: Unit) => Set<string>,
): Set<string> {
  const zones = new Set<string>();
  for (const k of refsOf(u)) {
    const s = units.get(k);
    if (s?.spec?.role !== "subnet") continue;
    for (const r of s.instances) {
      const z = valueAt(r.values, "availability_zone");
      if (z !== undefined) zones.add(z);
    }
  }
  return zones;
}

function placementOf(
  u: Unit,
  spec: ComponentSpec,
  viaSubnets: ReadonlySet<string>,
): { placement?: PlacementDraft; redundancy?: "any" | "all"; region?: string } {
  const cloud = u.cloud;
  if (!cloud) return {};
  const configured = u.config.regions.get(u.first.provider);
  const regions = new Set<string>();
  const own = new Set<string>();
  for (const r of u.instances) {
    const region = regionOf(cloud, r.values, configured);
    if (region !== undefined) regions.add(region);
    for (const z of ownZones(cloud, r.values, region)) own.add(z);
  }
  const region = [...regions].sort()[0];
  const rule =
    typeof spec.placement === "function" ? spec.placement(u.first.values) : spec.placement;
  const provider = cloud;
  if (rule === "global")
    return { placement: { at: "global", provider }, ...(region !== undefined ? { region } : {}) };
  if (rule === "regions") {
    const all = new Set(regions);
    for (const r of u.instances)
      for (const x of spec.regions?.(r.values) ?? [])
        all.add(cloud === "azure" ? x.toLowerCase().replace(/\s+/g, "") : x);
    if (all.size > 1)
      return {
        placement: { at: "regions", provider, regions: [...all].sort() },
        ...(region !== undefined ? { region } : {}),
      };
  }
  if (region === undefined) return {};
  const inRegion = (zones: Iterable<string>) =>
    [...zones].filter((z) => (regionOfZone(cloud, z) ?? region) === region).sort();
  if (rule === "zones" || rule === "one-zone") {
    const ownZones = inRegion(own);
    // Replicas spread over zones run in all of them; one replica runs in its own zone if known.
    const zones =
      rule === "zones"
        ? inRegion(new Set([...own, ...viaSubnets]))
        : ownZones.length > 0
          ? ownZones
          : inRegion(viaSubnets);
    if (zones.length > 0) {
      const placement: PlacementDraft = { at: "zones", provider, region, zones };
      // One replica somewhere in several zones: any of them can take it down.
      const single = rule === "one-zone" && u.instances.length === 1 && ownZones.length !== 1;
      return {
        placement,
        ...(zones.length > 1 ? { redundancy: single ? "all" : "any" } : {}),
        region,
      };
    }
  }
  return { placement: { at: "region", provider, region }, region };
}

/** Azure: the region of the resource group a resource belongs to, when it is in the sources. */
function resourceGroupRegion(u: Unit, all: readonly Unit[]): string | undefined {
  if (u.cloud !== "azure") return undefined;
  const name = valueAt(u.first.values, "resource_group_name");
  if (name === undefined) return undefined;
  const group = all.find((g) => g.spec?.role === "resource-group" && g.first.values.name === name);
  const location = group ? valueAt(group.first.values, "location") : undefined;
  return location?.toLowerCase().replace(/\s+/g, "");
}

export type { SourceDocument };
