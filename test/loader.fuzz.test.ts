// A sample of the fuzz campaign (bench/fuzz.mjs runs 100k): mutated and generated model and
// scenario files go through the library as the CLI uses it — load, audit and every audit
// format, a diagram, scenario check, simulation and its formats, explain — and a few through the
// real CLI. Nothing may throw (the CLI's exit 70); bad input must come back as located
// diagnostics, and the CLI must exit 0, 1 or 2 without a stack trace.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  AUDIT_FORMATS,
  AUDIT_RENDERERS,
  analyze,
  type Diagnostic,
  explain,
  formatDiagnostic,
  formatExplanation,
  parseModel,
  parseScenario,
  renderDiagram,
  SIM_FORMATS,
  SIM_RENDERERS,
  simulate,
} from "../src/index.js";
import { FULL_SCENARIO, MODEL_TEXT } from "../src/scenario/fixtures.js";
import { type FuzzCase, type FuzzCorpus, fuzzCase } from "../src/synthetic/fuzz-cases.js";

const read = (p: string) => readFileSync(p, "utf8");
const CORPUS: FuzzCorpus = {
  models: [
    read("examples/aws-us-east-1.yaml"),
    read("examples/multi-region-active-active.yaml"),
    read("examples/startup-stack.yaml"),
    MODEL_TEXT,
  ],
  scenarios: [
    { model: 0, text: read("examples/scenarios/aws-us-east-1-2025-lessons.yaml") },
    { model: 3, text: FULL_SCENARIO },
  ],
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function checkDiagnostics(list: readonly Diagnostic[], files: readonly string[]) {
  expect(list.length).toBeGreaterThan(0);
  for (const d of list) {
    expect(files).toContain(d.file);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
    expect(formatDiagnostic(d)).not.toMatch(CONTROL);
  }
}

/** Runs a case the way the CLI does; throws (fails) on any exception or unlocated problem. */
function runCase(c: FuzzCase): string {
  const r = parseModel(c.root, (p) => c.files[p]);
  if (!r.ok) {
    checkDiagnostics(r.diagnostics, [
      ...Object.keys(c.files),
      "missing.yaml",
      "/dev/zero",
      "x.yaml",
    ]);
    return "invalid model";
  }
  const report = analyze(r.model);
  for (const format of AUDIT_FORMATS)
    AUDIT_RENDERERS[format](report, { color: false, toolVersion: "0", baseDir: "." });
  renderDiagram(r.model, { format: "dot" });
  if (c.scenario === undefined) return "analyzed";
  const s = parseScenario("scenario.yaml", c.scenario, r.model);
  if (!s.ok) {
    checkDiagnostics(s.diagnostics, ["scenario.yaml"]);
    return "invalid scenario";
  }
  const journal = simulate(r.model, s.scenario);
  for (const format of SIM_FORMATS)
    SIM_RENDERERS[format](journal, { color: false, toolVersion: "0" });
  const first = r.model.components[0];
  if (first) formatExplanation(explain(journal, first.id));
  return "simulated";
}

describe("fuzz: mutated and generated files through the library", () => {
  it("give a model and results, or located diagnostics, never an exception", () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 4, maxLength: 40 }), (numbers) => {
        const c = fuzzCase(numbers, CORPUS);
        const outcome = runCase(c);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { numRuns: 300, seed: 1015 },
    );
    // The sample reaches every stage, not only the parser.
    for (const stage of ["invalid model", "analyzed", "invalid scenario", "simulated"])
      expect([stage, outcomes.get(stage) ?? 0]).not.toEqual([stage, 0]);
  }, 120_000);
});

describe("fuzz: mutated files through the real CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "faultline-fuzz-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = join(dirname(new URL(import.meta.url).pathname), "..", "dist", "cli", "main.js");

  it("exits 0, 1 or 2, never with an internal error or a stack trace", () => {
    for (let seed = 0; seed < 12; seed++) {
      const numbers = Array.from({ length: 30 }, (_, i) => (seed * 7919 + i * 104729) % 10007);
      const c = fuzzCase(numbers, CORPUS);
      const caseDir = mkdtempSync(join(dir, "case-"));
      for (const [name, text] of Object.entries(c.files))
        if (!name.startsWith("/") && !name.startsWith(".."))
          writeFileSync(join(caseDir, name), text);
      let args = ["analyze", "model.yaml", "-f", "json"];
      if (c.scenario !== undefined) {
        writeFileSync(join(caseDir, "scenario.yaml"), c.scenario);
        args = ["simulate", "model.yaml", "-s", "scenario.yaml", "-f", "json"];
      }
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: caseDir, encoding: "utf8" });
      const what = `${args[0]} after ${c.steps.join("; ")}`;
      expect([what, [0, 1, 2].includes(r.status ?? -1)]).toEqual([what, true]);
      expect(r.stderr).not.toMatch(/internal error|^\s+at |Warning:/m);
    }
  }, 120_000);
});
