/**
 * @module importers/terraform/records
 * DNS records managed in Terraform (Route 53, Azure DNS, Cloud DNS) as records of the zone
 * component that serves them. Only address records (A, AAAA, CNAME and aliases) are imported:
 * other types carry no call path. What a record answers with is kept as written — an IP, a
 * load balancer's DNS name, a resource id — and resolved by the merge against every source's
 * components. An alias record has no TTL of its own in Route 53; it is given 60 s, the TTL of
 * the load balancer names it usually points at.
 */
import { type FragmentBuilder, provenance } from "../fragment.js";
import { durationText } from "../units.js";
import type { Unit } from "./index.js";
import { valueAt, valuesAt } from "./mapping.js";
import type { HandleIndex } from "./references.js";

const ADDRESS_TYPES = new Set(["A", "AAAA", "CNAME"]);

export function readRecords(
  units: readonly Unit[],
  index: HandleIndex,
  out: FragmentBuilder,
): void {
  let other = 0;
  let firstOther: ReturnType<typeof provenance> | undefined;
  const zoneOf = (u: Unit, attr: string): string | undefined => {
    const hits = new Set<string>();
    for (const v of valuesAt(u.first.values, attr)) index.resolve(v, hits);
    const prefix = u.key.slice(0, u.key.indexOf("#") + 1);
    for (const b of u.config.attributeReferences(u.first.base, attr)) hits.add(`${prefix}${b}`);
    for (const key of [...hits].sort()) {
      const zone = units.find((z) => z.key === key);
      if (zone?.spec?.role === "component" && zone.spec.kind === "dns") return zone.id;
    }
    return undefined;
  };
  for (const u of units) {
    if (u.spec?.role !== "record") continue;
    for (const r of u.instances) {
      const v = r.values;
      const at = provenance(r.doc, r.path, r.address);
      let type = valueAt(v, "type");
      let name = valueAt(v, "name");
      let server: string | undefined;
      let targets: string[] = [];
      let ttl = typeof v.ttl === "number" ? v.ttl : undefined;
      if (r.type === "aws_route53_record") {
        server = zoneOf(u, "zone_id");
        targets = [...valuesAt(v, "records"), ...valuesAt(v, "alias.name")];
        if (ttl === undefined && valuesAt(v, "alias.name").length > 0) ttl = 60;
      } else if (r.type.startsWith("azurerm_dns_")) {
        type = r.type === "azurerm_dns_cname_record" ? "CNAME" : "A";
        const zone = valueAt(v, "zone_name");
        name =
          name !== undefined && zone !== undefined
            ? name === "@"
              ? zone
              : `${name}.${zone}`
            : undefined;
        server = zoneOf(u, "zone_name");
        targets = [
          ...valuesAt(v, "records"),
          ...valuesAt(v, "record"),
          ...valuesAt(v, "target_resource_id"),
        ];
      } else {
        server = zoneOf(u, "managed_zone");
        targets = valuesAt(v, "rrdatas");
      }
      if (type === undefined || !ADDRESS_TYPES.has(type)) {
        other++;
        firstOther ??= at;
        continue;
      }
      if (name === undefined || server === undefined || targets.length === 0 || ttl === undefined) {
        out.report(
          "invalid-input",
          "warning",
          at,
          `DNS record ${r.address} lacks its name, zone, answer or TTL in the values: not imported`,
        );
        continue;
      }
      out.record({
        name: name.toLowerCase().replace(/\.$/, ""),
        server,
        ttl: durationText(ttl),
        targets: targets.map((t) => t.replace(/\.$/, "")),
        source: at,
      });
    }
  }
  if (other > 0 && firstOther)
    out.report(
      "ignored",
      "info",
      firstOther,
      `${other} DNS record(s) of types other than A, AAAA and CNAME carry no call path: not imported`,
    );
}
