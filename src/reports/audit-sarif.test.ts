/**
 * What GitHub code scanning relies on in the SARIF output. Validity against the official
 * SARIF 2.1.0 schema is part of the renderer contract in `audit.test.ts`, for the fixtures and
 * for arbitrary reports.
 */
import { describe, expect, it } from "vitest";
import type { AuditReport } from "../analysis/analyze.js";
import { type Finding, SEVERITIES } from "../analysis/types.js";
import {
  FINGERPRINT_KEY,
  fingerprint,
  pascalCase,
  renderAuditSarif,
  sarifLevel,
} from "./audit-sarif.js";
import { hostileReport, shopReport } from "./fixtures.js";

const OPTIONS = { toolVersion: "1.2.3" };

interface Region {
  startLine: number;
  startColumn: number;
  endLine?: number;
  endColumn?: number;
}
interface Result {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations?: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string; index?: number };
      region: Region;
    };
  }[];
  partialFingerprints: Record<string, string>;
  properties: { severity: string; components: string[] };
}
interface Run {
  tool: {
    driver: {
      name: string;
      version: string;
      semanticVersion: string;
      informationUri: string;
      rules: { id: string; name: string; shortDescription: { text: string } }[];
    };
  };
  artifacts: { location: { uri: string; uriBaseId?: string } }[];
  results: Result[];
  columnKind: string;
}

function run(
  report: AuditReport,
  options: { toolVersion: string; baseDir?: string } = OPTIONS,
): Run {
  const log = JSON.parse(renderAuditSarif(report, options)) as { runs: Run[] };
  expect(log.runs).toHaveLength(1);
  return log.runs[0] as Run;
}

function regionOf(r: Result | undefined): Region | undefined {
  return r?.locations?.[0]?.physicalLocation.region;
}

