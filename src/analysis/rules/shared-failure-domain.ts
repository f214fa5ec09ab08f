/**
 * @module analysis/rules/shared-failure-domain
 * Rule `shared-failure-domain`, the multi-zone illusion: components replicated over several
 * zones (or regions, or custom domains) that still fail as one, because something they
 * hard-depend on, directly or transitively, is a single failure unit — a region-scoped or
 * global component, a DNS record, one zone.
 *
 * Reported per shared unit, the thing to fix: the units that take down at least one replicated
 * component in all of its domains at once. A domain that contains every placement of a
 * component does not count for it (losing the whole region is not an illusion, it is the
 * region). How many replicated components each unit takes down comes from the audit's one
 * bitset blast-radius pass (a second count mask), so the rule's cost does not grow with the
 * size of every replicated component's cut set; only the reported units are propagated again,
 * to name what they take down.
 */
import { NodeType } from "../../graph/failure-graph.js";
import type { Component } from "../../model/types.js";
import { type AuditContext, placementText } from "../context.js";
import { ancestryOf } from "../domains.js";
import { unitRemediation } from "../remediation.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";
import { locationOf, plural } from "./spof.js";

/** Shared units reported one finding each, most replicated components first. */
const FINDING_LIMIT = 20;
/** Replicated components a message names before "and N more". */
const MESSAGE_LIMIT = 8;
/**
 * Replicated components a finding lists in `components` and `data.replicated`, in model order;
 * `data.count` says how many there are. In a large model one unit can sit under nearly every
 * replicated component (90k of them), and twenty findings listing them all made the report
 * hundreds of megabytes.
 */
const LIST_LIMIT = 200;

export interface SharedUnitRow {
  readonly unit: string;
  /** Replicated components the unit takes down in all their domains at once. */
  readonly replicated: number;
}

