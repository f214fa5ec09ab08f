/**
 * @module analysis/rules/blast-radius
 * Rule `blast-radius`: for every failure unit, how many components and which workloads its
 * failure alone takes down, ranked. The counts for all units come from one bitset propagation
 * over the condensed graph (`graph/blast-radius.ts`); the full lists are computed only for the
 * units that are reported.
 */

import { NodeType } from "../../graph/failure-graph.js";
import type { Component } from "../../model/types.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding, Severity } from "../types.js";
import { locationOf, plural } from "./spof.js";

export interface BlastRow {
  readonly unit: string;
  readonly kind: string;
  readonly components: number;
  readonly workloads: readonly string[];
}

/** Units reported as findings: the largest few (every unit is in the table). */
const TOP = 10;
/** At most this many component ids are listed in one finding; the message says how many more. */
const LIST_LIMIT = 200;

export const blastRadiusRule: Rule<BlastRow[]> = {
  readsBlastTable: true,
  meta: {
    id: "blast-radius",
    title: "Blast radius",
    description:
      "For every failure unit, the components and workloads its failure alone takes down, ranked.",
    helpUri: helpUri("blast-radius"),
  },
  run(ctx) {
    const table = ctx.blast();
    const workloads = ctx.model.workloads;
    const nw = workloads.length;
    const totalComponents = ctx.model.components.length;
    const rows: (BlastRow & { node: number })[] = [];
    for (let i = 0; i < table.units.length; i++) {
      const node = table.units[i] as number;
      const hit: string[] = [];
      for (let w = 0; w < nw; w++)
        if (table.hit(i, w)) hit.push((workloads[w] as { id: string }).id);
      rows.push({
        unit: ctx.idOf(node),
        kind: kindOf(ctx, node),
        components: table.counts[i] as number,
        workloads: hit,
        node,
      });
    }
    rows.sort(
      (a, b) =>
        b.workloads.length - a.workloads.length ||
        b.components - a.components ||
        (a.unit < b.unit ? -1 : 1),
    );

    const findings: Finding[] = [];
    // Looked up once for the reported units: components by id, soft dependencies as nodes.
    const byId = componentNodesById(ctx);
    // NOTE: the soft dependencies' nodes as the compiler found them, rather than 200k lookups of
    // their ids at 100k components.
    const softFrom: number[] = [];
    const softTo: number[] = [];
    const { dependencyFrom, dependencyTo } = ctx.compiled;
    ctx.model.dependencies.forEach((d, k) => {
      if (d.kind !== "soft") return;
      softFrom.push(dependencyFrom[k] as number);
      softTo.push(dependencyTo[k] as number);
    });
    const degrades = new Uint8Array(ctx.compiled.graph.nodeCount);
    rows.forEach((row, rank) => {
      if (rank >= TOP || row.components === 0) return;
      const down = ctx.downOf(row.node);
      // The first LIST_LIMIT component ids down, in id order, and how many more.
      const listed: string[] = [];
      let more = 0;
      for (const x of byId) {
        if (down[x] !== 1) continue;
        if (listed.length < LIST_LIMIT) listed.push(ctx.idOf(x));
        else more++;
      }
      // Components up with a soft dependency down, each once.
      const degraded: string[] = [];
      for (let i = 0; i < softFrom.length; i++) {
        const from = softFrom[i] as number;
        if (down[from] || !down[softTo[i] as number] || degrades[from]) continue;
        degrades[from] = 1;
        degraded.push(ctx.idOf(from));
      }
      for (let i = 0; i < softFrom.length; i++) degrades[softFrom[i] as number] = 0;
      degraded.sort(cmp);
      const share = totalComponents === 0 ? 0 : row.components / totalComponents;
      const severity: Severity =
        nw > 0 && row.workloads.length === nw && share >= 0.5
          ? "high"
          : row.workloads.length > 0
            ? "medium"
            : "info";
      findings.push({
        rule: "blast-radius",
        key: `blast-radius:${row.unit}`,
        severity,
        message: `${ctx.describe(row.node)} takes down ${plural(row.components, "component")} (${Math.round(share * 100)}% of the model) and ${row.workloads.length === 0 ? "no workload" : `${plural(row.workloads.length, "workload")} (${row.workloads.join(", ")})`}${degraded.length > 0 ? `; ${plural(degraded.length, "more component")} ${degraded.length === 1 ? "degrades" : "degrade"}` : ""}${more > 0 ? `; the first ${LIST_LIMIT} components are listed` : ""}`,
        components: [row.unit, ...listed.filter((id) => id !== row.unit)],
        remediation:
          "Shrink the radius: cell or shard the unit's dependents, make their dependency on it soft, or replicate it across failure domains.",
        location: locationOf(ctx, row.node),
        data: {
          rank: rank + 1,
          unit: row.unit,
          components: row.components,
          workloads: row.workloads,
          degraded,
        },
      });
    });
    return { findings, table: rows.map(({ node: _node, ...rest }) => rest) };
  },
};

function kindOf(ctx: import("../context.js").AuditContext, node: number): string {
  const g = ctx.compiled.graph;
  if (g.type[node] === NodeType.record) return "dns-record";
  if (g.type[node] === NodeType.domain) return ctx.domain(ctx.idOf(node))?.kind ?? "domain";
  const shared = ctx.compiled.sharedAt(node);
  if (shared) return shared.kind === "content" ? shared.content.kind : "fleet";
  return ctx.compiled.componentAt(node)?.kind ?? "component";
}

/**
 * Component nodes in component id order. The loader and the generator sort components by id,
 * so this is usually their model order, with no sort and no id lookup (100k of each at 100k
 * components); a model built by hand in another order is sorted here.
 */
function componentNodesById(ctx: import("../context.js").AuditContext): Int32Array {
  const components = ctx.model.components;
  const base = ctx.compiled.componentBase;
  const nodes = Int32Array.from(components, (_, i) => base + i);
  for (let i = 1; i < components.length; i++) {
    if (cmp((components[i - 1] as Component).id, (components[i] as Component).id) > 0) {
      return nodes.sort((a, b) => cmp(ctx.idOf(a), ctx.idOf(b)));
    }
  }
  return nodes;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
