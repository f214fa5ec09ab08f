/**
 * @module importers/cloudformation
 * CloudFormation templates (JSON or YAML, short-form intrinsics read as the long form, and the
 * SAM transform's function and API types) to a fragment. A template's resources are its
 * `Resources`, each a logical id with a `Type` and `Properties`; references between them are
 * written explicitly — `Ref`, `Fn::GetAtt`, `${Name}` inside `Fn::Sub`, `DependsOn` — and are
 * followed like Terraform's (`../resource-graph.ts`), with the same type table shape
 * (`types.ts`). A template names no region: `--region` gives one, and literal zones
 * (`eu-west-1a`) or `!Select [i, !GetAZs ""]` give zones (the i-th zone taken as the i-th
 * letter). Nested stacks (`AWS::CloudFormation::Stack`) are named, not fetched: import their
 * templates as further sources. `Fn::ImportValue` names an export of another stack, left to
 * the merge to resolve.
 */
import { FragmentBuilder, provenance, record, text } from "../fragment.js";
import { listed } from "../merge.js";
import { type GlueEdge, type GraphNode, walkFrom } from "../resource-graph.js";
import type { ComponentSpec } from "../terraform/mapping.js";
import { valueAt, valuesAt } from "../terraform/mapping.js";
import type { Importer, PlacementDraft, Provenance, SourceDocument } from "../types.js";
import { cmp, durationText, toKebabId } from "../units.js";
import { CFN_TYPES } from "./types.js";

interface Node extends GraphNode {
  readonly doc: SourceDocument;
  readonly d: number;
  readonly logical: string;
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
  id?: string;
}

const PHYSICAL_NAMES = [
  "FunctionName",
  "TableName",
  "QueueName",
  "TopicName",
  "BucketName",
  "DBInstanceIdentifier",
  "DBClusterIdentifier",
  "Name",
  "ClusterName",
  "ServiceName",
];
const ENV_PATHS = ["Environment.Variables", "ContainerDefinitions.Environment.Value"];

export function isCloudFormation(data: unknown): boolean {
  const d = record(data);
  if (!d) return false;
  if (typeof d.AWSTemplateFormatVersion === "string") return true;
  const resources = record(d.Resources);
  return (
    resources !== undefined &&
    Object.values(resources).some((r) => /^(AWS|Custom)::/.test(String(record(r)?.Type ?? "")))
  );
}

