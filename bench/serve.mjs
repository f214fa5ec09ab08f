// Benchmark of `faultline serve`'s responsiveness: how long GET /api/files takes to answer
// while simulations run (target: under 1 s), and what a flood of runs gets.
//
//   npm run bench               every benchmark
//   node bench/serve.mjs        after `npm run build`
//
// The server runs in a process of its own (`faultline serve`), so the client's work is not
// counted. Cases, each repeated ROUNDS times on a fresh server over the examples:
// - busy: 4 runs of the us-east-1 replay with its lessons side by side in flight; the listing
//   is asked for every 100 ms until they are done;
// - flood: 200 such runs sent at once (issue 15 measured a 7 s wait for other requests); runs
//   beyond the queue are refused with 503 at once, connections beyond the cap are closed
//   ("reset"), and the listing, on a connection opened before, is timed the same way.
// Printed: the median and the worst listing time over all rounds, and the runs' statuses. The
// exit code stays 0: this is a measurement, not a test.
import { spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";

const ROUNDS = 3;
const TARGET_S = 1;
const root = fileURLToPath(new URL("..", import.meta.url));
const body = JSON.stringify({
  model: "examples/aws-us-east-1.yaml",
  scenario: "examples/scenarios/aws-us-east-1-2025.yaml",
  compare: "examples/scenarios/aws-us-east-1-2025-lessons.yaml",
});

/**
 * A run, sent through node:http's own connections: the listing, sent with fetch, keeps its
 * connection (opened before, kept alive, as the page's is) and never waits behind the runs in
 * this client.
 */
function postRun(url, origin) {
  return new Promise((ok) => {
    const req = request(`${url}api/run`, { method: "POST", headers: { origin } }, (res) => {
      res.resume();
      res.on("end", () => ok(String(res.statusCode)));
    });
    req.on("error", () => ok("reset"));
    req.end(body);
  });
}

/** `faultline serve` in a child process, and the address it prints. */
function startServer() {
  const child = spawn(process.execPath, [
    fileURLToPath(new URL("../dist/cli/main.js", import.meta.url)),
    "serve",
    "--root",
    root,
    "--port",
    "0",
  ]);
  const url = new Promise((ok, fail) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /Faultline UI at (\S+) /.exec(out);
      if (m) ok(m[1]);
    });
    child.once("exit", (code) => fail(new Error(`serve exited with ${code}`)));
  });
  return { child, url };
}

async function round(runs) {
  const server = startServer();
  const url = await server.url;
  const origin = new URL(url).origin;
  try {
    // Warm the worker up, so the round measures serving, not starting.
    await fetch(`${url}api/run`, { method: "POST", headers: { origin }, body });
    await (await fetch(`${url}api/files`)).arrayBuffer();
    const statuses = {};
    let done = false;
    const inFlight = Promise.all(
      Array.from({ length: runs }, () =>
        postRun(url, origin).then((status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        }),
      ),
    ).then(() => {
      done = true;
    });
    const waits = [];
    let refused = 0;
    while (!done) {
      const t0 = performance.now();
      try {
        await (await fetch(`${url}api/files`)).arrayBuffer();
        waits.push((performance.now() - t0) / 1000);
      } catch {
        refused++; // a new connection the server turned away: over its cap
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
    await inFlight;
    return { waits, statuses, refused };
  } finally {
    server.child.kill("SIGTERM");
  }
}

for (const [label, runs] of [
  ["busy (4 runs)", 4],
  ["flood (200 runs)", 200],
]) {
  const waits = [];
  const statuses = {};
  let refused = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const r = await round(runs);
    waits.push(...r.waits);
    refused += r.refused;
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  }
  waits.sort((a, b) => a - b);
  const median = waits[Math.floor(waits.length / 2)];
  const worst = waits.at(-1);
  const verdict = worst <= TARGET_S ? "ok" : "OVER";
  const answered = Object.entries(statuses)
    .map(([k, v]) => `${v}× ${k}`)
    .join(", ");
  console.log(
    `serve ${label.padEnd(18)} listing answered in ${median.toFixed(3)} s median, ${worst.toFixed(3)} s worst, of ${waits.length} while runs were in flight (${ROUNDS} rounds; ${refused} listings refused a connection); runs: ${answered}  target ${TARGET_S} s  ${verdict}`,
  );
}
