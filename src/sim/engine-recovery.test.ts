/**
 * The engine's rollouts, recovery (restarts, cold starts, leases) and monitoring; one focused
 * scenario each, checked against the numbers their formulas give (docs/simulation.md derives
 * them).
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

describe("rollouts", () => {
  const model = `
components:
  cw: { kind: monitoring, placement: { region: r2 }, observes: [api] }
  api: { kind: api, placement: { zones: [r1-a, r1-b] } }
workloads:
  orders: { entry: api, rate: 100 rps }
alarms:
  api-errors: { monitor: cw, target: api, signal: error-rate, threshold: 5%, period: 1m, evaluationPeriods: 3 }
`;
  const run = (waves: number[], rollbackOn?: string) =>
    simulate(
      modelOf(model),
      scenarioOf({
        duration: 7200,
        faults: [
          {
            id: "bad-deploy",
            kind: "bad-change",
            target: "api",
            effect: "down",
            rate: 1,
            at: 600,
            rollout: {
              waves,
              bake: 1800,
              ...(rollbackOn ? { rollbackOn } : {}),
              rollbackAfter: 300,
            },
          },
        ],
      }),
    );

  it("in waves with bake time and alarm-driven rollback, reaches only the first wave", () => {
    const j = run([0.1, 0.5, 1], "api-errors");
    // 10% of requests fail from 10:00; three breaching minutes fire the alarm at 13:00; the
    // rollback lands 5 min later, before the second wave at 40:00.
    const api = j.components.find((c) => c.id === "api");
    expect(api?.worstSuccess).toBeCloseTo(0.9, 9);
    expect(changes(j, "api-errors")[0]?.t).toBe(780);
    expect(api?.recoveredAt).toBe(1080);
  });

  it("all at once reaches the whole fleet", () => {
    const j = run([1]);
    expect(j.components.find((c) => c.id === "api")?.worstSuccess).toBe(0);
    expect(j.components.find((c) => c.id === "api")?.finalState).toBe("down");
  });
});

describe("recovery", () => {
  it("a stopped component restarts after its restart time; a cold start waits for its hard dependencies", () => {
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { region: r1 }, recovery: { restart: 10m } }
  api: { kind: api, placement: { region: r1 }, needs: [db], recovery: { restart: 2m } }
`),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "r1-down", kind: "down", target: "r1", at: 0, end: { at: 600 } }],
      }),
    );
    // Both restart when the region returns at 10:00; api is ready at 12:00 but waits for db (20:00).
    expect(j.components.find((c) => c.id === "db")?.recoveredAt).toBe(1200);
    expect(j.components.find((c) => c.id === "api")?.recoveredAt).toBe(1200);
    expect(changes(j, "api").map((c) => c.to)).toEqual(["down", "recovering", "up"]);
  });

  it("a cycle through identity never cold-starts by itself; break-glass starts it", () => {
    const cycle = `
components:
  kv: { kind: kv-store, placement: { region: r1 }, needs: [idp], recovery: { restart: 5m } }
  idp: { kind: identity, placement: { region: r1 }, needs: [kv], recovery: { restart: 5m } }
`;
    const stuck = simulate(
      modelOf(cycle),
      scenarioOf({
        duration: 7200,
        faults: [{ id: "r1-down", kind: "down", target: "r1", at: 0, end: { at: 600 } }],
      }),
    );
    expect(stuck.components.find((c) => c.id === "kv")?.finalState).toBe("recovering");
    expect(stuck.components.find((c) => c.id === "idp")?.finalState).toBe("recovering");
    const glass = simulate(
      modelOf(cycle),
      scenarioOf({
        duration: 7200,
        faults: [{ id: "r1-down", kind: "down", target: "r1", at: 0, end: { at: 600 } }],
        actions: [
          { id: "glass", do: "break-glass", target: "idp", trigger: { on: "time", at: 3600 } },
        ],
      }),
    );
    expect(glass.components.find((c) => c.id === "idp")?.recoveredAt).toBe(3600);
    expect(glass.components.find((c) => c.id === "kv")?.recoveredAt).toBe(3600);
  });

  const leases = (count: string) =>
    simulate(
      modelOf(`
components:
  db: { kind: database, placement: { region: r1 } }
  leaser:
    kind: lease-manager
    placement: { zones: [r1-a, r1-b] }
    leases: { duration: 30m, renewEvery: 5m, count: ${count}, establishRate: 100 rps }
    needs: [db]
`),
      scenarioOf({
        duration: 6 * 3600,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 0, end: { at: 3600 } }],
      }),
    );

  it("leases lapse while the dependency is down and come back at the establish rate when the work fits in a lease", () => {
    // 100k lapsed leases at 100/s take 1000 s < 30 min.
    const j = leases("100k");
    expect(j.components.find((c) => c.id === "leaser")?.recoveredAt).toBeCloseTo(
      3600 + 0.99 * 1000,
      0,
    );
  });

  it("a lease manager failing a share of requests besides changes state when its success crosses a threshold, not at the next step", () => {
    // 20% of its requests fail all along, so its success is 0.8 × the valid share: 100k leases
    // back at 100/s from 1 h make it degraded (success 0.5) at a share of 0.625, 625 s later —
    // between two samples (every 30 s) and before the share itself crosses a threshold.
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { region: r1 } }
  leaser:
    kind: lease-manager
    placement: { zones: [r1-a, r1-b] }
    leases: { duration: 30m, renewEvery: 5m, count: 100k, establishRate: 100 rps }
    needs: [db]
`),
      scenarioOf({
        duration: 6 * 3600,
        faults: [
          { id: "db-down", kind: "down", target: "db", at: 0, end: { at: 3600 } },
          { id: "errors", kind: "error-rate", target: "leaser", rate: 0.2, at: 0 },
        ],
      }),
    );
    const degraded = changes(j, "leaser").find((c) => c.to === "degraded");
    expect(degraded?.t).toBeCloseTo(3600 + 625, 6);
  });

  it("a lease manager that publishes re-established leases leaves a backlog downstream", () => {
    // 100k leases come back at 100/s from 1 h (1000 s); each publishes a message to a queue
    // drained at 40/s: the backlog peaks at 100k − 40 × 1000 = 60k when the last lease is back,
    // and is empty 60k / 40 = 1500 s later.
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { region: r1 } }
  leaser:
    kind: lease-manager
    placement: { zones: [r1-a, r1-b] }
    leases:
      { duration: 30m, renewEvery: 5m, count: 100k, establishRate: 100 rps, publishes: state }
    needs: [db]
  propagator: { kind: worker, placement: { zones: [r1-a, r1-b] } }
queues:
  state: { consumers: { propagator: 40 rps } }
`),
      scenarioOf({
        duration: 6 * 3600,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 0, end: { at: 3600 } }],
      }),
    );
    const q = j.queues.find((x) => x.id === "state");
    expect(q?.published).toBeCloseTo(100_000, 0);
    expect(q?.peakBacklog).toBeCloseTo(60_000, 0);
    expect(q?.peakAt).toBeCloseTo(3600 + 1000, 0);
    expect(Math.abs((q?.drainedAt ?? 0) - (3600 + 1000 + 1500))).toBeLessThanOrEqual(0.01 * 1500);
  });
});

describe("monitoring", () => {
  const model = (monitorNeeds: string) => `
components:
  db: { kind: database, placement: { region: r1 } }
  cw: { kind: monitoring, placement: { region: r1 }, observes: [api]${monitorNeeds} }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [db] }
workloads:
  orders: { entry: api, rate: 100 rps }
alarms:
  api-errors: { monitor: cw, target: api, signal: error-rate, threshold: 5%, period: 1m, evaluationPeriods: 3 }
actions:
  restart-db: { do: restart, target: db, when: { alarm: api-errors }, after: 5m }
`;
  const run = (monitorNeeds: string) =>
    simulate(
      modelOf(model(monitorNeeds)),
      scenarioOf({
        duration: 7200,
        faults: [
          {
            id: "db-errors",
            kind: "error-rate",
            target: "db",
            rate: 1,
            at: 30,
            end: { action: "restart-db" },
          },
        ],
      }),
    );

  it("an alarm fires after its evaluation periods and its action follows after its delay", () => {
    const j = run("");
    // Errors from 0:30; the periods ending 2:00, 3:00, 4:00 breach (the first only half): the
    // minute ending 1:00 is at 50% > 5% too, so 3 breaching periods end at 3:00.
    expect(changes(j, "api-errors")[0]?.t).toBe(180);
    expect(changes(j, "restart-db")[0]?.t).toBe(480);
    expect(j.components.find((c) => c.id === "api")?.recoveredAt).toBe(480);
  });

  it("a monitor that depends on what failed alarms late or never, and its action with it", () => {
    const j = run(", needs: [db]");
    // The monitor fails with the database from 0:30: the minute ending 1:00 has no datapoint,
    // so the alarm goes to insufficient data — never "back within threshold", and never firing.
    expect(changes(j, "api-errors").map((c) => [c.t, c.to])).toEqual([[60, "insufficient-data"]]);
    expect(j.components.find((c) => c.id === "api")?.finalState).toBe("down");
  });
});
