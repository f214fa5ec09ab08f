/**
 * @module analysis/rules/common-cause
 * Rule `common-cause`: components that fail as one whatever their placement — a declared fleet
 * that shares a per-host limit, or a software version or configuration rolled out to all of it
 * at once — and the readers of one content item that take each version all at once while they
 * sit in one failure domain (across several, `config-blast-radius` reports them). Each is one
 * failure unit of the audit, so it is in the `spof` cut sets too; this finding says why the
 * members fail together and what they take with them, with the path from each workload.
 *
 * A fleet whose versions are rolled out in stages, and that shares no host limit, is not a unit
 * and is not reported.
 */
import { exposedRead, fleetIsUnit } from "../../model/content.js";
import { unitRemediation } from "../remediation.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";
import { domainsOf, namedComponents, takenDown, workloadPaths } from "./common-units.js";
import { plural } from "./spof.js";

export const commonCauseRule: Rule = {
  meta: {
    id: "common-cause",
    title: "Fleet that fails as one",
    description:
      "Components that share a software version, a configuration or a per-host limit, so that one change or one limit takes all of them down together whatever their placement.",
    helpUri: helpUri("common-cause"),
  },
  run(ctx) {
    const m = ctx.model;
    const findings: Finding[] = [];
    const contents = m.contents ?? [];
    const fleets = m.fleets ?? [];
    fleets.forEach((f, j) => {
      if (!fleetIsUnit(f)) return;
      const node = ctx.compiled.sharedBase + contents.length + j;
      const t = takenDown(ctx, node);
      const members = t.components.filter((c) => f.members.includes(c.id));
      const why: string[] = [];
      if (f.shares.includes("host-limit")) why.push("cross their shared per-host limit together");
      const version = f.shares.filter((s) => s !== "host-limit");
      if (version.length > 0 && f.rollout?.staged !== true)
        why.push(`take each new ${version.join(" and ")} all at once`);
      findings.push({
        rule: "common-cause",
        key: `common-cause:${f.id}`,
        severity: t.workloads.length > 0 ? "high" : "medium",
        message: `fleet ${f.id} fails as one: its ${plural(f.members.length, "member")} ${why.join(" and ")}, so ${namedComponents(members)} go down together across ${plural(t.domains.length, "failure domain")}${t.components.length > members.length ? `, with ${plural(t.components.length - members.length, "more component")} behind them` : ""}, taking ${t.workloads.length === 0 ? "no workload" : `${plural(t.workloads.length, "workload")}: ${workloadPaths(t)}`}`,
        components: [f.id, ...t.components.map((c) => c.id), ...t.workloads],
        remediation: unitRemediation(ctx, node) ?? "",
        location: f.loc,
        data: {
          unit: f.id,
          shares: f.shares,
          members: f.members,
          components: t.components.map((c) => c.id),
          domains: t.domains,
          workloads: t.workloads,
          paths: t.paths,
        },
      });
    });
    // Inferred fleets: the readers of one content item that take its versions all at once,
    // within one failure domain (several domains are config-blast-radius's).
    const exposedCount = new Map<string, number>();
    const contentById = new Map(contents.map((c) => [c.id, c]));
    for (const r of m.reads ?? []) {
      const content = contentById.get(r.content);
      if (content && exposedRead(content, r))
        exposedCount.set(r.content, (exposedCount.get(r.content) ?? 0) + 1);
    }
    contents.forEach((content, i) => {
      if ((exposedCount.get(content.id) ?? 0) < 2) return;
      const node = ctx.compiled.sharedBase + i;
      const t = takenDown(ctx, node);
      const readers = domainsOf(
        t.components.filter((c) =>
          (m.reads ?? []).some((r) => r.content === content.id && r.reader === c.id),
        ),
      );
      if (readers.length >= 2 || readers.includes("global")) return;
      findings.push({
        rule: "common-cause",
        key: `common-cause:${content.id}`,
        severity: t.workloads.length > 0 ? "high" : "medium",
        message: `the ${plural(exposedCount.get(content.id) ?? 0, "reader")} of ${content.kind} ${content.id} take each version all at once and keep no last known good, so they fail as one: ${namedComponents(t.components)}, taking ${t.workloads.length === 0 ? "no workload" : `${plural(t.workloads.length, "workload")}: ${workloadPaths(t)}`}`,
        components: [content.id, ...t.components.map((c) => c.id), ...t.workloads],
        remediation: unitRemediation(ctx, node) ?? "",
        location: content.loc,
        data: {
          unit: content.id,
          components: t.components.map((c) => c.id),
          domains: t.domains,
          workloads: t.workloads,
          paths: t.paths,
        },
      });
    });
    return { findings };
  },
};
