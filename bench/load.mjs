// Benchmark of loading: parse + validate of the synthetic benchmark models' YAML, and
// `faultline analyze` end to end on the largest.
//
//   npm run bench                         builds, then runs this file among the others
//   node bench/load.mjs                   after `npm run build`
//   node bench/load.mjs --quick           the 10k size only
//   node bench/load.mjs --deep            the deep chain and cycle only
//
// Each size's YAML is generated once into a temporary directory (not timed). Then, in a child
// process per run with Node's default heap (so that runs do not share a warmed-up or crowded
// heap), `parseModel` reads the text from memory and is timed; the median, min and max are
// compared with the target. Then `faultline analyze -f json` runs end to end on the 100k file,
// as a user would run it, within the default heap, three times; their median is compared. Last,
// the shapes whose reports once grew with the square of the dependency depth — a chain of 10k
// components, each needing the next, and a cycle of 100k — go through `faultline analyze -f
// json` and `faultline report`, within the default heap; their output sizes are printed. Over
// target prints OVER; the exit code stays 0, since this is a measurement, not a test.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";

const SIZES = [
  { key: "10k", components: 10_000, dependencies: 50_000, runs: 5, target: 1 },
  { key: "100k", components: 100_000, dependencies: 1_000_000, runs: 3, target: 10 },
];
const ANALYZE_TARGET = 20;
/** Runs of `faultline analyze` end to end on the 100k model; the median is compared. */
const ANALYZE_RUNS = 3;
const DEEP = [
  { key: "chain 10k", components: 10_000, cycle: false },
  { key: "cycle 100k", components: 100_000, cycle: true },
];
const SEED = 1;
const EVENT = "@@load ";
const here = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

if (args[0] === "--generate") await generate(args[1], args[2]);
else if (args[0] === "--parse") await parseOnce(args[1]);
else await parent();

