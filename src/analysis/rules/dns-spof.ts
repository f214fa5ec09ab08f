/**
 * @module analysis/rules/dns-spof
 * Rule `dns-spof`: a DNS record with no failover on a critical path — a record in some
 * workload's order-1 cut set, because every way of serving the workload resolves it. Emptying
 * that one record takes the workload down whatever the redundancy behind it, as in the
 * us-east-1 outage. A record that only some ways resolve (a fallback reaches the dependency
 * through another name) is not reported: the fallback is the failover.
 */

import { formatDuration } from "../../model/units.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

export const dnsSpofRule: Rule = {
  meta: {
    id: "dns-spof",
    title: "DNS record without failover on a critical path",
    description:
      "A DNS record that workloads resolve through hard dependencies, with no failover targets: when it is emptied or wrong, callers fail once their cached answers expire.",
    helpUri: helpUri("dns-spof"),
  },
  run(ctx) {
    const findings: Finding[] = [];
    const workloads = ctx.model.workloads;
    const entries = workloads.map((w) => ctx.nodeOf(w.entry));
    const cuts = ctx.singleFailures(entries).map((s) => new Set(s));
    for (const r of ctx.model.records) {
      if (r.failover) continue;
      const node = ctx.nodeOf(r.name);
      const cutting = workloads.filter((_, i) => cuts[i]?.has(node)).map((w) => w.id);
      if (cutting.length === 0) continue;
      const targets = r.targets.join(", ");
      findings.push({
        rule: "dns-spof",
        key: `dns-spof:${r.name}`,
        severity: "high",
        message: `DNS record ${r.name} (→ ${targets}) has no failover and every way of serving ${cutting.join(", ")} resolves it: if it is emptied, callers fail within its TTL of ${formatDuration(r.ttl)} whatever the redundancy behind it, and keep failing for up to the negative TTL of ${formatDuration(r.negativeTtl)} after it is repaired`,
        components: [r.name, r.server, ...r.targets, ...cutting],
        remediation: `Add failover targets to ${r.name} with health checks, give callers a second record to resolve, cache answers with stale-if-error, and guard the automation${r.managedBy !== undefined ? ` (${r.managedBy})` : ""} that writes it against emptying it.`,
        location: r.loc,
        data: { record: r.name, ttl: r.ttl, negativeTtl: r.negativeTtl, workloads: cutting },
      });
    }
    return { findings };
  },
};
