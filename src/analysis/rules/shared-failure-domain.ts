/**
 * @module analysis/rules/shared-failure-domain
 * Rule `shared-failure-domain`, the multi-zone illusion: a component spread over several
 * zones (or regions, or custom domains) that still fails as one, because something it
 * hard-depends on, directly or transitively, is a single failure unit — a region-scoped or
 * global component, a DNS record, one zone. Found from the component's own order-1 cut set,
 * minus the domains that contain all of its placements (losing the whole region is not an
 * illusion, it is the region).
 */
import { NodeType } from "../../graph/failure-graph.js";
import { ancestryOf } from "../domains.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

/** How many shared units a message names before "and N more". */
const MESSAGE_LIMIT = 8;

export const sharedFailureDomainRule: Rule = {
  meta: {
    id: "shared-failure-domain",
    title: "Multi-zone illusion",
    description:
      "A component placed in several zones or regions that hard-depends on something scoped to one region, one zone or global, so its replicas share a failure domain after all.",
    helpUri: helpUri("shared-failure-domain"),
  },
  run(ctx) {
    const g = ctx.compiled.graph;
    const spread = ctx.model.components.filter(
      (c) => c.placement.domains.length > 1 && c.redundancy.mode !== "all",
    );
    const sets = ctx.singleFailures(spread.map((c) => ctx.nodeOf(c.id)));
    const controlPlane = new Uint8Array(g.nodeCount);
    for (const c of ctx.model.components)
      if (c.plane === "control") controlPlane[ctx.nodeOf(c.id)] = 1;
    const findings: Finding[] = [];
    spread.forEach((c, i) => {
      // Domains that contain every placement: their loss is expected, not an illusion.
      const [first, ...rest] = c.placement.domains.map((d) => ancestryOf(ctx.model, d));
      const common = new Set((first ?? []).filter((a) => rest.every((chain) => chain.includes(a))));
      const self = ctx.nodeOf(c.id);
      const shared = [...(sets[i] as Int32Array)].filter(
        (u) => u !== self && !(g.type[u] === NodeType.domain && common.has(ctx.idOf(u))),
      );
      if (shared.length === 0) return;
      const what =
        c.placement.scope === "regions"
          ? "regions"
          : c.placement.scope === "zones"
            ? "zones"
            : "domains";
      // The message names the first few; the components and data list them all.
      const names = shared.slice(0, MESSAGE_LIMIT).map((u) => ctx.describe(u));
      if (shared.length > MESSAGE_LIMIT) names.push(`and ${shared.length - MESSAGE_LIMIT} more`);
      const controlPlanes = shared.filter((u) => controlPlane[u] === 1).map((u) => ctx.idOf(u));
      const cpNames =
        controlPlanes.length > MESSAGE_LIMIT
          ? [
              ...controlPlanes.slice(0, MESSAGE_LIMIT),
              `and ${controlPlanes.length - MESSAGE_LIMIT} more`,
            ]
          : controlPlanes;
      findings.push({
        rule: "shared-failure-domain",
        key: `shared-failure-domain:${c.id}`,
        severity: "high",
        message: `${c.id} runs in ${c.placement.domains.length} ${what} (${c.placement.domains.join(", ")}) but fails in all of them at once if any of these fails: ${names.join("; ")}${controlPlanes.length > 0 ? `. Control plane${controlPlanes.length > 1 ? "s" : ""} shared by every replica: ${cpNames.join(", ")}` : ""}`,
        components: [c.id, ...shared.map((u) => ctx.idOf(u))],
        remediation: `Give each of ${c.id}'s ${what} its own instance of what it depends on (zonal or regional endpoints, a regional identity replica), or make those dependencies soft with cached answers so that the replicas keep serving while the shared piece is down.`,
        location: c.loc,
        data: { shared: shared.map((u) => ctx.idOf(u)), placements: c.placement.domains },
      });
    });
    return { findings };
  },
};
