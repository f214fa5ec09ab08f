/**
 * Content and fleets as failure units: `config-blast-radius`, `common-cause`, and the `spof`
 * cut sets they join; a replica with automatic failover as a way of serving its callers.
 */
import { describe, expect, it } from "vitest";
import { DOMAINS, modelOf } from "../../../test/helpers/memory.js";
import { analyze } from "../analyze.js";
import type { RuleId } from "../types.js";

const audit = (body: string, rules?: RuleId[]) =>
  analyze(modelOf(`name: t\n${DOMAINS}\n${body}`), {
    merge: false,
    ...(rules ? { rules } : {}),
  });

/** A global configuration read by a proxy fleet in two regions, behind one workload. */
const push = (rollout: string, read: string) => `components:
  control:
    kind: automation
    plane: control
    placement: { region: r1 }
    serves:
      routes: { kind: configuration, size: 3MB${rollout} }
  proxy-r1: { kind: web, placement: { zones: [r1-a, r1-b] }, reads: { routes: ${read} } }
  proxy-r2: { kind: web, placement: { zones: [r2-a, r2-b] }, reads: { routes: ${read} } }
  front:
    kind: load-balancer
    placement: global
    needs: { proxy-r1: { fallback: proxy-r2 } }
workloads:
  browse: { entry: front, rate: 100 rps, tier: 1 }
`;

describe("config-blast-radius and the spof cut sets", () => {
  it("makes content pushed to every region at once a single point of failure, with the path", () => {
    const r = audit(push("", "{}"));
    expect(r.cutSets[0]?.order1).toContain("routes");
    const spof = r.findings.find((f) => f.key === "spof:routes");
    expect(spof?.severity).toBe("high");
    const f = r.findings.find((x) => x.key === "config-blast-radius:routes");
    expect(f?.severity).toBe("high");
    expect(f?.data?.readers).toEqual(["proxy-r1", "proxy-r2"]);
    expect(f?.data?.domains).toEqual(["r1-a", "r1-b", "r2-a", "r2-b"]);
    expect(f?.data?.workloads).toEqual(["browse"]);
    expect(f?.message).toContain("browse (front → proxy-r1 → routes)");
    expect(f?.remediation).toContain("lastKnownGood: keep");
  });

  it("is silent with a staged rollout, or with readers that keep their last known good", () => {
    for (const model of [
      push(", rollout: { staged: true, stages: 3, bake: 1h }", "{}"),
      push("", "{ lastKnownGood: keep }"),
    ]) {
      const r = audit(model);
      expect(r.cutSets[0]?.order1).not.toContain("routes");
      expect(r.findings.filter((f) => f.rule === "config-blast-radius")).toEqual([]);
    }
  });

  it("makes a reader whose copy expires and fails closed depend on the server", () => {
    const r = audit(push(", rollout: { staged: true }", "{ ttl: 10m }"));
    expect(r.cutSets[0]?.order1).toContain("control");
    const kept = audit(push(", rollout: { staged: true }", "{ ttl: 10m, lastKnownGood: keep }"));
    expect(kept.cutSets[0]?.order1).not.toContain("control");
  });

  it("reports content over a reader's validation limits", () => {
    const r = audit(
      push(", rollout: { staged: true }", "{ lastKnownGood: keep, validate: { maxSize: 2MB } }"),
      ["config-blast-radius"],
    );
    expect(r.findings.map((f) => f.key)).toEqual([
      "config-blast-radius:routes>proxy-r1",
      "config-blast-radius:routes>proxy-r2",
    ]);
    expect(r.findings[0]?.message).toContain("its size 3MB exceeds 2MB");
    expect(r.findings[0]?.message).toContain("never moves past its last known good");
  });
});

const fleet = (extra: string) => `components:
  api-r1: { kind: api, placement: { zones: [r1-a, r1-b] } }
  api-r2: { kind: api, placement: { zones: [r2-a, r2-b] } }
  front:
    kind: load-balancer
    placement: global
    needs: { api-r1: { fallback: api-r2 } }
fleets:
  apis: { members: [api-r1, api-r2], ${extra} }
workloads:
  w: { entry: front, rate: 10 rps }
`;

describe("common-cause", () => {
  it("reports a fleet on one version rolled out at once as one unit, also in the cut sets", () => {
    const r = audit(fleet("shares: [software-version]"));
    expect(r.cutSets[0]?.order1).toContain("apis");
    const f = r.findings.find((x) => x.key === "common-cause:apis");
    expect(f?.severity).toBe("high");
    expect(f?.message).toContain("take each new software-version all at once");
    expect(f?.data?.paths).toEqual({ w: ["front", "api-r1", "apis"] });
    expect(f?.remediation).toContain("in stages");
  });

  it("forgives a staged rollout, but not a shared per-host limit", () => {
    const staged = audit(fleet("shares: [software-version], rollout: { staged: true }"));
    expect(staged.cutSets[0]?.order1).not.toContain("apis");
    expect(staged.findings.filter((f) => f.rule === "common-cause")).toEqual([]);
    const limit = audit(fleet("shares: [host-limit], rollout: { staged: true }"));
    expect(limit.findings.find((f) => f.key === "common-cause:apis")?.remediation).toContain(
      "per-host limit",
    );
  });

  it("infers a fleet from the readers of one content item within one domain", () => {
    const r = audit(`components:
  cfg: { kind: other, placement: { region: r1 }, serves: { flags: { kind: feature-flags } } }
  a: { kind: api, placement: { zones: [r1-a] }, reads: [flags] }
  b: { kind: api, placement: { zones: [r1-a] }, reads: [flags] }
`);
    const f = r.findings.find((x) => x.key === "common-cause:flags");
    expect(f?.data?.components).toEqual(["a", "b"]);
  });
});

describe("merged findings", () => {
  it("fold every rule's finding about the content into one, led by config-blast-radius", () => {
    const r = analyze(modelOf(`name: t\n${DOMAINS}\n${push("", "{}")}`));
    const about = r.findings.filter((f) => f.components.includes("routes"));
    expect(about).toHaveLength(1);
    expect(about[0]?.rule).toBe("config-blast-radius");
    expect(about[0]?.related?.map((x) => x.rule)).toEqual(
      expect.arrayContaining(["spof", "blast-radius"]),
    );
  });
});

describe("a replica with automatic failover", () => {
  const body = (failover: string) => `components:
  db: { kind: database, placement: { zones: [r1-a] }, replication: { replica: db-replica, lag: 1s${failover} } }
  db-replica: { kind: database, placement: { zones: [r1-b] } }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [db] }
workloads:
  w: { entry: api, rate: 10 rps }
`;
  it("serves the callers of its primary, so the primary is no longer a cut set alone", () => {
    expect(audit(body(", failover: automatic"), ["spof"]).cutSets[0]?.order1).not.toContain("db");
    expect(audit(body(""), ["spof"]).cutSets[0]?.order1).toContain("db");
  });
});