describe("renderAuditSarif", () => {
  it("describes the tool and one rule per report rule", () => {
    const log = JSON.parse(renderAuditSarif(shopReport, OPTIONS)) as Record<string, unknown>;
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    const { driver } = run(shopReport).tool;
    expect(driver).toMatchObject({
      name: "faultline",
      version: "1.2.3",
      semanticVersion: "1.2.3",
      informationUri: "https://github.com/faultline-dev/faultline",
    });
    expect(driver.rules.map((r) => r.id)).toEqual(shopReport.rules.map((r) => r.id));
    expect(driver.rules.find((r) => r.id === "shared-failure-domain")).toMatchObject({
      name: "SharedFailureDomain",
      shortDescription: { text: "Multi-zone illusion" },
      helpUri: expect.stringContaining("#shared-failure-domain"),
      defaultConfiguration: { level: "warning" },
      properties: { tags: expect.arrayContaining(["resilience"]) },
    });
    expect(run(shopReport).columnKind).toBe("unicodeCodePoints");
  });

  it("puts each result on its finding's line and column", () => {
    for (const report of [shopReport, hostileReport]) {
      const results = run(report).results;
      expect(results).toHaveLength(report.findings.length);
      report.findings.forEach((f, i) => {
        expect(regionOf(results[i])).toMatchObject({
          startLine: f.location.line,
          startColumn: f.location.column,
        });
      });
    }
    expect(regionOf(run(shopReport).results[0])).toEqual({
      startLine: 11,
      startColumn: 3,
      endLine: 11,
      endColumn: 6,
    });
  });

  it("maps severities to levels: critical and high are errors, medium a warning, the rest notes", () => {
    expect(SEVERITIES.map((s) => [s, sarifLevel(s)])).toEqual([
      ["info", "note"],
      ["low", "note"],
      ["medium", "warning"],
      ["high", "error"],
      ["critical", "error"],
    ]);
    const results = run(shopReport).results;
    shopReport.findings.forEach((f, i) => {
      expect(results[i]?.level).toBe(sarifLevel(f.severity));
      expect(results[i]?.properties).toEqual({ severity: f.severity, components: f.components });
    });
  });

  it("points ruleIndex at the rule the result names", () => {
    for (const report of [shopReport, hostileReport]) {
      const { tool, results } = run(report);
      for (const r of results) expect(tool.driver.rules[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    }
  });

  it("describes a rule that a finding names but the report does not", () => {
    const report: AuditReport = {
      ...shopReport,
      rules: shopReport.rules.filter((r) => r.id !== "spof"),
    };
    const { tool, results } = run(report);
    const spof = results.find((r) => r.ruleId === "spof");
    expect(tool.driver.rules[spof?.ruleIndex ?? -1]?.id).toBe("spof");
  });

  it("appends the remediation to the message", () => {
    const f = shopReport.findings[1] as Finding;
    expect(run(shopReport).results[1]?.message.text).toBe(
      `${f.message} Remediation: ${f.remediation}`,
    );
  });

  it("fingerprints what a finding is about, not where it is", () => {
    const first = run(shopReport).results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(run(shopReport).results.map((r) => r.partialFingerprints[FINGERPRINT_KEY])).toEqual(
      first,
    );
    for (const fp of first) expect(fp).toMatch(/^[0-9a-f]{32}$/);

    const moved: AuditReport = {
      ...shopReport,
      findings: shopReport.findings.map((f) => ({
        ...f,
        components: [...f.components].reverse(),
        location: { ...f.location, line: f.location.line + 7 },
      })),
    };
    expect(run(moved).results.map((r) => r.partialFingerprints[FINGERPRINT_KEY])).toEqual(first);

    // Messages carry numbers that move with unrelated changes; the stable key decides.
    const reworded = { ...shopReport.findings[0], message: "something else" } as Finding;
    expect(fingerprint(reworded)).toBe(fingerprint(shopReport.findings[0] as Finding));
    const other = { ...shopReport.findings[0], key: "another-subject" } as Finding;
    expect(fingerprint(other)).not.toBe(fingerprint(shopReport.findings[0] as Finding));
  });

  it("gives distinct findings distinct fingerprints, even when only their place differs", () => {
    for (const report of [shopReport, hostileReport]) {
      const fps = run(report).results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
      expect(new Set(fps).size).toBe(fps.length);
    }
    // The two dns-spof findings of the hostile fixture differ only in their line.
    const [a, b] = run(hostileReport).results.filter((r) => r.ruleId === "dns-spof");
    expect(b?.partialFingerprints[FINGERPRINT_KEY]).toBe(
      `${a?.partialFingerprints[FINGERPRINT_KEY]}:2`,
    );
  });

  it("lists each model file once as an artifact, with URI-encoded relative paths", () => {
    const { artifacts, results } = run(hostileReport);
    expect(artifacts).toEqual([
      { location: { uri: "models/evil.yaml", uriBaseId: "%SRCROOT%", index: 0 } },
      {
        location: { uri: "models/with%20space/evil%20%232.yaml", uriBaseId: "%SRCROOT%", index: 1 },
      },
    ]);
    for (const r of results) {
      const loc = r.locations?.[0]?.physicalLocation.artifactLocation;
      expect(artifacts[loc?.index ?? -1]?.location.uri).toBe(loc?.uri);
    }
  });

  it("makes file URIs relative to baseDir", () => {
    const report: AuditReport = {
      ...shopReport,
      model: { ...shopReport.model, files: ["/repo/models/shop.yaml", "/elsewhere/dns.yaml"] },
      findings: shopReport.findings.map((f) => ({
        ...f,
        location: { ...f.location, file: `/repo/${f.location.file}` },
      })),
    };
    const { artifacts, results } = run(report, { ...OPTIONS, baseDir: "/repo/" });
    expect(artifacts.map((a) => a.location)).toEqual([
      { uri: "models/shop.yaml", uriBaseId: "%SRCROOT%", index: 0 },
      { uri: "file:///elsewhere/dns.yaml", index: 1 },
      { uri: "models/dns.yaml", uriBaseId: "%SRCROOT%", index: 2 },
    ]);
    expect(results[0]?.locations?.[0]?.physicalLocation.artifactLocation).toEqual({
      uri: "models/shop.yaml",
      uriBaseId: "%SRCROOT%",
      index: 0,
    });
  });

  it("raises lines and columns below 1, and drops an end before the start", () => {
    const f = shopReport.findings[0] as Finding;
    const at = (location: Omit<Finding["location"], "file">) => {
      const report: AuditReport = {
        ...shopReport,
        findings: [{ ...f, location: { file: f.location.file, ...location } }],
      };
      return regionOf(run(report).results[0]);
    };
    expect(at({ line: 0, column: -4, endLine: 0, endColumn: 0 })).toEqual({
      startLine: 1,
      startColumn: 1,
      endLine: 1,
      endColumn: 1,
    });
    expect(at({ line: 3, column: 5, endLine: 3, endColumn: 2 })).toEqual({
      startLine: 3,
      startColumn: 5,
      endLine: 3,
    });
    expect(at({ line: 3, column: 5, endLine: 4, endColumn: 2 })).toEqual({
      startLine: 3,
      startColumn: 5,
      endLine: 4,
      endColumn: 2,
    });
  });
});

describe("pascalCase", () => {
  it("names rules the way SARIF viewers show them", () => {
    expect(pascalCase("spof")).toBe("Spof");
    expect(pascalCase("shared-failure-domain")).toBe("SharedFailureDomain");
    expect(pascalCase("dns-spof")).toBe("DnsSpof");
  });
});
