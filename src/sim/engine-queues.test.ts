/**
 * The engine's queues and its accounting of requests; one focused scenario each, checked
 * against the numbers their formulas give (docs/simulation.md derives them).
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const QUEUE_MODEL = (retention: string, extra = "") => `
components:
  sqs: { kind: queue-service, placement: { zones: [r1-a, r1-b] } }
  web: { kind: web, placement: { zones: [r1-a, r1-b] }, publishes: [jobs] }
  worker: { kind: worker, placement: { zones: [r1-a, r1-b] }${extra} }
queues:
  jobs: { service: sqs, consumers: { worker: { rate: 150 rps } }, retention: ${retention}, maxReceives: 4, deadLetter: jobs-dlq }
  jobs-dlq: { service: sqs, retention: 14d }
workloads:
  site: { entry: web, rate: 100 rps }
`;

describe("queues", () => {
  it("backlog grows at arrival − consumption and drains in backlog / (capacity − arrival), within 1%", () => {
    const j = simulate(
      modelOf(QUEUE_MODEL("4d")),
      scenarioOf({
        duration: 4 * 3600,
        faults: [{ id: "worker-down", kind: "down", target: "worker", at: 600, end: { at: 4200 } }],
      }),
    );
    const q = j.queues.find((x) => x.id === "jobs");
    const backlog = 100 * 3600;
    expect(q?.peakBacklog).toBeCloseTo(backlog, 3);
    const drained = 4200 + backlog / (150 - 100);
    expect(Math.abs((q?.drainedAt ?? 0) - drained) / (drained - 4200)).toBeLessThan(0.01);
    expect(q?.expired).toBe(0);
    expect(q?.finalBacklog).toBe(0);
  });

  it("messages older than the retention expire and are counted as lost", () => {
    const j = simulate(
      modelOf(QUEUE_MODEL("30m")),
      scenarioOf({
        duration: 7200,
        faults: [{ id: "worker-down", kind: "down", target: "worker", at: 0 }],
      }),
    );
    const q = j.queues.find((x) => x.id === "jobs");
    expect(q?.expired).toBeCloseTo(100 * (7200 - 1800), 0);
    expect(q?.finalBacklog).toBeCloseTo(100 * 1800, 0);
    expect(j.expectations).toEqual([]);
  });

  it("a consumer that receives but fails dead-letters after max receives: μ / maxReceives per second", () => {
    const j = simulate(
      modelOf(
        QUEUE_MODEL("4d", ", needs: [db] }\n  db: { kind: database, placement: { region: r1 }"),
      ),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 0 }],
      }),
    );
    const q = j.queues.find((x) => x.id === "jobs");
    // 150 receives/s, each message fails 4 times: 37.5 dead letters/s, fewer than the 100/s
    // arriving. A failed message is received again only after its visibility timeout (30 s, the
    // default), and moves to the dead-letter queue at the receive after its 4th: the first go
    // at 4 × 30 s = 2 min, none before.
    expect(q?.deadLettered).toBeCloseTo(37.5 * (3600 - 4 * 30), 0);
    expect(j.queues.find((x) => x.id === "jobs-dlq")?.finalBacklog).toBeCloseTo(
      37.5 * (3600 - 4 * 30),
      0,
    );
  });

  it("behind a deep backlog, the queue's own boundaries are not the run's, and dead letters still wait their receives", () => {
    // As above over 6 h, sampled every 21.6 s (off the 7.5 s cells): the worker takes 150/s
    // from a backlog that only grows, so what comes back changes no rate outside the queue.
    // Were the returning bands' changes the run's boundaries, it would step at every cell
    // (2,880 in 6 h); the queue steps through them itself, at the same cells, so no message is
    // dead-lettered before its 4 × 30 s of invisibility.
    const j = simulate(
      modelOf(
        QUEUE_MODEL("4d", ", needs: [db] }\n  db: { kind: database, placement: { region: r1 }"),
      ),
      scenarioOf({
        duration: 6 * 3600,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 0 }],
      }),
      { samples: 1001 },
    );
    const q = j.queues.find((x) => x.id === "jobs");
    expect(q?.deadLettered).toBeCloseTo(37.5 * (6 * 3600 - 4 * 30), 0);
    expect(q?.finalBacklog).toBeCloseTo((100 - 37.5) * 6 * 3600 + 37.5 * 4 * 30, 0);
    // The 1,000 samples, and a few steps while the backlog is shallow.
    expect(j.stats.steps).toBeGreaterThanOrEqual(1000);
    expect(j.stats.steps).toBeLessThan(1000 + 30);
  });

  it("behind a deep backlog whose messages expire, every message not consumed expires at the retention", () => {
    // The worker fails every message and there is no dead-letter queue: messages go round
    // (taken at 150/s, back 30 s later) until they are 30 min old. By 2 h, all but the last
    // 30 min of arrivals have expired, whatever the order they went round in.
    const j = simulate(
      modelOf(
        QUEUE_MODEL(
          "30m",
          ", needs: [db] }\n  db: { kind: database, placement: { region: r1 }",
        ).replace(/, maxReceives: 4, deadLetter: jobs-dlq/, ""),
      ),
      scenarioOf({
        duration: 7200,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 0 }],
      }),
      { samples: 1001 },
    );
    const q = j.queues.find((x) => x.id === "jobs");
    expect(q?.consumed).toBe(0);
    // Redelivered messages are pooled, and a pool's messages taken as spread evenly over the
    // enqueue times it spans (decision 009): some expire a little early — 0.23% here, the same
    // whether the queue steps through its own grid or the run does.
    expect(Math.abs((q?.expired ?? 0) / (100 * (7200 - 1800)) - 1)).toBeLessThan(0.005);
    expect(Math.abs((q?.finalBacklog ?? 0) / (100 * 1800) - 1)).toBeLessThan(0.01);
    expect((q?.expired ?? 0) + (q?.finalBacklog ?? 0)).toBeCloseTo(100 * 7200, 0);
  });

  it("a consumer failing a share of messages all day: redeliveries f/(1−f) of arrivals, one step per visibility timeout while the share is steady", () => {
    // The worker fails 5% of its messages from 1 h to 23 h; there is no dead-letter queue, so a
    // message goes round until it succeeds. Consumers keep up (150/s ≥ 100/s ÷ 0.95), so nothing
    // waits: everything published is consumed but what is invisible at the end, and in steady
    // state the receives are 100 / 0.95 per second, 5% of which (5.26/s) are invisible for 30 s:
    // 157.9 messages in flight. Each failed step would return as a band one timeout later; were
    // the band's start a boundary of its own, the boundaries would multiply each timeout.
    const model = modelOf(QUEUE_MODEL("4d").replace(/, maxReceives: 4, deadLetter: jobs-dlq/, ""));
    const j = simulate(
      model,
      scenarioOf({
        duration: 86400,
        faults: [
          {
            id: "flaky",
            kind: "error-rate",
            target: "worker",
            rate: 0.05,
            at: 3600,
            end: { at: 23 * 3600 },
          },
        ],
      }),
    );
    const q = j.queues.find((x) => x.id === "jobs");
    expect(q?.deadLettered).toBe(0);
    expect(q?.expired).toBe(0);
    expect(q?.finalBacklog).toBe(0);
    expect(q?.consumed).toBeCloseTo(100 * 86400, 0);
    expect(q?.peakBacklog).toBeGreaterThan(0.95 * ((100 * 0.05) / 0.95) * 30);
    expect(q?.peakBacklog).toBeLessThan(1.05 * ((100 * 0.05) / 0.95) * 30);
    // A steady failing share returns as one band: a step per 30 s timeout over 22 h is 2,640
    // steps (no longer, or failures would return within the step that made them); the 721
    // samples and a few events add to it. Stepping at every cell (7.5 s) would take 10,560;
    // making every returning band's start a boundary, the run does not finish.
    expect(j.stats.steps).toBeGreaterThanOrEqual(2_640);
    expect(j.stats.steps).toBeLessThan(2_640 + 721 + 50);
  });

  it("accounts for every message: published = consumed + dead-lettered + expired + purged + rejected + backlog", () => {
    const j = simulate(
      modelOf(QUEUE_MODEL("20m")),
      scenarioOf({
        duration: 7200,
        faults: [
          { id: "worker-down", kind: "down", target: "worker", at: 0, end: { at: 3000 } },
          { id: "sqs-down", kind: "down", target: "sqs", at: 3600, end: { at: 4000 } },
        ],
        actions: [
          { id: "purge", do: "purge-queue", target: "jobs", trigger: { on: "time", at: 2000 } },
        ],
      }),
    );
    for (const q of j.queues) {
      const out = q.consumed + q.deadLettered + q.expired + q.purged + q.rejected + q.finalBacklog;
      expect(Math.abs(q.published - out)).toBeLessThan(1e-6 * Math.max(1, q.published));
    }
    const q = j.queues.find((x) => x.id === "jobs");
    expect(q?.purged).toBeGreaterThan(0);
    expect(q?.rejected).toBeCloseTo(100 * 400, 0);
  });
});

describe("accounting", () => {
  it("a workload's profile changes its rate at each point; offered = served + failed", () => {
    const j = simulate(
      modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a, r1-b] } }
workloads:
  site: { entry: api, rate: 100 rps, profile: [{ at: 10m, rate: 300 rps }, { at: 50m, rate: 50 rps }] }
`),
      scenarioOf({
        duration: 3600,
        faults: [
          {
            id: "errors",
            kind: "error-rate",
            target: "api",
            rate: 0.1,
            at: 900,
            end: { at: 1500 },
          },
        ],
      }),
    );
    const w = j.workloads[0];
    expect(w?.offered).toBeCloseTo(100 * 600 + 300 * 2400 + 50 * 600, 6);
    expect(w?.failed).toBeCloseTo(0.1 * 300 * 600, 6);
    expect((w?.served ?? 0) + (w?.failed ?? 0)).toBeCloseTo(w?.offered ?? 0, 6);
  });
});

describe("load read at the instant it changes", () => {
  it("a throttle admits throttle / load from the moment its load moves, here when a backlog drains", () => {
    // The worker is down from 10 to 20 min: 60k messages wait, drained at 150 − 100 = 50/s by
    // 40 min. The database it calls (softly: its failures do not fail the worker) is throttled
    // to 50 rps: offered 150 rps while the backlog drains, it admits a third; offered 100 rps
    // after, a half — from the drain on, though nothing else happens after it.
    const j = simulate(
      modelOf(
        QUEUE_MODEL("4d", ", wants: [db] }\n  db: { kind: database, placement: { region: r1 }"),
      ),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "worker-down", kind: "down", target: "worker", at: 600, end: { at: 1200 } }],
        actions: [
          { id: "limit", do: "throttle", target: "db", rate: 50, trigger: { on: "time", at: 0 } },
        ],
      }),
      { samples: 61 },
    );
    const db = j.series.success.db as readonly number[];
    const at = (t: number) => db[j.series.times.indexOf(t)];
    expect(at(300)).toBeCloseTo(0.5, 6);
    expect(at(1800)).toBeCloseTo(50 / 150, 6);
    expect(j.queues.find((x) => x.id === "jobs")?.drainedAt).toBeCloseTo(2400, 6);
    expect(at(2460)).toBeCloseTo(0.5, 6);
    expect(at(3600)).toBeCloseTo(0.5, 6);
  });
});