async function parent() {
  const quick = args.includes("--quick");
  const cpus = os.cpus();
  console.log("Faultline loading benchmark");
  console.log(`node ${process.version} (${process.platform} ${process.arch})`);
  console.log(`cpu: ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown"}`);
  console.log(
    `default heap limit: ${Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20)} MB`,
  );
  console.log("");
  const dir = mkdtempSync(join(os.tmpdir(), "faultline-load-"));
  const rows = [];
  const deepRows = [];
  let analyzeRow;
  try {
    const deepOnly = args.includes("--deep");
    for (const size of deepOnly ? [] : quick ? SIZES.slice(0, 1) : SIZES) {
      const file = join(dir, `synthetic-${size.key}.yaml`);
      const gen = run(["--max-old-space-size=8192", here, "--generate", size.key, file]);
      if (gen.status !== 0) {
        console.log(`${size.key}: could not generate the model\n${gen.stderr}`);
        continue;
      }
      const bytes = statSync(file).size;
      console.log(`${size.key}: ${(bytes / 2 ** 20).toFixed(1)} MB of YAML`);
      const times = [];
      const cpu = [];
      let failure;
      for (let i = 0; i < size.runs; i++) {
        const r = run([here, "--parse", file]);
        const event = r.stdout
          .split("\n")
          .find((l) => l.startsWith(EVENT))
          ?.slice(EVENT.length);
        if (!event) {
          failure = firstLine(r.stderr) || `exit code ${r.status}`;
          console.log(`  run ${i + 1}: failed (${failure})`);
          break;
        }
        const e = JSON.parse(event);
        times.push(e.ms);
        cpu.push(e.cpuMs);
        console.log(
          `  run ${i + 1}/${size.runs}: ${seconds(e.ms)} (CPU ${seconds(e.cpuMs)}, heap ${e.heapMb} MB)`,
        );
      }
      rows.push({ size, bytes, times, cpu, failure });
      if (size.key === "100k") {
        const runs = [];
        for (let i = 0; i < ANALYZE_RUNS; i++) {
          const r = analyzeEndToEnd(file, false, `run ${i + 1}/${ANALYZE_RUNS}: `).analyze;
          runs.push(r);
          if (r.status !== 0) break;
        }
        analyzeRow = runs;
      }
    }
    if (!quick) {
      for (const shape of DEEP) {
        const file = join(dir, `${shape.key.replace(" ", "-")}.yaml`);
        writeFileSync(file, deepModel(shape.components, shape.cycle));
        console.log(`${shape.key}: ${mb(statSync(file).size)} of YAML`);
        deepRows.push({ shape, ...analyzeEndToEnd(file, true) });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("");
  console.log("parse + validate (parseModel from memory, a fresh process per run, default heap)");
  console.log(
    table(
      ["size", "YAML", "runs", "median", "min", "max", "CPU median", "target", "result"],
      rows.map(({ size, bytes, times, cpu, failure }) => {
        if (times.length === 0)
          return [
            size.key,
            mb(bytes),
            `0/${size.runs}`,
            "-",
            "-",
            "-",
            "-",
            `≤ ${size.target} s`,
            `OVER (${failure})`,
          ];
        const med = median(times);
        return [
          size.key,
          mb(bytes),
          `${times.length}/${size.runs}`,
          seconds(med),
          seconds(Math.min(...times)),
          seconds(Math.max(...times)),
          seconds(median(cpu)),
          `≤ ${size.target} s`,
          med <= size.target * 1000 && !failure ? "PASS" : "OVER",
        ];
      }),
    ),
  );
  if (analyzeRow) {
    const times = analyzeRow.map((r) => r.ms);
    const failed = analyzeRow.find((r) => r.status !== 0);
    const med = median(times);
    console.log("");
    console.log("faultline analyze -f json on the 100k model, end to end (default heap)");
    console.log(
      table(
        ["runs", "median", "min", "max", "exit", "output", "target", "result"],
        [
          [
            `${analyzeRow.length}/${ANALYZE_RUNS}`,
            seconds(med),
            seconds(Math.min(...times)),
            seconds(Math.max(...times)),
            String(failed?.status ?? 0),
            mb(analyzeRow[0].bytes),
            `≤ ${ANALYZE_TARGET} s`,
            !failed && med <= ANALYZE_TARGET * 1000 ? "PASS" : "OVER",
          ],
        ],
      ),
    );
  }
  printDeep(deepRows);
}

/** `faultline analyze -f json` (and, with `report`, `faultline report`) on a file, timed. */
function analyzeEndToEnd(file, report = false, label = "") {
  const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
  const runCli = (name, argv, out) => {
    const started = performance.now();
    const r = spawnSync(process.execPath, [cli, ...argv], {
      encoding: "utf8",
      maxBuffer: 64 * 2 ** 20,
    });
    const ms = performance.now() - started;
    let bytes = 0;
    try {
      bytes = statSync(out).size;
      rmSync(out);
    } catch {}
    const failed = r.status !== 0 ? ` (${firstLine(r.stderr)})` : "";
    console.log(
      `  ${label}${name}: ${seconds(ms)}, exit ${r.status}${failed}, ${mb(bytes)} written`,
    );
    return { ms, status: r.status, bytes };
  };
  const json = `${file}.json`;
  const html = `${file}.html`;
  return {
    analyze: runCli("analyze", ["analyze", file, "-f", "json", "-o", json], json),
    ...(report ? { report: runCli("report", ["report", file, "-o", html], html) } : {}),
  };
}

/** Components c0…c(n-1), each needing the next; with `cycle`, the last needs the first. */
function deepModel(n, cycle) {
  const lines = [
    `name: deep-${n}`,
    "domains:",
    "  cloud:",
    "    contains:",
    "      r1:",
    "        contains: [r1-a, r1-b]",
    "components:",
  ];
  for (let i = 0; i < n; i++) {
    const next = cycle ? (i + 1) % n : i + 1;
    const needs = next < n ? `, needs: [c${next}]` : "";
    lines.push(
      `  c${i}: { kind: api, placement: { zones: [r1-a, r1-b], region: r1 }, recovery: { restart: 1m }, rto: 5m${needs} }`,
    );
  }
  lines.push("workloads:", "  w: { entry: c0, rate: 10 rps, rto: 30m }");
  return `${lines.join("\n")}\n`;
}

function printDeep(deepRows) {
  if (deepRows.length === 0) return;
  console.log("");
  console.log("deep dependencies: output linear in the model (default heap)");
  console.log(
    table(
      ["model", "analyze", "JSON", "report", "HTML", "result"],
      deepRows.map(({ shape, analyze, report }) => [
        shape.key,
        `${seconds(analyze.ms)} (exit ${analyze.status})`,
        mb(analyze.bytes),
        `${seconds(report.ms)} (exit ${report.status})`,
        mb(report.bytes),
        analyze.status === 0 && report.status === 0 ? "PASS" : "FAIL",
      ]),
    ),
  );
}

async function generate(key, file) {
  const { generateModel } = await import("../dist/synthetic/generate.js");
  const { modelToYaml } = await import("../dist/synthetic/to-yaml.js");
  const size = SIZES.find((s) => s.key === key);
  const model = generateModel({
    components: size.components,
    dependencies: size.dependencies,
    seed: SEED,
  });
  writeFileSync(file, modelToYaml(model));
}

async function parseOnce(file) {
  const { parseModel } = await import("../dist/model/load.js");
  const text = readFileSync(file, "utf8");
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = parseModel("synthetic.yaml", (p) => (p === "synthetic.yaml" ? text : undefined));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (!result.ok) {
    const first = result.diagnostics.find((d) => d.severity === "error");
    process.stderr.write(`the generated YAML does not validate: ${first?.message ?? "?"}\n`);
    process.exit(1);
  }
  const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  const event = { ms, cpuMs: (used.user + used.system) / 1000, heapMb };
  process.stdout.write(`${EVENT}${JSON.stringify(event)}\n`);
}

function run(argv) {
  return spawnSync(process.execPath, argv, { encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
}

function firstLine(text) {
  return (text ?? "").split("\n").find((l) => l.trim() !== "") ?? "";
}

function mb(bytes) {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Plain-text table: first column left-aligned, the others right-aligned. */
function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c] ?? "").length)));
  const line = (r) =>
    r
      .map((cell, c) =>
        c === 0 ? String(cell ?? "").padEnd(widths[c]) : String(cell ?? "").padStart(widths[c]),
      )
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
