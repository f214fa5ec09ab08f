/**
 * @module analysis/rules/blast-radius
 * Rule `blast-radius`: for every failure unit, how many components and which workloads its
 * failure alone takes down, ranked. The counts for all units come from one bitset propagation
 * over the condensed graph (`graph/blast-radius.ts`); the full lists are computed only for the
 * units that are reported.
 */

import { NodeType } from "../../graph/failure-graph.js";
import { propagateFailure } from "../../graph/propagate.js";
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
  meta: {
    id: "blast-radius",
    title: "Blast radius",
    description:
      "For every failure unit, the components and workloads its failure alone takes down, ranked.",
    helpUri: helpUri("blast-radius"),
  },
  run(ctx) {
    const g = ctx.compiled.graph;
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
    rows.forEach((row, rank) => {
      if (rank >= TOP || row.components === 0) return;
      const down = propagateFailure(g, ctx.compiled.out, [row.node]);
      const ids: string[] = [];
      const degraded = new Set<string>();
      for (let x = 0; x < g.nodeCount; x++)
        if (down[x] && g.type[x] === NodeType.component) ids.push(ctx.idOf(x));
      for (const [from, deps] of ctx.compiled.soft) {
        if (down[ctx.nodeOf(from)]) continue;
        if (deps.some((d) => down[ctx.nodeOf(d.to)])) degraded.add(from);
      }
      ids.sort();
      const share = totalComponents === 0 ? 0 : row.components / totalComponents;
      const severity: Severity =
        nw > 0 && row.workloads.length === nw && share >= 0.5
          ? "high"
          : row.workloads.length > 0
            ? "medium"
            : "info";
      const listed = ids.slice(0, LIST_LIMIT);
      const more = ids.length - listed.length;
      findings.push({
        rule: "blast-radius",
        key: `blast-radius:${row.unit}`,
        severity,
        message: `${ctx.describe(row.node)} takes down ${plural(row.components, "component")} (${Math.round(share * 100)}% of the model) and ${row.workloads.length === 0 ? "no workload" : `${plural(row.workloads.length, "workload")} (${row.workloads.join(", ")})`}${degraded.size > 0 ? `; ${plural(degraded.size, "more component")} ${degraded.size === 1 ? "degrades" : "degrade"}` : ""}${more > 0 ? `; the first ${LIST_LIMIT} components are listed` : ""}`,
        components: [row.unit, ...listed.filter((id) => id !== row.unit)],
        remediation:
          "Shrink the radius: cell or shard the unit's dependents, make their dependency on it soft, or replicate it across failure domains.",
        location: locationOf(ctx, row.node),
        data: {
          rank: rank + 1,
          unit: row.unit,
          components: row.components,
          workloads: row.workloads,
          degraded: [...degraded].sort(),
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
  return ctx.compiled.componentById.get(ctx.idOf(node))?.kind ?? "component";
}
