/**
 * The contract every audit renderer keeps, run over the hand-built fixtures and over arbitrary
 * reports: pure and deterministic, newline-terminated, never throwing, mentioning every
 * finding, and well-formed for its format (SARIF valid against the official 2.1.0 schema,
 * Markdown tables with whole rows and no raw HTML, JSON that reads back as the report, text
 * without stray escape sequences). Format-specific behaviour is tested next to each renderer.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AuditReport } from "../analysis/analyze.js";
import { RULES } from "../analysis/rules/index.js";
import { type Finding, RULE_IDS, SEVERITIES } from "../analysis/types.js";
import type { Location } from "../model/types.js";
import { AUDIT_FORMATS, AUDIT_RENDERERS, type AuditFormat, type RenderOptions } from "./audit.js";
import { escapeMarkdown } from "./audit-markdown.js";
import { FIXTURES, SCRIPT, shopReport } from "./fixtures.js";

const OPTIONS: RenderOptions = { toolVersion: "1.2.3" };

// --- format-specific probes -------------------------------------------------------------------

interface SarifResult {
  ruleId: string;
  locations?: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
  }[];
}

/** How each format shows a finding. A Record over AuditFormat: a new format must say. */
const MENTIONS: Record<AuditFormat, (output: string, f: Finding) => boolean> = {
  text: (out, f) => out.includes(f.rule) && out.includes(`${f.location.file}:${f.location.line}`),
  markdown: (out, f) =>
    out.includes(escapeMarkdown(f.rule)) &&
    out.includes(escapeMarkdown(`${f.location.file}:${f.location.line}`)),
  json: (out, f) =>
    (JSON.parse(out) as { findings: Finding[] }).findings.some(
      (x) =>
        x.rule === f.rule &&
        x.location.file === f.location.file &&
        x.location.line === f.location.line,
    ),
  sarif: (out, f) =>
    (JSON.parse(out) as { runs: { results: SarifResult[] }[] }).runs[0]?.results.some((r) => {
      const loc = r.locations?.[0]?.physicalLocation;
      return (
        r.ruleId === f.rule &&
        loc !== undefined &&
        decodeURIComponent(loc.artifactLocation.uri) === f.location.file &&
        loc.region.startLine === f.location.line
      );
    }) ?? false,
};

const validateSarif = (() => {
  const pkg = createRequire(import.meta.url).resolve("@microsoft/jest-sarif/package.json");
  const path = join(dirname(pkg), "lib", "schemas", "sarif-2.1.0-rtm.5.json");
  const {
    $schema: _draft04,
    id,
    ...schema
  } = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  // NOTE: the file declares draft-04, which Ajv 8 does not ship. The schema uses no keyword
  // whose meaning changed after draft-04, so it compiles as draft-07 once its draft-04 `id` is
  // spelled `$id`. Formats (uri, date-time) are not checked: ajv-formats is not installed.
  // `unicodeRegExp: false`: the schema's `language` pattern has a stray `]` that is only valid
  // without the `u` flag, as in the draft-04 validators it was written for.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    unicodeRegExp: false,
  });
  return ajv.compile({ ...schema, $id: id as string });
})();

/** Table rows in `markdown`, each as its number of cells (pipes escaped with `\` don't count). */
function markdownTables(markdown: string): number[][] {
  const tables: number[][] = [];
  let current: number[] | undefined;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|")) {
      current = undefined;
      continue;
    }
    if (current === undefined) {
      current = [];
      tables.push(current);
    }
    current.push(line.replace(/\\./g, "").split("|").length - 2);
  }
  return tables;
}

/** C0 and C1 control characters but the line feed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Format-specific well-formedness; throws (through `expect`) when the output is not. */
const WELL_FORMED: Record<AuditFormat, (output: string, report: AuditReport) => void> = {
  text: (out) => {
    // With color off there is no control character but the line feed, whatever the names hold.
    expect(out).not.toMatch(CONTROL);
  },
  json: (out, report) => {
    const { tool, ...rest } = JSON.parse(out) as Record<string, unknown>;
    expect(tool).toEqual({ name: "faultline", version: OPTIONS.toolVersion });
    expect(rest).toEqual(JSON.parse(JSON.stringify(report)));
  },
  markdown: (out) => {
    for (const rows of markdownTables(out)) {
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(new Set(rows).size).toBe(1);
    }
    // Only the line breaks the renderer writes itself are HTML, and nothing can drive a terminal.
    expect(out.replace(/<br>/g, "")).not.toMatch(/[<>]/);
    expect(out).not.toMatch(CONTROL);
  },
  sarif: (out) => {
    const log = JSON.parse(out) as unknown;
    const valid = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  },
};

// --- the contract -----------------------------------------------------------------------------

describe("AUDIT_RENDERERS", () => {
  it("has exactly one renderer per format in AUDIT_FORMATS", () => {
    expect(Object.keys(AUDIT_RENDERERS).sort()).toEqual([...AUDIT_FORMATS].sort());
  });
});

describe("the well-formedness checks", () => {
  it("reject a SARIF log that breaks the schema", () => {
    const log = JSON.parse(AUDIT_RENDERERS.sarif(shopReport, OPTIONS)) as {
      runs: { results: { level: string }[] }[];
    };
    const result = log.runs[0]?.results[0];
    if (result !== undefined) result.level = "fatal";
    expect(validateSarif(log)).toBe(false);
  });

  it("reject a Markdown table row with an unescaped pipe", () => {
    expect(markdownTables("| a | b |\n| --- | --- |\n| x | y |\n| x | y|z |\n")).toEqual([
      [2, 2, 2, 3],
    ]);
    expect(markdownTables("| a | b |\n| --- | --- |\n| x\\|y | z |\n")).toEqual([[2, 2, 2]]);
  });
});

