/**
 * The engine's calls: token expiry, retries and their jitter, timeouts and concurrency,
 * overload and circuit breakers; one focused scenario each, checked against the numbers their
 * formulas give (docs/simulation.md derives them).
 */
import { describe, expect, it } from "vitest";
import { FINE_STEPS, simulate } from "./engine.js";
import { at, changes, expectOnRamp } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const TOKEN_MODEL = `
components:
  idp: { kind: identity, placement: { region: r1 }, tokens: { ttl: 1h, refreshBefore: 10m } }
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: { db: { auth: idp } } }
workloads:
  orders: { entry: api, rate: 100 rps }
`;

describe("identity", () => {
  it("cached tokens keep callers working until they expire; new authentication fails at once", () => {
    const j = simulate(
      modelOf(TOKEN_MODEL),
      scenarioOf({
        duration: 7200,
        faults: [{ id: "idp-down", kind: "down", target: "idp", at: 0 }],
      }),
      { samples: 721 },
    );
    expect(at(j, j.series.success, "idp", 10)).toBe(0);
    // No token expires for refreshBefore (10 min); the last expires one lifetime (1 h) later.
    expectOnRamp(at(j, j.series.success, "api", 600), 1);
    expectOnRamp(at(j, j.series.success, "api", 600 + 1500), 0.5);
    expect(at(j, j.series.success, "api", 3600)).toBe(0);
    const api = j.components.find((c) => c.id === "api");
    const step = 3000 / FINE_STEPS;
    expect(Math.abs((api?.firstImpact ?? 0) - (600 + 0.01 * 3000))).toBeLessThanOrEqual(step);
    const down = changes(j, "api").find((c) => c.to === "down");
    expect(down?.mechanism).toBe("auth");
    expect(Math.abs((down?.t ?? 0) - 2100)).toBeLessThanOrEqual(step);
  });
});

