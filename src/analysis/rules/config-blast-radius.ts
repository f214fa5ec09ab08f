/**
 * @module analysis/rules/config-blast-radius
 * Rule `config-blast-radius`: served content (configuration, feature flags, policies, signing
 * keys, service catalogues) that reaches readers in several failure domains all at once — no
 * staged rollout, and readers that do not keep their last known good version. One bad version
 * then fails every such reader together, whatever the zones and regions they are spread over:
 * the content is one failure unit (see `analysis/compile.ts`), and it is in the `spof` cut sets.
 * The finding names the readers and the workloads it can take down at once, with the path from
 * each workload to the content.
 *
 * A second kind of finding: content whose stated size or entries already exceed a reader's
 * validation limits (the reader refuses every version, or fails on it).
 */
import { exposedRead } from "../../model/content.js";
import type { ContentRead } from "../../model/types.js";
import { formatSize } from "../../model/units.js";
import { unitRemediation } from "../remediation.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";
import { domainsOf, namedComponents, takenDown, workloadPaths } from "./common-units.js";
import { plural } from "./spof.js";

export const configBlastRadiusRule: Rule = {
  meta: {
    id: "config-blast-radius",
    title: "Content pushed everywhere at once",
    description:
      "Content read in several failure domains without a staged rollout or a last known good version kept by its readers: one bad version takes all of them down together.",
    helpUri: helpUri("config-blast-radius"),
  },
  run(ctx) {
    const m = ctx.model;
    const findings: Finding[] = [];
    const contents = m.contents ?? [];
    const readsOf = new Map<string, ContentRead[]>();
    for (const r of m.reads ?? []) {
      const list = readsOf.get(r.content);
      if (list) list.push(r);
      else readsOf.set(r.content, [r]);
    }
    contents.forEach((content, i) => {
      const reads = readsOf.get(content.id) ?? [];
      for (const r of reads) {
        const limits: string[] = [];
        const v = r.validate;
        if (v?.maxSize !== undefined && content.size !== undefined && content.size > v.maxSize)
          limits.push(`its size ${formatSize(content.size)} exceeds ${formatSize(v.maxSize)}`);
        if (
          v?.maxEntries !== undefined &&
          content.entries !== undefined &&
          content.entries > v.maxEntries
        )
          limits.push(`its ${content.entries} entries exceed ${v.maxEntries}`);
        if (limits.length === 0) continue;
        findings.push({
          rule: "config-blast-radius",
          key: `config-blast-radius:${content.id}>${r.reader}`,
          severity: "high",
          message: `${r.reader} refuses ${content.id} as it is today: ${limits.join(" and ")}, so ${r.lastKnownGood === "keep" ? "it never moves past its last known good version" : `it ${r.lastKnownGood === "fail-open" ? "runs without it" : "fails"} as soon as it fetches it`}`,
          components: [r.reader, content.id, content.server],
          remediation: `Raise the limits of ${r.reader} above what ${content.server} publishes, or make ${content.server} refuse to publish a version over them.`,
          location: r.loc,
          data: {
            content: content.id,
            reader: r.reader,
            size: content.size,
            entries: content.entries,
          },
        });
      }
      const exposed = reads.filter((r) => exposedRead(content, r));
      if (exposed.length === 0) return;
      const node = ctx.compiled.sharedBase + i;
      const t = takenDown(ctx, node);
      const readers = t.components.filter((c) => exposed.some((r) => r.reader === c.id));
      // The failure domains the readers it takes down are spread over.
      const domains = domainsOf(readers);
      if (domains.length < 2 && !domains.includes("global")) return;
      const kept = reads.filter((r) => !exposedRead(content, r)).map((r) => r.reader);
      const severity = t.workloads.length > 0 ? "high" : "medium";
      const why =
        content.rollout === undefined
          ? "is pushed to every reader at once"
          : "is rolled out all at once (rollout.staged is false)";
      findings.push({
        rule: "config-blast-radius",
        key: `config-blast-radius:${content.id}`,
        severity,
        message: `${content.kind} ${content.id} (served by ${content.server}) ${why}, and ${plural(exposed.length, "reader")} ${exposed.length === 1 ? "does" : "do"} not keep a last known good version: one bad version takes down ${namedComponents(readers)} at once, across ${plural(domains.length, "failure domain")} (${domains.join(", ")})${t.components.length > readers.length ? `, ${plural(t.components.length - readers.length, "more component")} behind them` : ""}, and ${t.workloads.length === 0 ? "no workload" : `${plural(t.workloads.length, "workload")}: ${workloadPaths(t)}`}${kept.length > 0 ? `. ${kept.join(", ")} keep${kept.length === 1 ? "s" : ""} their last known good` : ""}`,
        components: [content.id, content.server, ...t.components.map((c) => c.id), ...t.workloads],
        remediation: unitRemediation(ctx, node) ?? "",
        location: content.loc,
        data: {
          unit: content.id,
          server: content.server,
          readers: exposed.map((r) => r.reader),
          components: t.components.map((c) => c.id),
          domains,
          workloads: t.workloads,
          paths: t.paths,
        },
      });
    });
    return { findings };
  },
};
