/**
 * Correlated failure stays correlated: in a diamond A→B, A→C, B→D, C→D, a request to A makes
 * two calls that meet again at D. A failed state both paths pass through (D stopped, a
 * partition cutting A off) fails the same requests on both, so A sees it once; a per-call
 * failure (a random error rate at D) fails each call on its own, so A sees it twice.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finish, mergeMax, SharedMerge, sharedSuccess } from "./correlation.js";
import { simulate } from "./engine.js";
import { modelOf, scenarioOf } from "./fixtures.js";
import type { CompState } from "./state.js";

const ZONES = ["r1-a", "r1-b", "r2-a", "r2-b"];

/** The diamond, A spread over `zones`, B, C and D in r1-c. */
const diamond = (zones: readonly string[]) =>
  modelOf(`
components:
  a: { kind: api, placement: { zones: [${zones.join(", ")}] }, needs: [b, c] }
  b: { kind: api, placement: { zones: [r1-c] }, needs: [d] }
  c: { kind: api, placement: { zones: [r1-c] }, needs: [d] }
  d: { kind: database, placement: { zones: [r1-c] } }
workloads:
  w: { entry: a, rate: 100 rps }
`);

type FaultInput = NonNullable<Parameters<typeof scenarioOf>[0]["faults"]>;

/** A's, B's and D's state at the end of a 10-minute run with `faults` from 1 min on. */
function endState(zones: readonly string[], faults: FaultInput) {
  let a: CompState | undefined;
  let b: CompState | undefined;
  simulate(diamond(zones), scenarioOf({ duration: 600, faults }), {
    observe: (sim) => {
      a = { ...(sim.comps.find((s) => s.c.id === "a") as CompState) };
      b = { ...(sim.comps.find((s) => s.c.id === "b") as CompState) };
    },
  });
  return { a: a as CompState, b: b as CompState };
}

describe("a diamond A→B, A→C, B→D, C→D", () => {
  it("a partition cutting k of A's n zones off fails 1 − k/n of A's requests once, not twice", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: ZONES.length })
          .chain((n) => fc.record({ n: fc.constant(n), k: fc.integer({ min: 1, max: n - 1 }) })),
        ({ n, k }) => {
          const zones = ZONES.slice(0, n);
          const faults = zones.slice(0, k).map((z, i) => ({
            id: `cut-${i}`,
            kind: "partition" as const,
            between: [z, "r1-c"] as [string, string],
            at: 60,
          }));
          const { a, b } = endState(zones, faults);
          expect(b.s).toBe(1);
          expect(a.s).toBeCloseTo(1 - k / n, 12);
          // Independent paths would have given (1 − k/n)².
          expect(a.s).toBeGreaterThan((1 - k / n) ** 2 + 1e-6);
        },
      ),
      { numRuns: 10 },
    );
  });

  it("an error rate r at D fails each call on its own: B and C succeed 1 − r, A (1 − r)²", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.9, noNaN: true }), (r) => {
        const { a, b } = endState(ZONES.slice(0, 2), [
          { id: "errors", kind: "error-rate", target: "d", rate: r, at: 60 },
        ]);
        expect(b.s).toBeCloseTo(1 - r, 12);
        expect(a.s).toBeCloseTo((1 - r) ** 2, 12);
      }),
      { numRuns: 10 },
    );
  });

  it("both at once: the partition once, the error rate per call", () => {
    const zones = ZONES.slice(0, 4);
    const { a } = endState(zones, [
      { id: "cut", kind: "partition", between: ["r1-a", "r1-c"], at: 60 },
      { id: "errors", kind: "error-rate", target: "d", rate: 0.2, at: 60 },
    ]);
    expect(a.s).toBeCloseTo((1 - 1 / 4) * 0.8 ** 2, 12);
  });

  it("D stopped: A carries D's down state once, as one shared key", () => {
    const { a, b } = endState(ZONES.slice(0, 2), [
      { id: "d-down", kind: "down", target: "d", at: 60 },
    ]);
    expect(b.s).toBe(0);
    expect(a.s).toBe(0);
    expect(a.shared.map((x) => x.key)).toEqual(b.shared.map((x) => x.key));
    expect(a.shared).toHaveLength(1);
  });
});

describe("shared shares", () => {
  it("two calls through one key keep the larger share, once", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (f, g) => {
          const keys = new SharedMerge();
          mergeMax(keys, [{ key: "partition:p", f }]);
          mergeMax(keys, [{ key: "partition:p", f: g }]);
          const { shared, folded } = finish(keys);
          expect(folded).toBe(1);
          expect(sharedSuccess(shared)).toBeCloseTo(1 - Math.max(f, g), 12);
        },
      ),
    );
  });
});
