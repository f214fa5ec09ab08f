/**
 * The build does nothing when dist/ is fresh. npm runs `prepare` again when `npx faultline`
 * first installs the checkout into its cache; that second run must not rebuild what `npm ci`
 * has just built.
 */
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;
const BUILD = join(ROOT, "scripts/build.mjs");
const OUTPUTS = ["dist/cli/main.js", "dist/index.js", "dist/web/index.html", "dist/web/serve.html"];

const build = (...args: string[]) =>
  execFileSync(process.execPath, [BUILD, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

describe("the build", () => {
  it("after a build, a second one leaves dist/ untouched", () => {
    build();
    const before = OUTPUTS.map((p) => statSync(join(ROOT, p)).mtimeMs);
    expect(build()).toBe("build: lib is up to date\nbuild: web is up to date\n");
    expect(OUTPUTS.map((p) => statSync(join(ROOT, p)).mtimeMs)).toEqual(before);
  });

  it("refuses a part it does not know", () => {
    expect(() => build("docs")).toThrow(/unknown part docs/);
  });
});
