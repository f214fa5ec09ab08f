import { describe, expect, it } from "vitest";
import type { AuditReport } from "../analysis/analyze.js";
import { renderAuditText } from "./audit-text.js";
import { cleanReport, hostileReport, shopReport } from "./fixtures.js";

const OPTIONS = { toolVersion: "1.2.3" };

function stripColors(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing escape sequences is the point.
  return text.replace(/\u001b\[\d+m/g, "");
}

describe("renderAuditText", () => {
  it("reads well for a small model", () => {
    expect(renderAuditText(shopReport, OPTIONS)).toMatchInlineSnapshot(`
      "Audit of shop: 4 components, 5 dependencies, 1 DNS record, 5 failure domains, 2 workloads

      CRITICAL recovery  models/shop.yaml:11:3
        cold start is impossible for web, auth: their restart paths run into the cycle auth ↔ db,
        whose members each need another one up first
        → Break the cycle: let one member start standalone from cached state, and rehearse the start
          order.

      HIGH     spof  models/shop.yaml:26:3
        db (database, zone use1-az1) is a single point of failure for 1 workload checkout: its failure
        alone takes it down
        → Replicate db over several zones or regions (redundancy any or a quorum), or make the
          dependencies on it soft with a fallback.

      MEDIUM   dns-spof  models/dns.yaml:4:5
        DNS record api.shop.example has no failover targets and web resolves it
        → Add failover targets to api.shop.example with health checks.

      LOW      spof  models/shop.yaml:4:3
        provider aws is a single point of failure for 1 workload checkout
        → Spread the components this domain hosts over more than one provider.

      INFO     availability  models/shop.yaml:40:3
        workload browse: composite availability 99.95% (exact) meets its SLO of 99.9%
        → Nothing to do; keep the declared availabilities current.

      Blast radius
        unit     kind        components  workloads
        aws      provider             4  browse, checkout
        db       database             3  checkout
        metrics  monitoring           1  —

      Recovery
        component  cold start  RTO  status
        auth       impossible    —
        db                15m  10m  over by 5m
        search        ≥ 1m30s   5m  ok
        web        impossible  10m  misses RTO
        ≥ marks a lower bound: some restart times on the path are not stated

      Availability
        workload  availability  method         SLO  down/30d
        browse        99.9520%  exact        99.9%    20m44s
        checkout      99.8713%  monte-carlo      —    55m36s

      5 findings: 1 critical, 1 high, 1 medium, 1 low, 1 info
      "
    `);
  });

  it("says little about a clean model", () => {
    expect(renderAuditText(cleanReport, OPTIONS)).toMatchInlineSnapshot(`
      "Audit of empty: 0 components, 0 dependencies, 0 DNS records, 0 failure domains, 0 workloads

      0 findings: 0 critical, 0 high, 0 medium, 0 low, 0 info
      "
    `);
  });

  it("keeps lines within 100 columns", () => {
    for (const report of [shopReport, hostileReport]) {
      for (const line of renderAuditText(report, OPTIONS).split("\n")) {
        expect([...line].length, line).toBeLessThanOrEqual(100);
      }
    }
  });

  it("colors severities only when asked", () => {
    const plain = renderAuditText(shopReport, OPTIONS);
    const colored = renderAuditText(shopReport, { ...OPTIONS, color: true });
    expect(plain).not.toContain("\u001b[");
    expect(colored).toContain("\u001b[31mHIGH    \u001b[39m");
    expect(stripColors(colored)).toBe(plain);
  });

  it("never passes escape sequences from the model to the terminal, color or not", () => {
    for (const color of [false, true]) {
      const out = renderAuditText(hostileReport, { ...OPTIONS, color });
      expect(out).not.toContain("\u001b[2J");
      expect(stripColors(out)).not.toContain("\u001b");
      expect(out).toContain("evil\uFFFD[2J\uFFFD[31mred");
    }
  });

  it("shows the ten largest blast radii and says how many there were", () => {
    const many: AuditReport = {
      ...shopReport,
      blastRadius: Array.from({ length: 14 }, (_, i) => ({
        unit: `unit-${String(i).padStart(2, "0")}`,
        kind: "zone",
        components: 20 - i,
        workloads: ["checkout"],
      })),
    };
    const out = renderAuditText(many, OPTIONS);
    expect(out).toContain("Blast radius (top 10 of 14 units)");
    expect(out).toContain("  unit-09  zone");
    expect(out).not.toContain("unit-10");
  });
});