describe("retries", () => {
  const model = (retry: string) => `
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] }, capacity: 1M rps }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: { db: { retry: ${retry} } } }
workloads:
  orders: { entry: api, rate: 1000 rps }
`;
  const run = (retry: string, rate: number) =>
    simulate(
      modelOf(model(retry)),
      scenarioOf({
        duration: 600,
        faults: [{ id: "errors", kind: "error-rate", target: "db", rate, at: 0 }],
      }),
      { samples: 61 },
    );

  it("N attempts multiply the offered load by (1 − (1 − p)^N) / p", () => {
    const j = run("{ attempts: 3, backoff: 100ms, jitter: full }", 0.5);
    expect(at(j, j.series.load, "db", 300)).toBeCloseTo(1000 * 1.75, 6);
    expect(at(j, j.series.success, "api", 300)).toBeCloseTo(0.875, 6);
    const all = run("{ attempts: 4, backoff: 100ms, jitter: full }", 1);
    expect(at(all, all.series.load, "db", 300)).toBeCloseTo(4000, 6);
  });

  it("a retry budget caps the amplification", () => {
    const j = run("{ attempts: 4, backoff: 100ms, jitter: full, budget: 20% }", 1);
    expect(at(j, j.series.load, "db", 300)).toBeCloseTo(1200, 6);
  });

  // Backoffs of 10 s then 20 s, against a dependency failing half its attempts from time 0:
  // retry 1 carries 1000 × 0.5 rps, retry 2 1000 × 0.25 rps, once they have arrived.
  const waves = (jitter: string) =>
    simulate(
      modelOf(model(`{ attempts: 3, backoff: 10s, jitter: ${jitter} }`)),
      scenarioOf({
        duration: 60,
        faults: [{ id: "errors", kind: "error-rate", target: "db", rate: 0.5, at: 0 }],
      }),
      { samples: 121 },
    );

  /** Half a stair's height on a ramp of this width (stairs are at least 0.1 s wide). */
  const halfStair = (width: number) => Math.max(0.1, width / FINE_STEPS) / width / 2;

  it("without jitter, each retry arrives as one wave after its backoff", () => {
    const j = waves("none");
    const load = (t: number) => at(j, j.series.load, "db", t);
    // Retry 1 after 10 s, retry 2 after 10 + 20 s: two steps, flat in between.
    expect(load(0)).toBe(1000);
    expect(load(9.5)).toBe(1000);
    expect(load(10)).toBeCloseTo(1500, 9);
    expect(load(29.5)).toBeCloseTo(1500, 9);
    expect(load(30)).toBeCloseTo(1750, 9);
    expect(load(60)).toBeCloseTo(1750, 9);
  });

  it("full jitter spreads each retry's arrival evenly over its backoff range", () => {
    const j = waves("full");
    const load = (t: number) => at(j, j.series.load, "db", t);
    // Retry 1 waits U[0, 10 s]: arrived in proportion t / 10. Retry 2 waits a further U[0, 20 s]:
    // its range is taken as [0, 30 s] with the same mean, so t / 30.
    const expected = (t: number) =>
      1000 * (1 + 0.5 * Math.min(1, t / 10) + 0.25 * Math.min(1, t / 30));
    for (const t of [2.5, 5, 7.5, 15, 20, 25]) {
      // Read as staircases: within half a stair of each ramp.
      expect(Math.abs(load(t) - expected(t))).toBeLessThanOrEqual(
        500 * halfStair(10) + 250 * halfStair(30) + 1e-6,
      );
    }
    expect(load(30)).toBeCloseTo(1750, 9);
    // Spread: the load never jumps by more than a stair of a ramp between two samples 0.5 s
    // apart, where without jitter it jumps by 500 rps at once.
    const steps = j.series.times
      .map((_, i) => (i > 0 ? (j.series.load.db?.[i] ?? 0) - (j.series.load.db?.[i - 1] ?? 0) : 0))
      .filter((_, i) => (j.series.times[i] ?? 0) <= 30);
    expect(Math.max(...steps)).toBeLessThanOrEqual(
      1000 * (0.5 * (0.5 / 10) + 0.25 * (0.5 / 30)) + 3,
    );
  });

  it("equal jitter holds every retry back for half its backoff, then spreads it", () => {
    const j = waves("equal");
    const load = (t: number) => at(j, j.series.load, "db", t);
    // Retry 1 waits U[5, 10 s]; retry 2 U[5 + 10, 10 + 20 s] = U[15, 30 s].
    expect(load(4.5)).toBe(1000);
    expect(Math.abs(load(7.5) - 1250)).toBeLessThanOrEqual(500 * halfStair(5) + 1e-6);
    expect(load(14.5)).toBeCloseTo(1500, 9);
    expect(Math.abs(load(22.5) - 1625)).toBeLessThanOrEqual(250 * halfStair(15) + 1e-6);
    expect(load(30)).toBeCloseTo(1750, 9);
  });
});

describe("timeouts and concurrency (Little's law)", () => {
  // api holds a slot for db's latency: 100 slots / 2 s = 50 requests per second at most.
  const model = (rate: number) => `
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    concurrency: 100
    needs: { db: { timeout: 5s } }
workloads:
  orders: { entry: api, rate: ${rate} rps }
`;
  const run = (rate: number) =>
    simulate(
      modelOf(model(rate)),
      scenarioOf({
        duration: 1800,
        faults: [{ id: "slow", kind: "latency", target: "db", latency: 2, at: 60 }],
      }),
      { samples: 361 },
    );

  it("below K / latency the caller keeps up", () => {
    const j = run(47.5);
    expect(j.components.find((c) => c.id === "api")?.impacted).toBe(false);
  });

  it("above it the caller's queue grows until waits pass its callers' timeout, then every request fails", () => {
    const j = run(52.5);
    const down = changes(j, "api").find((c) => c.to === "down");
    // Queue grows at 2.5/s. A request takes its wait plus its 2 s at db: it outlasts the
    // entry's 30 s timeout after 28 s of waiting, 1400 requests at 50/s, 560 s after the slowdown.
    expect(down?.mechanism).toBe("overload");
    expect(down?.t).toBeCloseTo(60 + 1400 / 2.5, 6);
    expect(at(j, j.series.success, "api", 1800)).toBe(0);
  });
});

