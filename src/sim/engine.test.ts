/**
 * The engine's mechanisms, one focused scenario each, checked against the numbers their
 * formulas give (docs/simulation.md derives them).
 */
import { describe, expect, it } from "vitest";
import { FINE_STEPS, simulate } from "./engine.js";
import { modelOf, scenarioOf } from "./fixtures.js";
import type { Journal } from "./types.js";

/** Value of a sampled series at time t (samples are taken exactly on the grid). */
function at(
  j: Journal,
  series: Readonly<Record<string, readonly number[]>>,
  id: string,
  t: number,
): number {
  const i = j.series.times.indexOf(t);
  if (i < 0) throw new Error(`no sample at ${t}`);
  return (series[id] as readonly number[])[i] as number;
}

/**
 * A value read from an ageing population: the engine reads a linear ramp as a staircase of
 * FINE_STEPS stairs at the ramp's value in their middle, so it is within half a stair's height
 * of the ramp at any moment.
 */
function expectOnRamp(value: number, exact: number): void {
  expect(Math.abs(value - exact)).toBeLessThanOrEqual(0.5 / FINE_STEPS + 1e-12);
}

/** The subject's state changes (entries that only record a new cause are left out). */
function changes(j: Journal, subject: string) {
  return j.timeline
    .filter((e) => e.subject === subject && e.from !== e.to)
    .map((e) => ({ t: e.t, to: e.to, mechanism: e.cause.mechanism }));
}

const DNS_MODEL = `
components:
  dns: { kind: dns, placement: { region: r1 }, records: { db.example: { targets: [db], ttl: 60s, negativeTtl: 5m } } }
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs: { db: { via: db.example, retry: { attempts: 3, backoff: 100ms, jitter: full } } }
workloads:
  orders: { entry: api, rate: 100 rps }
`;

describe("DNS", () => {
  const emptied = (fixAt: number, kind: "dns-empty" | "dns-wrong" = "dns-empty") =>
    simulate(
      modelOf(DNS_MODEL),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "emptied", kind, target: "db.example", at: 0, end: { action: "fix" } }],
        actions: [
          { id: "fix", do: "fix-dns", target: "db.example", trigger: { on: "time", at: fixAt } },
        ],
      }),
      { samples: 721 },
    );

  it("cached answers keep the dependency reachable; the reachable share falls over one TTL, whatever the retries", () => {
    const j = emptied(1200);
    // Samples every 5 s. Retries do not help a client whose resolver has no answer.
    expectOnRamp(at(j, j.series.success, "api", 0), 1);
    expectOnRamp(at(j, j.series.success, "api", 15), 0.75);
    expectOnRamp(at(j, j.series.success, "api", 30), 0.5);
    expect(at(j, j.series.success, "api", 60)).toBe(0);
    expect(changes(j, "api").find((c) => c.to === "down")).toMatchObject({ mechanism: "dns" });
  });

  it("availability over a window is integrated at the engine's steps, not the sampling grid", () => {
    // Success falls linearly from 1 to 0 over the first 60 s: 30 s of the first 120 s served.
    const j = simulate(
      modelOf(DNS_MODEL),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "emptied", kind: "dns-empty", target: "db.example", at: 0 }],
        expect: [
          {
            kind: "availability",
            workload: "orders",
            from: 0,
            to: 120,
            atLeast: 0.249,
            atMost: 0.251,
          },
          { kind: "availability", workload: "orders", from: 60, to: 3600, atMost: 0 },
        ],
      }),
      { samples: 13 },
    );
    expect(j.expectations.map((v) => v.ok)).toEqual([true, true]);
  });

  it("after the fix, each client keeps its negative answer for the negative TTL from when it read it", () => {
    // TTL 60 s, negative TTL 5 min. Clients whose entries expire at φ ∈ [0, 60 s) read the empty
    // answer at φ and again at φ + 5 min, φ + 10 min… With the fix at 1230 s, those with
    // φ ≥ 30 s read the repaired answer at 1200 + φ; the others hold the empty one until 1500 + φ.
    const j = emptied(1230);
    expectOnRamp(at(j, j.series.success, "api", 1230), 0);
    expectOnRamp(at(j, j.series.success, "api", 1245), 0.25);
    expectOnRamp(at(j, j.series.success, "api", 1400), 0.5);
    expectOnRamp(at(j, j.series.success, "api", 1515), 0.75);
    expect(at(j, j.series.success, "api", 1530)).toBe(1);
    // Up again once 99% of clients hold the answer: 0.5 + φ / 60 s ≥ 0.99, read at 1500 + φ.
    const api = j.components.find((c) => c.id === "api");
    expect(Math.abs((api?.recoveredAt ?? 0) - (1500 + 0.49 * 60))).toBeLessThanOrEqual(
      60 / FINE_STEPS,
    );
  });

  it("a wrong answer is cached with the positive TTL, so recovery lags by up to one TTL", () => {
    const j = emptied(1200, "dns-wrong");
    expectOnRamp(at(j, j.series.success, "api", 1230), 0.5);
    expect(at(j, j.series.success, "api", 1260)).toBe(1);
  });
});

