// Benchmark of `faultline import` on synthetic sources.
//
//   npm run bench                      builds, then runs this file among the others
//   node --expose-gc bench/import.mjs  after `npm run build`
//   node --expose-gc bench/import.mjs --runs=5
//
// Two cases, each targeted at 5 s: a Terraform state of 10,000 resources (a VPC and subnets in
// three zones; load balancers with listeners, target groups and attachments to instance
// groups; Lambda functions with roles, reading tables and queues named in their environment;
// multi-AZ databases with subnet groups; DNS records) and a Kubernetes set of 1,000 objects
// (Deployments spread over zones with Services, ConfigMaps, autoscalers and disruption
// budgets, plus an Ingress). The text is generated once (not timed); `importModel` — parsing,
// importing, merging, the catalogue, writing the YAML and checking the model with the model
// loader's checks — is timed on fresh calls with a garbage collection between runs, and the
// median, minimum and maximum are reported against the target. Then the model written from the
// state is loaded as a user's next command would (`parseModel`, from memory), which shows that
// it is read by the loader's fast reader (see model/yaml-fast.ts). Over target prints OVER; the
// exit code stays 0, since this is a measurement, not a test.
import os from "node:os";
import { importModel } from "../dist/importers/import.js";
import { parseModel } from "../dist/model/load.js";
import { kubernetesSet, terraformState } from "./import-sources.mjs";

const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 5);
const gc = globalThis.gc ?? (() => {});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const cases = [
  {
    label: "Terraform state, 10k resources",
    file: "state.json",
    make: () => terraformState(10_000),
    target: 5,
  },
  {
    label: "Kubernetes set, 1k objects",
    file: "k8s.yaml",
    make: () => kubernetesSet(1_000),
    target: 5,
  },
];

console.log(
  `Import benchmark — node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"})`,
);
let written;
for (const c of cases) {
  const text = c.make();
  const times = [];
  let summary;
  for (let i = 0; i < runs; i++) {
    gc();
    const start = performance.now();
    const r = importModel([{ path: c.file, text }], { name: "bench", output: "bench.yaml" });
    times.push((performance.now() - start) / 1000);
    if (!r.ok)
      throw new Error(
        `${c.label}: ${r.diagnostics
          .slice(0, 3)
          .map((d) => d.message)
          .join("; ")}`,
      );
    summary = r.summary;
    if (c.file === "state.json") written = r.yaml;
    process.stderr.write(`  ${c.label}: run ${i + 1}/${runs} ${times.at(-1).toFixed(2)} s\n`);
  }
  const m = median(times);
  console.log(
    `${c.label} (${(text.length / 1e6).toFixed(1)} MB; ${summary.components} components, ${summary.dependencies} dependencies): median ${m.toFixed(2)} s of ${runs} (${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)} s), target ${c.target} s${m > c.target ? "  OVER" : ""}`,
  );
}

// The state's model, loaded as `faultline analyze` would load it.
const loads = [];
for (let i = 0; i < runs; i++) {
  gc();
  const start = performance.now();
  const m = parseModel("bench.yaml", (p) => (p === "bench.yaml" ? written : undefined));
  loads.push((performance.now() - start) / 1000);
  if (!m.ok) throw new Error(`the imported model does not load: ${m.diagnostics[0]?.message}`);
}
console.log(
  `Loading the state's model (${(written.length / 1e6).toFixed(1)} MB of YAML): median ${median(loads).toFixed(2)} s of ${runs} (${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} s)`,
);
