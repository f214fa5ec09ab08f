// The fuzz campaign: mutated and generated model and scenario files (src/synthetic/fuzz-cases)
// through the library as the CLI uses it, then a few hundred through the real CLI.
//
//   npm run build && node bench/fuzz.mjs                 100k inputs in-process, 300 via the CLI
//   node bench/fuzz.mjs --count=2000 --cli=20 --seed=7   a shorter run
//
// Case k of a run with seed s draws its choices from a generator seeded with s·1e6 + k, so a
// failure is named by "seed s, case k" and replays alone with --seed=s --from=k --count=1.
// In-process, any exception is a failure (the CLI would exit 70), and so is a diagnostic without
// a line and column or with control characters in its text, and a warning printed by Node;
// through the CLI, an exit code other than 0, 1 or 2, "internal error", a stack trace or a
// warning on stderr. Each failure is printed with its
// steps and its files are written to a directory named in the output. The exit code is 1 when
// anything failed.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AUDIT_FORMATS,
  AUDIT_RENDERERS,
  analyze,
  explain,
  formatDiagnostic,
  formatExplanation,
  parseModel,
  parseScenario,
  renderDiagram,
  SIM_FORMATS,
  SIM_RENDERERS,
  simulate,
} from "../dist/index.js";
import { fuzzCase } from "../dist/synthetic/fuzz-cases.js";

const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split("=")[1]) : fallback;
};
const COUNT = arg("count", 100_000);
const CLI_COUNT = arg("cli", 300);
const SEED = arg("seed", 1);
const FROM = arg("from", 0);
const root = fileURLToPath(new URL("..", import.meta.url));
const read = (p) => readFileSync(join(root, p), "utf8");
const CORPUS = {
  models: [
    read("examples/aws-us-east-1.yaml"),
    read("examples/multi-region-active-active.yaml"),
    read("examples/startup-stack.yaml"),
  ],
  scenarios: [
    { model: 0, text: read("examples/scenarios/aws-us-east-1-2025.yaml") },
    { model: 0, text: read("examples/scenarios/aws-us-east-1-2025-lessons.yaml") },
  ],
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** 40 choices from a small seeded generator (mulberry32). */
function choices(seed) {
  let a = seed >>> 0;
  return Array.from({ length: 40 }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % 1_000_003;
  });
}

function checkDiagnostics(list) {
  if (list.length === 0) throw new Error("invalid, with no diagnostic");
  for (const d of list) {
    if (!(d.line >= 1 && d.column >= 1)) throw new Error(`unlocated diagnostic: ${d.message}`);
    if (CONTROL.test(formatDiagnostic(d)))
      throw new Error(`control character in: ${JSON.stringify(d.message)}`);
  }
}

function runCase(c) {
  const r = parseModel(c.root, (p) => c.files[p]);
  if (!r.ok) {
    checkDiagnostics(r.diagnostics);
    return "invalid model";
  }
  const report = analyze(r.model);
  for (const f of AUDIT_FORMATS)
    AUDIT_RENDERERS[f](report, { color: false, toolVersion: "0", baseDir: "." });
  renderDiagram(r.model, { format: "dot" });
  if (c.scenario === undefined) return "analyzed";
  const s = parseScenario("scenario.yaml", c.scenario, r.model);
  if (!s.ok) {
    checkDiagnostics(s.diagnostics);
    return "invalid scenario";
  }
  const journal = simulate(r.model, s.scenario);
  for (const f of SIM_FORMATS) SIM_RENDERERS[f](journal, { color: false, toolVersion: "0" });
  const first = r.model.components[0];
  if (first) formatExplanation(explain(journal, first.id));
  return "simulated";
}

