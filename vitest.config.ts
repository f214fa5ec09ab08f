/**
 * Three groups of tests, one config. `npm test` runs the first, the quick one; `npm run check`
 * runs all three (`npm run test:all`).
 *
 * - unit: everything but the two below — unit, property and end-to-end CLI tests;
 * - browser (`*.browser.test.ts`): the report and the web UI in chromium;
 * - fuzz (`*.fuzz.test.ts`): generated hostile inputs, by the thousand.
 */
import { defineConfig } from "vitest/config";

const BROWSER = "**/*.browser.test.ts";
const FUZZ = "**/*.fuzz.test.ts";
const ALL = ["src/**/*.test.ts", "test/**/*.test.ts"];

const TIMEOUTS = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // Once per run, not per project: the front end the report tests open is built here.
    globalSetup: ["test/global-setup.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ALL,
          exclude: [BROWSER, FUZZ],
          // NOTE: test files share a worker's module cache instead of re-importing the library
          // each (a fifth less CPU for the group). The library keeps no state between calls;
          // a test that must start from a fresh module belongs in another group.
          isolate: false,
          setupFiles: ["test/property-seed.ts"],
          ...TIMEOUTS,
        },
      },
      { test: { name: "browser", include: [BROWSER], ...TIMEOUTS } },
      { test: { name: "fuzz", include: [FUZZ], ...TIMEOUTS } },
    ],
  },
});
