/**
 * Remediation that fits the unit: a hosted identity provider, a DNS provider or a third party
 * cannot be "replicated over zones" by their callers, and a finding about them says what does
 * help instead.
 */
import { describe, expect, it } from "vitest";
import { DOMAINS, modelOf } from "../../test/helpers/memory.js";
import { analyze } from "./analyze.js";

const MODEL = modelOf(`name: m
${DOMAINS}
components:
  idp: { kind: identity, placement: { global: true } }
  payments: { kind: external, placement: { global: true } }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs:
      payments: { auth: idp }
workloads:
  checkout: { entry: api, rate: 10 rps }
`);

describe("remediation that fits the unit", () => {
  const report = analyze(MODEL);
  const about = (unit: string) => report.findings.filter((f) => f.components[0] === unit);

  it("a hosted identity provider: token lifetimes, cached keys and a second provider, not replicas", () => {
    const findings = about("idp");
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.remediation).toMatch(/cannot be replicated by its callers/);
      expect(f.remediation).toMatch(/tokens: \{ ttl, refreshBefore \}/);
      expect(f.remediation).not.toMatch(/Spread|over more than one/);
    }
  });

  it("a third party: a second provider or a degraded mode, and caching", () => {
    const findings = about("payments");
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.remediation).toMatch(/only its operator can make redundant/);
  });
});