const outDir = mkdtempSync(join(os.tmpdir(), "faultline-fuzz-"));
const failures = [];
function fail(where, k, c, message) {
  const dir = join(outDir, `seed-${SEED}-case-${k}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(c.files))
    if (!name.startsWith("/") && !name.startsWith("..")) writeFileSync(join(dir, name), text);
  if (c.scenario !== undefined) writeFileSync(join(dir, "scenario.yaml"), c.scenario);
  failures.push({ where, k, message, steps: c.steps, dir });
  console.log(`FAIL (${where}) seed ${SEED}, case ${k}: ${message}`);
  console.log(`  steps: ${c.steps.join("; ")}`);
  console.log(`  files: ${dir}`);
}

console.log("Faultline fuzz campaign");
console.log(
  `node ${process.version}; seed ${SEED}; cases ${FROM}..${FROM + COUNT - 1} in-process, ${CLI_COUNT} through the CLI`,
);
// A warning Node prints (yaml's, for keys it stringifies) is a failure too: the CLI would show it.
let warning;
process.on("warning", (w) => {
  warning = w.message;
});
const outcomes = new Map();
const slowest = [];
const started = performance.now();
for (let k = FROM; k < FROM + COUNT; k++) {
  const c = fuzzCase(choices(SEED * 1e6 + k), CORPUS);
  const t0 = performance.now();
  try {
    warning = undefined;
    const outcome = runCase(c);
    await new Promise((done) => setImmediate(done)); // warnings are emitted on the next tick
    if (warning !== undefined) throw new Error(`warning: ${warning}`);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  } catch (err) {
    outcomes.set("FAILED", (outcomes.get("FAILED") ?? 0) + 1);
    fail("library", k, c, `${err?.name ?? "Error"}: ${err?.message ?? err}`.split("\n")[0]);
  }
  const ms = performance.now() - t0;
  slowest.push({ k, ms, steps: c.steps });
  slowest.sort((a, b) => b.ms - a.ms);
  slowest.length = Math.min(slowest.length, 3);
  if ((k - FROM + 1) % 5000 === 0)
    console.log(`  ${k - FROM + 1} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
const libSeconds = (performance.now() - started) / 1000;

const cli = join(root, "dist", "cli", "main.js");
const cliCodes = new Map();
for (let i = 0; i < CLI_COUNT; i++) {
  const k = FROM + COUNT + i;
  const c = fuzzCase(choices(SEED * 1e6 + k), CORPUS);
  const dir = mkdtempSync(join(outDir, "cli-"));
  for (const [name, text] of Object.entries(c.files))
    if (!name.startsWith("/") && !name.startsWith("..")) writeFileSync(join(dir, name), text);
  let args = ["analyze", "model.yaml", "-f", "json"];
  if (c.scenario !== undefined) {
    writeFileSync(join(dir, "scenario.yaml"), c.scenario);
    args = ["simulate", "model.yaml", "-s", "scenario.yaml"];
  } else if (i % 3 === 0) args = ["validate", "model.yaml"];
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8" });
  cliCodes.set(r.status, (cliCodes.get(r.status) ?? 0) + 1);
  if (![0, 1, 2].includes(r.status ?? -1) || /internal error|^\s+at |Warning:/m.test(r.stderr))
    fail(`cli ${args[0]}`, k, c, `exit ${r.status}: ${r.stderr.split("\n")[0]}`);
  else rmSync(dir, { recursive: true, force: true });
}

console.log("");
console.log(`in-process: ${COUNT} cases in ${libSeconds.toFixed(0)} s`);
for (const [outcome, n] of [...outcomes].sort()) console.log(`  ${outcome}: ${n}`);
console.log(
  `slowest: ${slowest.map((s) => `case ${s.k} ${(s.ms / 1000).toFixed(2)} s`).join(", ")}`,
);
console.log(
  `through the CLI: ${CLI_COUNT} runs; exit codes ${[...cliCodes].map(([code, n]) => `${code}: ${n}`).join(", ")}`,
);
console.log(
  failures.length === 0 ? "no failure" : `${failures.length} failure(s); files under ${outDir}`,
);
if (failures.length === 0) rmSync(outDir, { recursive: true, force: true });
process.exitCode = failures.length === 0 ? 0 : 1;
