/**
 * @module analysis/rules/control-plane
 * Rule `control-plane`: the control planes a system leans on in another region, which no source
 * declared — an eu-west-1 stack whose IAM roles, DNS names and CloudFront certificates can only
 * be created or changed through us-east-1. It reads the dependencies marked `implicit` (added by
 * `faultline import` from the provider catalogue, or written by hand) whose target runs in one
 * region (or globally) that is not among the caller's regions, and reports one finding per such
 * region.
 *
 * Provisioning edges never fail steady state — the data plane keeps serving (static
 * stability) — but they fail scale-out, deploys and failover runbooks while that region is down:
 * **medium**. When any of the edges is on the request path (runtime, credential, configuration
 * pushed to the data plane), the region can take the callers down: **high**.
 */
import type { Component, Dependency, Model } from "../../model/types.js";
import { ancestryOf } from "../domains.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

/** Callers a message names before "and N more". */
const MESSAGE_LIMIT = 6;

interface Lean {
  readonly dependency: Dependency;
  readonly caller: Component;
  readonly callerRegions: readonly string[];
}

export const controlPlaneRule: Rule = {
  meta: {
    id: "control-plane",
    title: "Control plane in another region",
    description:
      "Implicit dependencies (from the provider catalogue) on control planes that run in a region the components do not: while it is down they cannot be created, changed or failed over, and those on the request path fail.",
    helpUri: helpUri("control-plane"),
  },
  run(ctx) {
    const model = ctx.model;
    const byId = new Map(model.components.map((c) => [c.id, c]));
    const kinds = new Map(model.domains.map((d) => [d.id, d.kind]));
    const groups = new Map<string, Lean[]>();
    for (const d of model.dependencies) {
      if (d.implicit === undefined) continue;
      const target = byId.get(d.to);
      const caller = byId.get(d.from);
      if (!target || !caller) continue;
      const home = homeOf(model, kinds, target);
      if (home === undefined) continue;
      const callerRegions = regionsOf(model, kinds, caller);
      if (callerRegions.includes(home)) continue;
      // Control planes; and data planes in another region that a call cannot do without.
      if (target.plane !== "control" && (home === "global" || d.kind === "soft")) continue;
      const list = groups.get(home) ?? [];
      list.push({ dependency: d, caller, callerRegions });
      groups.set(home, list);
    }

    const findings: Finding[] = [];
    for (const [home, leans] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      leans.sort((a, b) => cmp(a.caller.id, b.caller.id) || cmp(a.dependency.to, b.dependency.to));
      const services = unique(leans.map((l) => l.dependency.implicit?.service as string));
      const callers = unique(leans.map((l) => l.caller.id));
      const hard = leans.filter((l) => l.dependency.kind === "hard");
      const where = home === "global" ? "a global control plane" : `the ${home} control plane`;
      const named = callers.slice(0, MESSAGE_LIMIT).map((id) => {
        const mine = leans.filter((l) => l.caller.id === id);
        const regions = mine[0]?.callerRegions ?? [];
        return `${id}${regions.length > 0 ? ` (${regions.join(", ")})` : ""} via ${unique(mine.map((l) => l.dependency.implicit?.service as string)).join(", ")}`;
      });
      const more =
        callers.length > MESSAGE_LIMIT ? ` and ${callers.length - MESSAGE_LIMIT} more` : "";
      const fails = unique(
        leans
          .filter((l) => l.dependency.kind === "soft")
          .map((l) => l.dependency.degradedMode ?? ""),
      ).filter((t) => t !== "");
      const hardText =
        hard.length > 0
          ? ` ${unique(hard.map((l) => l.caller.id)).join(", ")} also need${hard.length === 1 ? "s" : ""} it to serve (${unique(hard.map((l) => `${l.dependency.implicit?.service} ${l.dependency.implicit?.edge}`)).join(", ")}), so ${home} going down takes ${hard.length === 1 ? "it" : "them"} down with it.`
          : "";
      const low = leans.filter((l) => l.dependency.implicit?.confidence === "low").length;
      const first = leans[0] as Lean;
      findings.push({
        rule: "control-plane",
        key: `control-plane:${home}`,
        severity: hard.length > 0 ? "high" : "medium",
        message: `${callers.length} component${callers.length === 1 ? " leans" : "s lean"} on ${where} via ${services.join(", ")}, which no source declares: ${named.join("; ")}${more}. While ${home === "global" ? "it" : home} is down they keep serving what exists, but ${fails.length > 0 ? fails.join("; ") : "changes fail"}.${hardText}${low > 0 ? ` ${low} of these dependencies are of low confidence.` : ""}`,
        components: [...callers, ...unique(leans.map((l) => l.dependency.to))],
        remediation: `Keep ${home === "global" ? "these control planes" : `${home}'s control planes`} out of recovery: provision failover capacity in advance, fail over through health checks or routing controls rather than by changing DNS records, IAM or distributions during an incident, and check that deploys and scale-out can wait for ${home === "global" ? "them" : home} (the provider's static-stability guidance, cited on each dependency).`,
        location: first.dependency.loc,
        data: {
          region: home,
          services,
          dependencies: leans.map((l) => ({
            from: l.caller.id,
            to: l.dependency.to,
            kind: l.dependency.kind,
            ...(l.dependency.implicit ?? {}),
          })),
        },
      });
    }
    return { findings };
  },
};

type Kinds = ReadonlyMap<string, string>;

/** Where a catalogue target runs: its one region, or "global"; undefined when neither. */
function homeOf(model: Model, kinds: Kinds, c: Component): string | undefined {
  if (c.placement.scope === "global") return "global";
  const regions = regionsOf(model, kinds, c);
  return regions.length === 1 ? regions[0] : undefined;
}

/** The regions a component's placements lie in. */
function regionsOf(model: Model, kinds: Kinds, c: Component): string[] {
  const out = new Set<string>();
  for (const p of c.placement.domains) {
    const region = ancestryOf(model, p).find((d) => kinds.get(d) === "region");
    if (region !== undefined) out.add(region);
  }
  return [...out].sort();
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
