/**
 * @module diagram/scene
 * The picture of a model, before any diagram language: failure domains as nested clusters, the
 * nodes each cluster holds, and typed edges. The Mermaid, Graphviz and D2 writers only spell a
 * scene out; every decision about what is drawn, where and in which state is made here, once.
 *
 * Hard, DNS and identity edges are read from the failure graph `compileModel` builds, so the
 * diagram shows the dependencies the audit follows (a DNS record reached by a call, the identity
 * service that authenticates it, the server of each record), not a second reading of the YAML.
 *
 * Everything is sorted by key with plain code-unit comparison, so the same model gives the same
 * scene, and the same bytes, whatever the order of its YAML.
 */

import { type CompiledModel, compileModel, PLACEMENT_GATE } from "../analysis/compile.js";
import { placementText } from "../analysis/context.js";
import { innermostDomain } from "../analysis/domains.js";
import { NodeType } from "../graph/failure-graph.js";
import type { Component, Model } from "../model/types.js";
import { formatDuration, formatRate } from "../model/units.js";
import { type BlastRadius, blastRadiusOf } from "./highlight.js";

export const EDGE_KINDS = [
  "hard",
  "fallback",
  "soft",
  "async",
  "dns",
  "dns-record",
  "auth",
  "implicit",
  "control-plane",
  "observes",
  "entry",
] as const;
/**
 * - `hard`: a `needs` dependency; `fallback`: the component that serves it when its target fails;
 * - `soft`: a `wants` dependency, labelled with the degraded mode;
 * - `async`: publishing to a queue, consuming from it, the queue's host and dead-letter queue;
 * - `dns`: a call resolved through a DNS record, and the record's DNS server (implicit edges);
 * - `dns-record`: what a record answers with, its failover targets, and the automation that
 *   writes it (they do not fail the record, but they are where DNS outages start);
 * - `auth`: the identity or token service that authenticates a call (implicit edge);
 * - `implicit`: a dependency the provider catalogue added that the caller needs to serve (an
 *   IAM data plane, credentials); `control-plane`: one it needs only to be created, changed or
 *   failed over (a control plane, often in another region);
 * - `observes`: a monitor and what it watches; `entry`: a workload and its entry component.
 */
export type EdgeKind = (typeof EDGE_KINDS)[number];

export const NODE_SHAPES = ["component", "store", "record", "queue", "workload", "domain"] as const;
/** `store` is a component that keeps data; `domain` a failure domain with nothing inside. */
export type NodeShape = (typeof NODE_SHAPES)[number];

/** Under a highlight: the failed unit, what it takes down, what it degrades, and the rest. */
export type NodeState = "unit" | "down" | "degraded" | "dim";
/** Under a highlight: an edge carrying the failure to a down or a degraded node, or neither. */
export type EdgeState = "down" | "degraded" | "dim";

export interface SceneNode {
  /** Unique among all nodes and clusters: a kind prefix and the model id (`c:`, `r:`, `q:`, `w:`, `d:`). */
  readonly key: string;
  readonly shape: NodeShape;
  /** The label: the id first, then what it is. */
  readonly lines: readonly string[];
  readonly state?: NodeState;
}

export interface SceneCluster {
  readonly key: string;
  readonly lines: readonly string[];
  readonly clusters: readonly SceneCluster[];
  readonly nodes: readonly SceneNode[];
  readonly state?: NodeState;
}

export interface SceneEdge {
  /** Node keys; the arrow points from the one that relies to the one relied on. */
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
  readonly state?: EdgeState;
}

export interface Scene {
  readonly model: string;
  /** Top-level clusters and nodes. */
  readonly clusters: readonly SceneCluster[];
  readonly nodes: readonly SceneNode[];
  readonly edges: readonly SceneEdge[];
  /** For every node, the keys of the clusters holding it, outermost first. */
  readonly path: ReadonlyMap<string, readonly string[]>;
  /** Edge kinds and node shapes that occur, in declaration order (for the legend). */
  readonly edgeKinds: readonly EdgeKind[];
  readonly shapes: readonly NodeShape[];
  readonly highlight?: BlastRadius;
}

export interface SceneOptions {
  /** A component, DNS record or failure domain whose blast radius to colour. */
  readonly highlight?: string;
}

/** Edge kinds whose arrow points at something the source needs to work. */
const RELIANCE: ReadonlySet<EdgeKind> = new Set([
  "hard",
  "implicit",
  "control-plane",
  "fallback",
  "soft",
  "async",
  "dns",
  "auth",
  "entry",
]);

const STORE_KINDS: ReadonlySet<string> = new Set(["database", "kv-store", "object-store", "cache"]);

export const key = {
  component: (id: string) => `c:${id}`,
  record: (name: string) => `r:${name}`,
  queue: (id: string) => `q:${id}`,
  workload: (id: string) => `w:${id}`,
  domain: (id: string) => `d:${id}`,
};

