/**
 * `faultline sensitivity` end to end, as a user runs it: its table, the same bytes for any
 * number of jobs, files written whole, and bad input told in one located line with exit 2.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;
const MODEL = "examples/queue-drain.yaml";
const SCENARIO = "examples/scenarios/queue-drain.yaml";

function run(args: string[]) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "sensitivity", ...args],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, FAULTLINE_DEBUG: "", NO_COLOR: "1" } },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
const tempDir = () => mkdtempSync(join(tmpdir(), "faultline-sensitivity-"));

describe("faultline sensitivity", () => {
  it("prints which outcomes move, and nothing on standard error when it is not a terminal", () => {
    const r = run([MODEL, "-s", SCENARIO]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("1  ✗ drained at 02:00:00  drained at 01:20:00");
    expect(r.stdout).toMatch(/jobs drained {2}01:30:00 {2}1 {3}\+30m {3}−10m {4}40m/);
  });

  it("gives the same bytes with one job and with two worker threads", () => {
    const one = run([MODEL, "-s", SCENARIO, "--all", "-f", "json", "--jobs", "1"]);
    const two = run([MODEL, "-s", SCENARIO, "--all", "-f", "json", "--jobs", "2"]);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(JSON.parse(one.stdout).parameters).toHaveLength(5);
  });

  it("writes the HTML page to a file with -o, and takes --spread", () => {
    const out = join(tempDir(), "sensitivity.html");
    const r = run([MODEL, "-s", SCENARIO, "-f", "html", "-o", out, "--spread", "20%"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const html = readFileSync(out, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("× 0.8");
    expect(html).toContain("160 rps");
  });

  it("reports a path that leads nowhere at its line, with the nearest one, exit 2", () => {
    const dir = tempDir();
    const model = join(dir, "model.yaml");
    writeFileSync(
      model,
      readFileSync(MODEL, "utf8").replace(
        "queues/jobs/consumers/worker:",
        "queues/jobs/consumer/worker:",
      ),
    );
    const r = run([model, "-s", SCENARIO]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      `${model}:37:3: error[unknown-reference] assumptions.queues/jobs/consumer/worker: 'queues/jobs/consumer/worker' leads nowhere: 'queues/jobs' has no 'consumer' — did you mean 'queues/jobs/consumers/worker'?`,
    ]);
    noStack(r.stderr);
  });

  it("says how to mark numbers when there is nothing to vary, exit 2", () => {
    const model = join(tempDir(), "model.yaml");
    const text = readFileSync(MODEL, "utf8");
    writeFileSync(model, text.slice(0, text.indexOf("\nassumptions:") + 1));
    const r = run([model, "-s", SCENARIO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("faultline: nothing to vary");
    expect(r.stderr).toContain("components/api/capacity: { source: guess }");
    noStack(r.stderr);
  });

  it("refuses a spread of 100% or more, and a seed it would have nothing to do with", () => {
    expect(run([MODEL, "-s", SCENARIO, "--spread", "100%"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("expected a percentage above 0% and below 100%"),
    });
    const seeded = run([MODEL, "-s", SCENARIO, "--seed", "7"]);
    expect(seeded.code).toBe(2);
    expect(seeded.stderr).toContain("faultline: --seed: nothing here is drawn at random");
  });
});
