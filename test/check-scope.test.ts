/**
 * What `npm run check` formats and lints: the project's own files. Models, reports and notes a
 * user keeps in the checkout (outside examples/, test/ and schema/) are theirs and never fail
 * the check; a badly formatted file among the project's own still does.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;
const BIOME = join(ROOT, "node_modules/@biomejs/biome/bin/biome");
/** Valid YAML and JSON, neither of them formatted as the project formats its own. */
const UNFORMATTED_YAML = "name:    shop\ncomponents:   {api: {kind: api,   placement: global}}\n";
const UNFORMATTED_JSON = '{"findings":[\n1,2,\n3]}\n';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new directory `prefix…` under `parent` in the checkout, removed after the tests. */
function dirIn(parent: string, prefix: string): string {
  const dir = mkdtempSync(join(ROOT, parent, prefix));
  made.push(dir);
  return dir;
}

function biomeCheck(files: readonly string[]) {
  const r = spawnSync(
    process.execPath,
    [BIOME, "check", "--no-errors-on-unmatched", ...files.map((f) => relative(ROOT, f))],
    { cwd: ROOT, encoding: "utf8" },
  );
  return { code: r.status, output: r.stdout + r.stderr };
}

describe("the check's scope", () => {
  it("leaves a user's models and reports in the checkout alone", () => {
    const dir = dirIn(".", "user-files-");
    const model = join(dir, "shop.yaml");
    const report = join(dir, "report.json");
    const broken = join(dir, "half-written.yaml");
    writeFileSync(model, UNFORMATTED_YAML);
    writeFileSync(report, UNFORMATTED_JSON);
    writeFileSync(broken, "name: x\n  components: [\n");
    const r = biomeCheck([model, report, broken]);
    expect(r.output).not.toContain("shop.yaml");
    expect(r.code).toBe(0);
  });

  it("still fails on a badly formatted file of the project's own", () => {
    const dir = dirIn("test", "scope-");
    const model = join(dir, "shop.yaml");
    writeFileSync(model, UNFORMATTED_YAML);
    const r = biomeCheck([model]);
    expect(r.code).toBe(1);
    expect(r.output).toContain("shop.yaml");
  });
});
