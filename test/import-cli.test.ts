/**
 * `faultline import` end to end: what it writes, what it says on standard error, and that bad
 * input gets a located error, exit code 2 and no output file — not even half of one.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;
const STATE = "test/fixtures/importers/terraform-state.json";

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

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);

describe("faultline import", () => {
  it("writes a model that analyze reads, with provenance relative to it, and summarises on stderr", () => {
    const dir = mkdtempSync(join(tmpdir(), "faultline-import-"));
    const out = join(dir, "shop.yaml");
    const r = run(["import", STATE, "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`wrote ${out}: 18 components`);
    expect(r.stderr).toContain("warning[unknown-type] 1 resource(s) of 1 type(s)");
    const text = readFileSync(out, "utf8");
    expect(text).toContain("name: shop\n");
    expect(text).toMatch(
      /source: \{ file: [./]*[^,]*test\/fixtures\/importers\/terraform-state\.json, line: \d+/,
    );
    const audit = run(["analyze", out, "--format", "sarif"]);
    expect(audit.code).toBe(0);
    // Findings on imported components point at the Terraform file.
    expect(audit.stdout).toContain('"uri": "test/fixtures/importers/terraform-state.json"');
  });

  it("prints to stdout without -o, the same bytes whatever the order of the sources", () => {
    const a = run(["import", STATE, "test/fixtures/importers/terraform-state.json"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain("name: imported\n");
    const b = run(["import", STATE]);
    expect(b.stdout).toBe(a.stdout);
  });

  it("reports malformed input at its line and column, exits 2 and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "faultline-import-"));
    const bad = join(dir, "state.json");
    writeFileSync(
      bad,
      '{\n  "format_version": "1.0",\n  "values": { "root_module": [1, 2,] }\n}\n',
    );
    const out = join(dir, "model.yaml");
    const r = run(["import", bad, "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(
      `${bad}:3:36: error[syntax] not valid JSON: unexpected ']': expected a value`,
    );
    expect(r.stderr).toContain("faultline: nothing written: 1 error");
    noStack(r.stderr);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("leaves an existing output untouched when the import fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "faultline-import-"));
    const out = join(dir, "model.yaml");
    writeFileSync(out, "name: before\n");
    const bad = join(dir, "x.yaml");
    writeFileSync(bad, "a: [1, 2\n");
    const r = run(["import", bad, "-o", out]);
    expect(r.code).toBe(2);
    expect(readFileSync(out, "utf8")).toBe("name: before\n");
  });

  it("refuses to write over one of its sources, and leaves it as it was", () => {
    const dir = mkdtempSync(join(tmpdir(), "faultline-import-"));
    const state = join(dir, "state.json");
    const text = readFileSync(join(ROOT, STATE), "utf8");
    writeFileSync(state, text);
    const r = run(["import", dir, "-o", join(dir, "sub", "..", "state.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refusing to write to '${join(dir, "sub", "..", "state.json")}'`);
    expect(readFileSync(state, "utf8")).toBe(text);
  });

  it("refuses a source that is not a regular file rather than wait on it", () => {
    const dir = mkdtempSync(join(tmpdir(), "faultline-import-"));
    const fifo = join(dir, "state.json");
    execFileSync("mkfifo", [fifo]);
    const r = run(["import", fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `faultline: cannot read '${fifo}': it is not a regular file (a device, a pipe or a socket); sources are read from files\n`,
    );
  });

  it("says which sources it cannot read or recognise", () => {
    expect(run(["import", "no/such.json"]).stderr).toBe(
      "faultline: cannot read 'no/such.json': no such file or directory\n",
    );
    const dir = mkdtempSync(join(tmpdir(), "faultline-import-"));
    const other = join(dir, "other.yaml");
    writeFileSync(other, "hello: world\n");
    const r = run(["import", other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${other}:1:1: error[unknown-format] 1 document(s) are in no format faultline import reads`,
    );
  });
});
