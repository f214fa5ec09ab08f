/**
 * A partition cuts more than synchronous calls: the traffic to a queue service, a health
 * checker's checks, and a primary's replication. One focused case each, by hand: r1 and r2 are
 * cut from 600 s to 1200 s.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { at } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const PARTITION = {
  id: "split",
  kind: "partition" as const,
  between: ["r1", "r2"] as [string, string],
  at: 600,
  end: { at: 1200 },
};

describe("a partition", () => {
  it("refuses the messages of publishers cut from the queue service, and starves cut consumers", () => {
    const j = simulate(
      modelOf(`
components:
  sqs: { kind: queue-service, placement: { zones: [r2-a] } }
  web: { kind: web, placement: { zones: [r1-a] }, publishes: [jobs] }
  worker: { kind: worker, placement: { zones: [r1-b] } }
queues:
  jobs: { service: sqs, consumers: { worker: 150 rps } }
workloads:
  site: { entry: web, rate: 100 rps }
`),
      scenarioOf({ duration: 1800, faults: [PARTITION] }),
    );
    const q = j.queues.find((x) => x.id === "jobs");
    // 100 messages a second refused for 600 s; nothing queued, so nothing to drain after.
    expect(q?.rejected).toBeCloseTo(100 * 600, 6);
    expect(q?.published).toBeCloseTo(100 * 1800, 6);
    expect(q?.consumed).toBeCloseTo(100 * 1200, 6);
  });

  it("fails a checker's checks of the side it cannot reach: its failover takes that capacity out once detected", () => {
    const j = simulate(
      modelOf(`
components:
  lb:
    kind: load-balancer
    placement: { zones: [r1-a, r2-a] }
    healthCheck: { interval: 10s, threshold: 3 }
  hc: { kind: health-check, placement: { zones: [r1-b] }, observes: [lb] }
workloads:
  serves: { entry: lb, rate: 10 rps }
`),
      scenarioOf({ duration: 1800, faults: [PARTITION] }),
      { samples: 181 },
    );
    // The r2 half of lb fails its checks from 600 s; detected after 3 × 10 s.
    expect(at(j, j.series.success, "lb", 620)).toBe(1);
    expect(at(j, j.series.success, "lb", 640)).toBeCloseTo(0.5, 9);
    expect(at(j, j.series.success, "lb", 1210)).toBe(1);
    expect(j.workloads[0]?.served).toBeCloseTo(10 * (1800 - 0.5 * 570), 6);
  });

  it("stops replication: a failover during it puts the whole partition's work at risk", () => {
    const j = simulate(
      modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a] }, needs: { db: {} } }
  db:
    kind: database
    placement: { zones: [r1-b] }
    replication: { replica: db-replica, lag: 30s, failover: automatic }
  db-replica: { kind: database, placement: { zones: [r2-a] } }
workloads:
  users: { entry: api, rate: 100 rps }
`),
      scenarioOf({
        duration: 1800,
        faults: [PARTITION, { id: "db-down", kind: "down", target: "db", at: 900 }],
      }),
    );
    // Replication stopped at 600 s; the failover at 900 s loses 30 s + 300 s of 100 rps.
    expect(j.failovers?.[0]).toMatchObject({ at: 900, lag: 330, atRisk: 33_000 });
  });
});
