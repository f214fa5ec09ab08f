/**
 * `faultline diagram` end to end: output on stdout or in a file, exit codes, and a one-line
 * message with a suggestion for a unit that does not exist.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;

function run(args: string[]) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src/cli/main.ts"), ...args],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, FAULTLINE_DEBUG: "", NO_COLOR: "1" } },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const MODEL = "examples/aws-us-east-1.yaml";

describe("faultline diagram", () => {
  it("prints Mermaid by default", () => {
    const r = run(["diagram", MODEL]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^%% faultline: aws-us-east-1\nflowchart LR\n/);
  });

  it("prints DOT and D2 on request, the same bytes on every run", () => {
    for (const format of ["dot", "d2"]) {
      const first = run(["diagram", MODEL, "--format", format]);
      expect(first.code).toBe(0);
      expect(run(["diagram", MODEL, "-f", format]).stdout).toBe(first.stdout);
    }
    expect(run(["diagram", MODEL, "-f", "dot"]).stdout).toMatch(/^digraph "aws-us-east-1" \{/);
    expect(run(["diagram", MODEL, "-f", "d2"]).stdout).toContain("direction: right");
  });

  it("writes the diagram to --out and nothing to stdout", () => {
    const out = join(mkdtempSync(join(tmpdir(), "faultline-diagram-")), "sub", "aws.dot");
    const r = run(["diagram", MODEL, "-f", "dot", "--highlight", "iam", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const text = readFileSync(out, "utf8");
    expect(text).toContain('label="faultline: aws-us-east-1 — blast radius of iam"');
    expect(text).toContain('"c:iam" [label="iam\\nidentity, control plane"');
  });

  it("rejects an unknown unit with the closest one, exit 2", () => {
    const r = run(["diagram", MODEL, "--highlight", "dynamodbb"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "faultline: --highlight: unknown unit 'dynamodbb' — did you mean 'dynamodb'?\n",
    );
  });

  it("says a queue is no unit and names its host, exit 2", () => {
    const r = run(["diagram", MODEL, "--highlight", "customer-events"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'customer-events' is a queue, not a failure unit");
  });

  it("rejects an unknown format and a missing model, exit 2", () => {
    const bad = run(["diagram", MODEL, "--format", "svg"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "argument 'svg' is invalid. Allowed choices are mermaid, dot, d2.",
    );
    const missing = run(["diagram", "no/such.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      "no/such.yaml:1:1: error[missing-file] cannot read 'no/such.yaml': no such file",
    );
  });
});
