// Benchmark of the static audit on synthetic models.
//
//   npm run bench                               builds, then runs this file with --expose-gc
//   node --expose-gc bench/run.mjs              after `npm run build`
//   node --expose-gc bench/run.mjs --quick      the 10k size only (a smoke test)
//   node --expose-gc bench/run.mjs --timeout-min=60    stop a child process after this long
//
// For each size the model is generated (not timed), then `analyze(model)` — every rule, default
// options — is timed on fresh calls with a garbage collection between runs, and the median, min
// and max are compared with the target. One more audit is split into phases — compiling the
// failure graph, the bitset blast-radius pass the rules share, and each rule, through the same
// building blocks `analyze` uses — and then the kernels are timed alone. Parsing and validating
// the YAML text of the 10k model is timed too.
// Over target prints OVER; the exit code stays 0, since this is a measurement, not a test.
//
// Each size runs in a child process of its own (this file again, with --child): runs and
// phases get a fresh heap, and a size that runs out of memory or time is reported as such with
// whatever it measured before, instead of ending the benchmark. Children report measurements
// as JSON lines on stdout and progress on stderr.
import { spawn } from "node:child_process";
import os from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { analyze } from "../dist/analysis/analyze.js";
import { compileModel } from "../dist/analysis/compile.js";
import { AuditContext } from "../dist/analysis/context.js";
import { RULES } from "../dist/analysis/rules/index.js";
import { RULE_IDS } from "../dist/analysis/types.js";
import { blastRadiusSummary } from "../dist/graph/blast-radius.js";
import { NodeType } from "../dist/graph/failure-graph.js";
import { singleFailureSets } from "../dist/graph/single-failures.js";
import { parseModel } from "../dist/model/load.js";
import { generateModel } from "../dist/synthetic/generate.js";
import { modelToYaml } from "../dist/synthetic/to-yaml.js";

const SIZES = [
  { key: "10k", label: "10k / 50k", components: 10_000, dependencies: 50_000, runs: 5, target: 2 },
  {
    key: "100k",
    label: "100k / 1M",
    components: 100_000,
    dependencies: 1_000_000,
    runs: 3,
    target: 10,
  },
];
const SEED = 1;
const PARSE_RUNS = 3;
const EVENT = "@@bench ";

// Memory. The 100k-component model with a million dependencies is about two million objects,
// and the audit adds the compiled graph, 19k spof findings and tables with a row per unit and
// per component. Earlier versions (an order-1 cut set for every replicated component) did not
// fit the default old-space limit of about 4 GB that Node sets on most machines, so that size
// is run with --max-old-space-size=8192 whenever the default is smaller, as before, to keep the
// figures comparable. The 10k size runs within the default heap.
const BIG_HEAP_MB = 8192;
const HEAP_NEEDED_MB = { "10k": 0, "100k": 7000 };

const args = process.argv.slice(2);
const childIndex = args.indexOf("--child");
if (childIndex >= 0) {
  child(args[childIndex + 1], args[childIndex + 2]);
} else {
  await parent();
}

// --- parent: orchestrates the children and prints the tables ------------------------------------