describe.each(AUDIT_FORMATS)("%s renderer contract", (format) => {
  const render = AUDIT_RENDERERS[format];

  describe.each(Object.entries(FIXTURES))("on the %s fixture", (_name, report) => {
    it("is deterministic and does not change the report", () => {
      const before = structuredClone(report);
      const first = render(report, OPTIONS);
      expect(render(report, OPTIONS)).toBe(first);
      expect(report).toEqual(before);
    });

    it("ends with a newline", () => {
      expect(render(report, OPTIONS).endsWith("\n")).toBe(true);
    });

    it("mentions every finding's rule and file:line", () => {
      const out = render(report, OPTIONS);
      for (const f of report.findings)
        expect(MENTIONS[format](out, f), `${f.rule} ${f.location.file}`).toBe(true);
    });

    it("is well-formed for its format", () => {
      WELL_FORMED[format](render(report, OPTIONS), report);
    });

    it("uses color only in the text format, and only when asked", () => {
      const plain = render(report, OPTIONS);
      const colored = render(report, { ...OPTIONS, color: true });
      if (format === "text") expect(colored).not.toBe(plain);
      else expect(colored).toBe(plain);
    });
  });

  it("never throws on arbitrary reports, and stays deterministic and well-formed", () => {
    fc.assert(
      fc.property(arbitraryReport, (report) => {
        const out = render(report, OPTIONS);
        expect(render(report, OPTIONS)).toBe(out);
        expect(out.endsWith("\n")).toBe(true);
        WELL_FORMED[format](out, report);
      }),
      { numRuns: 150 },
    );
  });
});

// --- arbitrary reports ------------------------------------------------------------------------

/** Any UTF-16 code unit: control characters, lone surrogates, pipes, angle brackets. */
const anyText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ unit: fc.nat(0xffff).map((n) => String.fromCharCode(n)), maxLength: 8 }),
  fc.constantFrom(SCRIPT, "a|b", "x\ny", "\u001b[31m", "", "C:\\repo\\m.yaml", "/abs/m.yaml"),
);
const count = fc.integer({ min: -2, max: 1_000_000 });
const ruleId = fc.constantFrom(...RULE_IDS);

const location: fc.Arbitrary<Location> = fc.record(
  {
    file: anyText,
    line: count,
    column: count,
    endLine: count,
    endColumn: count,
  },
  { requiredKeys: ["file", "line", "column"] },
);

const finding: fc.Arbitrary<Finding> = fc.record(
  {
    rule: ruleId,
    key: anyText,
    severity: fc.constantFrom(...SEVERITIES),
    message: anyText,
    components: fc.array(anyText, { maxLength: 4 }),
    remediation: anyText,
    location,
    data: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
  },
  { requiredKeys: ["rule", "key", "severity", "message", "components", "remediation", "location"] },
);

const duration = fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: null });

const arbitraryReport: fc.Arbitrary<AuditReport> = fc
  .record({
    name: anyText,
    files: fc.array(anyText, { maxLength: 3 }),
    rules: fc.subarray(RULE_IDS.map((id) => RULES[id].meta)),
    findings: fc.array(finding, { maxLength: 8 }),
    cutSets: fc.array(
      fc.record({
        workload: anyText,
        order1: fc.array(anyText, { maxLength: 3 }),
        order2: fc.array(fc.tuple(anyText, anyText), { maxLength: 2 }),
      }),
      { maxLength: 3 },
    ),
    blastRadius: fc.array(
      fc.record({
        unit: anyText,
        kind: anyText,
        components: fc.nat(100),
        workloads: fc.array(anyText, { maxLength: 3 }),
      }),
      { maxLength: 14 },
    ),
    sharedUnits: fc.array(fc.record({ unit: anyText, replicated: fc.nat(100) }), {
      maxLength: 4,
    }),
    recovery: fc.array(
      fc.record({
        component: anyText,
        coldStart: duration,
        rto: duration,
        path: fc.array(anyText, { maxLength: 3 }),
        pathLength: fc.option(fc.nat(20), { nil: null }),
        undeclared: fc.array(anyText, { maxLength: 2 }),
        undeclaredCount: fc.nat(20),
      }),
      { maxLength: 4 },
    ),
    availability: fc.array(
      fc.record(
        {
          workload: anyText,
          availability: fc.double({ min: 0, max: 1 }),
          method: fc.constantFrom("exact" as const, "monte-carlo" as const),
          interval: fc.tuple(fc.double({ min: 0, max: 1 }), fc.double({ min: 0, max: 1 })),
          samples: fc.nat(),
          slo: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
          undeclared: fc.nat(10),
          declared: fc.nat(10),
          downtimeMinutesPer30d: fc.double({ min: 0, max: 43_200 }),
        },
        {
          requiredKeys: [
            "workload",
            "availability",
            "method",
            "slo",
            "undeclared",
            "declared",
            "downtimeMinutesPer30d",
          ],
        },
      ),
      { maxLength: 3 },
    ),
    counts: fc.tuple(fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50)),
  })
  .map(({ name, files, rules, findings, counts, ...tables }) => ({
    schemaVersion: 1,
    model: { name, files },
    summary: {
      components: counts[0],
      dependencies: counts[1],
      records: counts[2],
      domains: counts[3],
      workloads: counts[4],
      findings: Object.fromEntries(
        SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]),
      ) as AuditReport["summary"]["findings"],
    },
    rules,
    findings,
    ...tables,
  }));
