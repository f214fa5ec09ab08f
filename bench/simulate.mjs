// Benchmark of the cascade engine.
//
//   npm run bench                          the audit benchmark, then this one
//   node --expose-gc bench/simulate.mjs    after `npm run build`
//   node --expose-gc bench/simulate.mjs --quick    the replay and the 1k size only
//   node --expose-gc bench/simulate.mjs --timeout-min=N    stop the 10k case after N minutes (10)
//
// Cases:
// - the us-east-1 replay (examples/scenarios/aws-us-east-1-2025.yaml, one simulated day);
// - synthetic models of 1k and 10k components (5 dependencies each, src/synthetic) with their
//   first region down from 1 h to 3 h, over 24 h simulated.
// The synthetic models are generated for the static audit: their timeouts, capacities and
// concurrency limits are not consistent with the latency of their call chains, so a run would
// start with most of the model failing. They are removed here, and the generated operator
// actions are disabled (their alarms' thresholds are arbitrary). The cascade then comes from
// placement, dependencies, DNS, identity, caches, breakers, queues and recovery.
// Each case is timed over several runs (a garbage collection before each) and the median is
// compared with its target; engine events and steps per second are printed with it. Over
// target prints OVER; the exit code stays 0, since this is a measurement, not a test.
import { spawnSync } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { loadModel } from "../dist/model/load.js";
import { loadScenario } from "../dist/scenario/load.js";
import { simulate } from "../dist/sim/engine.js";
import { generateModel } from "../dist/synthetic/generate.js";

const quick = process.argv.includes("--quick");
/** `--only=N` runs case N alone (the parent runs the largest case this way, under a time limit). */
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const LIMIT_MIN = Number(process.argv.find((a) => a.startsWith("--timeout-min="))?.slice(14) ?? 10);
const root = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const gc = globalThis.gc ?? (() => {});
const LOC = { file: "bench", line: 1, column: 1 };

function regionOutage(model) {
  const region = model.domains.find((d) => d.kind === "region");
  if (!region) throw new Error("the synthetic model has no region");
  return {
    name: `${region.id} down for 2 h`,
    file: "bench",
    duration: 86400,
    faults: [
      {
        id: "region-down",
        kind: "down",
        target: region.id,
        at: 3600,
        end: { at: 3 * 3600 },
        loc: LOC,
      },
    ],
    actions: [],
    // The generated alarms' thresholds are arbitrary; the actions they trigger are left out.
    disabledModelActions: model.actions.map((a) => a.id),
    changes: [],
    expectations: [],
    loc: LOC,
  };
}

function synthetic(components) {
  const g = generateModel({ components, dependencies: components * 5, seed: 1 });
  return {
    ...g,
    components: g.components.map(({ capacity: _c, concurrency: _k, ...c }) => c),
    dependencies: g.dependencies.map(({ timeout: _t, ...d }) => d),
  };
}

const cases = [
  {
    label: "us-east-1 replay, 1 day",
    runs: 7,
    target: 0.5,
    setup() {
      const model = loadModel(root("examples/aws-us-east-1.yaml"));
      return {
        model,
        scenario: loadScenario(root("examples/scenarios/aws-us-east-1-2025.yaml"), model),
      };
    },
  },
  {
    label: "1k components, region down, 24 h",
    runs: 3,
    target: 5,
    setup() {
      const model = synthetic(1000);
      return { model, scenario: regionOutage(model) };
    },
  },
  ...(quick
    ? []
    : [
        {
          label: "10k components, region down, 24 h",
          runs: 3,
          target: 60,
          child: true,
          setup() {
            const model = synthetic(10_000);
            return { model, scenario: regionOutage(model) };
          },
        },
      ]),
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

function measure(c) {
  const { model, scenario } = c.setup();
  const times = [];
  let stats;
  for (let i = 0; i < c.runs; i++) {
    gc();
    const start = performance.now();
    const journal = simulate(model, scenario);
    times.push((performance.now() - start) / 1000);
    stats = journal.stats;
    process.stderr.write(`  ${c.label}: run ${i + 1}/${c.runs} ${times.at(-1).toFixed(3)} s\n`);
  }
  return { components: model.components.length, times, stats };
}

if (only !== undefined) {
  // Child: one case, its measurement as JSON on stdout.
  process.stdout.write(`${JSON.stringify(measure(cases[Number(only)]))}\n`);
  process.exit(0);
}

console.log(
  `Simulation benchmark — node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"})`,
);
const rows = [];
cases.forEach((c, index) => {
  let m;
  if (c.child) {
    // In a process of its own, stopped after the time limit.
    const r = spawnSync(
      process.execPath,
      ["--expose-gc", fileURLToPath(import.meta.url), `--only=${index}`],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        timeout: LIMIT_MIN * 60_000,
        maxBuffer: 1 << 20,
      },
    );
    if (r.status !== 0 || !r.stdout) {
      rows.push({
        case: c.label,
        "median s": `> ${LIMIT_MIN * 60}`,
        "target s": c.target,
        verdict: "OVER (stopped)",
      });
      return;
    }
    m = JSON.parse(r.stdout);
  } else m = measure(c);
  const med = median(m.times);
  rows.push({
    case: c.label,
    components: m.components,
    runs: c.runs,
    "median s": med.toFixed(3),
    "min–max s": `${Math.min(...m.times).toFixed(3)}–${Math.max(...m.times).toFixed(3)}`,
    "target s": c.target,
    verdict: med <= c.target ? "ok" : "OVER",
    steps: m.stats.steps,
    events: m.stats.events,
    "events/s": Math.round(m.stats.events / med),
    "steps/s": Math.round(m.stats.steps / med),
  });
});
console.table(rows);