describe("overload and goodput collapse", () => {
  const model = `
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] }, capacity: 1000 rps }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs: { db: { timeout: 2s, retry: { attempts: 3, backoff: 100ms, jitter: full } } }
workloads:
  orders: { entry: api, rate: 900 rps }
`;

  it("a surge above capacity queues, then goodput collapses once waits exceed the timeout, and retries keep it collapsed", () => {
    const j = simulate(
      modelOf(model),
      scenarioOf({
        duration: 3600,
        faults: [
          { id: "rush", kind: "surge", target: "orders", factor: 1.5, at: 60, end: { at: 600 } },
        ],
      }),
      { samples: 361 },
    );
    const down = changes(j, "db").find((c) => c.to === "down");
    // 1350 offered against 1000: 2 s of waiting (2000 requests) builds in 2000 / 350 s.
    expect(down?.mechanism).toBe("overload");
    expect(down?.t).toBeCloseTo(60 + 2000 / 350, 0);
    // Metastable: after the surge ends, callers retry every failed call 3×: 2700 > 1000.
    expect(at(j, j.series.load, "db", 1800)).toBeCloseTo(2700, 6);
    expect(j.components.find((c) => c.id === "api")?.finalState).toBe("down");
  });

  it("shedding load at the entry ends the collapse once the queue is back under the timeout", () => {
    const j = simulate(
      modelOf(model),
      scenarioOf({
        duration: 4000,
        faults: [
          { id: "rush", kind: "surge", target: "orders", factor: 1.5, at: 60, end: { at: 300 } },
        ],
        actions: [
          {
            id: "shed",
            do: "shed-load",
            target: "api",
            fraction: 0.8,
            trigger: { on: "time", at: 600 },
          },
        ],
      }),
      { samples: 401 },
    );
    // The queue at db: +350/s until it holds 2 s of work (2000), then every call fails and is
    // tried 3×: +3050/s until the surge ends, +1700/s until the shed; then 180 rps × 3 = 540
    // against 1000 drains 460/s until the wait is under 2 s again.
    const collapse = 60 + 2000 / 350;
    const atShed = 2000 + 3050 * (300 - collapse) + 1700 * (600 - 300);
    const recovered = 600 + (atShed - 2000) / 460;
    const db = j.components.find((c) => c.id === "db");
    expect(Math.abs((db?.recoveredAt ?? 0) - recovered) / recovered).toBeLessThan(0.01);
  });
});

describe("circuit breakers", () => {
  const model = `
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] }, capacity: 1M rps }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs: { db: { breaker: { errorRate: 50%, window: 10s, openFor: 30s } } }
workloads:
  orders: { entry: api, rate: 100 rps }
`;

  it("opens after the error rate holds for its window, fails fast, probes half-open and closes once healthy", () => {
    const j = simulate(
      modelOf(model),
      scenarioOf({
        duration: 300,
        faults: [
          { id: "errors", kind: "error-rate", target: "db", rate: 1, at: 20, end: { at: 70 } },
        ],
      }),
      { samples: 301 },
    );
    // Errors from 20 s: open at 30 s, no load on db while open, probes at 60 s (still failing:
    // open again) and 90 s (healthy since 70 s: closed).
    expect(at(j, j.series.load, "db", 25)).toBe(100);
    expect(at(j, j.series.load, "db", 31)).toBe(0);
    expect(at(j, j.series.load, "db", 89)).toBe(0);
    expect(at(j, j.series.load, "db", 90)).toBe(100);
    expect(at(j, j.series.success, "api", 89)).toBe(0);
    expect(changes(j, "api").find((c) => c.to === "down" && c.t >= 30)).toBeUndefined();
    // Still down, for a new reason: the timeline says so.
    expect(
      j.timeline.find((e) => e.subject === "api" && e.from === "down" && e.to === "down"),
    ).toMatchObject({ t: 30, cause: { mechanism: "breaker", from: "db" } });
    expect(j.components.find((c) => c.id === "api")?.recoveredAt).toBe(90);
  });
});
