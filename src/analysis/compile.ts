/**
 * @module analysis/compile
 * Compiles a Model into the failure graph the kernels read, making the implicit dependencies
 * explicit:
 *
 * - a failure domain fails with its parent (a zone with its region, a region with its provider);
 * - a component fails when its own unit fails, when too many of its placements fail (a gate
 *   with threshold n − k + 1 for k-of-n redundancy), or when any hard dependency fails;
 * - a hard dependency reached **via a DNS record** adds an edge to the record, and the record
 *   fails with the DNS component that serves it;
 * - a hard dependency **authenticated via** an identity service adds an edge to that service;
 * - a fallback, a DNS record's failover targets and a callee's replica with automatic failover
 *   turn the edge into an any-of gate;
 * - served content is a unit of its own (a bad version): every reader it reaches all at once —
 *   no staged rollout, no last known good kept — fails with it, and a reader whose copy expires
 *   (`ttl`) and then fails closed fails with the component that serves it;
 * - a fleet that fails as one (a shared per-host limit, or a shared version rolled out all at
 *   once) is a unit its members fail with.
 *
 * Soft dependencies and asynchronous publishing are kept aside (`soft`): they degrade a
 * component or delay work but never take it down, so the static audit does not follow them.
 */
import {
  type FailureGraph,
  GraphBuilder,
  NodeType,
  type Outputs,
  outputsOf,
} from "../graph/failure-graph.js";
import { exposedRead, fleetIsUnit } from "../model/content.js";
import type { Component, Content, Dependency, DnsRecord, Fleet, Model } from "../model/types.js";

export const EDGE_LABELS = [
  "needs",
  "via-dns",
  "served-by",
  "auth",
  "placed-in",
  "within",
  "any-of",
  "reads",
  "member-of",
  "probed-by",
] as const;
export type EdgeLabel = (typeof EDGE_LABELS)[number];

export interface CompiledModel {
  readonly model: Model;
  readonly graph: FailureGraph;
  readonly out: Outputs;
  /** Node index of every component, DNS record and failure domain, by id. */
  readonly node: ReadonlyMap<string, number>;
  /**
   * Node of `model.components[i]` is `componentBase + i`, of `model.records[i]` is
   * `recordBase + i`, of `model.domains[i]` is `i`: rules that walk the model's lists find
   * their nodes without an id lookup (at 100k components those lookups alone took about half a
   * second of an audit).
   */
  readonly componentBase: number;
  readonly recordBase: number;
  /** Node of `model.contents[i]` is `sharedBase + i`, of `model.fleets[j]` the ones after. */
  readonly sharedBase: number;
  /** The content or fleet at this node, if the node is one. */
  sharedAt(
    node: number,
  ): { kind: "content"; content: Content } | { kind: "fleet"; fleet: Fleet } | undefined;
  /** The component at this node, if the node is one. */
  componentAt(node: number): Component | undefined;
  /** The DNS record at this node, if the node is one. */
  recordAt(node: number): DnsRecord | undefined;
  /** The component with this id, if any. */
  component(id: string): Component | undefined;
  /** Why `from` has `to` as an input (undefined when it does not). */
  edgeLabel(from: number, to: number): EdgeLabel | undefined;
  /** The dependency that produced the edge, when one did (for locations and hints). */
  edgeDependency(from: number, to: number): Dependency | undefined;
  /** Soft dependencies per component: targets whose failure degrades it. */
  readonly soft: ReadonlyMap<string, readonly Dependency[]>;
  /**
   * Node of each dependency's caller and callee, in `model.dependencies` order (soft ones too),
   * −1 for an id with no node: looked up once here for every rule that walks the dependencies.
   */
  readonly dependencyFrom: Int32Array;
  readonly dependencyTo: Int32Array;
}

