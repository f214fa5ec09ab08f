/**
 * The lease work's bookkeeping: hosts are conserved (lapsed = established + waiting + in flight +
 * backing off) whatever the admissions, rates, restarts and steps, and work served after its
 * timeout is wasted, never established.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LeaseWork } from "./lease-work.js";

const op = fc.oneof(
  fc.record({
    kind: fc.constant("step" as const),
    dt: fc.double({ min: 0.1, max: 900, noNaN: true }),
    admit: fc.constantFrom(0, 10, 100, 1000),
    serve: fc.constantFrom(0, 50, 100),
  }),
  fc.record({
    kind: fc.constant("burst" as const),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({ kind: fc.constant("lose" as const) }),
);

describe("lease work", () => {
  it("conserves hosts", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.constantFrom(0, 30, 600), (ops, backoff) => {
        const w = new LeaseWork(1800, backoff);
        w.reset(500_000);
        let t = 0;
        let established = 0;
        for (const o of ops) {
          if (o.kind === "burst") w.admitNow(t, w.waiting * o.share);
          else if (o.kind === "lose") w.lose();
          else {
            const rates = { admit: o.admit, serve: o.serve, limit: Number.POSITIVE_INFINITY };
            const end = Math.min(t + o.dt, w.nextChange(t, rates));
            established += w.advance(t, end, rates);
            t = end;
          }
          const total = established + w.waiting + w.inFlight() + w.backingOff();
          expect(Math.abs(total - 500_000)).toBeLessThan(1e-6 * 500_000);
          expect(w.waiting).toBeGreaterThanOrEqual(-1e-9);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("serves first come, first served: work older than the timeout is wasted", () => {
    const w = new LeaseWork(100, 0);
    w.reset(1000);
    w.admitNow(0, 1000);
    // 5 a second: the first 500 are served within 100 s; at 100 s the other 500 time out and
    // their hosts send again, behind them.
    const rates = { admit: 0, serve: 5, limit: Number.POSITIVE_INFINITY };
    expect(w.usefulRate(0, rates)).toBe(5);
    expect(w.nextChange(0, rates)).toBe(100);
    expect(w.advance(0, 100, rates)).toBeCloseTo(500, 9);
    expect(w.waiting).toBeCloseTo(500, 9);
    expect(w.usefulRate(100, rates)).toBe(0);
    w.admitNow(100, 500);
    // The 500 stale ones take 100 s, then the new ones (sent at 100 s) are stale too.
    expect(w.advance(100, 200, rates)).toBe(0);
    expect(w.wasted).toBeCloseTo(500, 9);
  });
});
