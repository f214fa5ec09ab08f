/**
 * @module analysis/rules/spof
 * Rule `spof`: per workload, the minimal cut sets of order 1 (and of order 2 with depth 2)
 * over failure units — components that are not replicated, DNS records, zones, regions,
 * providers and custom domains. Redundancy is respected by construction: a component spread
 * over three zones is not a unit, and no single zone takes it down; the region-scoped control
 * plane it depends on does. Cut sets come from `graph/single-failures.ts`, never from removing
 * each unit and re-traversing.
 */

import { NodeType } from "../../graph/failure-graph.js";
import { doubleFailureSets } from "../../graph/single-failures.js";
import type { AuditContext } from "../context.js";
import { unitRemediation } from "../remediation.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding, Severity } from "../types.js";

export interface CutSetRow {
  readonly workload: string;
  readonly order1: readonly string[];
  readonly order2: readonly (readonly [string, string])[];
}

export const spofRule: Rule<CutSetRow[]> = {
  readsBlastTable: true,
  meta: {
    id: "spof",
    title: "Single point of failure",
    description:
      "A failure unit (component, DNS record, zone, region, provider) whose failure alone takes a workload down, or with depth 2 a pair of them.",
    helpUri: helpUri("spof"),
  },
  run(ctx) {
    const findings: Finding[] = [];
    const table: CutSetRow[] = [];
    const workloads = ctx.model.workloads;
    const entries = workloads.map((w) => ctx.nodeOf(w.entry));
    const sets = ctx.singleFailures(entries);
    // One finding per unit, naming every workload it cuts: the unit is what has to change.
    const cuts = new Map<number, string[]>();
    workloads.forEach((w, i) => {
      const set = sets[i] as Int32Array;
      const order2: [string, string][] = [];
      if (ctx.options.depth === 2) {
        for (const [a, b] of doubleFailureSets(
          ctx.compiled.graph,
          ctx.compiled.out,
          entries[i] as number,
          set,
        )) {
          const pair = [ctx.idOf(a), ctx.idOf(b)].sort() as [string, string];
          order2.push(pair);
        }
        order2.sort((p, q) => cmp(p[0], q[0]) || cmp(p[1], q[1]));
      }
      table.push({ workload: w.id, order1: [...set].map((u) => ctx.idOf(u)).sort(), order2 });
      for (const u of set) {
        const list = cuts.get(u) ?? [];
        list.push(w.id);
        cuts.set(u, list);
      }
    });

    const workloadById = new Map(workloads.map((w) => [w.id, w]));
    for (const [unit, cut] of cuts) {
      const tier1 = cut.some((w) => workloadById.get(w)?.tier === 1);
      // A provider, or the workload's own entry, is a cut set by definition; report it low.
      const trivial =
        ctx.isRootDomain(unit) || cut.every((w) => workloadById.get(w)?.entry === ctx.idOf(unit));
      const severity: Severity = trivial
        ? "low"
        : tier1 || cut.length === workloads.length
          ? "high"
          : "medium";
      findings.push({
        rule: "spof",
        key: `spof:${ctx.idOf(unit)}`,
        severity,
        message: `${ctx.describe(unit)} is a single point of failure for ${plural(cut.length, "workload")} ${cut.join(", ")}: its failure alone takes ${cut.length === 1 ? "it" : "them"} down`,
        components: [ctx.idOf(unit), ...cut],
        remediation: remediationFor(ctx, unit),
        location: locationOf(ctx, unit),
        data: { unit: ctx.idOf(unit), workloads: cut },
      });
    }

    for (const row of table) {
      for (const [a, b] of row.order2) {
        const w = workloadById.get(row.workload);
        findings.push({
          rule: "spof",
          key: `spof:${a}+${b}:${row.workload}`,
          severity: "low",
          message: `${a} and ${b} together take down workload ${row.workload} (minimal cut set of order 2)`,
          components: [a, b, row.workload],
          remediation:
            "Check that the two units fail independently, or add a third replica or domain so that losing both is survivable.",
          location: w?.loc ?? locationOf(ctx, ctx.nodeOf(a)),
          data: { cutSet: [a, b], workload: row.workload },
        });
      }
    }
    return { findings, table };
  },
};

function remediationFor(ctx: AuditContext, unit: number): string {
  const fitting = unitRemediation(ctx, unit);
  if (fitting !== undefined) return fitting;
  switch (ctx.compiled.graph.type[unit]) {
    case NodeType.record:
      return "Give callers a second name to resolve (a record in another zone or provider) with client-side failover, cache answers with stale-if-error, and protect the record from automation with guard rails.";
    case NodeType.domain:
      return "Spread the components this domain hosts over more than one domain of its kind, and make sure nothing they hard-depend on is scoped to it.";
    default: {
      const c = ctx.compiled.componentAt(unit);
      if (c?.placement.scope === "global") {
        return `${c.id} is one global service: give its callers an independent second one (another provider, another region's endpoint) as a fallback, or make the dependencies on it soft.`;
      }
      if (c && c.placement.domains.length <= 1) {
        return `Replicate ${c.id} over several zones or regions (redundancy any or a quorum), or make the dependencies on it soft with a fallback.`;
      }
      return `Make ${ctx.idOf(unit)} survivable: replicate it, or give its callers a fallback or cached answers.`;
    }
  }
}

export function locationOf(ctx: AuditContext, node: number) {
  const c = ctx.compiled.componentAt(node);
  if (c) return c.loc;
  const r = ctx.compiled.recordAt(node);
  if (r) return r.loc;
  const d = ctx.domain(ctx.idOf(node));
  if (d) return d.loc;
  const s = ctx.compiled.sharedAt(node);
  if (s) return s.kind === "content" ? s.content.loc : s.fleet.loc;
  return { file: ctx.model.files[0] ?? "", line: 1, column: 1 };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
