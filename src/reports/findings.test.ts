import { describe, expect, it } from "vitest";
import type { Finding } from "../analysis/types.js";
import { bySeverity, countBySeverity } from "./findings.js";
import { shopReport } from "./fixtures.js";

describe("bySeverity", () => {
  it("puts the most severe first and keeps the report's order within a severity", () => {
    const reversed = [...shopReport.findings].reverse();
    const twice: Finding[] = [
      ...reversed,
      ...reversed.map((f) => ({ ...f, message: `${f.message}!` })),
    ];
    const sorted = bySeverity(twice);
    expect(sorted.map((f) => f.severity)).toEqual([
      "critical",
      "critical",
      "high",
      "high",
      "medium",
      "medium",
      "low",
      "low",
      "info",
      "info",
    ]);
    expect(sorted[0]?.message.endsWith("!")).toBe(false);
    expect(sorted[1]?.message.endsWith("!")).toBe(true);
  });
});

describe("countBySeverity", () => {
  it("counts every severity, zeros included", () => {
    expect(countBySeverity([])).toEqual({ info: 0, low: 0, medium: 0, high: 0, critical: 0 });
    expect(countBySeverity(shopReport.findings)).toEqual(shopReport.summary.findings);
  });
});