export const cloudFormationImporter: Importer = {
  format: "cloudformation",
  detect: (doc) => isCloudFormation(doc.data),
  run(docs, options) {
    const out = new FragmentBuilder("cloudformation");
    const nodes = new Map<string, Node>();
    const nested: Provenance[] = [];
    docs.forEach((doc, d) => {
      const resources = record(record(doc.data)?.Resources);
      if (!resources) {
        out.report(
          "invalid-input",
          "error",
          { file: doc.file, ...doc.locate([]) },
          "not a CloudFormation template: expected a Resources mapping",
        );
        return;
      }
      for (const [logical, r] of Object.entries(resources).sort((a, b) => cmp(a[0], b[0]))) {
        const resource = record(r);
        const type = text(resource?.Type);
        const at = provenance(doc, ["Resources", logical], logical, "key");
        if (!resource || type === undefined) {
          out.report("invalid-input", "error", at, `resource ${logical} has no Type`);
          continue;
        }
        if (type === "AWS::CloudFormation::Stack") {
          nested.push({
            ...at,
            address: `${logical} (${text(record(resource.Properties)?.TemplateURL) ?? "no TemplateURL"})`,
          });
          continue;
        }
        const key = `${d}#${logical}`;
        nodes.set(key, {
          key,
          doc,
          d,
          logical,
          type,
          props: record(resource.Properties) ?? {},
          resource,
          spec: CFN_TYPES[type],
        });
      }
    });
    if (nested.length > 0)
      out.report(
        "ignored",
        "info",
        nested[0] as Provenance,
        `${nested.length} nested stack(s) are named, not fetched — import their templates as further sources: ${listed(nested.map((n) => n.address))}`,
      );

    const ordered = [...nodes.values()].sort((a, b) => cmp(a.key, b.key));
    assignIds(ordered);
    const refsIn = (n: Node, value: unknown, out: Set<string>) => {
      for (const name of intrinsicNames(value))
        if (nodes.has(`${n.d}#${name}`)) out.add(`${n.d}#${name}`);
      out.delete(n.key);
      return out;
    };
    const refs = new Map<string, Set<string>>();
    const refsOf = (n: Node) => {
      let set = refs.get(n.key);
      if (!set) {
        set = refsIn(n, n.props, new Set());
        for (const dep of typeof n.resource.DependsOn === "string"
          ? [n.resource.DependsOn]
          : valuesAt(n.resource, "DependsOn"))
          if (nodes.has(`${n.d}#${dep}`)) set.add(`${n.d}#${dep}`);
        refs.set(n.key, set);
      }
      return set;
    };
    const attr = (n: Node, path: string) => refsIn(n, rawAt(n.props, path), new Set());

    const glue = new Map<string, GlueEdge[]>();
    const addGlue = (from: string, edge: GlueEdge) =>
      glue.set(from, [...(glue.get(from) ?? []), edge]);
    const given = new Map<string, Set<string>>();
    const give = (key: string, traits: readonly string[]) => {
      const set = given.get(key) ?? new Set<string>();
      for (const t of traits) set.add(t);
      given.set(key, set);
    };
    const nodeZones = new Map<string, Set<string>>();
    for (const n of ordered) {
      const spec = n.spec;
      const at = provenance(n.doc, ["Resources", n.logical], n.logical, "key");
      if (spec === undefined) out.unknownType(n.type, at);
      else if (spec.role === "glue")
        for (const e of spec.edges) {
          const from = attr(n, e.from);
          for (const f of from) {
            if (e.traits) give(f, e.traits(n.props));
            for (const t of attr(n, e.to))
              if (t !== f)
                addGlue(f, { to: t, ...(e.soft !== undefined ? { soft: e.soft } : {}), at });
          }
        }
      else if (spec.role === "trait-of")
        for (const p of spec.target) for (const t of attr(n, p)) give(t, spec.traits(n.props));
      else if (spec.role === "component" && spec.routedFrom)
        for (const p of spec.routedFrom) for (const f of attr(n, p)) addGlue(f, { to: n.key, at });
      else if (spec.role === "nodes")
        for (const c of spec.cluster.flatMap((p) => [...attr(n, p)])) {
          const set = nodeZones.get(c) ?? new Set<string>();
          for (const s of attr(n, "Subnets"))
            for (const z of subnetZones(nodes.get(s) as Node, options.region)) set.add(z);
          nodeZones.set(c, set);
        }
    }

    for (const n of ordered) {
      const spec = n.spec;
      if (spec?.role !== "component") continue;
      const reached = walkFrom(n, {
        node: (k) => nodes.get(k),
        refs: refsOf,
        glue: (k) => glue.get(k) ?? [],
        subnetZones: (s) => subnetZones(s, options.region),
      });
      const traits = new Set([...(spec.traits?.(n.props) ?? []), ...(given.get(n.key) ?? [])]);
      for (const p of reached.parts) {
        const part = nodes.get(p) as Node;
        if (part.spec?.role === "trait") for (const t of part.spec.traits) traits.add(t);
        if (part.spec?.role === "pass")
          for (const t of part.spec.traits?.(part.props) ?? []) traits.add(t);
      }
      const source = provenance(n.doc, ["Resources", n.logical], n.logical, "key");
      const where = placementOf(n, spec, reached.zones, options.region);
      out.component({
        id: n.id as string,
        kind: spec.kind,
        ...(spec.plane !== undefined ? { plane: spec.plane } : {}),
        ...(where.placement ? { placement: where.placement } : {}),
        ...(where.redundancy ? { redundancy: where.redundancy } : {}),
        managed: {
          provider: "aws",
          service: spec.service,
          ...(options.region !== undefined ? { region: options.region } : {}),
          traits: [...traits].sort(),
        },
        aliases: PHYSICAL_NAMES.flatMap((p) =>
          typeof n.props[p] === "string" ? [n.props[p] as string] : [],
        ),
        source,
      });
      for (const [target, e] of [...reached.components].sort((a, b) => cmp(a[0], b[0])))
        out.dependency({
          from: n.id as string,
          to: (nodes.get(target) as Node).id as string,
          hard: e.soft === undefined,
          ...(e.soft !== undefined ? { options: { degraded: e.soft } } : {}),
          source: e.at ?? source,
        });
      // Host names and imports of other stacks in the environment: for the merge to resolve.
      const envs = new Set<string>();
      for (const p of [n, ...[...reached.parts].map((k) => nodes.get(k) as Node)])
        for (const path of ENV_PATHS)
          for (const v of rawAt(p.props, path)) collectLiterals(v, envs);
      for (const target of [...envs].sort())
        out.reference({ from: n.id as string, target, source });
      if (spec.kind === "container-platform" && options.region !== undefined) {
        const zones = [...(nodeZones.get(n.key) ?? []), ...reached.zones];
        out.cluster({
          name: n.id as string,
          provider: "aws",
          region: options.region,
          zones: [...new Set(zones)].sort(),
          source,
        });
      }
    }
    readRecords(ordered, nodes, out);
    return out.build();
  },
};

