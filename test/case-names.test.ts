/**
 * Nothing case-specific in the product: no source file of `src/` names a case of the library
 * (its directory name) or the company, product or system a case replays. The engine learns a
 * mechanism in general form, with its own test, and the case only uses it. Test files and test
 * fixtures may load the examples; the demo command names the one case it tells, on purpose.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;
const CASES = join(ROOT, "examples/cases");

/** What each case replays, beyond its directory name: words that would betray a tailored engine. */
const NAMES = [
  "slack",
  "facebook",
  "instagram",
  "whatsapp",
  "crowdstrike",
  "channel file",
  "transit gateway",
  "dropletworkflow",
];

/** Files that may name a case, and why. */
const ALLOWED = new Map([
  ["src/cli/commands/demo.ts", "the demo tells the us-east-1 case's story by name"],
]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    const test = /\.test\.ts$/.test(name) || /(^|-)fixtures\.ts$/.test(name);
    return name.endsWith(".ts") && !test ? [path] : [];
  });
}

describe("the engine knows no case", () => {
  const ids = readdirSync(CASES).filter((d) => statSync(join(CASES, d)).isDirectory());

  it("has cases to look for", () => {
    expect(ids.length).toBeGreaterThanOrEqual(5);
  });

  it("names none of them, nor what they replay, in src/", () => {
    const words = [...ids, ...NAMES];
    const found: string[] = [];
    for (const file of sources(join(ROOT, "src"))) {
      const rel = relative(ROOT, file);
      if (ALLOWED.has(rel)) continue;
      const text = readFileSync(file, "utf8").toLowerCase();
      for (const w of words) if (text.includes(w)) found.push(`${rel}: ${w}`);
    }
    expect(found).toEqual([]);
  });
});
