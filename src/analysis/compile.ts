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
 * - a fallback, and a DNS record's failover targets, turn the edge into an any-of gate.
 *
 * Soft dependencies and asynchronous publishing are kept aside (`soft`): they degrade a
 * component or delay work but never take it down, so the static audit does not follow them.
 */
import {
  buildFailureGraph,
  type FailureGraph,
  type GraphNodeSpec,
  NodeType,
  type Outputs,
  outputsOf,
} from "../graph/failure-graph.js";
import type { Component, Dependency, Model } from "../model/types.js";

export type EdgeLabel =
  | "needs"
  | "via-dns"
  | "served-by"
  | "auth"
  | "placed-in"
  | "within"
  | "any-of";

export interface CompiledModel {
  readonly model: Model;
  readonly graph: FailureGraph;
  readonly out: Outputs;
  /** Node index of every component, DNS record and failure domain, by id. */
  readonly node: ReadonlyMap<string, number>;
  /** Why `from` has `to` as an input, keyed `${from} ${to}` by node index. */
  readonly edgeLabel: ReadonlyMap<string, EdgeLabel>;
  /** The dependency that produced an edge, when one did (for locations and hints). */
  readonly edgeDependency: ReadonlyMap<string, Dependency>;
  readonly componentById: ReadonlyMap<string, Component>;
  /** Soft dependencies per component: targets whose failure degrades it. */
  readonly soft: ReadonlyMap<string, readonly Dependency[]>;
}

export function edgeKey(from: number, to: number): string {
  return `${from} ${to}`;
}

export function compileModel(model: Model): CompiledModel {
  const specs: {
    id: string;
    type: NodeType;
    unit: boolean;
    threshold: number;
    inputs: number[];
  }[] = [];
  const node = new Map<string, number>();
  const edgeLabel = new Map<string, EdgeLabel>();
  const edgeDependency = new Map<string, Dependency>();
  const add = (id: string, type: NodeType, unit: boolean, threshold = 1): number => {
    specs.push({ id, type, unit, threshold, inputs: [] });
    return specs.length - 1;
  };
  const link = (from: number, to: number, label: EdgeLabel, dep?: Dependency) => {
    const inputs = (specs[from] as { inputs: number[] }).inputs;
    if (inputs.includes(to)) return;
    inputs.push(to);
    edgeLabel.set(edgeKey(from, to), label);
    if (dep) edgeDependency.set(edgeKey(from, to), dep);
  };

  for (const d of model.domains) node.set(d.id, add(d.id, NodeType.domain, true));
  for (const c of model.components)
    node.set(c.id, add(c.id, NodeType.component, isComponentUnit(c)));
  for (const r of model.records) node.set(r.name, add(r.name, NodeType.record, true));
  const at = (id: string) => node.get(id) as number;

  for (const d of model.domains) if (d.parent !== null) link(at(d.id), at(d.parent), "within");
  for (const r of model.records) link(at(r.name), at(r.server), "served-by");

  for (const c of model.components) {
    const self = at(c.id);
    const places = c.placement.domains;
    if (places.length === 1) link(self, at(places[0] as string), "placed-in");
    else if (places.length > 1) {
      const k =
        c.redundancy.mode === "any"
          ? 1
          : c.redundancy.mode === "all"
            ? places.length
            : c.redundancy.quorum;
      const gate = add(
        `${c.id} placement (${k} of ${places.length})`,
        NodeType.gate,
        false,
        places.length - k + 1,
      );
      link(self, gate, "placed-in");
      for (const p of places) link(gate, at(p), "any-of");
    }
  }

  const recordByName = new Map(model.records.map((r) => [r.name, r]));
  const soft = new Map<string, Dependency[]>();
  /** Links `from` to everything one way of reaching `target` requires. */
  const reach = (
    from: number,
    target: string,
    via: string | undefined,
    auth: string | undefined,
    dep: Dependency,
    direct: EdgeLabel,
  ) => {
    link(from, at(target), direct, dep);
    if (via !== undefined) link(from, at(via), "via-dns", dep);
    if (auth !== undefined) link(from, at(auth), "auth", dep);
  };
  for (const dep of model.dependencies) {
    if (dep.kind === "soft") {
      const list = soft.get(dep.from) ?? [];
      list.push(dep);
      soft.set(dep.from, list);
      continue;
    }
    const from = at(dep.from);
    const record = dep.via !== undefined ? recordByName.get(dep.via) : undefined;
    // The record answers with its failover targets when its primary targets fail health checks.
    // Only automatic failover counts; a manual one is an operator action, not redundancy.
    const automatic = record?.failover?.healthCheck.autoFailover === true;
    const failover = automatic ? (record?.failover?.targets ?? []).filter((t) => t !== dep.to) : [];
    if (dep.fallback === undefined && failover.length === 0) {
      reach(from, dep.to, dep.via, dep.auth, dep, "needs");
      continue;
    }
    // Any one of several ways of being served will do: an any-of gate over one AND-node per way.
    const ways: { target: string; via: string | undefined; auth: string | undefined }[] = [
      { target: dep.to, via: dep.via, auth: dep.auth },
      ...failover.map((t) => ({ target: t, via: dep.via, auth: dep.auth })),
    ];
    if (dep.fallback)
      ways.push({ target: dep.fallback.to, via: dep.fallback.via, auth: dep.fallback.auth });
    const gate = add(
      `${dep.from} → ${ways.map((w) => w.target).join(" | ")}`,
      NodeType.gate,
      false,
      ways.length,
    );
    link(from, gate, "needs", dep);
    for (const w of ways) {
      if (w.via === undefined && w.auth === undefined) {
        link(gate, at(w.target), "any-of", dep);
        continue;
      }
      const way = add(
        `${dep.from} → ${w.target}${w.via !== undefined ? ` via ${w.via}` : ""}`,
        NodeType.gate,
        false,
        1,
      );
      link(gate, way, "any-of", dep);
      reach(way, w.target, w.via, w.auth, dep, "needs");
    }
  }

  const graph: FailureGraph = buildFailureGraph(specs as GraphNodeSpec[]);
  return {
    model,
    graph,
    out: outputsOf(graph),
    node,
    edgeLabel,
    edgeDependency,
    componentById: new Map(model.components.map((c) => [c.id, c])),
    soft,
  };
}

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