function assignIds(nodes: readonly Node[]): void {
  const taken = new Set<string>();
  for (const n of nodes) {
    if (n.spec?.role !== "component") continue;
    const base = toKebabId(n.logical);
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
    taken.add(id);
    n.id = id;
  }
}

/** Logical ids an intrinsic names: `Ref`, `Fn::GetAtt`, `${X}` and `${X.Attr}` in `Fn::Sub`. */
export function intrinsicNames(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const e of v) visit(e);
      return;
    }
    const r = record(v);
    if (!r) return;
    for (const [k, x] of Object.entries(r)) {
      if (k === "Ref" && typeof x === "string" && !x.startsWith("AWS::")) out.push(x);
      else if (k === "Fn::GetAtt") {
        const target = Array.isArray(x)
          ? x[0]
          : typeof x === "string"
            ? x.split(".")[0]
            : undefined;
        if (typeof target === "string") out.push(target);
      } else if (k === "Fn::Sub") {
        const template = Array.isArray(x) ? x[0] : x;
        if (typeof template === "string")
          for (const m of template.matchAll(/\$\{([^!}][^}.]*)(\.[^}]*)?\}/g))
            if (!(m[1] as string).startsWith("AWS::")) out.push(m[1] as string);
        if (Array.isArray(x)) visit(x[1]);
      } else visit(x);
    }
  };
  visit(value);
  return out;
}

/** The raw values (intrinsics included) at a dotted path; lists are stepped into. */
function rawAt(v: unknown, path: string): unknown[] {
  let level: unknown[] = [v];
  for (const step of path.split(".")) {
    const next: unknown[] = [];
    for (const x of level)
      for (const item of Array.isArray(x) ? x : [x]) {
        const r = record(item);
        if (r && step in r) next.push(r[step]);
      }
    level = next;
  }
  return level;
}

/** Literal host names and URLs in environment values, and imports of other stacks' exports. */
function collectLiterals(v: unknown, out: Set<string>): void {
  if (typeof v === "string") {
    if (/^[a-z][a-z0-9+.-]*:\/\/|^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?$|^[a-z0-9-]+:\d+$/i.test(v))
      out.add(v);
    return;
  }
  if (Array.isArray(v)) for (const e of v) collectLiterals(e, out);
  const r = record(v);
  if (!r) return;
  if (typeof r["Fn::ImportValue"] === "string") out.add(r["Fn::ImportValue"] as string);
  else if (!("Ref" in r) && !("Fn::GetAtt" in r) && !("Fn::Sub" in r))
    for (const x of Object.values(r)) collectLiterals(x, out);
}

