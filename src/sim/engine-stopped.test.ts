/**
 * A component that is not running makes no calls (component.ts, `notRunning`): what it calls
 * gets nothing from it, its callers wait only its own time, and it starts again with its
 * breakers closed, no retries pending and its response caches empty.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";
import type { Sim } from "./state.js";

/** The component's state as the engine holds it at time t (read through `observe`). */
function stateAt(sims: Map<number, { latency: number; load: number }>, t: number) {
  const x = sims.get(t);
  if (!x) throw new Error(`no step ends at ${t}`);
  return x;
}

describe("a component that is not running", () => {
  it("sends nothing to what it calls and holds its callers for its own time only", () => {
    const model = modelOf(`
components:
  db: { kind: database, placement: { zones: [r1-a] }, latency: 50ms, capacity: 1M rps }
  api: { kind: api, placement: { zones: [r1-a] }, latency: 20ms, needs: [db] }
  web: { kind: api, placement: { zones: [r1-a] }, latency: 10ms, needs: [api] }
workloads:
  orders: { entry: web, rate: 100 rps }
`);
    const web = new Map<number, { latency: number; load: number }>();
    const j = simulate(
      model,
      scenarioOf({
        duration: 1800,
        faults: [{ id: "api-down", kind: "down", target: "api", at: 600, end: { at: 1200 } }],
      }),
      {
        samples: 181,
        observe: (sim: Readonly<Sim>) => {
          const s = sim.comps.find((c) => c.c.id === "web");
          if (s) web.set(sim.t, { latency: s.latency, load: s.load });
        },
      },
    );
    expect(at(j, j.series.load, "db", 590)).toBe(100);
    // Stopped from 10:00 to 20:00 (it restarts at once: db is up): db gets nothing from it.
    expect(at(j, j.series.load, "db", 600)).toBe(0);
    expect(at(j, j.series.load, "db", 1190)).toBe(0);
    expect(at(j, j.series.load, "db", 1200)).toBe(100);
    // web waits 10 ms + api's 20 ms + db's 50 ms, and only 10 + 20 ms while api is stopped.
    expect(stateAt(web, 0).latency).toBeCloseTo(0.08, 12);
    expect(stateAt(web, 900).latency).toBeCloseTo(0.03, 12);
    expect(stateAt(web, 1200).latency).toBeCloseTo(0.08, 12);
  });

  it("starts again with its breakers closed", () => {
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { zones: [r1-a] }, capacity: 1M rps }
  api:
    kind: api
    placement: { zones: [r1-b] }
    recovery: { coldStart: standalone }
    needs: { db: { breaker: { errorRate: 50%, window: 10s, openFor: 30s } } }
workloads:
  orders: { entry: api, rate: 100 rps }
`),
      scenarioOf({
        duration: 600,
        faults: [
          { id: "errors", kind: "error-rate", target: "db", rate: 1, at: 20 },
          { id: "api-down", kind: "down", target: "api", at: 100, end: { at: 200 } },
        ],
      }),
      { samples: 601 },
    );
    // Open from 30 s (errors since 20 s); api stopped from 100 s to 200 s. A breaker kept
    // open would still fail fast at 205 s; a fresh process calls db until its window fills.
    expect(at(j, j.series.load, "db", 25)).toBe(100);
    expect(at(j, j.series.load, "db", 50)).toBe(0);
    expect(at(j, j.series.load, "db", 205)).toBe(100);
    expect(at(j, j.series.load, "db", 209)).toBe(100);
    expect(at(j, j.series.load, "db", 210)).toBe(0);
    expect(changes(j, "api").map((c) => [c.t, c.to])).toEqual([[20, "down"]]);
  });

  it("starts with its response cache empty: entries from before it stopped are gone", () => {
    const j = simulate(
      modelOf(`
components:
  origin: { kind: database, placement: { zones: [r1-a] } }
  api:
    kind: api
    placement: { zones: [r1-b] }
    recovery: { coldStart: standalone }
    needs:
      origin: { cache: { ttl: 10m, staleIfError: 0s, hitRatio: 1, latency: 0s } }
`),
      scenarioOf({
        duration: 3600,
        faults: [
          { id: "api-down", kind: "down", target: "api", at: 1000, end: { at: 1100 } },
          { id: "origin-errors", kind: "error-rate", target: "origin", rate: 1, at: 1050 },
        ],
      }),
      { samples: 721 },
    );
    // Had it kept the entries refreshed before 1000 s, a third would still answer at 1400 s;
    // started again at 1100 s with nothing cached, it fails with its origin.
    expect(at(j, j.series.success, "api", 1100)).toBe(0);
    expect(at(j, j.series.success, "api", 1400)).toBe(0);
  });
});