export function compileModel(model: Model): CompiledModel {
  const b = new GraphBuilder();
  const node = new Map<string, number>();
  const at = (id: string) => node.get(id) as number;
  // Each edge's tag packs why it exists and which dependency (index into model.dependencies)
  // produced it: (dependency + 1) × 16 + label (its index in EDGE_LABELS).
  const link = (from: number, to: number, label: number, dep = -1) => {
    b.addEdge(from, to, (dep + 1) * 16 + label);
  };

  for (const d of model.domains) node.set(d.id, b.addNode(d.id, NodeType.domain, true));
  const componentBase = b.nodeCount;
  for (const c of model.components)
    node.set(c.id, b.addNode(c.id, NodeType.component, isComponentUnit(c)));
  const recordBase = b.nodeCount;
  for (const r of model.records) node.set(r.name, b.addNode(r.name, NodeType.record, true));
  const contents = model.contents ?? [];
  const fleets = model.fleets ?? [];
  const sharedBase = b.nodeCount;
  for (const c of contents) node.set(c.id, b.addNode(c.id, NodeType.shared, true));
  for (const f of fleets) node.set(f.id, b.addNode(f.id, NodeType.shared, fleetIsUnit(f)));
  const sharedAt = (x: number) => {
    const i = x - sharedBase;
    if (i < 0) return undefined;
    if (i < contents.length) return { kind: "content" as const, content: contents[i] as Content };
    const f = fleets[i - contents.length];
    return f ? { kind: "fleet" as const, fleet: f } : undefined;
  };
  const componentAt = (x: number): Component | undefined =>
    x >= componentBase && x < recordBase ? model.components[x - componentBase] : undefined;
  const recordAt = (x: number): DnsRecord | undefined =>
    x >= recordBase && x < sharedBase ? model.records[x - recordBase] : undefined;

  for (const d of model.domains) if (d.parent !== null) link(at(d.id), at(d.parent), WITHIN);
  model.records.forEach((r, i) => {
    link(recordBase + i, at(r.server), SERVED_BY);
  });

  model.components.forEach((c, i) => {
    const self = componentBase + i;
    const places = c.placement.domains;
    if (places.length === 1) link(self, at(places[0] as string), PLACED_IN);
    else if (places.length > 1) {
      const k =
        c.redundancy.mode === "any"
          ? 1
          : c.redundancy.mode === "all"
            ? places.length
            : c.redundancy.quorum;
      const gate = b.addNode(PLACEMENT_GATE, NodeType.gate, false, places.length - k + 1);
      link(self, gate, PLACED_IN);
      for (const p of places) link(gate, at(p), ANY_OF);
    }
  });

  // Content readers and fleet members.
  const contentIndex = new Map(contents.map((c, i) => [c.id, i]));
  for (const r of model.reads ?? []) {
    const i = contentIndex.get(r.content) as number;
    const content = contents[i] as Content;
    if (exposedRead(content, r)) link(at(r.reader), sharedBase + i, READS);
    if (r.ttl !== undefined && r.lastKnownGood === "fail-closed" && content.server !== r.reader)
      link(at(r.reader), at(content.server), READS);
  }
  fleets.forEach((f, j) => {
    if (!fleetIsUnit(f)) return;
    for (const m of f.members) link(at(m), sharedBase + contents.length + j, MEMBER_OF);
  });

  const soft = new Map<string, Dependency[]>();
  /** Links `from` to everything one way of reaching `target` requires. */
  const reach = (
    from: number,
    target: number,
    via: number | undefined,
    auth: string | undefined,
    dep: number,
    direct: number,
  ) => {
    link(from, target, direct, dep);
    if (via !== undefined) link(from, via, VIA_DNS, dep);
    if (auth !== undefined) link(from, at(auth), AUTH, dep);
  };
  // Dependencies are usually sorted by caller: each caller is looked up once per run of its
  // dependencies, and its soft list found once per run.
  const dependencyFrom = new Int32Array(model.dependencies.length);
  const dependencyTo = new Int32Array(model.dependencies.length);
  let lastFrom = "";
  let fromNode: number | undefined;
  let lastSoftFrom = "";
  let softList: Dependency[] = [];
  model.dependencies.forEach((dep, i) => {
    if (dep.from !== lastFrom) {
      lastFrom = dep.from;
      fromNode = node.get(dep.from);
    }
    // NOTE: each callee looked up once, here, for the rules too (offered load, capacity-fit):
    // at a million dependencies one pass of id lookups costs about half a second.
    const toNode = node.get(dep.to);
    dependencyFrom[i] = fromNode ?? -1;
    dependencyTo[i] = toNode ?? -1;
    if (dep.kind === "soft") {
      if (dep.from !== lastSoftFrom) {
        lastSoftFrom = dep.from;
        const list = soft.get(dep.from);
        if (list) softList = list;
        else {
          softList = [];
          soft.set(dep.from, softList);
        }
      }
      softList.push(dep);
      return;
    }
    const from = fromNode as number;
    const to = toNode as number;
    const viaNode = dep.via !== undefined ? at(dep.via) : undefined;
    const record = viaNode !== undefined ? recordAt(viaNode) : undefined;
    // The record answers with its failover targets when its primary targets fail health checks.
    // Only automatic failover counts; a manual one is an operator action, not redundancy.
    const automatic = record?.failover?.healthCheck.autoFailover === true;
    // NOTE: no list at all for the usual call with no failover (most of a million).
    let failover = automatic
      ? (record?.failover?.targets ?? []).filter((t) => t !== dep.to)
      : undefined;
    // A callee's replica with automatic failover serves the call when the callee fails.
    const replication = componentAt(to)?.replication;
    if (replication?.failover === "automatic" && failover?.includes(replication.replica) !== true)
      failover = [...(failover ?? []), replication.replica];
    if (dep.fallback === undefined && (failover === undefined || failover.length === 0)) {
      reach(from, to, viaNode, dep.auth, i, NEEDS);
      return;
    }
    // Any one of several ways of being served will do: an any-of gate over one AND-node per way.
    const ways: { target: string; via: string | undefined; auth: string | undefined }[] = [
      { target: dep.to, via: dep.via, auth: dep.auth },
      ...(failover ?? []).map((t) => ({ target: t, via: dep.via, auth: dep.auth })),
    ];
    if (dep.fallback)
      ways.push({ target: dep.fallback.to, via: dep.fallback.via, auth: dep.fallback.auth });
    const gate = b.addNode(ANY_OF_GATE, NodeType.gate, false, ways.length);
    link(from, gate, NEEDS, i);
    for (const w of ways) {
      if (w.via === undefined && w.auth === undefined) {
        link(gate, at(w.target), ANY_OF, i);
        continue;
      }
      const way = b.addNode(WAY_GATE, NodeType.gate, false, 1);
      link(gate, way, ANY_OF, i);
      reach(way, at(w.target), w.via === undefined ? undefined : at(w.via), w.auth, i, NEEDS);
    }
  });

  // A health checker whose checks go through a probe dependency finds every target unhealthy
  // when the probe fails, and its failover withdraws them although they run: each target it may
  // take wholly out of service (automatic failover, no velocity limit) fails with the probe.
  // The few probe dependencies look their components up by node: a map of every component by
  // id cost more than all of them.
  const byId = (id: string) => {
    const x = node.get(id);
    return x === undefined ? undefined : componentAt(x);
  };
  model.dependencies.forEach((dep, i) => {
    if (dep.probe !== true || dep.kind === "soft") return;
    const checker = byId(dep.from);
    if (checker?.kind !== "health-check") return;
    for (const t of checker.observes) {
      const check = byId(t)?.healthCheck;
      if (check?.autoFailover && (check.maxRemoved ?? 1) >= 1)
        link(at(t), at(dep.to), PROBED_BY, i);
    }
  });

  const { graph, tags } = b.build();
  const slot = (from: number, to: number): number => {
    for (
      let i = graph.inputStart[from] as number;
      i < (graph.inputStart[from + 1] as number);
      i++
    ) {
      if (graph.inputs[i] === to) return i;
    }
    return -1;
  };
  return {
    model,
    graph,
    out: outputsOf(graph),
    node,
    componentBase,
    recordBase,
    componentAt,
    recordAt,
    sharedBase,
    sharedAt,
    component: (id) => {
      const x = node.get(id);
      return x === undefined ? undefined : componentAt(x);
    },
    edgeLabel: (from, to) => {
      const i = slot(from, to);
      return i < 0 ? undefined : EDGE_LABELS[(tags[i] as number) & 15];
    },
    edgeDependency: (from, to) => {
      const i = slot(from, to);
      const d = i < 0 ? -1 : ((tags[i] as number) >> 4) - 1;
      return d < 0 ? undefined : model.dependencies[d];
    },
    soft,
    dependencyFrom,
    dependencyTo,
  };
}

/** Indices into EDGE_LABELS, packed into edge tags. */
const NEEDS = 0;
const VIA_DNS = 1;
const SERVED_BY = 2;
const AUTH = 3;
const PLACED_IN = 4;
const WITHIN = 5;
const ANY_OF = 6;
const READS = 7;
const MEMBER_OF = 8;
const PROBED_BY = 9;

/** Gate nodes share a few constant names: rules never show gates, and a name per gate costs. */
export const PLACEMENT_GATE = "(placement gate)";
export const ANY_OF_GATE = "(any-of gate)";
export const WAY_GATE = "(one way of serving a dependency)";

/**
 * A component replicated over several failure domains (any-of or k-of-n) is not a failure unit
 * by itself: its replicas fail with their domains, which is what redundancy buys. A component
 * with one placement, a global one, or one that needs all of its placements is one unit.
 */
export function isComponentUnit(c: Component): boolean {
  const n = c.placement.domains.length;
  if (n <= 1) return true;
  if (c.redundancy.mode === "all") return true;
  return c.redundancy.mode === "quorum" && c.redundancy.quorum >= n;
}