async function parent() {
  const quick = args.includes("--quick");
  const timeoutArg = args.find((a) => a.startsWith("--timeout-min="));
  const timeoutMin = timeoutArg ? Number(timeoutArg.split("=")[1]) : 60;
  const defaultHeapMb = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  const cpus = os.cpus();

  console.log("Faultline audit benchmark");
  console.log(`node ${process.version} (${process.platform} ${process.arch})`);
  console.log(`cpu: ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown"}`);
  console.log(`default heap limit: ${Math.round(defaultHeapMb)} MB`);
  console.log(
    `seed ${SEED}; each size in child processes, at most ${timeoutMin} min each${quick ? "; --quick: 10k size only" : ""}`,
  );
  console.log("");

  const sizes = quick ? SIZES.slice(0, 1) : SIZES;
  const results = [];
  for (const size of sizes) {
    const heapFlags =
      defaultHeapMb < HEAP_NEEDED_MB[size.key] ? [`--max-old-space-size=${BIG_HEAP_MB}`] : [];
    const heapNote = heapFlags.length > 0 ? `--max-old-space-size=${BIG_HEAP_MB}` : "default heap";
    console.log(`${size.label} (${heapNote})`);
    const runs = await spawnChild(size, "runs", heapFlags, timeoutMin);
    const phases = await spawnChild(size, "phases", heapFlags, timeoutMin);
    results.push({ size, heapNote, runs, phases });
    console.log("");
  }

  console.log("analyze(model): full audit, all rules, default options");
  console.log(
    "(wall-clock times against the target; CPU median is the process's user + system time, which includes V8's garbage-collection threads — it shows what other load on the machine did to the wall-clock figures)",
  );
  console.log(
    table(
      [
        "size",
        "heap",
        "runs",
        "median",
        "min",
        "max",
        "CPU median",
        "target",
        "result",
        "findings",
      ],
      results.map(({ size, heapNote, runs }) => {
        const times = runs.events.filter((e) => e.type === "run").map((e) => e.ms);
        const done = times.length === size.runs;
        const findings = runs.events.find((e) => e.type === "run")?.findings ?? "";
        if (times.length === 0) {
          return [
            size.label,
            heapNote,
            `0/${size.runs}`,
            "-",
            "-",
            "-",
            "-",
            `< ${size.target} s`,
            `OVER (${runs.failure})`,
            findings,
          ];
        }
        const med = median(times);
        const verdict = med < size.target * 1000 && done ? "PASS" : "OVER";
        return [
          size.label,
          heapNote,
          `${times.length}/${size.runs}`,
          seconds(med),
          seconds(Math.min(...times)),
          seconds(Math.max(...times)),
          seconds(median(runs.events.filter((e) => e.type === "run").map((e) => e.cpuMs))),
          `< ${size.target} s`,
          done ? verdict : `${verdict} (${runs.failure})`,
          findings,
        ];
      }),
    ),
  );
  console.log("");

  console.log("phases, one more pass per size: one audit step by step, then the kernels alone");
  const names = [];
  for (const r of results) {
    for (const e of r.phases.events)
      if (e.type === "phase" && !names.includes(e.name)) names.push(e.name);
  }
  const rows = names.map((name) => [
    name,
    ...results.map((r) => {
      const e = r.phases.events.find((x) => x.type === "phase" && x.name === name);
      return e ? seconds(e.ms) : "";
    }),
  ]);
  const unfinished = results.filter((r) => r.phases.failure !== undefined);
  if (unfinished.length > 0) {
    rows.push([
      "(did not finish)",
      ...results.map((r) =>
        r.phases.failure !== undefined ? `${r.phases.failure} in: ${r.phases.current ?? "?"}` : "",
      ),
    ]);
  }
  const sums = results.map((r) =>
    seconds(
      r.phases.events.filter((e) => e.type === "phase" && e.audit).reduce((a, e) => a + e.ms, 0),
    ),
  );
  rows.push(["sum of the audit phases", ...sums]);
  console.log(table(["phase", ...results.map((r) => r.size.label)], rows));
  const shapes = results.map((r) => r.phases.events.find((e) => e.type === "shape"));
  if (shapes.some(Boolean)) {
    console.log("");
    console.log("model and graph shape");
    const keys = Object.keys(shapes.find(Boolean) ?? {}).filter((k) => k !== "type");
    console.log(
      table(
        ["", ...results.map((r) => r.size.label)],
        keys.map((k) => [k, ...shapes.map((s) => (s ? String(s[k]) : ""))]),
      ),
    );
  }
  console.log("");

  const parse = results.flatMap((r) => r.phases.events.filter((e) => e.type === "parse"));
  const parseFailure = results.find((r) => r.size.key === "10k")?.phases.failure;
  console.log(
    "parse + validate of the 10k model's YAML (modelToYaml, then parseModel from memory)",
  );
  if (parse.length === 0) {
    console.log(`not measured${parseFailure ? ` (${parseFailure})` : ""}`);
  } else {
    const times = parse.map((e) => e.ms);
    console.log(
      table(
        ["text", "runs", "median", "min", "max"],
        [
          [
            `${(parse[0].bytes / 2 ** 20).toFixed(1)} MB, ${parse[0].lines} lines`,
            times.length,
            seconds(median(times)),
            seconds(Math.min(...times)),
            seconds(Math.max(...times)),
          ],
        ],
      ),
    );
  }
}

