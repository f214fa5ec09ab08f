/**
 * @module analysis/rules/cycle
 * Rule `cycle`: strongly connected components among hard dependencies, implicit edges (DNS
 * records, the DNS service behind them, identity) included — Tarjan's algorithm on the failure
 * graph restricted to edges whose single failure forces the dependent. A cycle through
 * identity, DNS or service discovery is critical: after a full outage nothing in it can start
 * first, so a cold start needs a manual break-glass path.
 */
import { NodeType } from "../../graph/failure-graph.js";
import { cyclicComponents, stronglyConnected } from "../../graph/scc.js";
import { FOUNDATIONAL_KINDS } from "../../model/types.js";
import type { AuditContext } from "../context.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

/** "iam needs dynamodb via DNS record x", "x is served by route53". */
function describeEdge(ctx: AuditContext, from: number, to: number): string {
  const a = ctx.idOf(from);
  const b = ctx.idOf(to);
  const dep = ctx.compiled.edgeDependency(from, to);
  switch (ctx.compiled.edgeLabel(from, to)) {
    case "via-dns":
      return `${a} resolves ${b} to reach ${dep?.to ?? "its dependency"}`;
    case "served-by":
      return `${a} is served by ${b}`;
    case "auth":
      return `${a} authenticates through ${b} to call ${dep?.to ?? "its dependency"}`;
    case "probed-by":
      return `${a} is withdrawn by ${dep?.from ?? "its health checker"} when its checks cannot reach ${b}`;
    default: {
      const via = dep?.via !== undefined ? ` via DNS record ${dep.via}` : "";
      const auth = dep?.auth !== undefined ? `, authenticated by ${dep.auth}` : "";
      return `${a} needs ${b}${via}${auth}`;
    }
  }
}

export const cycleRule: Rule = {
  meta: {
    id: "cycle",
    title: "Hard dependency cycle",
    description:
      "Components that hard-depend on each other, directly or through DNS records and identity services. None of them can cold-start first.",
    helpUri: helpUri("cycle"),
  },
  run(ctx) {
    const g = ctx.compiled.graph;
    const hard = hardAdjacency(ctx);
    const scc = stronglyConnected(g.nodeCount, hard.start, hard.adj);
    const findings: Finding[] = [];
    const byComponent = new Map<number, number[]>();
    for (const comp of cyclicComponents(g.nodeCount, hard.start, hard.adj, scc))
      byComponent.set(comp, []);
    for (let x = 0; x < g.nodeCount; x++) byComponent.get(scc.component[x] as number)?.push(x);
    for (const [comp, members] of byComponent) {
      const ids = members.map((m) => ctx.idOf(m)).sort();
      const path = shortestCycle(ctx, members, hard, scc.component, comp);
      const foundational = members.filter((m) => {
        if (g.type[m] === NodeType.record) return true;
        const c = ctx.compiled.componentAt(m);
        return c !== undefined && FOUNDATIONAL_KINDS.has(c.kind);
      });
      const chain = [...path, path[0] as number].map((x) => ctx.idOf(x)).join(" → ");
      const how = path
        .map((x, i) => describeEdge(ctx, x, path[(i + 1) % path.length] as number))
        .join("; ");
      const firstDep = ctx.compiled.edgeDependency(
        path[0] as number,
        path[1 % path.length] as number,
      );
      const first = ctx.compiled.componentAt(path[0] as number);
      const location = firstDep?.loc ?? first?.loc;
      const critical = foundational.length > 0;
      const names = foundational.map((m) => ctx.idOf(m)).sort();
      findings.push({
        rule: "cycle",
        key: `cycle:${ids.join(",")}`,
        severity: critical ? "critical" : "high",
        message: critical
          ? `hard dependency cycle through ${names.join(", ")}: ${chain} (${how}). After a full outage none of them can start first; recovery needs a manual break-glass path.`
          : `hard dependency cycle: ${chain} (${how}). None of them can cold-start until one dependency is made soft or given a fallback.`,
        components: ids,
        remediation: critical
          ? "Give the identity or DNS service a store and a resolution path of its own that do not depend on its callers, or make one edge soft (wants) backed by cached credentials; let one member start standalone, and rehearse the break-glass start order."
          : "Make one edge of the cycle soft (wants) or give it a fallback, so that one member can start without the others.",
        location: location ?? { file: ctx.model.files[0] ?? "", line: 1, column: 1 },
        data: { cycle: path.map((x) => ctx.idOf(x)), members: ids },
      });
    }
    return { findings };
  },
};

export interface Adjacency {
  readonly start: Int32Array;
  readonly adj: Int32Array;
}

/** Edges x → y where y's failure alone forces x: inputs of non-gate nodes, to components and records. */
export function hardAdjacency(ctx: AuditContext): Adjacency {
  const g = ctx.compiled.graph;
  const start = new Int32Array(g.nodeCount + 1);
  // At most every input edge: filled in place rather than through a growing array of 1.4M
  // numbers at 100k components.
  const adj = new Int32Array(g.inputs.length);
  let edges = 0;
  for (let x = 0; x < g.nodeCount; x++) {
    start[x] = edges;
    if (g.type[x] === NodeType.gate || g.type[x] === NodeType.domain) continue;
    for (let i = g.inputStart[x] as number; i < (g.inputStart[x + 1] as number); i++) {
      const y = g.inputs[i] as number;
      if (g.type[y] === NodeType.component || g.type[y] === NodeType.record) adj[edges++] = y;
    }
  }
  start[g.nodeCount] = edges;
  return { start, adj: adj.slice(0, edges) };
}

/** The shortest cycle through the smallest-id member, found by BFS inside the component. */
function shortestCycle(
  ctx: AuditContext,
  members: readonly number[],
  hard: Adjacency,
  component: Int32Array,
  comp: number,
): number[] {
  const origin = [...members].sort((a, b) => (ctx.idOf(a) < ctx.idOf(b) ? -1 : 1))[0] as number;
  const parent = new Map<number, number>();
  const queue = [origin];
  for (let qi = 0; qi < queue.length; qi++) {
    const x = queue[qi] as number;
    for (let i = hard.start[x] as number; i < (hard.start[x + 1] as number); i++) {
      const y = hard.adj[i] as number;
      if (component[y] !== comp) continue;
      if (y === origin) {
        const path = [x];
        let cur = x;
        while (cur !== origin) {
          cur = parent.get(cur) as number;
          path.push(cur);
        }
        return path.reverse();
      }
      if (!parent.has(y)) {
        parent.set(y, x);
        queue.push(y);
      }
    }
  }
  return [origin];
}