describe("what-if changes", () => {
  it("a stale-if-error cache on the call rides out an emptied record for its stale window", () => {
    const j = simulate(
      modelOf(DNS_MODEL),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "emptied", kind: "dns-empty", target: "db.example", at: 0 }],
        changes: [
          {
            kind: "dependency",
            from: "api",
            to: "db",
            cache: { ttl: 300, staleIfError: 1200, hitRatio: 1, latency: 0 },
          },
        ],
      }),
      { samples: 721 },
    );
    // Calls start failing at 0.6 s (1% of clients lost the answer): from then the cache
    // answers the failed calls for 20 min, then its entries run out over their 5 min TTL; by
    // then no client has an answer, so success is the cache's share: half at 0.6 s + 22.5 min.
    expect(at(j, j.series.success, "api", 600)).toBe(1);
    expect(at(j, j.series.success, "api", 1200)).toBe(1);
    expect(at(j, j.series.success, "api", 3600)).toBe(0);
    const down = changes(j, "api").find((c) => c.to === "down");
    expect(Math.abs((down?.t ?? 0) - (0.6 + 1200 + 150))).toBeLessThanOrEqual(
      60 / FINE_STEPS + 300 / FINE_STEPS,
    );
  });

  it("a private endpoint (via none) is not hurt by the shared record at all", () => {
    const j = simulate(
      modelOf(DNS_MODEL),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "emptied", kind: "dns-empty", target: "db.example", at: 0 }],
        changes: [{ kind: "dependency", from: "api", to: "db", via: null }],
      }),
    );
    expect(j.components.find((c) => c.id === "api")?.impacted).toBe(false);
  });
});

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
    // Queue grows at 2.5/s; 30 s of waiting at 50/s is 1500 requests: 600 s after the slowdown.
    expect(down?.mechanism).toBe("overload");
    expect(down?.t).toBeCloseTo(60 + 1500 / 2.5, 0);
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

  it("a consumer failing a share of messages all day: redeliveries f/(1−f) of arrivals, at most four steps per visibility timeout", () => {
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
    // 22 h failing at four cells per 30 s is 10,560 steps; the 721 samples and a few events
    // add to it. Without the bound, this run does not finish.
    expect(j.stats.steps).toBeLessThan(10_560 + 721 + 50);
    expect(j.stats.steps).toBeGreaterThan(10_000);
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

describe("failover", () => {
  const model = `
components:
  dns:
    kind: dns
    placement: { region: r1 }
    records:
      db.example:
        targets: [db-east]
        ttl: 60s
        failover: { targets: [db-west], healthCheck: { interval: 10s, threshold: 3 } }
  db-east: { kind: database, placement: { region: r1 } }
  db-west: { kind: database, placement: { region: r2 } }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: { db-east: { via: db.example } } }
workloads:
  orders: { entry: api, rate: 100 rps }
`;

  it("health checks detect after interval × threshold, then clients follow the record over its TTL", () => {
    const j = simulate(
      modelOf(model),
      scenarioOf({
        duration: 600,
        faults: [{ id: "east-down", kind: "down", target: "db-east", at: 0 }],
      }),
      { samples: 601 },
    );
    const record = changes(j, "db.example").find((c) => c.to === "failover");
    expect(record?.t).toBe(30);
    expectOnRamp(at(j, j.series.success, "api", 30), 0);
    expectOnRamp(at(j, j.series.success, "api", 60), 0.5);
    expect(at(j, j.series.success, "api", 90)).toBe(1);
  });

  it("callers follow the failover target's own failures once the record has switched", () => {
    // After the failover (30 s) and the TTL (90 s), db-west loses its own dependency's record
    // at 200 s: its success falls over that record's TTL, and api's with it. Nothing else
    // changes for api, so only its reading of db-west through the record can tell it.
    const chained = `${model.replace(
      "  db-west: { kind: database, placement: { region: r2 } }",
      `  db-west: { kind: database, placement: { region: r2 }, needs: { store: { via: store.example } } }
  store: { kind: kv-store, placement: { region: r2 } }
  dns2:
    kind: dns
    placement: { region: r2 }
    records:
      store.example: { targets: [store], ttl: 60s }`,
    )}`;
    const scenario = scenarioOf({
      duration: 600,
      faults: [
        { id: "east-down", kind: "down", target: "db-east", at: 0 },
        { id: "emptied", kind: "dns-empty", target: "store.example", at: 200 },
      ],
    });
    const j = simulate(modelOf(chained), scenario, { samples: 601 });
    expect(at(j, j.series.success, "api", 190)).toBe(1);
    // The failover targets are not among api's dependencies in the evaluation order, so api
    // reads db-west as evaluated at the previous step.
    expect(at(j, j.series.success, "api", 230)).toBeCloseTo(0.5, 2);
    expect(at(j, j.series.success, "api", 255)).toBeLessThan(0.1);
    const exhaustive = simulate(modelOf(chained), scenario, { samples: 601, exhaustive: true });
    expect(JSON.stringify(j)).toBe(JSON.stringify(exhaustive));
  });
});

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

  const leases = (count: string, throttleAt?: number) =>
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
        ...(throttleAt !== undefined
          ? {
              actions: [
                {
                  id: "throttle",
                  do: "throttle" as const,
                  target: "leaser",
                  rate: 50,
                  trigger: { on: "time" as const, at: throttleAt },
                },
              ],
            }
          : {}),
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

  it("metastable: when re-establishing takes longer than a lease lasts, recovery of the dependency is not enough", () => {
    // 500k at 100/s would take 5000 s > 30 min: no progress until the work is throttled; then
    // 500k at 50/s take 10,000 s.
    expect(leases("500k").components.find((c) => c.id === "leaser")?.finalState).toBe("down");
    const j = leases("500k", 7200);
    expect(j.components.find((c) => c.id === "leaser")?.recoveredAt).toBeCloseTo(
      7200 + 0.99 * 10_000,
      0,
    );
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
