/**
 * The engine at onsets between whole seconds: caches, retries and predicted crossings read
 * from the instant a failure starts; checked against the numbers their formulas give
 * (docs/simulation.md derives them).
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

describe("onsets between whole seconds", () => {
  it("a response cache ages from whenever the call starts failing (123.45 s)", () => {
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: { db: { cache: { ttl: 5m, staleIfError: 1m } } } }
workloads:
  orders: { entry: api, rate: 100 rps }
`),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 123.45 }],
      }),
    );
    // Served from the cache for 1 min, then the entries run out over 5 min: 1% gone after 3 s,
    // half after 150 s; read on stairs of 1.5 s.
    const api = changes(j, "api");
    expect(Math.abs((api[0]?.t ?? 0) - (123.45 + 60 + 3))).toBeLessThanOrEqual(1.5);
    expect(api[0]?.to).toBe("degraded");
    expect(Math.abs((api[1]?.t ?? 0) - (123.45 + 60 + 150))).toBeLessThanOrEqual(1.5);
    expect(api[1]?.to).toBe("down");
  });

  it("retries start arriving after their backoff from an onset at 0.5 s", () => {
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] }, capacity: 1M rps }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: { db: { retry: { attempts: 2, backoff: 100ms, jitter: none } } } }
workloads:
  orders: { entry: api, rate: 1000 rps }
`),
      scenarioOf({
        duration: 60,
        faults: [{ id: "errors", kind: "error-rate", target: "db", rate: 0.5, at: 0.5 }],
      }),
      { samples: 61 },
    );
    expect(at(j, j.series.load, "db", 0)).toBe(1000);
    expect(at(j, j.series.load, "db", 1)).toBeCloseTo(1500, 9);
    expect(at(j, j.series.load, "db", 60)).toBeCloseTo(1500, 9);
  });

  it("a memory that moves at a predicted crossing is read from that instant", () => {
    // The checker fails 30% of its checks from 100 s; after 3 × 10 s (130 s) its automation
    // takes 30% of lb out. x's calls to lb start failing then: its cache serves them for 1 min,
    // then runs out over 1 min — 1% of x's requests fail 2 s into that ramp (192 s), 30% at the end.
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  checker: { kind: health-check, placement: { zones: [r1-a, r1-b] }, needs: [db], observes: [lb] }
  lb:
    kind: load-balancer
    placement: { zones: [r1-a, r1-b] }
    healthCheck: { interval: 10s, threshold: 3, autoFailover: true }
  x: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: { lb: { cache: { ttl: 1m, staleIfError: 1m } } } }
workloads:
  orders: { entry: x, rate: 100 rps }
`),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "errors", kind: "error-rate", target: "db", rate: 0.3, at: 100 }],
      }),
      { samples: 61 },
    );
    expect(at(j, j.series.success, "lb", 3600)).toBeCloseTo(0.7, 9);
    const x = changes(j, "x");
    expect(x[0]?.to).toBe("degraded");
    expect(Math.abs((x[0]?.t ?? 0) - 192)).toBeLessThanOrEqual(0.3);
    expect(at(j, j.series.success, "x", 3600)).toBeCloseTo(0.7, 9);
  });

  it("a component whose checker fails its capacity out reads the checker's success of the same instant", () => {
    // The checker's answers from db are cached (10 min TTL): db down from 100 s, the entries
    // run out over 10 min, one stair at a time, and so does the checker's success. From 30 s
    // after it starts to flap, lb serves that share of its capacity: the same at every sample,
    // not the share of the stair before — though lb comes first in the evaluation order (it
    // calls nothing; the names keep it first), and no step follows the last stair.
    const j = simulate(
      modelOf(`
components:
  lb:
    kind: load-balancer
    placement: { zones: [r1-a, r1-b] }
    healthCheck: { interval: 10s, threshold: 3, autoFailover: true }
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  lb-checker:
    kind: health-check
    placement: { zones: [r1-a, r1-b] }
    needs: { db: { cache: { ttl: 10m, staleIfError: 0s, hitRatio: 1, latency: 0s } } }
    observes: [lb]
`),
      scenarioOf({
        duration: 1200,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 100 }],
      }),
      { samples: 61 },
    );
    for (const t of [180, 240, 300, 360]) {
      const checker = at(j, j.series.success, "lb-checker", t);
      expect(checker).toBeGreaterThan(0.5);
      expect(checker).toBeLessThan(0.99);
      expect(at(j, j.series.success, "lb", t)).toBe(checker);
    }
  });

  it("a failure rate below the engine's tolerance is no onset, in either evaluation mode", () => {
    const model = modelOf(`
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: { db: { retry: { attempts: 2, backoff: 10s, jitter: none } } } }
  other: { kind: api, placement: { zones: [r1-a, r1-b] } }
workloads:
  orders: { entry: api, rate: 100 rps }
  side: { entry: other, rate: 100 rps, profile: [{ at: 5.5s, rate: 200 rps }, { at: 7.3s, rate: 100 rps }] }
`);
    const scenario = scenarioOf({
      duration: 60,
      faults: [{ id: "tiny", kind: "error-rate", target: "db", rate: 1e-10, at: 0 }],
    });
    const a = simulate(model, scenario, { samples: 61 });
    const b = simulate(model, scenario, { samples: 61, exhaustive: true });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
