import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Queue } from "../model/types.js";
import { MessageQueue } from "./message-queue.js";

const LOC = { file: "m.yaml", line: 1, column: 1 };
const queue = (retention: number, maxReceives?: number): Queue => ({
  id: "jobs",
  consumers: [],
  retention,
  visibilityTimeout: 30,
  ...(maxReceives !== undefined ? { maxReceives, deadLetter: "dlq" } : {}),
  loc: LOC,
});

describe("MessageQueue", () => {
  it("drains a backlog in backlog / (consumption − arrival)", () => {
    const q = new MessageQueue(queue(4 * 86400), undefined);
    q.inRate = 100;
    q.integrate(0, 3600);
    expect(q.backlog).toBe(360_000);
    q.addConsumer(150, 1);
    expect(q.nextCrossing(3600)).toBeCloseTo(3600 + 360_000 / 50, 9);
    q.integrate(3600, 3600 + 7200);
    expect(q.backlog).toBe(0);
    expect(q.result()).toMatchObject({ peakBacklog: 360_000, drainedAt: 10_800, expired: 0 });
  });

  it("expires exactly the messages older than the retention", () => {
    const q = new MessageQueue(queue(600), undefined);
    q.inRate = 10;
    for (let t = 0; t < 1800; t += 7) q.integrate(t, Math.min(1800, t + 7));
    expect(q.totals().expired).toBeCloseTo(10 * 1200, 6);
    expect(q.backlog).toBeCloseTo(10 * 600, 6);
  });

  it("dead-letters a message maxReceives × visibilityTimeout after its first failed receive", () => {
    // 100 messages/s, received at once (consumers keep up) and failed every time: each is
    // invisible for 30 s after each of its 4 receives, then dead-lettered at 4 × 30 s = 2 min.
    const dlq = new MessageQueue({ ...queue(86400), id: "dlq" }, undefined);
    const q = new MessageQueue(queue(86400, 4), dlq);
    let t = 0;
    const until = (end: number) => {
      for (; t < end - 1e-9; t += 5) {
        q.resetRates();
        q.inRate = 100;
        q.addConsumer(1000, 0);
        q.integrate(t, t + 5);
      }
    };
    until(115);
    expect(q.totals().deadLettered).toBe(0);
    until(300);
    expect(q.totals().deadLettered).toBeCloseTo(100 * (300 - 120), 6);
    expect(dlq.backlog).toBeCloseTo(100 * 180, 6);
    // In flight meanwhile: the last 2 min of arrivals, invisible or visible again.
    expect(q.backlog).toBeCloseTo(100 * 120, 6);
  });

  it("redelivers a failed message after its visibility timeout, and counts it received again", () => {
    // One burst of 1,000 messages; the consumer fails the first receive of each, then succeeds.
    const q = new MessageQueue(queue(86400), undefined);
    q.inRate = 1000;
    q.addConsumer(2000, 0);
    q.integrate(0, 1);
    expect(q.visible).toBe(0);
    expect(q.backlog).toBeCloseTo(1000, 9);
    expect(q.returnRate(30.5)).toBeCloseTo(1000, 9);
    q.resetRates();
    q.addConsumer(2000, 1);
    q.integrate(1, 29);
    expect(q.backlog).toBeCloseTo(1000, 9);
    q.integrate(29, 32);
    expect(q.totals().consumed).toBeCloseTo(1000, 9);
    expect(q.backlog).toBe(0);
  });

  it("accounts for every message under any sequence of rates, pauses and purges", () => {
    const step = fc.record({
      dt: fc.double({ min: 0.01, max: 5000, noNaN: true }),
      inRate: fc.double({ min: 0, max: 1000, noNaN: true }),
      rejectRate: fc.double({ min: 0, max: 100, noNaN: true }),
      mu: fc.double({ min: 0, max: 1500, noNaN: true }),
      success: fc.double({ min: 0, max: 1, noNaN: true }),
      purge: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 60, max: 86400 }),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
        (steps, retention, maxReceives) => {
          const dlq = new MessageQueue({ ...queue(86400 * 14), id: "dlq" }, undefined);
          const q = new MessageQueue(queue(retention, maxReceives), dlq);
          let t = 0;
          for (const s of steps) {
            q.resetRates();
            q.inRate = s.inRate;
            q.rejectRate = s.rejectRate;
            q.addConsumer(s.mu, s.success);
            if (s.purge) q.purge();
            q.integrate(t, t + s.dt);
            t += s.dt;
            expect(q.backlog).toBeGreaterThanOrEqual(0);
          }
          for (const x of [q, dlq]) {
            const n = x.totals();
            const out = n.consumed + n.deadLettered + n.expired + n.purged + n.rejected + n.backlog;
            expect(Math.abs(n.published - out)).toBeLessThanOrEqual(
              1e-9 * Math.max(1, n.published),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