function subnetZones(n: Node | undefined, region: string | undefined): string[] {
  if (!n) return [];
  const az = n.props.AvailabilityZone;
  if (typeof az === "string") return [az];
  const select = record(az)?.["Fn::Select"];
  if (
    Array.isArray(select) &&
    region !== undefined &&
    record(select[1])?.["Fn::GetAZs"] !== undefined
  ) {
    const i = Number(select[0]);
    if (Number.isInteger(i) && i >= 0 && i < 26) return [`${region}${String.fromCharCode(97 + i)}`];
  }
  return [];
}

function placementOf(
  n: Node,
  spec: ComponentSpec,
  viaSubnets: ReadonlySet<string>,
  region: string | undefined,
): { placement?: PlacementDraft; redundancy?: "any" | "all" } {
  const rule = typeof spec.placement === "function" ? spec.placement(n.props) : spec.placement;
  if (rule === "global") return { placement: { at: "global", provider: "aws" } };
  if (rule === "regions") {
    const regions = [
      ...new Set([...(spec.regions?.(n.props) ?? []), ...(region ? [region] : [])]),
    ].sort();
    if (regions.length > 1) return { placement: { at: "regions", provider: "aws", regions } };
  }
  const own = [
    ...valuesAt(n.props, "AvailabilityZone"),
    ...valuesAt(n.props, "AvailabilityZones"),
    ...valuesAt(n.props, "PreferredAvailabilityZone"),
  ];
  const home =
    region ??
    [...own, ...viaSubnets].map((z) => /^(.*\d)[a-z]$/.exec(z)?.[1]).find((r) => r !== undefined);
  if (home === undefined) return {};
  if (rule === "zones" || rule === "one-zone") {
    const zones = [
      ...new Set(rule === "zones" || own.length === 0 ? [...own, ...viaSubnets] : own),
    ].sort();
    if (zones.length > 0)
      return {
        placement: { at: "zones", provider: "aws", region: home, zones },
        ...(zones.length > 1 ? { redundancy: rule === "one-zone" ? "all" : "any" } : {}),
      };
  }
  return { placement: { at: "region", provider: "aws", region: home } };
}

function readRecords(
  ordered: readonly Node[],
  nodes: ReadonlyMap<string, Node>,
  out: FragmentBuilder,
): void {
  const zoneByName = new Map<string, string>();
  for (const n of ordered)
    if (n.type === "AWS::Route53::HostedZone" && typeof n.props.Name === "string")
      zoneByName.set(n.props.Name.replace(/\.$/, "").toLowerCase(), n.id as string);
  for (const n of ordered) {
    if (n.spec?.role !== "record") continue;
    const at = provenance(n.doc, ["Resources", n.logical], n.logical, "key");
    const type = valueAt(n.props, "Type");
    if (type === undefined || !["A", "AAAA", "CNAME"].includes(type)) continue;
    const zoneRef = intrinsicNames(n.props.HostedZoneId).map(
      (x) => nodes.get(`${n.d}#${x}`)?.id,
    )[0];
    const zoneName = valueAt(n.props, "HostedZoneName")?.replace(/\.$/, "").toLowerCase();
    const server = zoneRef ?? (zoneName !== undefined ? zoneByName.get(zoneName) : undefined);
    const alias = intrinsicNames(record(n.props.AliasTarget)?.DNSName).map(
      (x) => nodes.get(`${n.d}#${x}`)?.id,
    );
    const targets = [
      ...valuesAt(n.props, "ResourceRecords"),
      ...alias.filter((x): x is string => x !== undefined),
    ];
    const name = valueAt(n.props, "Name");
    const ttl =
      n.props.TTL !== undefined ? Number(n.props.TTL) : alias.length > 0 ? 60 : Number.NaN;
    if (
      name === undefined ||
      server === undefined ||
      targets.length === 0 ||
      !Number.isFinite(ttl)
    ) {
      out.report(
        "invalid-input",
        "warning",
        at,
        `DNS record ${n.logical} lacks a literal name, its zone, an answer or a TTL: not imported`,
      );
      continue;
    }
    out.record({
      name: name.replace(/\.$/, "").toLowerCase(),
      server,
      ttl: durationText(ttl),
      targets,
      source: at,
    });
  }
}
