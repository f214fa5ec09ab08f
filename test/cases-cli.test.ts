/**
 * `faultline cases` end to end on a one-case library whose numbers are worked out by hand: the
 * database is down from 0 until it is restarted by hand at 1 h, and restarts in 10 min (a
 * calibrated number), so it is back at 1 h 10 min — at 1 h 05 with the restart × 0.5, at 1 h 15
 * with × 1.5. A window of 1 h 08–1 h 12 therefore holds only as calibrated, while the API's
 * immediate failure holds whatever the restart time.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;
const LIBRARY = "test/fixtures/cases";

function run(args: string[]) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "cases", ...args],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, FAULTLINE_DEBUG: "", NO_COLOR: "1" } },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const copyLibrary = () => {
  const dir = mkdtempSync(join(tmpdir(), "faultline-cases-"));
  cpSync(join(ROOT, LIBRARY), dir, { recursive: true });
  return dir;
};

describe("faultline cases", () => {
  it("scores each fact: from mechanisms, on a calibrated number, not reproduced", () => {
    const r = run([LIBRARY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const json = JSON.parse(run([LIBRARY, "-f", "json", "--jobs", "1"]).stdout);
    const facts = Object.fromEntries(
      json.cases[0].facts.map((f: { id: string; verdict: string }) => [f.id, f]),
    );
    expect(facts["fails-at-once"].verdict).toBe("mechanisms");
    expect(facts["back-at-ten-past"].verdict).toBe("calibrated");
    expect(facts["back-at-ten-past"].breaks).toEqual([
      {
        key: "components/db/recovery/restart",
        file: "test/fixtures/cases/tiny/model.yaml",
        factor: 0.5,
        written: "5m",
        actual: "1h5m (at 01:05:00)",
      },
      {
        key: "components/db/recovery/restart",
        file: "test/fixtures/cases/tiny/model.yaml",
        factor: 1.5,
        written: "15m",
        actual: "1h15m (at 01:15:00)",
      },
    ]);
    expect(facts["too-early"].verdict).toBe("not-reproduced");
    expect(facts["users-angry"].verdict).toBe("not-reproduced");
    expect(json.totals).toEqual({ facts: 4, mechanisms: 1, calibrated: 1, notReproduced: 2 });
    expect(json.cases[0]).toMatchObject({ runs: 3, guessed: 1, public: 2 });
    // The table: a row per fact with its public and simulated values, and the totals.
    expect(r.stdout).toMatch(/✓ fails-at-once +at 00:00 +0ms +reproduced from/);
    expect(r.stdout).toMatch(/~ back-at-ten-past +01:10 +1h10m \(at 01:10:00\) +depends on a/);
    expect(r.stdout).toContain(
      "back-at-ten-past: breaks with components/db/recovery/restart ×0.5 (5m): 1h5m (at 01:05:00)",
    );
    expect(r.stdout).toContain("users-angry: not simulated — the model has no users' mood");
    expect(r.stdout).toMatch(/all +4 +1 \(25%\) +1 \(25%\) +2 \(50%\)/);
  });

  it("gives the same bytes with one job and with two", () => {
    const one = run([LIBRARY, "-f", "json", "--jobs", "1"]);
    const two = run([LIBRARY, "-f", "json", "--jobs", "2"]);
    expect(two.stdout).toBe(one.stdout);
  });

  it("exits 1 below --min, and 0 at or above it", () => {
    const below = run([LIBRARY, "--min", "30%", "-f", "json"]);
    expect(below.code).toBe(1);
    expect(below.stderr).toContain("1 of 4 facts reproduced from mechanisms, below --min 30%");
    expect(run([LIBRARY, "--min", "25%", "-f", "json"]).code).toBe(0);
  });

  it("refuses a number whose origin is not said, at its line, exit 2", () => {
    const dir = copyLibrary();
    const model = join(dir, "tiny", "model.yaml");
    writeFileSync(
      model,
      readFileSync(model, "utf8").replace("  components/api/capacity: { source: guess }\n", ""),
    );
    const r = run([dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      "tiny/model.yaml:14:15: error[missing-key] components.api.capacity: where this number comes from is not said: mark it in assumptions:, as public (with fact), calibrated (with to) or guess — for example 'components/api/capacity: { source: guess }'",
    );
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
  });

  it("names the cases there are when asked for one that is not, and a file the manifest misses", () => {
    const unknown = run([LIBRARY, "--case", "tiney"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no case 'tiney' in test/fixtures/cases; the cases are tiny");
    const dir = copyLibrary();
    const manifest = join(dir, "tiny", "case.yaml");
    writeFileSync(
      manifest,
      readFileSync(manifest, "utf8").replace("scenario.yaml", "scenari.yaml"),
    );
    const missing = run([dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /tiny\/case\.yaml:5:11: error\[missing-file\] scenario: cannot read '.*scenari\.yaml': no such file/,
    );
  });
});
