/**
 * @module model/placement
 * A component's placement, checked against the failure domains: one form (zones, region,
 * regions, domains or global), domains that exist and are of the right kind, zones inside the
 * stated region. Produces the normalized `Placement`, or undefined after reporting why not.
 */
import { compareText, sortInPlace } from "./arrays.js";
import type { Refer, Report } from "./checking.js";
import { ancestry, type FlatDomain } from "./domains.js";
import type { ComponentInput } from "./schema.js";
import type { PathKey, SourceFile } from "./source.js";
import type { Placement } from "./types.js";

export function resolvePlacement(
  c: ComponentInput,
  source: SourceFile,
  path: readonly PathKey[],
  domains: ReadonlyMap<string, FlatDomain>,
  report: Report,
  refer: Refer,
): Placement | undefined {
  const ppath = [...path, "placement"];
  const p = c.placement;
  if (p === "global") return { scope: "global", domains: [] };
  const forms: string[] = (["zones", "regions", "domains", "global"] as const).filter(
    (k) => p[k] !== undefined,
  );
  if (p.region !== undefined && p.zones === undefined) forms.push("region");
  if (p.provider !== undefined && p.global === undefined) {
    report(
      "impossible-value",
      source,
      [...ppath, "provider"],
      "provider goes with global: true (a global component that fails with its provider)",
      { at: "key" },
    );
    return undefined;
  }
  if (forms.length !== 1) {
    report(
      "impossible-value",
      source,
      ppath,
      forms.length === 0
        ? "a placement needs one of zones, region, regions, domains or global"
        : `a placement takes one of zones, region, regions, domains or global, not ${forms.join(" and ")}`,
      { at: "key" },
    );
    return undefined;
  }
  const expectKind = (list: readonly string[], key: string, kind: string | null): boolean => {
    let ok = true;
    list.forEach((d, i) => {
      const at = key === "region" ? [...ppath, key] : [...ppath, key, i];
      if (!refer(source, at, "failure domain", d, domains)) {
        ok = false;
        return;
      }
      const actual = domains.get(d)?.kind;
      if (kind !== null && actual !== kind) {
        report("impossible-value", source, at, `'${d}' is a ${actual}, not a ${kind}`);
        ok = false;
      }
      if (list.indexOf(d) !== i) {
        report("duplicate-id", source, at, `'${d}' is listed twice`);
        ok = false;
      }
    });
    return ok;
  };
  if (p.zones !== undefined) {
    if (!expectKind(p.zones, "zones", "zone")) return undefined;
    if (p.region !== undefined) {
      if (!expectKind([p.region], "region", "region")) return undefined;
      let ok = true;
      p.zones.forEach((z, i) => {
        if (!ancestry(domains, z).includes(p.region as string)) {
          const actual = ancestry(domains, z).find((a) => domains.get(a)?.kind === "region");
          report(
            "impossible-value",
            source,
            [...ppath, "zones", i],
            `zone '${z}' lies in ${actual ? `region '${actual}'` : "no region"}, not in '${p.region}'`,
          );
          ok = false;
        }
      });
      if (!ok) return undefined;
      return { scope: "zones", domains: sortInPlace([...p.zones], compareText), region: p.region };
    }
    return { scope: "zones", domains: sortInPlace([...p.zones], compareText) };
  }
  if (p.regions !== undefined) {
    return expectKind(p.regions, "regions", "region")
      ? { scope: "regions", domains: sortInPlace([...p.regions], compareText) }
      : undefined;
  }
  if (p.domains !== undefined) {
    return expectKind(p.domains, "domains", null)
      ? { scope: "domains", domains: sortInPlace([...p.domains], compareText) }
      : undefined;
  }
  if (p.region !== undefined) {
    return expectKind([p.region], "region", "region")
      ? { scope: "region", domains: [p.region] }
      : undefined;
  }
  if (p.provider !== undefined) {
    return expectKind([p.provider], "provider", "provider")
      ? { scope: "global", domains: [p.provider] }
      : undefined;
  }
  return { scope: "global", domains: [] };
}