/**
 * Runs one part of one size in a child process; returns its events and how it ended. Progress
 * lines are passed through as they come; anything else on the child's stderr (V8's report when
 * the heap runs out) is kept short.
 */
function spawnChild(size, part, heapFlags, timeoutMin) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ["--expose-gc", ...heapFlags, fileURLToPath(import.meta.url), "--child", size.key, part],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const events = [];
  const noise = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.startsWith(EVENT)) events.push(JSON.parse(line.slice(EVENT.length)));
  });
  createInterface({ input: child.stderr }).on("line", (line) => {
    if (line.startsWith(`  ${part}: `)) console.log(line);
    else if (line.trim() !== "") noise.push(line);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMin * 60_000);
  return new Promise((resolve) => {
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      const oom = noise.some((l) => l.includes("heap out of memory"));
      let failure;
      if (timedOut) failure = `timed out after ${timeoutMin} min`;
      else if (oom) failure = "out of memory";
      else if (signal) failure = `killed by ${signal}`;
      else if (status !== 0) failure = `exit code ${status}`;
      const fatal = noise.find((l) => l.includes("FATAL ERROR") || l.includes("Error"));
      if (failure && fatal) console.log(`  ${part}: ${fatal.trim()}`);
      else if (failure) for (const l of noise.slice(0, 20)) console.log(`  ${part}: ${l}`);
      const current = [...events].reverse().find((e) => e.type === "start")?.name;
      console.log(
        `  ${part}: ${failure ?? "done"} after ${seconds(performance.now() - started)} (child process)`,
      );
      resolve({ events, failure, current });
    });
  });
}

// --- child: measures one part of one size ----------------------------------------------------------

