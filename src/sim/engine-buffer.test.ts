/**
 * A bounded queue (`buffer`): a component that queues at most `buffer` of work at its capacity
 * drops what arrives beyond it at once (tail drop), where an unbounded one queues until its
 * callers time out and then fails everything. Worked by hand for users offering λ = 150 rps to
 * an API of C = 100 rps, 10 ms of work:
 * - with a 50 ms buffer, the queue fills to C × 50 ms = 5 requests in 5 / (λ − C) = 0.1 s and
 *   holds there: C is served, λ − C dropped, so 2/3 of the requests succeed, each after
 *   50 ms of queue and 10 ms of work (60 ms); the API is degraded, never down;
 * - without one, the wait grows at (λ − C) / C = 0.5 s a second and passes the users' 30 s
 *   patience 60 s in: every request fails from then on.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const run = (buffer: string) =>
  simulate(
    modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, capacity: 100 rps, latency: 10ms${buffer} }
workloads:
  users: { entry: api, rate: 150 rps }
`),
    scenarioOf({ duration: 600 }),
  );

describe("a bounded queue", () => {
  it("drops what does not fit and serves the rest: 2/3 of 150 rps, at 60 ms", () => {
    const j = run(", buffer: 50ms");
    const api = j.components.find((c) => c.id === "api");
    expect(api?.worstSuccess).toBeCloseTo(2 / 3, 6);
    expect(api?.finalState).toBe("degraded");
    expect(api?.downtime).toBe(0);
    expect(api?.peakLatency).toBeCloseTo(0.06, 6);
    // 600 s at 2/3, less the first 0.1 s served whole: (600 − 0.1) × 2/3 + 0.1, over 600 s.
    const users = j.workloads.find((w) => w.id === "users");
    expect(users?.availability).toBeCloseTo(((600 - 0.1) * (2 / 3) + 0.1) / 600, 4);
    const why = j.timeline.find((e) => e.subject === "api" && e.to === "degraded")?.cause;
    expect(why?.mechanism).toBe("overload");
  });

  it("without one, queues until the users give up and then fails them all, 60 s in", () => {
    const j = run("");
    const api = j.components.find((c) => c.id === "api");
    expect(api?.finalState).toBe("down");
    const down = j.timeline.find((e) => e.subject === "api" && e.to === "down");
    expect(down?.t).toBeCloseTo(60, 0);
  });

  it("is refused on a component with nothing that queues", () => {
    expect(() =>
      modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, buffer: 50ms }
`),
    ).toThrow(/'api' has no capacity or concurrency, so nothing queues to be bounded/);
  });
});
