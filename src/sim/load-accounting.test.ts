/**
 * Where load goes, and the defects the engine had before load accounting became flow
 * conservation: one small model per defect, each with the closed form or hand computation of
 * what is right. The models are minimal on purpose; the numbers are the tests' own.
 */
import { describe, expect, it } from "vitest";
import { parseModel } from "../model/load.js";
import type { Model } from "../model/types.js";
import { explain } from "../reports/explain.js";
import { parseScenario } from "../scenario/load.js";
import { simulate } from "./engine.js";
import type { Journal } from "./types.js";

function run(modelYaml: string, scenarioYaml: string): Journal {
  const parsed = parseModel("model.yaml", () => modelYaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const model: Model = parsed.model;
  const s = parseScenario("scenario.yaml", scenarioYaml, model);
  if (!s.ok) throw new Error(JSON.stringify(s.diagnostics));
  return simulate(model, s.scenario);
}

const comp = (j: Journal, id: string) => {
  const c = j.components.find((x) => x.id === id);
  if (!c) throw new Error(`no component ${id}`);
  return c;
};
const changes = (j: Journal, subject: string) =>
  j.timeline.filter((e) => e.subject === subject).map((e) => [e.t, e.to]);

const TWO_REGIONS = "domains: { p: { contains: { r1: [a1], r2: [b1] } } }";

describe("load follows routing", () => {
  const model = (failover: string) => `
name: m
${TWO_REGIONS}
components:
  dns:
    kind: dns
    placement: { global: true }
    records:
      svc.example: { targets: [primary], ttl: 30s, failover: { targets: [standby]${failover} } }
  primary: { kind: api, placement: { region: r1 }, capacity: 1k rps }
  standby: { kind: api, placement: { region: r2 }, capacity: 100 rps }
  spare: { kind: api, placement: { region: r2 }, capacity: 100 rps }
  app: { kind: web, placement: { region: r2 }, needs: { primary: { via: svc.example, timeout: 1s } } }
  app2: { kind: web, placement: { region: r2 }, needs: { primary: { timeout: 1s, fallback: spare } } }
workloads:
  w: { entry: app, rate: 500 rps }
  w2: { entry: app2, rate: 500 rps }
`;

  it("a failed-over record and a fallback send their callers' requests to the standby, not the dead primary", () => {
    const j = run(
      model(", healthCheck: { interval: 10s, threshold: 3, autoFailover: false }"),
      `
name: s
duration: 1h
faults: { primary-down: { kind: down, target: primary, at: 5m } }
actions: { move: { do: failover, target: primary, at: 10m } }
`,
    );
    // Before the fault the primary takes both workloads: 500 + 500 rps.
    expect(comp(j, "primary").peakLoad).toBeCloseTo(1000, 6);
    // After the failover all 500 rps of app resolve to the standby, a fifth of it fits.
    expect(comp(j, "standby").peakLoad).toBeGreaterThanOrEqual(500 - 1e-6);
    expect(comp(j, "standby").impacted).toBe(true);
    // From the primary's fault, app2's calls fail over to the fallback: 500 rps on 100 rps.
    expect(comp(j, "spare").peakLoad).toBeGreaterThanOrEqual(500 - 1e-6);
    expect(comp(j, "spare").impacted).toBe(true);
  });

  it("a dead primary is charged nothing once no request reaches it", () => {
    const j = run(
      model(", healthCheck: { interval: 10s, threshold: 3, autoFailover: true }"),
      `
name: s
duration: 30m
faults: { primary-down: { kind: down, target: primary, at: 1m } }
`,
    );
    const t = j.series.times;
    const load = j.series.load.primary ?? [];
    const late = t.findIndex((x) => x >= 20 * 60);
    // Only the fallback's callers (app2) still try the primary first: 500 rps, none from app.
    expect(load[late]).toBeCloseTo(500, 0);
  });

  it("a manual failover holds until failed back", () => {
    const m = `
name: m
domains: { p: { contains: { r: [z1, z2] } } }
components:
  dns:
    kind: dns
    placement: { global: true }
    records:
      db.internal:
        targets: [db-primary]
        ttl: 5s
        failover: { targets: [db-standby], healthCheck: { interval: 5s, threshold: 3, autoFailover: true } }
  db-primary: { kind: database, placement: { zones: [z1] }, capacity: 1000 rps }
  db-standby: { kind: database, placement: { zones: [z2] }, capacity: 1000 rps }
  app: { kind: api, placement: { zones: [z1, z2] }, needs: { db-primary: { via: db.internal, timeout: 1s } } }
workloads:
  w: { entry: app, rate: 500 rps }
`;
    const j = run(
      m,
      `
name: s
duration: 10m
actions:
  over: { do: failover, target: db-primary, at: 1m }
  back: { do: failback, target: db-primary, at: 6m }
`,
    );
    // The healthy primary's health checks do not undo the operator's failover.
    expect(changes(j, "db.internal")).toEqual([
      [60, "failover"],
      [360, "primary"],
    ]);
  });

  it("after a failover, a caller is timed against where its requests now go", () => {
    const j = run(
      `
name: m
${TWO_REGIONS}
components:
  dns:
    kind: dns
    placement: { global: true }
    records: { svc.example: { targets: [primary], ttl: 30s, failover: { targets: [standby] } } }
  primary: { kind: api, placement: { region: r1 } }
  standby: { kind: api, placement: { region: r2 } }
  app: { kind: web, placement: { region: r2 }, needs: { primary: { via: svc.example, timeout: 1s } } }
workloads:
  w: { entry: app, rate: 100 rps }
`,
      `
name: s
duration: 1h
faults:
  slow: { kind: latency, target: primary, latency: 10s, at: 5m }
  stop: { kind: down, target: primary, at: 6m }
`,
    );
    const app = comp(j, "app");
    expect(app.finalState).toBe("up");
    // Detection (3 failed checks every 30 s by default = 90 s after 6m), then the clients
    // follow the record over its 30 s TTL: recovered by 6m + 90 s + 30 s.
    expect(app.recoveredAt).toBeGreaterThan(6 * 60 + 90);
    expect(app.recoveredAt).toBeLessThanOrEqual(6 * 60 + 90 + 30 + 0.5);
  });

  it("a component whose fallback works can start while its primary is down", () => {
    const j = run(
      `
name: m
${TWO_REGIONS}
components:
  primary-db: { kind: database, placement: { region: r1 } }
  standby-db: { kind: database, placement: { region: r2 } }
  app:
    kind: api
    placement: { region: r2 }
    needs: { primary-db: { fallback: standby-db } }
    recovery: { restart: 1m }
workloads:
  w: { entry: app, rate: 100 rps }
`,
      `
name: s
duration: 1h
faults: { region-1-down: { kind: down, target: r1, at: 1m } }
actions: { redeploy: { do: restart, target: app, at: 10m } }
`,
    );
    expect(comp(j, "app").recoveredAt).toBe(11 * 60);
    expect(comp(j, "app").finalState).toBe("up");
  });
});

describe("load that reaches, and load that does not", () => {
  it("a queue's consumers load their dependencies: rate × calls × attempts", () => {
    const j = run(
      `
name: m
domains: { p: { contains: { r1: [a1] } } }
components:
  bus: { kind: queue-service, placement: { region: r1 } }
  producer: { kind: api, placement: { region: r1 }, publishes: [events] }
  delivery: { kind: worker, placement: { region: r1 }, needs: { target-api: { timeout: 1s, calls: 2 } } }
  target-api: { kind: api, placement: { region: r1 }, capacity: 100 rps }
queues:
  events: { service: bus, consumers: { delivery: 1k rps } }
workloads:
  w: { entry: producer, rate: 50 rps }
`,
      "name: s\nduration: 10m\n",
    );
    // 50 messages/s processed, 2 calls each: 100 rps, exactly the callee's capacity.
    expect(comp(j, "target-api").peakLoad).toBeCloseTo(100, 6);
    expect(comp(j, "target-api").impacted).toBe(false);
  });

  it("a drain that a database cannot take overloads it", () => {
    // The consumers take up to 1k messages/s; each is a call on a 100 rps API. (A backlog of
    // 1k/s arriving can never drain through 100 rps: no drainedBy expectation could hold.)
    const j = run(
      `
name: m
domains: { p: { contains: { r1: [a1] } } }
components:
  bus: { kind: queue-service, placement: { region: r1 } }
  producer: { kind: api, placement: { region: r1 }, publishes: [events] }
  delivery: { kind: worker, placement: { region: r1 }, needs: { target-api: { timeout: 1s } } }
  target-api: { kind: api, placement: { region: r1 }, capacity: 100 rps }
queues:
  events: { service: bus, consumers: { delivery: 1k rps } }
workloads:
  w: { entry: producer, rate: 1k rps }
`,
      "name: s\nduration: 10m\n",
    );
    expect(comp(j, "target-api").peakLoad).toBeGreaterThanOrEqual(1000 - 1e-6);
    expect(comp(j, "target-api").impacted).toBe(true);
    expect(j.queues.find((q) => q.id === "events")?.finalBacklog).toBeGreaterThan(0);
  });

  it("a call that fails at resolution offers its callee nothing", () => {
    const j = run(
      `
name: m
domains: { p: { contains: { r1: [a1] } } }
components:
  dns:
    kind: dns
    placement: { global: true }
    records: { db.example: { targets: [db], ttl: 60s } }
  db: { kind: database, placement: { region: r1 }, capacity: 1k rps }
  app:
    kind: api
    placement: { region: r1 }
    needs: { db: { via: db.example, retry: { attempts: 3 } } }
workloads:
  w: { entry: app, rate: 100 rps }
`,
      `
name: s
duration: 30m
faults: { emptied: { kind: dns-empty, target: db.example, at: 5m, until: 10m } }
`,
    );
    const load = j.series.load.db ?? [];
    const t = j.series.times;
    // Every client has lost its answer 60 s after the record emptied: nothing reaches db, and
    // its load never rises above the 100 rps it takes in normal times (no retries charged).
    const mid = t.findIndex((x) => x >= 8 * 60);
    expect(load[mid]).toBe(0);
    expect(comp(j, "db").peakLoad).toBeCloseTo(100, 6);
  });

  it("a response cache that serves hits charges its callers its own latency, not the origin's", () => {
    const j = run(
      `
name: m
domains: { p: { contains: { r1: [a1] } } }
components:
  origin: { kind: api, placement: { region: r1 }, latency: 20ms }
  edge:
    kind: cache
    placement: { region: r1 }
    needs: { origin: { timeout: 5s, cache: { ttl: 10m, staleIfError: 1h } } }
  app: { kind: web, placement: { region: r1 }, needs: { edge: { timeout: 1s } } }
workloads:
  w: { entry: app, rate: 100 rps }
`,
      `
name: s
duration: 30m
faults: { slow-origin: { kind: latency, target: origin, latency: 30s, at: 5m } }
`,
    );
    expect(comp(j, "edge").impacted).toBe(false);
    expect(comp(j, "app").impacted).toBe(false);
    // No request reaches the origin while every answer is a hit (hitRatio defaults to 100%).
    expect(comp(j, "origin").peakLoad).toBe(0);
  });
});

describe("capacity that comes from concurrency", () => {
  // Little's law: K / L = 100 / 0.1 s = 1000 rps across the placement.
  const model = (zones: string, rate: number) => `
name: m
domains: { p: { contains: { r: [z1, z2, z3] } } }
components:
  svc: { kind: api, placement: { zones: [${zones}] }, latency: 100ms, concurrency: 100 }
workloads:
  w: { entry: svc, rate: ${rate} rps }
`;
  const loss = (fraction: string) =>
    `name: s\nduration: 30m\nfaults: { loss: { kind: capacity-loss, target: svc, fraction: ${fraction}, at: 1m } }\n`;

  it("a capacity loss shrinks K / L: losing 10% leaves 900 ≥ 800 rps, 50% leaves 500 < 800", () => {
    expect(comp(run(model("z1", 800), loss("10%")), "svc").impacted).toBe(false);
    const half = comp(run(model("z1", 800), loss("50%")), "svc");
    expect(half.impacted).toBe(true);
    expect(half.firstImpact).toBeGreaterThanOrEqual(60);
  });

  it("losing zones shrinks it by the placements left: one of three leaves 667, two leave 333", () => {
    const zones = (n: number) =>
      `name: s\nduration: 30m\nfaults:\n${["z1", "z2"]
        .slice(0, n)
        .map((z) => `  ${z}-down: { kind: down, target: ${z}, at: 1m }\n`)
        .join("")}`;
    expect(comp(run(model("z1, z2, z3", 600), zones(1)), "svc").impacted).toBe(false);
    expect(comp(run(model("z1, z2, z3", 600), zones(2)), "svc").impacted).toBe(true);
  });
});

describe("explain reaches the faults that caused an overload or a partition", () => {
  it("an overload from a capacity loss, with an unrelated 1% surge active", () => {
    const j = run(
      `
name: m
domains: { p: { contains: { r: [z1] } } }
components:
  svc: { kind: api, placement: { zones: [z1] }, latency: 100ms, capacity: 1000 rps }
workloads:
  w: { entry: svc, rate: 800 rps }
`,
      `
name: s
duration: 30m
faults:
  tiny-surge: { kind: surge, target: w, factor: 1.01 }
  half-capacity: { kind: capacity-loss, target: svc, fraction: 50%, at: 1m }
`,
    );
    const e = explain(j, "svc");
    expect(e.end).toBe("fault");
    expect(e.steps.at(-1)?.subject).toBe("half-capacity");
  });

  it("a partition's failures end at the partition fault", () => {
    const j = run(
      `
name: m
domains: { p: { contains: { east: [e1], west: [w1] } } }
components:
  db: { kind: database, placement: { zones: [e1] } }
  app: { kind: api, placement: { zones: [w1] }, needs: { db: { timeout: 1s } } }
workloads:
  w: { entry: app, rate: 100 rps }
`,
      "name: s\nduration: 10m\nfaults: { cut: { kind: partition, between: [east, west], at: 1m, until: 5m } }\n",
    );
    const e = explain(j, "app");
    expect(e.end).toBe("fault");
    expect(e.steps.at(-1)?.subject).toBe("cut");
    expect(comp(j, "app").recoveredAt).toBe(5 * 60);
  });
});

describe("answers cached during a DNS fault shorter than the TTL", () => {
  it("are held a full TTL from their fetch: 20% of clients fail until 48–60 min after the fix", () => {
    const j = run(
      `
name: m
domains: { p: { contains: { r1: [a1] } } }
components:
  dns:
    kind: dns
    placement: { global: true }
    records: { svc.example: { targets: [svc], ttl: 1h, negativeTtl: 1h } }
  svc: { kind: api, placement: { region: r1 } }
  app: { kind: web, placement: { region: r1 }, needs: { svc: { via: svc.example } } }
workloads:
  w: { entry: app, rate: 100 rps }
`,
      `
name: s
duration: 3h
faults: { wrong: { kind: dns-wrong, target: svc.example, at: 0s, until: 12m } }
expect:
  - availability: { workload: w, from: 12m, to: 1h, atLeast: 79%, atMost: 81% }
`,
    );
    // Answers expire uniformly over the TTL: 12 of 60 minutes' worth (20%) refetch the wrong
    // answer during the fault and keep it an hour from their fetch, until 1h to 1h12m.
    expect(j.expectations.map((x) => x.ok)).toEqual([true]);
    const app = comp(j, "app");
    // The app is up again once under 1% of its clients fail: the last 1% of them fetched in the
    // fault's final 36 s (1% of the TTL), so it is up at 1h12m − 36 s, give or take one group
    // of clients (18 s) and one step.
    expect(app.recoveredAt).toBeGreaterThanOrEqual(3600 + 12 * 60 - 36 - 18 - 15);
    expect(app.recoveredAt).toBeLessThanOrEqual(3600 + 12 * 60 - 36 + 15);
  });
});

describe("a blind alarm", () => {
  it("goes to insufficient data when its monitor goes down, never back to ok while the signal breaches", () => {
    const j = run(
      `
name: m
domains: { p: { contains: { r: [z1] } } }
components:
  store: { kind: database, placement: { zones: [z1] } }
  app: { kind: api, placement: { zones: [z1] }, capacity: 1000 rps }
  metrics: { kind: monitoring, placement: { zones: [z1] }, observes: [app], needs: [store] }
workloads:
  w: { entry: app, rate: 900 rps }
alarms:
  app-saturation: { monitor: metrics, target: app, signal: saturation, threshold: 50%, period: 1m }
`,
      "name: s\nduration: 20m\nfaults: { store-down: { kind: down, target: store, at: 5m, until: 15m } }\n",
    );
    // Saturation is 90% the whole run: alarm from the first minute; blind from 5m to 15m (the
    // minute ending 6:00 is the first without a datapoint); firing again once it sees.
    expect(changes(j, "app-saturation")).toEqual([
      [60, "alarm"],
      [360, "insufficient-data"],
      [960, "alarm"],
    ]);
  });
});
