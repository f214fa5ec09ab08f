/**
 * The `faultline` command end to end, as a user runs it: exit codes, where output goes, and
 * that bad input gets located one-line messages and never a stack trace.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src/cli/main.ts"), ...args],
    {
      cwd,
      encoding: "utf8",
      env: { ...process.env, FAULTLINE_DEBUG: "", NO_COLOR: "1" },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempModel(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "faultline-cli-"));
  const file = join(dir, "model.yaml");
  writeFileSync(file, text);
  return file;
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);

describe("faultline validate", () => {
  it("accepts the examples", () => {
    const r = run(["validate", "examples/aws-us-east-1.yaml", "examples/startup-stack.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("examples/aws-us-east-1.yaml: ok — model 'aws-us-east-1'");
  });

  it("reports a typo'd key with line and column, exit 2", () => {
    const file = tempModel("name: x\ncomponents:\n  api:\n    kind: api\n    placment: global\n");
    const r = run(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      ":5:5: error[unknown-key] components.api.placment: unknown key 'placment' — did you mean 'placement'?",
    );
    noStack(r.stderr);
  });

  it("reports a missing file in one line", () => {
    const r = run(["validate", "no/such/model.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      "no/such/model.yaml:1:1: error[missing-file] cannot read 'no/such/model.yaml': no such file",
    ]);
  });

  it("gives machine-readable diagnostics with --format json", () => {
    const file = tempModel("name: x\ncomponents:\n  api: { kind: apy, placement: global }\n");
    const r = run(["validate", "--format", "json", file]);
    expect(r.code).toBe(2);
    const payload = JSON.parse(r.stdout);
    expect(payload.valid).toBe(false);
    expect(payload.files[0].diagnostics[0]).toEqual(
      expect.objectContaining({ code: "invalid-value", line: 3, column: 16, suggestion: "api" }),
    );
  });
});

describe("faultline analyze", () => {
  it("prints JSON with a schema version and the seed's findings", () => {
    const r = run(["analyze", "examples/aws-us-east-1.yaml", "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    const rules = new Set(report.findings.map((f: { rule: string }) => f.rule));
    for (const rule of ["cycle", "spof", "shared-failure-domain", "monitoring-dependence"])
      expect(rules).toContain(rule);
    const named = new Set(report.findings.flatMap((f: { components: string[] }) => f.components));
    for (const id of ["iam", "dynamodb", "dynamodb.us-east-1.amazonaws.com"])
      expect(named).toContain(id);
  });

  it("is byte-identical across runs", () => {
    const a = run(["analyze", "examples/aws-us-east-1.yaml", "--format", "sarif"]);
    const b = run(["analyze", "examples/aws-us-east-1.yaml", "--format", "sarif"]);
    expect(a.stdout).toBe(b.stdout);
  });

  it("exits 1 at or above --fail-on and writes --out", () => {
    const dir = mkdtempSync(join(tmpdir(), "faultline-out-"));
    const out = join(dir, "nested", "audit.md");
    const r = run([
      "analyze",
      "examples/aws-us-east-1.yaml",
      "--format",
      "markdown",
      "--out",
      out,
      "--fail-on",
      "critical",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toContain("cycle");
    const quiet = run([
      "analyze",
      "examples/multi-region-active-active.yaml",
      "--fail-on",
      "medium",
    ]);
    expect(quiet.code).toBe(0);
  });

  it("rejects bad options with exit 2 and a message", () => {
    const r = run(["analyze", "examples/aws-us-east-1.yaml", "--fail-on", "severe"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--fail-on must be one of info, low, medium, high, critical");
    const f = run(["analyze", "examples/aws-us-east-1.yaml", "--format", "pdf"]);
    expect(f.code).toBe(2);
    noStack(f.stderr);
  });

  it("exits 2 on an invalid model, listing every problem", () => {
    const file = tempModel(
      "name: x\ncomponents:\n  a: { kind: api, placement: global, needs: [bb] }\n  b: { kind: api, placement: global, needs: [aa] }\n",
    );
    const r = run(["analyze", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      ":3:46: error[unknown-reference] components.a.needs.0: unknown component 'bb' — did you mean 'b'?",
    );
    expect(r.stderr).toContain(
      ":4:46: error[unknown-reference] components.b.needs.0: unknown component 'aa' — did you mean 'a'?",
    );
    expect(r.stderr).toContain("2 errors");
    noStack(r.stderr);
  });
});

describe("faultline schema", () => {
  it("prints the committed editor schema", () => {
    const r = run(["schema"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, "schema/faultline-model.schema.json"), "utf8"));
  });
});

const MODEL = "examples/aws-us-east-1.yaml";
const REPLAY = "examples/scenarios/aws-us-east-1-2025.yaml";

function tempScenario(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "faultline-cli-"));
  const file = join(dir, "scenario.yaml");
  writeFileSync(file, text);
  return file;
}

describe("faultline simulate", () => {
  it("writes byte-identical JSON on two runs, exit 0 when every check of expect: holds", () => {
    const a = run(["simulate", MODEL, "--scenario", REPLAY, "--format", "json"]);
    const b = run(["simulate", MODEL, "--scenario", REPLAY, "--format", "json"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const journal = JSON.parse(a.stdout);
    expect(journal.schemaVersion).toBe(3);
    type V = { ok: boolean; fact?: string; subject: string };
    const failing = journal.expectations.filter((v: V) => !v.ok);
    // Only public facts the replay does not reproduce; they are scored, not failed.
    expect(failing.map((v: V) => `${v.fact} ${v.subject}`)).toEqual([
      "backlog-chain nlb",
      "amplification ecs",
      "poller-backlog customer-events",
    ]);
    expect(journal.publicRecord.facts).toHaveLength(8);
  });

  it("exits 1 when an expectation fails, and says which", () => {
    const file = tempScenario(`name: strict
duration: 1h
faults:
  emptied: { kind: dns-empty, target: dynamodb.us-east-1.amazonaws.com }
expect:
  - impacted: { component: iam, is: false }
`);
    const r = run(["simulate", MODEL, "--scenario", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("0 of 1 expectation met.");
    expect(r.stdout).toMatch(/✗ impacted iam .*scenario\.yaml:6/);
  });

  it("exits 0 when only a public fact is not reproduced, and counts the facts", () => {
    const file = tempScenario(`name: scored
duration: 1h
faults:
  emptied: { kind: dns-empty, target: dynamodb.us-east-1.amazonaws.com }
facts:
  identity-holds:
    claim: "identity kept working"
    public: "no errors"
    expect:
      - impacted: { component: iam, is: false }
  scale:
    claim: "millions of requests"
    public: "8 million"
    notSimulated: "no count of requests"
`);
    const r = run(["simulate", MODEL, "--scenario", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("0 of 1 expectation met (0 of 2 public facts reproduced).");
    expect(r.stdout).toMatch(/✗ impacted iam \(fact identity-holds\) .*scenario\.yaml:10/);
  });

  it("locates a mistake in the scenario, exit 2, no stack trace", () => {
    const file = tempScenario(
      "name: typo\nduration: 1h\nfaults:\n  emptied: { kind: dns-empty, target: dynamodb.us-east-1.amazonaws.com, untill: 1h }\n",
    );
    const r = run(["simulate", MODEL, "--scenario", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /scenario\.yaml:4:\d+: error\[unknown-key\] faults\.emptied\.untill: unknown key 'untill' — did you mean 'until'\?/,
    );
    noStack(r.stderr);
  });
});

describe("faultline explain", () => {
  it("traces the lease manager's failure to the emptied record", () => {
    const r = run(["explain", MODEL, "-s", REPLAY, "-c", "ec2-launch-api", "--at", "5h"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^ec2-launch-api down at 2025-10-20 04:48:00.0 \(since .*\), traced back to fault endpoint-emptied$/,
    );
    expect(r.stdout).toContain("ec2-dwfm");
    expect(r.stdout).toContain("re-establishing");
  });

  it("suggests the closest component for a typo, exit 2", () => {
    const r = run(["explain", MODEL, "-s", REPLAY, "-c", "ec2-launch-apii"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "no component 'ec2-launch-apii' in model aws-us-east-1 — did you mean 'ec2-launch-api'?",
    );
  });
});

describe("faultline demo", () => {
  it("tells the replay's story, exit 0 with facts it does not reproduce, then the lessons", () => {
    const r = run(["demo"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Expectations: 21 of 24 hold");
    expect(r.stdout).toContain("4 of 8 public facts reproduced: the others are marked ✗");
    expect(r.stdout).toContain("The same fault with aws-us-east-1-2025-lessons:");
  });
});

describe("faultline validate --scenario", () => {
  it("checks a scenario against the model", () => {
    const r = run(["validate", MODEL, "--scenario", REPLAY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `${REPLAY}: ok — scenario 'aws-us-east-1-2025': 2 faults, 7 actions, 24 expectations (8 public facts)`,
    );
  });
});

describe("faultline report", () => {
  it("writes one HTML file with the replay and its comparison", () => {
    const out = join(mkdtempSync(join(tmpdir(), "faultline-report-")), "report.html");
    const r = run([
      "report",
      MODEL,
      "--scenario",
      REPLAY,
      "--compare",
      "examples/scenarios/aws-us-east-1-2025-lessons.yaml",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^wrote .*report\.html \(\d+\.\d MB\): open it in a browser/);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("<title>Faultline — aws-us-east-1</title>");
    expect(html).toContain('"label":"aws-us-east-1-2025-lessons"');
    // Self-contained: no script or style is fetched from anywhere.
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
  });

  it("needs --out, and --scenario before --compare; bad input exits 2 without a stack", () => {
    const noOut = run(["report", MODEL]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("required option '-o, --out <file>' not specified");
    const noScenario = run(["report", MODEL, "--compare", REPLAY, "--out", "x.html"]);
    expect(noScenario.code).toBe(2);
    expect(noScenario.stderr).toContain("--compare needs --scenario");
    const bad = run(["report", tempModel("name: x\ncomponents: [1]\n"), "--out", "x.html"]);
    expect(bad.code).toBe(2);
    noStack(bad.stderr);
  });
});

describe("faultline serve", () => {
  it("refuses a model outside its project directory and a bad port, exit 2", () => {
    const outside = run(["serve", tempModel("name: x\n"), "--root", "examples"]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("is outside the project directory");
    const port = run(["serve", "--port", "70000"]);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port takes an integer from 0 to 65535");
  });

  it("listens on 127.0.0.1, prints its URL, and serves the project's files", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "serve", MODEL, "--port", "0"],
      { cwd: ROOT, env: { ...process.env, FAULTLINE_DEBUG: "" } },
    );
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /Faultline UI at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) ok(m[1] as string);
        });
        child.once("exit", (code) => fail(new Error(`serve exited with ${code}: ${out}`)));
      });
      const files = (await (await fetch(`${url}api/files`)).json()) as { models: string[] };
      expect(files.models).toContain(MODEL);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
