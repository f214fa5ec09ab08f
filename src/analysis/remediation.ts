/**
 * @module analysis/remediation
 * Remediation that fits the unit. "Replicate it over zones" is right for a service the team runs
 * and wrong for one it rents: a hosted identity provider, a DNS provider or a third-party API
 * cannot be replicated by its callers, and a bad configuration push is not fixed by more
 * replicas. Rules ask here first, by what the unit is, and fall back to their own text.
 */
import { NodeType } from "../graph/failure-graph.js";
import type { AuditContext } from "./context.js";

/** Remediation for a unit whose kind decides what helps, or undefined for the rule's own. */
export function unitRemediation(ctx: AuditContext, node: number): string | undefined {
  const g = ctx.compiled.graph;
  const id = ctx.idOf(node);
  if (g.type[node] === NodeType.shared) {
    const s = ctx.compiled.sharedAt(node);
    if (s?.kind === "content") {
      return `Roll ${id} out in stages (rollout: { staged: true, stages, bake }) with health gates that bake longer than a bad version takes to show, and have its readers check each version (validate: maxSize, maxEntries, fields) and keep serving their last known good (lastKnownGood: keep) instead of failing with it.`;
    }
    if (s?.kind === "fleet") {
      const f = s.fleet;
      const parts: string[] = [];
      if (f.shares.includes("software-version") || f.shares.includes("configuration"))
        parts.push(
          `roll new versions out to ${id} in stages with health gates (rollout: { staged: true, stages, bake }), so a bad one stops at the first stage`,
        );
      if (f.shares.includes("host-limit"))
        parts.push(
          `keep headroom under the per-host limit the members share and alarm on it well before they reach it, since they all cross it at the same time`,
        );
      return `${capitalize(parts.join("; and "))}.`;
    }
    return undefined;
  }
  const c = ctx.compiled.componentAt(node);
  if (!c) return undefined;
  switch (c.kind) {
    case "identity":
    case "token-service":
      return `${id} issues the credentials every call through it needs, and a hosted identity provider cannot be replicated by its callers: issue tokens that outlive the outages you plan for and refresh them well before they expire (tokens: { ttl, refreshBefore }), let relying parties cache signing keys and validate tokens locally, and federate a second provider (or an identity store of your own per region) as a fallback.`;
    case "dns":
      return `${id} answers every name resolved through it: let resolvers and clients serve stale answers while it fails (stale-if-error), and give critical names a secondary DNS provider so that one provider's outage is not a resolution outage.`;
    case "external":
      return `${id} is a third party that only its operator can make redundant: give callers a second provider or a degraded mode (make the dependency soft with a fallback), and cache its answers so that an outage is ridden out.`;
    default:
      return undefined;
  }
}

function capitalize(s: string): string {
  return s.length === 0 ? s : `${s[0]?.toUpperCase()}${s.slice(1)}`;
}
