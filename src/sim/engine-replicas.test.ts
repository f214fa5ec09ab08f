/**
 * A primary with a replica (sim/replicas.ts), against hand computations: 100 rps enter `api`,
 * which needs `db`; `db` has a replica `db-replica` with a 30 s lag.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenario/load.js";
import { simulate } from "./engine.js";
import { modelOf } from "./fixtures.js";
import type { Journal } from "./types.js";

const model = (replication: string) => `
components:
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs:
      db: { timeout: 1s }
  db:
    kind: database
    placement: { zones: [r1-a] }
    replication: ${replication}
  db-replica: { kind: database, placement: { zones: [r1-b] } }
workloads:
  users: { entry: api, rate: 100 rps }
`;

function run(replication: string, body: string): Journal {
  const m = modelOf(model(replication));
  const r = parseScenario("s.yaml", `name: s\nduration: 1h\n${body}`, m);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return simulate(m, r.scenario, { samples: 61 });
}

const served = (j: Journal) => j.workloads[0]?.served ?? Number.NaN;
const switches = (j: Journal) =>
  j.timeline.filter((e) => e.kind === "change").map((e) => [e.t, e.from, e.to]);

describe("a primary with a replica", () => {
  const AUTO = "{ replica: db-replica, lag: 30s, failover: automatic }";

  it("fails over at once, stays on the replica after the primary is back, and fails back by decision", () => {
    const j = run(
      AUTO,
      `faults:
  db-down: { kind: down, target: db, at: 10m, until: 20m }
actions:
  back: { do: failback, target: db, at: 30m }
`,
    );
    expect(served(j)).toBeCloseTo(100 * 3600, 6);
    expect(switches(j)).toEqual([
      [600, "primary", "replica"],
      [1800, "replica", "primary"],
    ]);
    // The last 30 s of the primary's 100 rps had not reached the replica.
    expect(j.failovers).toEqual([
      { primary: "db", replica: "db-replica", at: 600, automatic: true, lag: 30, atRisk: 3000 },
    ]);
  });

  it("with failoverAfter, callers fail until the switch; a blip shorter than it does not switch", () => {
    const slow = "{ replica: db-replica, lag: 30s, failover: automatic, failoverAfter: 1m }";
    const long = run(slow, "faults:\n  db-down: { kind: down, target: db, at: 10m }\n");
    expect(served(long)).toBeCloseTo(100 * (3600 - 60), 6);
    const blip = run(
      slow,
      "faults:\n  db-down: { kind: down, target: db, at: 10m, until: 10m30s }\n",
    );
    expect(served(blip)).toBeCloseTo(100 * (3600 - 30), 6);
    expect(blip.failovers).toBeUndefined();
  });

  it("manual: callers fail until a failover action", () => {
    const j = run(
      "{ replica: db-replica, lag: 30s }",
      `faults:
  db-down: { kind: down, target: db, at: 10m }
actions:
  promote: { do: failover, target: db, at: 15m }
`,
    );
    expect(served(j)).toBeCloseTo(100 * (3600 - 300), 6);
    expect(j.failovers?.[0]).toMatchObject({ at: 900, automatic: false, atRisk: 3000 });
  });

  it("once failed over, the replica's own failure fails the callers", () => {
    const j = run(
      AUTO,
      `faults:
  db-down: { kind: down, target: db, at: 10m, until: 20m }
  replica-down: { kind: down, target: db-replica, at: 40m }
`,
    );
    // Served until 2400 s; the primary is up again, but nothing fails back without a decision.
    expect(served(j)).toBeCloseTo(100 * 2400, 6);
  });

  it("an automatic failover promotes only a replica that is up, and only after a steady outage", () => {
    // The replica is down from 5m: no failover at 10m; callers fail while the primary is down.
    const downReplica = run(
      AUTO,
      `faults:
  replica-down: { kind: down, target: db-replica, at: 5m }
  db-down: { kind: down, target: db, at: 10m, until: 20m }
`,
    );
    expect(served(downReplica)).toBeCloseTo(100 * (3600 - 600), 6);
    expect(downReplica.failovers).toBeUndefined();
    // Two 30 s blips 1m30s apart never make a minute of steady outage.
    const blips = run(
      "{ replica: db-replica, lag: 30s, failover: automatic, failoverAfter: 1m }",
      `faults:
  one: { kind: down, target: db, at: 10m, until: 10m30s }
  two: { kind: down, target: db, at: 11m, until: 11m30s }
`,
    );
    expect(blips.failovers).toBeUndefined();
  });

  it("a scenario can bound the data at risk", () => {
    const j = run(
      AUTO,
      `faults:
  db-down: { kind: down, target: db, at: 10m }
expect:
  - dataAtRisk: { component: db, atLeast: 2000, atMost: 4000 }
`,
    );
    expect(j.expectations.map((v) => [v.ok, v.actual])).toEqual([
      [true, "3k requests over 1 failover"],
    ]);
  });
});
