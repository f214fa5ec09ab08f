/**
 * Overload with bounded patience, against the fluid model worked by hand. A service of 1,000 rps
 * (10 ms a request) behind callers offering 400 rps with a 1 s timeout loses 80% of its capacity
 * from 60 s to 120 s. Its FIFO queue builds at 400 − 200 rps; once a request would take longer
 * than 1 s (0.99 s of waiting plus its 10 ms), every arrival is abandoned by its caller, who
 * retries it after its backoff (100 ms, then 200 ms): arrivals become 400 × attempts. Abandoned
 * work stays queued and is served all the same. Whether the service comes back depends only on
 * whether 400 × attempts stays above the restored 1,000 rps.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const model = (retry: string) => `
components:
  client:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs:
      svc: { timeout: 1s, retry: { ${retry}, backoff: 100ms, jitter: none } }
  svc:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    capacity: 1k rps
    latency: 10ms
    needs: { db: {} }
  db: { kind: database, placement: { zones: [r1-a, r1-b] }, capacity: 10k rps }
workloads:
  w: { entry: client, rate: 400 rps }
`;

const run = (retry: string) =>
  simulate(
    modelOf(model(retry)),
    scenarioOf({
      duration: 1800,
      faults: [
        {
          id: "dip",
          kind: "capacity-loss",
          target: "svc",
          fraction: 0.8,
          at: 60,
          end: { at: 120 },
        },
      ],
    }),
    { samples: 181 },
  );

// The fluid model. During the dip the service serves 200 rps; a request waits queue / 200 s.
const DIP = 200;
const LAMBDA = 400;
// The queue at which waiting plus the 10 ms of service reaches the 1 s timeout, and when.
const collapse = 60 + (0.99 * DIP) / (LAMBDA - DIP);
/** The queue when the dip ends, with `arrivals` rps once the retries (after 100 ms) arrive. */
const queueAtEnd = (arrivals: number) =>
  0.99 * DIP + (LAMBDA - DIP) * 0.1 + (arrivals - DIP) * (120 - (collapse + 0.1));
/** Recovery: the restored 1,000 rps drains the queue down to 0.99 s of waiting (990). */
const recovery = (arrivals: number) => 120 + (queueAtEnd(arrivals) - 990) / (1000 - arrivals);

describe("overload with bounded patience (fluid model)", () => {
  it("3 attempts: 1,200 rps of attempts against 1,000 — stays collapsed after the dip", () => {
    const j = run("attempts: 3");
    const svc = j.components.find((c) => c.id === "svc");
    expect(changes(j, "svc").map((c) => [c.t, c.to, c.mechanism])).toEqual([
      [Number(collapse.toFixed(3)), "down", "overload"],
    ]);
    expect(svc?.finalState).toBe("down");
    expect(at(j, j.series.load, "svc", 1800)).toBeCloseTo(3 * LAMBDA, 6);
    // Retry 1 arrives 100 ms after a failure, retry 2 200 ms after that.
    const abandoned = LAMBDA * 0.1 + 2 * LAMBDA * 0.2 + 3 * LAMBDA * (1800 - (collapse + 0.3));
    expect(svc?.abandoned).toBeCloseTo(abandoned, 2);
    // The service still works through its queue at capacity, abandoned work included: what it
    // calls is offered its capacity, not the 1,200 rps of attempts.
    expect(at(j, j.series.load, "db", 1800)).toBeCloseTo(1000, 6);
    expect(at(j, j.series.load, "db", 90)).toBeCloseTo(DIP, 6);
  });

  it("2 attempts: 800 rps — recovers once the queue is back under the timeout, when the fluid model says", () => {
    const j = run("attempts: 2");
    const t = recovery(2 * LAMBDA);
    expect(changes(j, "svc").map((c) => [c.t, c.to])).toEqual([
      [Number(collapse.toFixed(3)), "down"],
      [Number(t.toFixed(3)), "up"],
    ]);
    const svc = j.components.find((c) => c.id === "svc");
    expect(svc?.abandoned).toBeCloseTo(LAMBDA * 0.1 + 2 * LAMBDA * (t - (collapse + 0.1)), 2);
    expect(svc?.peakWait).toBeCloseTo(queueAtEnd(2 * LAMBDA) / DIP, 3);
    // The caller fails exactly while the service is collapsed.
    expect(j.workloads[0]?.failed).toBeCloseTo(LAMBDA * (t - collapse), 2);
    // Latency as an output: 10 ms plus the queue's wait.
    const queueAt150 = queueAtEnd(2 * LAMBDA) - (1000 - 2 * LAMBDA) * 30;
    expect(at(j, j.series.latency, "svc", 150)).toBeCloseTo(0.01 + queueAt150 / 1000, 5);
    expect(at(j, j.series.latency, "svc", 1800)).toBeCloseTo(0.01, 9);
  });

  it("3 attempts under a 10% retry budget: 440 rps — recovers, when the fluid model says", () => {
    const j = run("attempts: 3, budget: 10%");
    expect(changes(j, "svc").map((c) => [c.t, c.to])).toEqual([
      [Number(collapse.toFixed(3)), "down"],
      [Number(recovery(1.1 * LAMBDA).toFixed(3)), "up"],
    ]);
  });
});

describe("all capacity lost", () => {
  it("queues what arrives and recovers when the fluid model says, at any sample grid", () => {
    // 80 rps into 100 rps (10 ms each, 1 s timeout); no capacity from 60 to 120 s: 4,800 queued,
    // then drained at 20 a second down to 0.99 s of waiting (99): back at 120 + 4,701 / 20.
    const runAt = (samples: number) =>
      simulate(
        modelOf(`
components:
  client:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs: { svc: { timeout: 1s } }
  svc: { kind: api, placement: { zones: [r1-a, r1-b] }, capacity: 100 rps, latency: 10ms }
workloads:
  w: { entry: client, rate: 80 rps }
`),
        scenarioOf({
          duration: 1800,
          faults: [
            {
              id: "gone",
              kind: "capacity-loss",
              target: "svc",
              fraction: 1,
              at: 60,
              end: { at: 120 },
            },
          ],
        }),
        { samples },
      );
    for (const samples of [11, 601]) {
      const j = runAt(samples);
      expect(j.components.find((c) => c.id === "svc")?.recoveredAt).toBeCloseTo(
        120 + (4800 - 99) / 20,
        3,
      );
    }
  });
});

describe("a queue that starts to build", () => {
  it("is followed from its first instant: the time a request takes grows with it", () => {
    // 150 rps into 100 rps (10 ms each): the queue grows at 50 a second from 0, so a request
    // arriving at 30 s waits 1,500 / 100 = 15 s.
    const j = simulate(
      modelOf(`
components:
  back: { kind: api, placement: { zones: [r1-a, r1-b] }, capacity: 100 rps, latency: 10ms }
workloads:
  w: { entry: back, rate: 150 rps }
`),
      scenarioOf({ duration: 120 }),
      { samples: 13 },
    );
    expect(at(j, j.series.latency, "back", 30)).toBeCloseTo(0.01 + 15, 6);
  });
});
