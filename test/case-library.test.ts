/**
 * The library of replayed outages as shipped: every case loads with every number's origin said,
 * replays a public timeline and public facts, tells in its README what it fits and what it gets
 * wrong, and its lessons variant holds. (`test/cases-cli.test.ts` checks the scoring on a case
 * worked out by hand; `npm run cases` scores this library.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCaseLibrary } from "../src/cases/library.js";
import { formatDiagnostic } from "../src/model/diagnostics.js";
import { simulate } from "../src/sim/engine.js";

const library = readCaseLibrary("examples/cases");

describe("the case library", () => {
  it("loads, every number of every file marked", () => {
    expect(library.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(library.ok).toBe(true);
  });

  const cases = library.ok ? library.cases : [];

  it("has the five public outages", () => {
    expect(cases.map((c) => c.id)).toEqual([
      "aws-s3-2017",
      "aws-us-east-1-2025",
      "crowdstrike-2024",
      "facebook-2021",
      "slack-2021",
    ]);
  });

  it.each(cases.map((c) => [c.id, c] as const))(
    "%s: facts, a public timeline, a README that says what it fits and gets wrong, lessons that hold",
    (_id, c) => {
      expect(c.replay.scenario.facts.length).toBeGreaterThanOrEqual(5);
      expect(c.replay.scenario.timeline.length).toBeGreaterThanOrEqual(5);
      expect(c.replay.scenario.startsAt).toBeDefined();
      const readme = readFileSync(join(c.dir, "README.md"), "utf8");
      expect(readme).toMatch(/^## Calibrated number/m);
      expect(readme).toMatch(/^## What the replay gets wrong/m);
      expect(c.lessons).toBeDefined();
      const lessons = c.lessons as NonNullable<typeof c.lessons>;
      const failing = simulate(lessons.model, lessons.scenario).expectations.filter((v) => !v.ok);
      expect(failing.map((v) => `${v.kind} ${v.subject}: ${v.actual}`)).toEqual([]);
    },
  );
});