export function buildScene(model: Model, options: SceneOptions = {}): Scene {
  const compiled = compileModel(model);
  const blast =
    options.highlight === undefined ? undefined : blastRadiusOf(model, options.highlight, compiled);
  const stateOf = (id: string): NodeState | undefined => {
    if (!blast) return undefined;
    if (id === blast.unit) return "unit";
    if (blast.down.has(id)) return "down";
    if (blast.degraded.has(id)) return "degraded";
    return "dim";
  };
  const withState = <T extends object>(value: T, state: NodeState | undefined): T =>
    state === undefined ? value : { ...value, state };

  // Which cluster (domain id, or null for the top) holds each node.
  const holder = new Map<string | null, SceneNode[]>();
  const place = (domain: string | null, node: SceneNode) => {
    const list = holder.get(domain) ?? [];
    list.push(node);
    holder.set(domain, list);
  };
  const componentHome = new Map<string, string | null>();
  for (const c of model.components) {
    const home = innermostDomain(model, c.placement.domains);
    componentHome.set(c.id, home);
    place(
      home,
      withState(
        {
          key: key.component(c.id),
          shape: STORE_KINDS.has(c.kind) ? "store" : "component",
          lines: [c.id, componentDetail(c)],
        },
        stateOf(c.id),
      ),
    );
  }
  for (const r of model.records) {
    place(
      componentHome.get(r.server) ?? null,
      withState(
        {
          key: key.record(r.name),
          shape: "record",
          lines: [r.name, `DNS record · TTL ${formatDuration(r.ttl)}`],
        },
        stateOf(r.name),
      ),
    );
  }
  for (const q of model.queues) {
    const service = q.service;
    const state = !blast
      ? undefined
      : service !== undefined && blast.down.has(service)
        ? "down"
        : "dim";
    place(
      service === undefined ? null : (componentHome.get(service) ?? null),
      withState({ key: key.queue(q.id), shape: "queue", lines: [q.id, "queue"] }, state),
    );
  }
  for (const w of model.workloads) {
    const entry = stateOf(w.entry);
    const state = !blast ? undefined : entry === "unit" ? "down" : entry;
    place(
      null,
      withState(
        {
          key: key.workload(w.id),
          shape: "workload",
          lines: [w.id, `workload · ${formatRate(w.rate)}`],
        },
        state,
      ),
    );
  }

  // Domains with something inside are clusters; a leaf domain with nothing placed in it is drawn
  // as a node of its parent, so that a region still shows its zones.
  const children = new Map<string | null, string[]>();
  for (const d of model.domains) {
    const list = children.get(d.parent) ?? [];
    list.push(d.id);
    children.set(d.parent, list);
  }
  const kindOf = new Map(model.domains.map((d) => [d.id, d.kind]));
  const path = new Map<string, readonly string[]>();
  const build = (
    domain: string | null,
    trail: readonly string[],
  ): { clusters: SceneCluster[]; nodes: SceneNode[] } => {
    const nodes = [...(holder.get(domain) ?? [])];
    const clusters: SceneCluster[] = [];
    for (const child of (children.get(domain) ?? []).sort(cmp)) {
      const lines = [child, String(kindOf.get(child))];
      const state = stateOf(child);
      if (!holder.has(child) && !children.has(child)) {
        nodes.push(withState({ key: key.domain(child), shape: "domain", lines }, state));
        continue;
      }
      const inner = build(child, [...trail, key.domain(child)]);
      clusters.push(withState({ key: key.domain(child), lines, ...inner }, state));
    }
    nodes.sort((a, b) => cmp(a.key, b.key));
    for (const n of nodes) path.set(n.key, trail);
    return { clusters, nodes };
  };
  const top = build(null, []);

  const edges = collectEdges(model, compiled);
  const nodeState = new Map<string, NodeState | undefined>();
  const note = (list: readonly SceneNode[], clusters: readonly SceneCluster[]) => {
    for (const n of list) nodeState.set(n.key, n.state);
    for (const c of clusters) note(c.nodes, c.clusters);
  };
  note(top.nodes, top.clusters);
  const stated = edges.map((e) => {
    if (!blast) return e;
    const to = nodeState.get(e.to);
    const from = nodeState.get(e.from);
    // Only an edge along which failure travels carries it: a monitor watching something down, or a
    // record naming a target that is down, is not how the failure spread.
    const carries = RELIANCE.has(e.kind) && (to === "unit" || to === "down");
    const state: EdgeState =
      carries && (from === "unit" || from === "down")
        ? "down"
        : carries && from === "degraded"
          ? "degraded"
          : "dim";
    return { ...e, state };
  });

  const kinds = new Set(stated.map((e) => e.kind));
  const shapes = new Set<NodeShape>();
  for (const n of allNodes(top.nodes, top.clusters)) shapes.add(n.shape);
  return {
    model: model.name,
    clusters: top.clusters,
    nodes: top.nodes,
    edges: stated,
    path,
    edgeKinds: EDGE_KINDS.filter((k) => kinds.has(k)),
    shapes: NODE_SHAPES.filter((s) => shapes.has(s)),
    ...(blast ? { highlight: blast } : {}),
  };
}

/** Every node of the scene, clusters included in depth-first order. */
export function* allNodes(
  nodes: readonly SceneNode[],
  clusters: readonly SceneCluster[],
): Generator<SceneNode> {
  yield* nodes;
  for (const c of clusters) yield* allNodes(c.nodes, c.clusters);
}