export const sharedFailureDomainRule: Rule<SharedUnitRow[]> = {
  readsBlastTable: true,
  meta: {
    id: "shared-failure-domain",
    title: "Multi-zone illusion",
    description:
      "A single failure unit (a region-scoped or global component, a DNS record, one zone) under components placed in several zones or regions, so their replicas share a failure domain after all.",
    helpUri: helpUri("shared-failure-domain"),
  },
  run(ctx) {
    const replicated = ctx.replicated();
    const table = ctx.blast();

    const replicatedNodes = ctx.replicatedNodes();
    // For each domain: the replicated components it wholly contains (expected to fail with it).
    // Many components share a placement, so the common ancestors are found once per placement.
    const containedBy = new Map<number, number[]>();
    const ancestorsOf = new Map<string, number[]>();
    replicated.forEach((c, i) => {
      const placement = c.placement.domains.join("\u0000");
      let common = ancestorsOf.get(placement);
      if (!common) {
        common = commonAncestors(ctx.model, c).map((d) => ctx.nodeOf(d));
        ancestorsOf.set(placement, common);
      }
      for (const node of common) {
        const list = containedBy.get(node);
        if (list) list.push(replicatedNodes[i] as number);
        else containedBy.set(node, [replicatedNodes[i] as number]);
      }
    });

    const rows: (SharedUnitRow & { node: number })[] = [];
    for (let i = 0; i < table.units.length; i++) {
      const node = table.units[i] as number;
      const n = (table.replicatedCounts[i] as number) - (containedBy.get(node)?.length ?? 0);
      if (n > 0) rows.push({ unit: ctx.idOf(node), replicated: n, node });
    }
    rows.sort((a, b) => b.replicated - a.replicated || (a.unit < b.unit ? -1 : 1));

    // NOTE: each replicated component's placement scope as a number, read once: a unit under
    // most replicated components (90k) read and compared every one's scope string per finding.
    const scopeNames: string[] = [];
    const scopeCode = new Int32Array(replicated.length);
    const codeOf = new Map<string, number>();
    replicated.forEach((c, i) => {
      let code = codeOf.get(c.placement.scope);
      if (code === undefined) {
        code = scopeNames.length;
        scopeNames.push(c.placement.scope);
        codeOf.set(c.placement.scope, code);
      }
      scopeCode[i] = code;
    });

    const findings: Finding[] = [];
    for (const row of rows.slice(0, FINDING_LIMIT)) {
      const down = ctx.downOf(row.node).slice();
      for (const x of containedBy.get(row.node) ?? []) down[x] = 0;
      // Only the first LIST_LIMIT components taken down are kept, with the count and whether
      // they all share one placement scope: a unit under nearly every replicated component
      // would otherwise build a list of 90k of them per finding.
      const listed: Component[] = [];
      let count = 0;
      let firstScope = -1;
      let mixed = false;
      for (let i = 0; i < replicated.length; i++) {
        if (down[replicatedNodes[i] as number] !== 1) continue;
        count++;
        if (listed.length < LIST_LIMIT) listed.push(replicated[i] as Component);
        if (firstScope < 0) firstScope = scopeCode[i] as number;
        else if (scopeCode[i] !== firstScope) mixed = true;
      }
      const scope = firstScope < 0 ? undefined : scopeNames[firstScope];
      const named = listed
        .slice(0, MESSAGE_LIMIT)
        .map((c) => `${c.id} (${placementText(c.placement)})`);
      if (count > MESSAGE_LIMIT) named.push(`and ${count - MESSAGE_LIMIT} more`);
      const unit = ctx.compiled.componentAt(row.node);
      const control = unit?.plane === "control" ? ", a control plane," : "";
      findings.push({
        rule: "shared-failure-domain",
        key: `shared-failure-domain:${row.unit}`,
        severity: "high",
        message: `${ctx.describe(row.node)}${control} is shared by ${plural(count, "replicated component")}: when it fails, ${count === 1 ? "it fails" : "they fail"} in all of ${count === 1 ? "its" : "their"} ${domainWord(mixed ? undefined : scope)} at once — ${named.join(", ")}`,
        components: [row.unit, ...listed.map((c) => c.id)],
        remediation: remediationFor(ctx, row.node, listed[0] as Component, count),
        location: locationOf(ctx, row.node),
        data: {
          unit: row.unit,
          count,
          replicated: listed.map((c) => ({ id: c.id, placements: c.placement.domains })),
        },
      });
    }
    if (rows.length > FINDING_LIMIT) {
      const rest = rows.slice(FINDING_LIMIT);
      const named = rest.slice(0, MESSAGE_LIMIT).map((r) => `${r.unit} (${r.replicated})`);
      if (rest.length > MESSAGE_LIMIT) named.push(`and ${rest.length - MESSAGE_LIMIT} more`);
      findings.push({
        rule: "shared-failure-domain",
        key: "shared-failure-domain:more",
        severity: "high",
        message: `${plural(rest.length, "more shared unit")} each take down replicated components in all their domains (replicated components taken down in brackets): ${named.join(", ")}. Fix the ${FINDING_LIMIT} above first; the full list is in the audit's shared-failure-domain table`,
        components: rest.map((r) => r.unit),
        remediation:
          "Give each zone or region its own instance of what its replicas depend on, or make those dependencies soft with cached answers.",
        location: locationOf(ctx, (rest[0] as { node: number }).node),
        data: { units: rest.length },
      });
    }
    return { findings, table: rows.map(({ node: _node, ...rest }) => rest) };
  },
};

/** Domains that contain every placement of a component (their loss is not an illusion). */
function commonAncestors(model: import("../../model/types.js").Model, c: Component): string[] {
  const [first, ...rest] = c.placement.domains.map((d) => ancestryOf(model, d));
  return (first ?? []).filter((a) => rest.every((chain) => chain.includes(a)));
}

/** The placement scope shared by every component taken down, if they share one. */
function domainWord(scope: string | undefined): string {
  if (scope === "zones") return "zones";
  if (scope === "regions") return "regions";
  return "failure domains";
}

function remediationFor(ctx: AuditContext, node: number, first: Component, count: number): string {
  const unit = ctx.idOf(node);
  const who = count === 1 ? first.id : `${first.id} and the others`;
  const fitting = unitRemediation(ctx, node);
  if (fitting !== undefined) return fitting;
  switch (ctx.compiled.graph.type[node]) {
    case NodeType.record:
      return `Give ${who} an endpoint per zone or region (zonal or regional records) with health-checked failover, or cache the answers of ${unit} and serve them stale while it is empty.`;
    case NodeType.domain:
      return `Place what ${who} depend${count === 1 ? "s" : ""} on outside ${unit} as well (a second zone, region or provider), or make those dependencies soft with a fallback.`;
    default: {
      const kind = ctx.compiled.component(unit)?.kind;
      const own =
        kind === "identity" || kind === "token-service"
          ? "an identity store of its own per region"
          : "a zonal or regional instance";
      return `Replicate ${unit} (${own}) so that each replica of ${who} depends only on its own, or make the path to it soft with cached answers so that the replicas keep serving while ${unit} is down.`;
    }
  }
}
