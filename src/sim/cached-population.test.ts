import { describe, expect, it } from "vitest";
import { BINS, CachedPopulation } from "./cached-population.js";

describe("CachedPopulation", () => {
  it("spreads the groups that drifted apart evenly over the lifetime, whatever share they are", () => {
    // A lasts 1 h, B and C 5 min. From 600 s the groups read B as their A expires, at
    // (j + ½) · 18 s: by 2400 s half of them (those expiring in (600 s, 2400 s]) hold B and have
    // refreshed it for longer than its 5 min. When C replaces it, those read C evenly over the
    // next 300 s: B is held by 0.5 · (1 − d / 300) of the clients d seconds later.
    const p = new CachedPopulation(0, 3, (v) => (v === 0 ? 3600 : 300));
    p.change(600, 1);
    p.change(2400, 2);
    const into = new Float64Array(3);
    for (const d of [0, 50, 150, 250, 299]) {
      p.shares(2400 + d, into);
      expect(Math.abs((into[1] as number) - 0.5 * (1 - d / 300))).toBeLessThanOrEqual(1 / BINS);
    }
    p.shares(2700, into);
    expect(into[1]).toBe(0);
  });

  it("keeps the phases of groups that read a value together within its first lifetime", () => {
    // Changed to B at 600 s and to C at 700 s, before any group refreshed B: each reads C when
    // its B expires, 300 s after it read B.
    const p = new CachedPopulation(0, 3, () => 300);
    p.change(600, 1);
    p.change(700, 2);
    const into = new Float64Array(3);
    // The groups that read B between 600 and 700 s (a third of them) still hold it until
    // 900 to 1000 s.
    p.shares(899, into);
    expect(Math.abs((into[1] as number) - 1 / 3)).toBeLessThanOrEqual(1 / BINS);
    p.shares(1000, into);
    expect(into[1]).toBe(0);
  });
});