function componentDetail(c: Component): string {
  const parts = [c.plane === "control" ? `${c.kind}, control plane` : c.kind];
  const n = c.placement.domains.length;
  // A component in one domain sits in that domain's cluster; anything else says where it runs.
  if (n > 1 || c.placement.scope === "global") {
    const r = c.redundancy;
    const need =
      n <= 1 || r.mode === "any" ? "" : r.mode === "all" ? ", all needed" : `, ${r.quorum} needed`;
    parts.push(`${placementText(c.placement)}${need}`);
  }
  return parts.join(" · ");
}

function collectEdges(model: Model, compiled: CompiledModel): SceneEdge[] {
  const g = compiled.graph;
  const edges = new Map<string, SceneEdge>();
  const add = (from: string, to: string, kind: EdgeKind, label?: string) => {
    const id = `${from}\u0000${to}\u0000${kind}`;
    if (!edges.has(id))
      edges.set(id, label === undefined ? { from, to, kind } : { from, to, kind, label });
  };

  // Hard, DNS and identity edges: a component's inputs in the failure graph, looking through the
  // gates that fallbacks and DNS failover add (placement gates lead to domains: clusters show them).
  const visit = (caller: string, x: number) => {
    for (let i = g.inputStart[x] as number; i < (g.inputStart[x + 1] as number); i++) {
      const y = g.inputs[i] as number;
      const to = g.ids[y] as string;
      if (g.type[y] === NodeType.gate) {
        if (to !== PLACEMENT_GATE) visit(caller, y);
        continue;
      }
      const label = compiled.edgeLabel(x, y);
      const dep = compiled.edgeDependency(x, y);
      if (label === "via-dns") add(key.component(caller), key.record(to), "dns");
      else if (label === "auth") add(key.component(caller), key.component(to), "auth");
      else if (label === "probed-by" && dep !== undefined)
        add(key.component(caller), key.component(to), "implicit", `withdrawn by ${dep.from}`);
      else if ((label === "needs" || label === "any-of") && dep !== undefined) {
        if (to === dep.to && dep.implicit !== undefined)
          add(
            key.component(caller),
            key.component(to),
            "implicit",
            `via ${dep.implicit.service} (${dep.implicit.edge})`,
          );
        else if (to === dep.to) add(key.component(caller), key.component(to), "hard");
        else if (to === dep.fallback?.to)
          add(key.component(caller), key.component(to), "fallback", "fallback");
        // Otherwise a DNS failover target: drawn from its record, below.
      }
    }
  };
  for (const c of model.components) visit(c.id, compiled.node.get(c.id) as number);
  for (const r of model.records) {
    const x = compiled.node.get(r.name) as number;
    for (let i = g.inputStart[x] as number; i < (g.inputStart[x + 1] as number); i++) {
      const y = g.inputs[i] as number;
      if (compiled.edgeLabel(x, y) === "served-by")
        add(key.record(r.name), key.component(g.ids[y] as string), "dns");
    }
    for (const t of r.targets)
      add(key.record(r.name), key.component(t), "dns-record", "resolves to");
    if (r.failover) {
      const label = r.failover.healthCheck.autoFailover ? "failover" : "manual failover";
      for (const t of r.failover.targets)
        add(key.record(r.name), key.component(t), "dns-record", label);
    }
    if (r.managedBy !== undefined)
      add(key.component(r.managedBy), key.record(r.name), "dns-record", "writes");
  }

  for (const [from, deps] of compiled.soft) {
    for (const d of deps) {
      if (d.implicit !== undefined) {
        const plane =
          compiled.component(d.to)?.plane === "control" ? "control plane" : d.implicit.edge;
        add(
          key.component(from),
          key.component(d.to),
          "control-plane",
          `${plane} via ${d.implicit.service}`,
        );
      } else add(key.component(from), key.component(d.to), "soft", d.degradedMode ?? "soft");
    }
  }
  for (const q of model.queues) {
    if (q.service !== undefined)
      add(key.queue(q.id), key.component(q.service), "async", "hosted on");
    for (const consumer of q.consumers)
      add(key.component(consumer.component), key.queue(q.id), "async", "consumes");
    if (q.deadLetter !== undefined)
      add(key.queue(q.id), key.queue(q.deadLetter), "async", "dead letter");
  }
  for (const c of model.components) {
    for (const q of c.publishes) add(key.component(c.id), key.queue(q), "async", "publishes");
    if (c.leases?.publishes !== undefined)
      add(key.component(c.id), key.queue(c.leases.publishes), "async", "publishes");
    for (const target of c.observes) add(key.component(c.id), key.component(target), "observes");
  }
  for (const w of model.workloads) add(key.workload(w.id), key.component(w.entry), "entry");

  return [...edges.values()].sort(
    (a, b) =>
      cmp(a.from, b.from) ||
      cmp(a.to, b.to) ||
      EDGE_KINDS.indexOf(a.kind) - EDGE_KINDS.indexOf(b.kind),
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
