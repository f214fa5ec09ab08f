import { describe, expect, it } from "vitest";
import type { AuditReport } from "../analysis/analyze.js";
import { escapeMarkdown, renderAuditMarkdown } from "./audit-markdown.js";
import { cleanReport, hostileReport, SCRIPT, shopReport } from "./fixtures.js";

const OPTIONS = { toolVersion: "1.2.3" };

/** The rows of the first table after the `## title` heading, header and delimiter included. */
function tableAfter(markdown: string, title: string): string[] {
  const lines = markdown.split("\n");
  const heading = lines.indexOf(`## ${title}`);
  if (heading === -1) return [];
  const rows: string[] = [];
  for (const line of lines.slice(heading + 1)) {
    if (line.startsWith("|")) rows.push(line);
    else if (rows.length > 0) break;
  }
  return rows;
}

/** Cells in a table row; a character escaped with a backslash never separates cells. */
function cellCount(row: string): number {
  return row.replace(/\\./g, "").split("|").length - 2;
}

describe("escapeMarkdown", () => {
  it("turns HTML into entities and keeps pipes, line breaks and emphasis inert", () => {
    expect(escapeMarkdown(SCRIPT)).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(escapeMarkdown("a|b")).toBe("a\\|b");
    expect(escapeMarkdown("one\ntwo\r\nthree")).toBe("one<br>two<br>three");
    expect(escapeMarkdown("**x** _y_ [z](u) `c` ~~s~~ \\")).toBe(
      "\\*\\*x\\*\\* \\_y\\_ \\[z\\](u) \\`c\\` \\~\\~s\\~\\~ \\\\",
    );
    expect(escapeMarkdown("AT&T")).toBe("AT&amp;T");
  });
});

describe("renderAuditMarkdown", () => {
  const hostile = renderAuditMarkdown(hostileReport, OPTIONS);

  it("never lets a component name through as HTML", () => {
    expect(hostile).not.toContain(SCRIPT);
    expect(hostile).not.toContain("<script");
    expect(hostile).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("gives every row of the findings table exactly five cells", () => {
    const rows = tableAfter(hostile, "Findings");
    expect(rows).toHaveLength(2 + hostileReport.findings.length);
    for (const row of rows) expect(cellCount(row)).toBe(5);
  });

  it("gives every row of every table as many cells as its header", () => {
    for (const title of ["Blast radius", "Recovery", "Availability"]) {
      const rows = tableAfter(hostile, title);
      expect(rows.length).toBeGreaterThan(2);
      const width = cellCount(rows[0] ?? "");
      for (const row of rows) expect(cellCount(row)).toBe(width);
    }
  });

  it("keeps line breaks in names inside their cell or list item", () => {
    for (const line of hostile.split("\n")) {
      if (line.includes("line one")) expect(line).toContain("line one<br>line two<br>line three");
    }
  });

  it("shows Markdown from the model as text, not as links or emphasis", () => {
    expect(hostile).toContain("\\[links\\](javascript:alert(1))");
    expect(hostile).toContain("\\*\\*Bold\\*\\*");
  });

  it("summarizes counts by severity, most severe first", () => {
    const out = renderAuditMarkdown(shopReport, OPTIONS);
    expect(out).toContain(
      [
        "| Severity | Findings |",
        "| --- | ---: |",
        "| critical | 1 |",
        "| high | 1 |",
        "| medium | 1 |",
        "| low | 1 |",
        "| info | 1 |",
        "| **Total** | **5** |",
      ].join("\n"),
    );
  });

  it("links rules to their documentation by reference", () => {
    const out = renderAuditMarkdown(shopReport, OPTIONS);
    expect(out).toContain("| critical | [recovery][rule-recovery] | models/shop.yaml:11 |");
    expect(out).toMatch(/^\[rule-recovery\]: https:\/\/\S+#recovery "Recovery time against RTO"$/m);
    expect(out).not.toContain("[rule-cycle]:");
  });

  it("lists cut sets per workload, with order-2 pairs when there are any", () => {
    const out = renderAuditMarkdown(shopReport, OPTIONS);
    expect(out).toContain(
      [
        "- **browse**",
        "  - Order 1: none",
        "  - Order 2: use1-az1 + use1-az2",
        "- **checkout**",
        "  - Order 1: aws, db",
      ].join("\n"),
    );
  });

  it("shows recovery rows with an RTO or no possible cold start, marking lower bounds", () => {
    const rows = tableAfter(renderAuditMarkdown(shopReport, OPTIONS), "Recovery").slice(2);
    expect(rows).toEqual([
      "| auth | impossible | — | — | auth → db |",
      "| db | 15m | 10m | over by 5m | db |",
      "| search | ≥ 1m30s | 5m | ok | search → index |",
      "| web | impossible | 10m | misses RTO | web → auth → db |",
    ]);
  });

  it("shows the ten largest blast radii and says how many there were", () => {
    const many: AuditReport = {
      ...shopReport,
      blastRadius: Array.from({ length: 14 }, (_, i) => ({
        unit: `unit-${String(i).padStart(2, "0")}`,
        kind: "zone",
        components: 20 - i,
        workloads: [],
      })),
    };
    const out = renderAuditMarkdown(many, OPTIONS);
    expect(out).toContain("The 10 largest of 14 failure units");
    expect(tableAfter(out, "Blast radius")).toHaveLength(12);
    expect(out).toContain("| unit-09 |");
    expect(out).not.toContain("| unit-10 |");
  });

  it("says there is nothing to report on a clean model, and leaves empty tables out", () => {
    const out = renderAuditMarkdown(cleanReport, OPTIONS);
    expect(out).toContain("## Findings\n\nNo findings.");
    for (const title of ["Blast radius", "Recovery", "Availability", "Cut sets"]) {
      expect(out).not.toContain(`## ${title}`);
    }
    expect(out.endsWith("_Generated by faultline 1.2.3._\n")).toBe(true);
  });
});
