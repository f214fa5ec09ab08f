/**
 * Warm-up after a restart (`recovery.warmup`), against the fluid model worked by hand. An API of
 * 1,000 rps offered 800 rps by its users (the default 30 s of patience) is down from 1 to 2 min
 * and restarts in 1 min: it runs again at 180 s.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";
import { FINE_STEPS } from "./state.js";

const run = (recovery: string, extra = "") =>
  simulate(
    modelOf(`
components:
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    capacity: 1k rps
    recovery: ${recovery}
    needs: { db: {} }
  db: { kind: database, placement: { zones: [r1-a, r1-b] }${extra} }
workloads:
  users: { entry: api, rate: 800 rps }
`),
    scenarioOf({
      duration: 3600,
      faults: [{ id: "crash", kind: "down", target: "api", at: 60, end: { at: 120 } }],
    }),
    { samples: 721 },
  );

describe("warm-up after a restart", () => {
  it("without one, the API serves 800 rps again the moment it runs", () => {
    const j = run("{ restart: 1m }");
    expect(changes(j, "api").map((c) => [c.t, c.to])).toEqual([
      [60, "down"],
      [120, "recovering"],
      [180, "up"],
    ]);
  });

  it("starting at 25% of its capacity, it collapses under its usual load and recovers when the fluid model says", () => {
    // Capacity C(t) = 250 + 1.25 t over the 10 min after the start (t in s). The queue grows at
    // 800 − C(t): Q(t) = 550 t − 0.625 t², and the wait Q / C reaches 30 s when
    // 0.625 t² − 512.5 t + 7,500 = 0: t = 14.906 s. It keeps growing until C = 800 (t = 440 s,
    // Q = 121,000), drains to 105,000 by the end of the warm-up (t = 600 s), then at 200 rps
    // down to 30 s of waiting (30,000): t = 600 + 75,000 / 200 = 975 s.
    const j = run("{ restart: 1m, warmup: { over: 10m, capacity: 25% } }");
    const collapse = 180 + (512.5 - Math.sqrt(512.5 ** 2 - 4 * 0.625 * 7500)) / 1.25;
    const c = changes(j, "api");
    expect(c.map((x) => x.to)).toEqual(["down", "recovering", "up", "down", "up"]);
    // The ramp is a staircase of FINE_STEPS stairs: within one stair.
    const stair = 600 / FINE_STEPS;
    expect(Math.abs((c[3]?.t ?? 0) - collapse)).toBeLessThan(stair);
    expect(c[3]?.mechanism).toBe("overload");
    // Traced to what made it restart.
    const down = j.timeline.find((e) => e.subject === "api" && e.to === "down" && e.t > 180);
    expect(down?.cause.from).toBe("crash");
    expect(Math.abs((c[4]?.t ?? 0) - (180 + 975))).toBeLessThan(stair);
  });

  it("a burst of calls on its dependencies fades linearly over the warm-up", () => {
    // 800 rps × 3 at the start, × 1 after 10 min: the load on db at t into the warm-up is
    // 800 × (3 − 2 t / 600), held at the middle of each stair.
    const j = run("{ restart: 1m, warmup: { over: 10m, calls: 3 } }", ", capacity: 100k rps");
    const exact = (t: number) => 800 * (3 - (2 * (t - 180)) / 600);
    const stair = 600 / FINE_STEPS;
    for (const t of [185, 300, 480, 700]) {
      const k = Math.floor((t - 180) / stair);
      expect(at(j, j.series.load, "db", t)).toBeCloseTo(exact(180 + (k + 0.5) * stair), 6);
    }
    expect(at(j, j.series.load, "db", 785)).toBeCloseTo(800, 9);
    expect(at(j, j.series.load, "db", 170)).toBe(0);
    expect(at(j, j.series.load, "db", 50)).toBe(800);
    // The API itself is at full capacity: it stays up.
    expect(changes(j, "api").map((x) => x.to)).toEqual(["down", "recovering", "up"]);
  });

  it("a burst larger than a dependency's capacity overloads it, when the fluid model says", () => {
    // db serves 1,500 rps and is offered L(t) = 2,400 − 8 t / 3: its queue grows at 900 − 8 t / 3,
    // Q(t) = 900 t − (4/3) t², and reaches 30 s of waiting (45,000) at t = 54.38 s. It stops
    // growing at t = 337.5 s (151,875), is down to 60,000 when the burst ends (t = 600 s), then
    // drains at 700 rps to 45,000: t = 600 + 15,000 / 700 = 621.43 s.
    const j = run("{ restart: 1m, warmup: { over: 10m, calls: 3 } }", ", capacity: 1.5k rps");
    const collapse = 180 + (900 - Math.sqrt(900 ** 2 - 4 * (4 / 3) * 45_000)) / (8 / 3);
    const stair = 600 / FINE_STEPS;
    const db = changes(j, "db");
    expect(db.map((x) => x.to)).toEqual(["down", "up"]);
    expect(db[0]?.mechanism).toBe("overload");
    expect(Math.abs((db[0]?.t ?? 0) - collapse)).toBeLessThan(stair);
    expect(Math.abs((db[1]?.t ?? 0) - (180 + 600 + 15_000 / 700))).toBeLessThan(stair);
  });
});

describe("response caches refill", () => {
  // An API offered 1,000 rps caches db's answers (TTL 5 min, 90% hits): db usually gets 100 rps.
  // A key is asked for every T (1 − h) / h = 33.3 s, so after the cache empties db gets
  // 1,000 (1 − 0.9 g(t)) with g(t) = min(1, (1 − e^(−0.03 t)) / 0.9): 1,000 e^(−0.03 t) until
  // it is back to 100, 76.75 s later. The refill is read as FINE_STEPS stairs of equal height:
  // within half a stair (1,000 × 0.9 × 0.5 / FINE_STEPS) of that.
  const surge = (scenario: Parameters<typeof scenarioOf>[0], stale = "0s") =>
    simulate(
      modelOf(`
components:
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    recovery: { restart: 1m }
    needs:
      db: { timeout: 1s, cache: { ttl: 5m, hitRatio: 90%, staleIfError: ${stale} } }
  db: { kind: database, placement: { zones: [r1-a, r1-b] }, capacity: 100k rps }
workloads:
  users: { entry: api, rate: 1k rps }
`),
      scenarioOf(scenario),
      { samples: 721 },
    );
  const exact = (t: number) => Math.max(100, 1000 * Math.exp(-0.03 * t));
  const tolerance = (1000 * 0.9 * 0.5) / FINE_STEPS + 1e-9;

  it("after its origin comes back, a cache emptied by the outage sends it a surge that fades as keys are asked for", () => {
    // db is down for 30 min, longer than the TTL: every entry has expired when it comes back.
    const j = surge({
      duration: 3600,
      faults: [{ id: "db-down", kind: "down", target: "db", at: 600, end: { at: 2400 } }],
    });
    expect(at(j, j.series.load, "db", 595)).toBeCloseTo(100, 9);
    for (const t of [0, 10, 30, 60])
      expect(Math.abs(at(j, j.series.load, "db", 2400 + t) - exact(t))).toBeLessThan(tolerance);
    expect(at(j, j.series.load, "db", 2480)).toBeCloseTo(100, 9);
  });

  it("answers served stale through the outage are misses once the origin is back", () => {
    // staleIfError: 1h keeps the API answering through 30 min of db down, but every entry is
    // older than its 5 min TTL by then: db gets the same surge as without it.
    const j = surge(
      {
        duration: 3600,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 600, end: { at: 2400 } }],
      },
      "1h",
    );
    for (const t of [0, 10, 30, 60])
      expect(Math.abs(at(j, j.series.load, "db", 2400 + t) - exact(t))).toBeLessThan(tolerance);
  });

  it("a cache that still held some answers refills from there", () => {
    // db down for 2 min: without staleIfError the entries expire over the TTL from the first
    // failure, so 60% are still held when it comes back. db gets 1,000 (1 − 0.9 (0.6 + 0.4 g(t)))
    // = 1,000 (0.06 + 0.4 e^(−0.03 t)): 460 at once, its usual 100 after the same 76.75 s.
    const j = surge({
      duration: 3600,
      faults: [{ id: "db-blip", kind: "down", target: "db", at: 600, end: { at: 720 } }],
    });
    const partial = (t: number) => 1000 * (0.06 + 0.4 * Math.exp(-0.03 * t));
    for (const t of [0, 10, 30, 60])
      expect(Math.abs(at(j, j.series.load, "db", 720 + t) - partial(t))).toBeLessThan(tolerance);
    expect(at(j, j.series.load, "db", 800)).toBeCloseTo(100, 9);
  });

  it("a caller that restarts starts with its caches empty", () => {
    // api down from 10 to 11 min, restarting in 1 min: running again at 12 min, cache empty.
    const j = surge({
      duration: 3600,
      faults: [{ id: "api-down", kind: "down", target: "api", at: 600, end: { at: 660 } }],
    });
    expect(at(j, j.series.load, "db", 715)).toBe(0);
    for (const t of [0, 20, 40])
      expect(Math.abs(at(j, j.series.load, "db", 720 + t) - exact(t))).toBeLessThan(tolerance);
  });

  it("a cache every call hits is empty after its caller restarts, until the origin answers", () => {
    // api (standalone) restarts at 660 s and runs at 720 s; db is down from 700 s. With its
    // stale-if-error cache from before the stop, api would ride this out; restarted, it has
    // nothing cached and fails with db — with 100% hits as with 90%.
    for (const hits of ["100%", "90%"]) {
      const j = simulate(
        modelOf(`
components:
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    recovery: { restart: 1m, coldStart: standalone }
    needs:
      db: { timeout: 1s, cache: { ttl: 5m, staleIfError: 1h, hitRatio: ${hits} } }
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
workloads:
  users: { entry: api, rate: 1k rps }
`),
        scenarioOf({
          duration: 3600,
          faults: [
            { id: "api-down", kind: "down", target: "api", at: 600, end: { at: 660 } },
            { id: "db-down", kind: "down", target: "db", at: 700 },
          ],
        }),
        { samples: 361 },
      );
      expect(at(j, j.series.success, "api", 800)).toBe(0);
    }
  });
});