function child(key, part) {
  const size = SIZES.find((s) => s.key === key);
  if (!size) throw new Error(`unknown size ${key}`);
  const emit = (event) => process.stdout.write(`${EVENT}${JSON.stringify(event)}\n`);
  const say = (text) => process.stderr.write(`  ${part}: ${text}\n`);
  const gc = () => globalThis.gc?.();

  gc();
  const gen = time(() =>
    generateModel({ components: size.components, dependencies: size.dependencies, seed: SEED }),
  );
  const model = gen.value;
  say(
    `model generated in ${seconds(gen.ms)} (not timed): ${model.components.length} components, ${model.dependencies.length} dependencies, ${model.records.length} DNS records, ${model.domains.length} domains, ${model.workloads.length} workloads; heap limit ${Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20)} MB`,
  );

  if (part === "runs") {
    for (let i = 0; i < size.runs; i++) {
      gc();
      emit({ type: "start", name: `run ${i + 1}` });
      const run = auditOnce(model);
      emit({ type: "run", ms: run.ms, cpuMs: run.cpuMs, findings: run.findings });
      say(`run ${i + 1}/${size.runs}: ${seconds(run.ms)} (process CPU time ${seconds(run.cpuMs)})`);
    }
    return;
  }

  // First one audit phase by phase, through the same building blocks `analyze` uses: the
  // context (it compiles), the bitset blast-radius pass it memoizes for the rules (the order-1
  // cut sets of watched nodes are read from it), then each rule in report order. The audit
  // phases add up to about one `analyze` call. Then the kernels alone (rows marked "kernel"),
  // called from dist/graph on a graph compiled by dist/analysis/compile; they come on top.
  gc();
  const phase = (name, fn, audit = true) => {
    emit({ type: "start", name });
    const r = time(fn);
    emit({ type: "phase", name, ms: r.ms, audit });
    say(`${name}: ${seconds(r.ms)}`);
    return r.value;
  };
  {
    const ctx = phase("audit: new AuditContext (compiles)", () => new AuditContext(model, {}));
    phase("audit: context blast radius table", () => ctx.blast());
    phase("audit: context cut sets of workload entries", () =>
      ctx.singleFailures(model.workloads.map((w) => ctx.nodeOf(w.entry))),
    );
    for (const id of RULE_IDS) phase(`audit: rule ${id}`, () => RULES[id].run(ctx));
  }

  gc();
  const compiled = phase("kernel compileModel", () => compileModel(model), false);
  const g = compiled.graph;
  const node = (id) => compiled.node.get(id);
  const entries = model.workloads.map((w) => node(w.entry));
  const spread = model.components
    .filter((c) => c.placement.domains.length > 1 && c.redundancy.mode !== "all")
    .map((c) => node(c.id));
  const countMask = new Uint8Array(g.nodeCount);
  let units = 0;
  for (let x = 0; x < g.nodeCount; x++) {
    countMask[x] = g.type[x] === NodeType.component ? 1 : 0;
    units += g.isUnit[x];
  }
  const entrySets = phase(
    "kernel singleFailureSets: workload entries",
    () => singleFailureSets(g, compiled.out, entries),
    false,
  );
  emit({
    type: "shape",
    "graph nodes": g.nodeCount,
    "graph edges": g.inputs.length,
    "failure units": units,
    "workload entries": entries.length,
    "replicated components": spread.length,
    "order-1 cut set of an entry (mean units)": Math.round(
      entrySets.reduce((a, s) => a + s.length, 0) / Math.max(1, entrySets.length),
    ),
  });
  phase(
    "kernel blastRadiusSummary: all units",
    () => blastRadiusSummary(g, entries, [countMask]),
    false,
  );
  // The cut sets of every replicated component are no longer part of the audit (the
  // multi-zone illusion is counted per shared unit in the bitset pass); at 100k they take
  // several minutes, so they are measured at the small size only, to show the contrast.
  if (size.key === "10k") {
    phase(
      "kernel singleFailureSets: replicated components",
      () => singleFailureSets(g, compiled.out, spread),
      false,
    );
  }

  if (size.key === "10k") {
    const text = modelToYaml(model);
    const bytes = Buffer.byteLength(text);
    const lines = text.split("\n").length - 1;
    for (let i = 0; i < PARSE_RUNS; i++) {
      gc();
      emit({ type: "start", name: `parse ${i + 1}` });
      const r = time(() =>
        parseModel("synthetic.yaml", (p) => (p === "synthetic.yaml" ? text : undefined)),
      );
      if (!r.value.ok) {
        const first = r.value.diagnostics.find((d) => d.severity === "error");
        throw new Error(`the generated YAML does not validate: ${first?.message ?? "unknown"}`);
      }
      emit({ type: "parse", ms: r.ms, bytes, lines });
      say(`parse + validate ${i + 1}/${PARSE_RUNS}: ${seconds(r.ms)}`);
    }
  }
}

// --- helpers ------------------------------------------------------------------------------------

/**
 * One timed audit. Only numbers leave this function, so that the report (gigabytes at the
 * largest size) is garbage before the next run starts.
 */
function auditOnce(model) {
  const cpu = process.cpuUsage();
  const run = time(() => analyze(model));
  const used = process.cpuUsage(cpu);
  return {
    ms: run.ms,
    cpuMs: (used.user + used.system) / 1000,
    findings: run.value.findings.length,
  };
}

function time(fn) {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
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
