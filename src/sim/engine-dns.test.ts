/**
 * The engine's DNS: cached answers, negative and wrong answers, what-if changes to a call's
 * record or cache, and health-checked failover; one focused scenario each, checked against the
 * numbers their formulas give (docs/simulation.md derives them).
 */
import { describe, expect, it } from "vitest";
import { FINE_STEPS, simulate } from "./engine.js";
import { at, changes, expectOnRamp } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

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

  it("within the first negative TTL, each client keeps its negative answer for the negative TTL from when it read it", () => {
    // TTL 60 s, negative TTL 5 min. Clients whose entries expire at φ ∈ [0, 60 s) read the empty
    // answer at φ and hold it until φ + 5 min. Fixed at 200 s, before any of them read again,
    // they pick the repaired answer up at 300 + φ: evenly over [300 s, 360 s).
    const j = emptied(200);
    expectOnRamp(at(j, j.series.success, "api", 295), 0);
    expectOnRamp(at(j, j.series.success, "api", 315), 0.25);
    expectOnRamp(at(j, j.series.success, "api", 330), 0.5);
    expect(at(j, j.series.success, "api", 360)).toBe(1);
  });

  it("after longer, clients' refreshes have drifted apart: the repair reaches them evenly over the negative TTL", () => {
    // Empty since 0 and fixed at 1230 s, more than one negative TTL later: clients read again
    // when they next need the name, not in lock step, so their negative entries expire evenly
    // over the 5 min after the fix — whatever the fix time modulo 5 min.
    for (const fix of [1230, 1290]) {
      const j = emptied(fix);
      for (const d of [0, 15, 170, 285])
        expectOnRamp(at(j, j.series.success, "api", fix + d), d / 300);
      expect(at(j, j.series.success, "api", fix + 300)).toBe(1);
      // Up again once 99% of clients hold the answer.
      const api = j.components.find((c) => c.id === "api");
      expect(Math.abs((api?.recoveredAt ?? 0) - (fix + 0.99 * 300))).toBeLessThanOrEqual(
        300 / FINE_STEPS,
      );
    }
  });

  it("flushing the resolvers' caches after the fix ends the negative-caching tail at once", () => {
    const flushed = (flushAt: number) =>
      simulate(
        modelOf(DNS_MODEL),
        scenarioOf({
          duration: 3600,
          faults: [
            {
              id: "emptied",
              kind: "dns-empty",
              target: "db.example",
              at: 0,
              end: { action: "fix" },
            },
          ],
          actions: [
            { id: "fix", do: "fix-dns", target: "db.example", trigger: { on: "time", at: 1230 } },
            {
              id: "flush",
              do: "invalidate-cache",
              target: "db.example",
              trigger: { on: "time", at: flushAt },
            },
          ],
        }),
        { samples: 721 },
      );
    // Without a flush, the clients pick the repair up evenly over the negative TTL (test above).
    const plain = emptied(1230);
    expectOnRamp(at(plain, plain.series.success, "api", 1400), 170 / 300);
    // Flushed right after the fix, every client asks again and gets the repaired answer.
    const j = flushed(1230);
    expect(at(j, j.series.success, "api", 1235)).toBe(1);
    expect(j.components.find((c) => c.id === "api")?.recoveredAt).toBe(1230);
    // Flushed during the outage, every client reads the empty answer again at 1000 s and holds
    // it for the negative TTL: all read again at 1300 s, after the fix.
    const early = flushed(1000);
    expect(at(early, early.series.success, "api", 1005)).toBe(0);
    expect(at(early, early.series.success, "api", 1295)).toBe(0);
    expect(at(early, early.series.success, "api", 1300)).toBe(1);
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
