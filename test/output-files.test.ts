/**
 * Output files end to end. Every `-o/--out` is written whole or not at all: a `faultline report`
 * killed while writing, or a `faultline serve` killed while saving, leaves the previous file
 * intact. An output path that names one of the run's inputs — the model, a file it includes, a
 * scenario — however written, is refused with exit 2 before anything is written.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;
const MAIN = join(ROOT, "src/cli/main.ts");
// The tests run in temporary directories: tsx is found from here, not from there.
const TSX = import.meta.resolve("tsx");
const STALL = pathToFileURL(join(ROOT, "test/fixtures/stall-write.mjs")).href;
const MODEL = readFileSync(join(ROOT, "examples/aws-us-east-1.yaml"), "utf8");
const SCENARIO = readFileSync(join(ROOT, "examples/scenarios/aws-us-east-1-2025.yaml"), "utf8");

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "faultline-out-"));
  writeFileSync(join(dir, "m.yaml"), MODEL);
  writeFileSync(join(dir, "s.yaml"), SCENARIO);
  return dir;
}

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ["--import", TSX, MAIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, FAULTLINE_DEBUG: "", NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI with every large file write stalling halfway. */
function stalled(args: string[], cwd: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ["--import", TSX, "--import", STALL, MAIN, ...args], {
    cwd,
    env: { ...process.env, FAULTLINE_DEBUG: "", NO_COLOR: "1" },
  });
}

function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((ok) => {
    let seen = "";
    stream.on("data", (d: Buffer) => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m) ok(m);
    });
  });
}

function killed(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((ok) => {
    child.once("exit", () => ok());
    child.kill("SIGKILL");
  });
}

describe("an output path that names an input", () => {
  it("is refused, exit 2, and the model is left as it was", () => {
    const dir = project();
    mkdirSync(join(dir, "sub"));
    symlinkSync("m.yaml", join(dir, "link.yaml"));
    for (const out of ["m.yaml", "./m.yaml", "sub/../m.yaml", "link.yaml", join(dir, "m.yaml")]) {
      const r = run(["analyze", "m.yaml", "-o", out], dir);
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toContain(
        `faultline: refusing to write to '${out}': it is the input file 'm.yaml'`,
      );
      expect(readFileSync(join(dir, "m.yaml"), "utf8")).toBe(MODEL);
    }
  });

  it("is refused for a file the model includes and for the scenario", () => {
    const dir = project();
    const part = "components:\n  a: { kind: api, placement: global }\n";
    writeFileSync(join(dir, "root.yaml"), "name: split\ninclude: [part.yaml]\n");
    writeFileSync(join(dir, "part.yaml"), part);
    const included = run(["diagram", "root.yaml", "-o", "part.yaml"], dir);
    expect(included.code).toBe(2);
    expect(included.stderr).toContain("it is the input file 'part.yaml'");
    expect(readFileSync(join(dir, "part.yaml"), "utf8")).toBe(part);
    for (const command of ["simulate", "report"]) {
      const r = run([command, "m.yaml", "-s", "s.yaml", "-o", "s.yaml"], dir);
      expect(r.code, command).toBe(2);
      expect(r.stderr).toContain("it is the input file 's.yaml'");
    }
    expect(readFileSync(join(dir, "m.yaml"), "utf8")).toBe(MODEL);
    expect(readFileSync(join(dir, "s.yaml"), "utf8")).toBe(SCENARIO);
  });
});

describe("a writer killed midway", () => {
  it("leaves the previous report intact (faultline report -o)", async () => {
    const dir = project();
    const good = "<!doctype html><title>the good report</title>\n";
    writeFileSync(join(dir, "report.html"), good);
    const child = stalled(["report", "m.yaml", "-o", "report.html"], dir);
    await waitFor(child.stderr, /STALLED/);
    await killed(child);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toBe(good);
    // It was killed midway indeed: half of the new report sits in its temporary file.
    const temp = readdirSync(dir).filter((f) => f.startsWith(".report.html."));
    expect(temp).toHaveLength(1);
    expect(readFileSync(join(dir, temp[0] as string), "utf8")).toMatch(/^<!doctype html>/i);
  });

  it("leaves the previous model intact (a faultline serve save)", async () => {
    const dir = project();
    const child = stalled(["serve", "--root", dir, "--port", "0"], dir);
    try {
      const [, url] = (await waitFor(child.stdout, /Faultline UI at (\S+) /)) as unknown as [
        string,
        string,
      ];
      const origin = new URL(url).origin;
      const read = (await (await fetch(`${url}api/file?path=m.yaml`)).json()) as {
        version: string;
      };
      // A save large enough to stall: the model and a long comment.
      const edit = `${MODEL}\n# ${"padding ".repeat(20_000)}\n`;
      const stalledSave = waitFor(child.stderr, /STALLED/);
      void fetch(`${url}api/file?path=m.yaml`, {
        method: "PUT",
        body: edit,
        headers: { origin, "if-match": `"${read.version}"` },
      }).catch(() => undefined);
      await stalledSave;
      await killed(child);
      expect(readFileSync(join(dir, "m.yaml"), "utf8")).toBe(MODEL);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("a good output path", () => {
  it("is written whole, with nothing left beside it", () => {
    const dir = project();
    cpSync(join(dir, "m.yaml"), join(dir, "copy.yaml"));
    const r = run(["analyze", "m.yaml", "-o", "out/audit.txt"], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "out/audit.txt"), "utf8")).toContain("Audit of aws-us-east-1");
    expect(readdirSync(join(dir, "out"))).toEqual(["audit.txt"]);
  });
});
