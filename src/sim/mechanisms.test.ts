import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  attemptsPerCall,
  backoff,
  cacheRefill,
  cacheValid,
  leasesValid,
  retryDelay,
  staircase,
  staleAnswerFraction,
  successWithRetries,
  tokensValid,
  validFraction,
} from "./mechanisms.js";

describe("ageing populations", () => {
  it("a DNS answer cached with TTL 60 s is held by 75% of clients after 15 s and by none after 60 s", () => {
    expect(staleAnswerFraction(0, 60)).toBe(1);
    expect(staleAnswerFraction(15, 60)).toBeCloseTo(0.75, 12);
    expect(staleAnswerFraction(60, 60)).toBe(0);
    expect(staleAnswerFraction(600, 60)).toBe(0);
  });

  it("tokens with a 15 min lifetime renewed 5 min early: none expire for 5 min, all by 15 min", () => {
    expect(tokensValid(300, 900, 300)).toBe(1);
    expect(tokensValid(600, 900, 300)).toBeCloseTo(0.5, 12);
    expect(tokensValid(900, 900, 300)).toBe(0);
  });

  it("a response cache with stale-if-error keeps every hit for the stale window, then loses them over its TTL", () => {
    expect(cacheValid(600, 300, 600)).toBe(1);
    expect(cacheValid(750, 300, 600)).toBeCloseTo(0.5, 12);
    expect(cacheValid(900, 300, 600)).toBe(0);
  });

  it("leases of 30 min renewed every 5 min start lapsing after 25 min", () => {
    expect(leasesValid(1500, 1800, 300)).toBe(1);
    expect(leasesValid(1650, 1800, 300)).toBeCloseTo(0.5, 12);
    expect(leasesValid(1800, 1800, 300)).toBe(0);
  });

  it("is monotone, within [0, 1], 1 at the start and 0 at the lifetime", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 2e6, noNaN: true }),
        fc.double({ min: 0, max: 2e6, noNaN: true }),
        (lifetime, share, a, b) => {
          const every = lifetime * share;
          const [x, y] = a < b ? [a, b] : [b, a];
          const fx = validFraction(x, lifetime, every);
          const fy = validFraction(y, lifetime, every);
          expect(fx).toBeGreaterThanOrEqual(fy);
          expect(fx).toBeGreaterThanOrEqual(0);
          expect(fx).toBeLessThanOrEqual(1);
          expect(validFraction(0, lifetime, every)).toBe(1);
          expect(validFraction(lifetime, lifetime, every)).toBe(0);
        },
      ),
    );
  });
});

describe("the staircase the engine reads a ramp as", () => {
  it("a 60 s DNS TTL in 200 stairs of 0.3 s, each at the ramp's value in its middle", () => {
    // Stair 0 covers [0, 0.3 s): the ramp at 0.15 s is 1 − 0.15 / 60.
    expect(staircase(0, 60, 60, 200, 0.1)).toEqual({ value: 1 - 0.15 / 60, next: 0.3 });
    // Stair 50 covers [15, 15.3 s), whatever moment of it is read.
    for (const t of [15, 15.1, 15.299]) {
      const s = staircase(t, 60, 60, 200, 0.1);
      expect(s.value).toBeCloseTo(1 - 15.15 / 60, 12);
      expect(s.next).toBeCloseTo(15.3, 12);
    }
    expect(staircase(60, 60, 60, 200, 0.1)).toEqual({ value: 0, next: Number.POSITIVE_INFINITY });
  });

  it("is flat before the first expiry and says when the ramp starts", () => {
    // Tokens of 1 h renewed 10 min early: nothing expires for 10 min.
    expect(staircase(100, 3600, 3000, 200, 0.1)).toEqual({ value: 1, next: 600 });
  });

  it("never narrower than the shortest stair; the last stair is cut at the ramp's end", () => {
    // A 10 s ramp in stairs of at least 0.3 s: 33 whole stairs and one of 0.1 s.
    expect(staircase(0, 10, 10, 200, 0.3).next).toBeCloseTo(0.3, 12);
    const last = staircase(9.95, 10, 10, 200, 0.3);
    expect(last.value).toBeCloseTo(1 - 9.95 / 10, 12);
    expect(last.next).toBe(10);
  });

  it("a reading at a stair's edge computed as start + k × width is on the new stair", () => {
    const start = 86_000.1;
    const s = staircase(start + 37 * 0.3 - start, 60, 60, 200, 0.1);
    expect(s.next).toBeCloseTo(38 * 0.3, 9);
  });

  it("moves on at every edge read at start + edge, whatever the start's rounding", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 86_400, noNaN: true }),
        fc.double({ min: 0.05, max: 4000, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (start, lifetime, share) => {
          const every = lifetime * share;
          // Walk the edges as the engine does: absolute times, elapsed by subtraction.
          let t = start;
          let previous = Number.POSITIVE_INFINITY;
          for (let n = 0; n < 400; n++) {
            const s = staircase(t - start, lifetime, every, 200, 0.1);
            expect(s.value).toBeLessThan(previous);
            previous = s.value;
            if (s.next === Number.POSITIVE_INFINITY) {
              expect(s.value).toBe(0);
              return;
            }
            expect(start + s.next).toBeGreaterThan(t);
            t = start + s.next;
          }
          throw new Error("the staircase did not reach its end in 400 edges");
        },
      ),
    );
  });

  it("has the area of the ramp, stays within half a stair of it and changes only at its edges", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 400 }),
        (lifetime, share, stairs) => {
          const every = lifetime * share;
          const minStair = 0.1;
          let area = 0;
          let t = 0;
          let count = 0;
          while (t < lifetime) {
            const s = staircase(t, lifetime, every, stairs, minStair);
            expect(s.next).toBeGreaterThan(t);
            // Within rounding of the end: nothing left.
            if (s.next === Number.POSITIVE_INFINITY) {
              expect(s.value).toBe(0);
              break;
            }
            // Constant over the stair: the middle of the stair reads the same.
            const mid = Math.min(t + (s.next - t) / 2, lifetime);
            expect(staircase(mid, lifetime, every, stairs, minStair).value).toBe(s.value);
            expect(Math.abs(s.value - validFraction(mid, lifetime, every))).toBeLessThanOrEqual(
              1e-9,
            );
            area += s.value * (s.next - t);
            t = s.next;
            count++;
          }
          // ∫ validFraction = first + (lifetime − first) / 2.
          const first = lifetime - every;
          expect(area).toBeCloseTo(first + (lifetime - first) / 2, 6);
          expect(count).toBeLessThanOrEqual(stairs + 1);
        },
      ),
    );
  });
});

