import { describe, expect, it } from "vitest";
import type { AuditReport } from "../analysis/analyze.js";
import { AUDIT_SCHEMA_VERSION } from "../analysis/analyze.js";
import { SEVERITIES } from "../analysis/types.js";
import { renderAuditJson, renderAuditJsonParts } from "./audit-json.js";
import { cleanReport, shopReport } from "./fixtures.js";

const OPTIONS = { toolVersion: "1.2.3" };

describe("renderAuditJson", () => {
  it("parses back with the schema version and the tool first", () => {
    const parsed = JSON.parse(renderAuditJson(shopReport, OPTIONS)) as Record<string, unknown>;
    expect(parsed.schemaVersion).toBe(AUDIT_SCHEMA_VERSION);
    expect(parsed.tool).toEqual({ name: "faultline", version: "1.2.3" });
    expect(Object.keys(parsed)).toEqual([
      "schemaVersion",
      "tool",
      "model",
      "summary",
      "rules",
      "findings",
      "cutSets",
      "blastRadius",
      "sharedUnits",
      "recovery",
      "availability",
    ]);
  });

  it("writes keys in the same order however the report was assembled", () => {
    const scrambled = Object.fromEntries(Object.entries(shopReport).reverse()) as AuditReport;
    const reordered: AuditReport = {
      ...scrambled,
      findings: shopReport.findings.map(
        (f) => Object.fromEntries(Object.entries(f).reverse()) as typeof f,
      ),
      summary: {
        ...shopReport.summary,
        findings: { ...cleanReport.summary.findings, ...shopReport.summary.findings },
      },
    };
    expect(renderAuditJson(reordered, OPTIONS)).toBe(renderAuditJson(shopReport, OPTIONS));
  });

  it("keeps severity counts in the order of SEVERITIES and finding keys in a fixed order", () => {
    const parsed = JSON.parse(renderAuditJson(shopReport, OPTIONS)) as {
      summary: { findings: Record<string, number> };
      findings: Record<string, unknown>[];
    };
    expect(Object.keys(parsed.summary.findings)).toEqual([...SEVERITIES]);
    expect(Object.keys(parsed.findings[1] ?? {})).toEqual([
      "rule",
      "key",
      "severity",
      "message",
      "components",
      "remediation",
      "location",
      "data",
    ]);
  });

  it("keeps fields it does not know, after the known ones", () => {
    const extended = { ...shopReport, futureField: { x: 1 } } as AuditReport;
    const parsed = JSON.parse(renderAuditJson(extended, OPTIONS)) as Record<string, unknown>;
    expect(Object.keys(parsed).at(-1)).toBe("futureField");
    expect(parsed.futureField).toEqual({ x: 1 });
  });

  it("gives the text of JSON.stringify, in pieces, however long the arrays", () => {
    const row = shopReport.blastRadius[0] as AuditReport["blastRadius"][number];
    const long: AuditReport = {
      ...shopReport,
      blastRadius: Array.from({ length: 2_345 }, (_, i) => ({ ...row, unit: `u→${i}` })),
      recovery: [],
    };
    const parts = [...renderAuditJsonParts(long, OPTIONS)];
    const text = parts.join("");
    expect(parts.length).toBeGreaterThan(10);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(JSON.parse(text).blastRadius).toEqual(long.blastRadius);
    expect(renderAuditJson(long, OPTIONS)).toBe(text);
  });

  it("is two-space indented JSON with a final newline and no timestamp", () => {
    const out = renderAuditJson(cleanReport, OPTIONS);
    expect(out.startsWith('{\n  "schemaVersion": 1,\n  "tool": {')).toBe(true);
    expect(out.endsWith("}\n")).toBe(true);
    expect(out).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});
