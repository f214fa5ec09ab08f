/**
 * @module model/records
 * DNS records, declared inside the dns components that serve them: each checked (targets and
 * failover targets that exist and differ, a known `managedBy`, a name served only once) and
 * normalized with its defaults. Collected before dependencies, whose `via` names them.
 */
import { DEFAULTS, healthCheckOf, type Origin, type Refer, type Report } from "./checking.js";
import type { ComponentInput } from "./schema.js";
import type { DnsRecord } from "./types.js";

export type Records = Map<string, { record: DnsRecord; origin: Origin<unknown> }>;

export function collectRecords(
  components: ReadonlyMap<string, Origin<ComponentInput>>,
  report: Report,
  refer: Refer,
): Records {
  const records: Records = new Map();
  for (const [cid, { value: c, source, path }] of components) {
    if (!c.records) continue;
    if (c.kind !== "dns") {
      report(
        "impossible-value",
        source,
        [...path, "records"],
        `only components of kind dns serve records ('${cid}' is ${c.kind})`,
        {
          at: "key",
        },
      );
    }
    for (const [name, r] of Object.entries(c.records)) {
      const rpath = [...path, "records", name];
      const prior = records.get(name);
      if (prior) {
        const at = prior.origin.source.locate(prior.origin.path, "key");
        report(
          "duplicate-id",
          source,
          rpath,
          `DNS record '${name}' is already served at ${at.file}:${at.line}`,
          {
            at: "key",
          },
        );
        continue;
      }
      for (const [i, t] of r.targets.entries())
        refer(source, [...rpath, "targets", i], "component", t, components);
      if (r.failover) {
        for (const [i, t] of r.failover.targets.entries()) {
          refer(source, [...rpath, "failover", "targets", i], "component", t, components);
          if (r.targets.includes(t)) {
            report(
              "impossible-value",
              source,
              [...rpath, "failover", "targets", i],
              `'${t}' is both a target and a failover target`,
            );
          }
        }
      }
      if (r.managedBy !== undefined)
        refer(source, [...rpath, "managedBy"], "component", r.managedBy, components);
      const record: DnsRecord = {
        name,
        server: cid,
        targets: [...r.targets].sort(),
        ttl: r.ttl,
        negativeTtl: r.negativeTtl ?? DEFAULTS.negativeTtl,
        ...(r.failover
          ? {
              failover: {
                targets: [...r.failover.targets].sort(),
                healthCheck: healthCheckOf(r.failover.healthCheck),
              },
            }
          : {}),
        ...(r.managedBy !== undefined ? { managedBy: r.managedBy } : {}),
        ...(r.availability !== undefined ? { availability: r.availability } : {}),
        loc: source.locate(rpath, "key"),
      };
      records.set(name, { record, origin: { value: r, source, path: rpath } });
    }
  }
  return records;
}
