/**
 * @module importers/resource-graph
 * What a component of an infrastructure template (Terraform, CloudFormation) reaches: starting
 * from it, references are followed through configuration parts that belong to it — a target
 * group, a task definition, a launch template, a subnet group — and through glue that connects
 * resources (a listener from a load balancer to its target groups), collecting the components
 * it depends on (with the glue's provenance, and softness), the parts that give it traits, and
 * the zones of the subnets it runs in. A depth-first walk, each node visited once; references
 * are taken in sorted order so the result does not depend on the input's order.
 */
import type { TypeSpec } from "./terraform/mapping.js";
import type { Provenance } from "./types.js";

export interface GraphNode {
  readonly key: string;
  readonly spec: TypeSpec | undefined;
}

export interface GlueEdge {
  readonly to: string;
  readonly soft?: string;
  readonly at: Provenance;
}

export interface Graph<N extends GraphNode> {
  node(key: string): N | undefined;
  /** Keys of the nodes a node refers to. */
  refs(node: N): ReadonlySet<string>;
  /** Connections glue makes from a node. */
  glue(key: string): readonly GlueEdge[];
  /** Zones of a subnet node. */
  subnetZones(node: N): readonly string[];
}

export interface Reached {
  /** Component keys, with the provenance of the glue that reached them and their softness. */
  readonly components: Map<string, { soft?: string; at?: Provenance }>;
  /** Trait and configuration parts reached. */
  readonly parts: Set<string>;
  readonly zones: Set<string>;
}

export function walkFrom<N extends GraphNode>(start: N, graph: Graph<N>): Reached {
  const reached: Reached = { components: new Map(), parts: new Set(), zones: new Set() };
  const seen = new Set<string>([start.key]);
  const stack: { key: string; soft?: string; at?: Provenance }[] = [];
  const push = (key: string, soft?: string, at?: Provenance) => {
    if (seen.has(key)) return;
    seen.add(key);
    stack.push({ key, ...(soft !== undefined ? { soft } : {}), ...(at ? { at } : {}) });
  };
  const expand = (n: N, soft?: string, at?: Provenance) => {
    for (const k of [...graph.refs(n)].sort()) push(k, soft, at);
    for (const g of graph.glue(n.key)) push(g.to, g.soft ?? soft, g.at);
  };
  expand(start);
  while (stack.length > 0) {
    const { key, soft, at } = stack.pop() as { key: string; soft?: string; at?: Provenance };
    const n = graph.node(key);
    const spec = n?.spec;
    if (!n || !spec) continue;
    if (spec.role === "component") {
      reached.components.set(key, {
        ...(soft !== undefined ? { soft } : {}),
        ...(at ? { at } : {}),
      });
    } else if (spec.role === "subnet") {
      for (const z of graph.subnetZones(n)) reached.zones.add(z);
    } else if (spec.role === "pass") {
      reached.parts.add(key);
      expand(n, soft, at);
    } else if (spec.role === "trait") reached.parts.add(key);
  }
  return reached;
}