describe("retries", () => {
  it("three attempts against a dependency failing half its calls: 1.75 attempts per call, 87.5% success", () => {
    expect(attemptsPerCall(0.5, 3)).toBeCloseTo(1.75, 12);
    expect(successWithRetries(0.5, 3)).toBeCloseTo(0.875, 12);
  });

  it("against a dependency that fails everything, every attempt is made", () => {
    expect(attemptsPerCall(0, 5)).toBe(5);
    expect(successWithRetries(0, 5)).toBe(0);
  });

  it("retry k arrives after the sum of the backoffs before it, over the sum of their ranges", () => {
    // Backoffs 100, 200, 400 ms (capped at 300 ms from the third).
    expect(retryDelay(3, 0.1, 10, "none")).toEqual({ min: 0.1 + 0.2 + 0.4, max: 0.1 + 0.2 + 0.4 });
    expect(retryDelay(3, 0.1, 10, "full").min).toBe(0);
    expect(retryDelay(3, 0.1, 10, "full").max).toBeCloseTo(0.7, 12);
    expect(retryDelay(3, 0.1, 10, "equal").min).toBeCloseTo(0.35, 12);
    expect(retryDelay(3, 0.1, 0.3, "none").max).toBeCloseTo(0.1 + 0.2 + 0.3, 12);
    // The range's middle is the sum of the mean backoffs.
    for (const jitter of ["none", "full", "equal", "decorrelated"] as const) {
      const r = retryDelay(4, 0.05, 1, jitter);
      let mean = 0;
      for (let k = 1; k <= 4; k++) mean += backoff(k, 0.05, 1, jitter).mean;
      expect((r.min + r.max) / 2).toBeCloseTo(mean, 12);
    }
  });

  it("a retry budget of 10% caps the load at 1.1× the first attempts", () => {
    expect(attemptsPerCall(0, 5, 0.1)).toBeCloseTo(1.1, 12);
    // With the budget binding, a failed first attempt gets 0.1 / 1 retries on average.
    expect(successWithRetries(0, 5, 0.1)).toBe(0);
    expect(successWithRetries(0.5, 3, 0.1)).toBeCloseTo(1 - 0.5 * 0.5 ** 0.2, 12);
  });

  it("exponential backoff doubles up to its cap; jitter spreads the wait below it", () => {
    expect(backoff(1, 0.1, 2, "none")).toEqual({ min: 0.1, max: 0.1, mean: 0.1 });
    expect(backoff(3, 0.1, 2, "none").mean).toBeCloseTo(0.4, 12);
    expect(backoff(10, 0.1, 2, "none").mean).toBe(2);
    expect(backoff(3, 0.1, 2, "full")).toEqual({ min: 0, max: 0.4, mean: 0.2 });
    expect(backoff(3, 0.1, 2, "equal").mean).toBeCloseTo(0.3, 12);
  });

  it("more attempts never lower success and never lower load", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 9 }),
        (p, n) => {
          expect(successWithRetries(p, n + 1)).toBeGreaterThanOrEqual(
            successWithRetries(p, n) - 1e-12,
          );
          expect(attemptsPerCall(p, n + 1)).toBeGreaterThanOrEqual(attemptsPerCall(p, n) - 1e-12);
          expect(attemptsPerCall(p, n)).toBeLessThanOrEqual(n + 1e-12);
        },
      ),
    );
  });
});

describe("cacheRefill", () => {
  it("holds the value of (1 − e^(−ρt)) / h at the middle of its stair, with ρ = h / (T (1 − h))", () => {
    // h = 90%, T = 300 s: ρ = 0.03/s; the cache is full again at −ln(0.1) / 0.03 = 76.75 s.
    for (const t of [0, 5, 20, 50, 76]) {
      const r = cacheRefill(t, 300, 0.9, 200);
      const g = (1 - Math.exp(-0.03 * t)) / 0.9;
      expect(Math.abs(r.value - g)).toBeLessThanOrEqual(0.5 / 200 + 1e-12);
      expect(r.next).toBeGreaterThan(t);
    }
    expect(cacheRefill(77, 300, 0.9, 200)).toEqual({ value: 1, next: Number.POSITIVE_INFINITY });
    // The last stair ends when the cache is full.
    expect(cacheRefill(76.7, 300, 0.9, 200).next).toBeCloseTo(Math.log(10) / 0.03, 9);
  });

  it("refills at once when every call is a hit (or none is)", () => {
    expect(cacheRefill(0, 300, 1, 200).value).toBe(1);
    expect(cacheRefill(0, 300, 0, 200).value).toBe(1);
  });
});
