/**
 * @module analysis/rules/dns-spof
 * Rule `dns-spof`: a DNS record on a critical path — a record in some workload's order-1 cut
 * set, because every way of serving the workload resolves it. Emptying that one record (or
 * writing a wrong answer into it) takes the workload down whatever the redundancy behind it, as
 * in the us-east-1 outage. Failover targets on the same record do not silence the rule: failover
 * moves traffic between the answers of one record, and does nothing when the record itself is
 * emptied or wrong. A record that only some ways resolve (a fallback reaches the dependency
 * through another name) is not reported: the second name is what helps.
 */

import { formatDuration } from "../../model/units.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

export const dnsSpofRule: Rule = {
  readsBlastTable: true,
  meta: {
    id: "dns-spof",
    title: "DNS record on a critical path",
    description:
      "A DNS record that every way of serving a workload resolves: when it is emptied or wrong, callers fail once their cached answers expire, and failover targets on the same record do not help.",
    helpUri: helpUri("dns-spof"),
  },
  run(ctx) {
    const findings: Finding[] = [];
    const workloads = ctx.model.workloads;
    const entries = workloads.map((w) => ctx.nodeOf(w.entry));
    // The workloads (in model order) whose order-1 cut set holds each record.
    const { recordBase } = ctx.compiled;
    const records = ctx.model.records;
    const cuts = new Map<number, string[]>();
    ctx.singleFailures(entries).forEach((set, i) => {
      for (const u of set) {
        if (u < recordBase || u >= recordBase + records.length) continue;
        const id = (workloads[i] as { id: string }).id;
        const list = cuts.get(u);
        if (list) list.push(id);
        else cuts.set(u, [id]);
      }
    });
    for (let ri = 0; ri < records.length; ri++) {
      const r = records[ri] as (typeof records)[number];
      const cutting = cuts.get(recordBase + ri);
      if (cutting === undefined) continue;
      const targets = r.targets.join(", ");
      const failover = r.failover
        ? `has failover targets (${r.failover.targets.join(", ")}), which do not help when the record itself is emptied or wrong, and`
        : "has no second name, and";
      findings.push({
        rule: "dns-spof",
        key: `dns-spof:${r.name}`,
        severity: "high",
        message: `DNS record ${r.name} (→ ${targets}) ${failover} every way of serving ${cutting.join(", ")} resolves it: if it is emptied, callers fail within its TTL of ${formatDuration(r.ttl)} whatever the redundancy behind it, and keep failing for up to the negative TTL of ${formatDuration(r.negativeTtl)} after it is repaired`,
        components: [r.name, r.server, ...r.targets, ...cutting],
        remediation: `Let callers keep serving cached answers of ${r.name} while it is empty or wrong (stale-if-error on the resolver or client), give them a second name to resolve (another record, zone or provider) as a fallback, and put guard rails on ${r.managedBy !== undefined ? `the automation that writes it (${r.managedBy})` : "whatever writes it"}: refuse to publish an empty or much smaller answer set, and roll changes out in stages.`,
        location: r.loc,
        data: {
          record: r.name,
          ttl: r.ttl,
          negativeTtl: r.negativeTtl,
          workloads: cutting,
          failover: r.failover !== undefined,
        },
      });
    }
    return { findings };
  },
};
