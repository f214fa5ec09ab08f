/**
 * Dependency changes that take effect at a time (scenario `changes` with `at`): the old version
 * of the call stops sending at that instant, the new one starts, and the caller's success and
 * its callees' loads follow at once.
 */
import { describe, expect, it } from "vitest";
import { causeText } from "../reports/causes.js";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const APP = `
components:
  dns: { kind: dns, placement: { global: true }, records: { db.example: { targets: [db], ttl: 60s } } }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs:
      db: { via: db.example, timeout: 1s }
    wants:
      search: {}
  db: { kind: database, placement: { zones: [r1-a, r1-b] }, capacity: 1k rps }
  search: { kind: api, placement: { zones: [r1-a, r1-b] }, capacity: 1k rps }
workloads:
  orders: { entry: api, rate: 100 rps }
`;

describe("a dependency changed at a time", () => {
  it("disable stops the call at that instant; disable: false makes it again", () => {
    const j = simulate(
      modelOf(APP),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "db-down", kind: "down", target: "db" }],
        changes: [
          { kind: "dependency", from: "api", to: "db", disable: true, at: 600 },
          { kind: "dependency", from: "api", to: "db", disable: false, at: 1800 },
        ],
      }),
      { samples: 61 },
    );
    const s = (t: number) => at(j, j.series.success, "api", t);
    const load = (t: number) => at(j, j.series.load, "db", t);
    expect([s(540), s(660), s(1740), s(1860)]).toEqual([0, 1, 1, 0]);
    // 100 rps reach the down db until 600 s and from 1800 s; nothing between.
    expect([load(540), load(660), load(1740), load(1860)]).toEqual([100, 0, 0, 100]);
    // Exactly the 20 minutes without the call are served.
    expect(j.workloads[0]?.served).toBeCloseTo(100 * 1200, 6);
    expect(changes(j, "api").map((c) => [c.t, c.to])).toEqual([
      [0, "down"],
      [600, "up"],
      [1800, "down"],
    ]);
    expect(
      j.timeline.filter((e) => e.kind === "change").map((e) => [e.t, e.subject, e.from, e.to]),
    ).toEqual([
      [600, "api → db (change 1)", "pending", "disabled"],
      [1800, "api → db (change 2)", "pending", "enabled"],
    ]);
  });

  it("routing around an emptied record (via: none) recovers the caller at once", () => {
    const j = simulate(
      modelOf(APP),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "emptied", kind: "dns-empty", target: "db.example" }],
        changes: [{ kind: "dependency", from: "api", to: "db", via: null, at: 1200 }],
      }),
      { samples: 61 },
    );
    const s = (t: number) => at(j, j.series.success, "api", t);
    // Cached answers run out over the 60 s TTL; from 1200 s the call needs no record.
    expect([s(0), s(120), s(1140), s(1200), s(1260)]).toEqual([1, 0, 0, 1, 1]);
    const change = j.timeline.find((e) => e.kind === "change");
    expect(change && causeText(change.cause)).toBe(
      "api → db changed: no shared DNS record (scenario change 1)",
    );
  });

  it("a soft dependency disabled no longer degrades its caller", () => {
    const j = simulate(
      modelOf(APP),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "search-down", kind: "down", target: "search" }],
        changes: [{ kind: "dependency", from: "api", to: "search", disable: true, at: 900 }],
      }),
      { samples: 61 },
    );
    expect(changes(j, "api").map((c) => [c.t, c.to])).toEqual([
      [0, "degraded"],
      [900, "up"],
    ]);
    expect(at(j, j.series.load, "search", 960)).toBe(0);
  });

  it("incremental and exhaustive evaluation agree", () => {
    const scenario = scenarioOf({
      duration: 3600,
      faults: [{ id: "db-down", kind: "down", target: "db", at: 300 }],
      changes: [
        { kind: "dependency", from: "api", to: "db", via: null, at: 100 },
        { kind: "dependency", from: "api", to: "db", disable: true, at: 600 },
        { kind: "dependency", from: "api", to: "db", disable: false, at: 1800 },
      ],
    });
    const model = modelOf(APP);
    const a = simulate(model, scenario, { samples: 61 });
    const b = simulate(model, scenario, { samples: 61, exhaustive: true });
    expect(JSON.stringify({ ...a, stats: undefined })).toBe(
      JSON.stringify({ ...b, stats: undefined }),
    );
  });
});

describe("a changed call keeps its response cache", () => {
  const CACHED = `
components:
  dns: { kind: dns, placement: { global: true }, records: { db.example: { targets: [db], ttl: 60s } } }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs:
      db: { via: db.example, timeout: 1s, cache: { ttl: 5m, staleIfError: 30m } }
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
workloads:
  orders: { entry: api, rate: 100 rps }
`;
  const downAt = (changes: Parameters<typeof scenarioOf>[0]["changes"]) =>
    changes === undefined
      ? undefined
      : simulate(
          modelOf(CACHED),
          scenarioOf({
            duration: 3 * 3600,
            faults: [{ id: "db-down", kind: "down", target: "db" }],
            changes,
          }),
          { samples: 181 },
        ).timeline.find((e) => e.subject === "api" && e.to === "down")?.t;

  it("rerouting the call does not refresh what the cache holds", () => {
    const plain = downAt([]);
    const rerouted = downAt([{ kind: "dependency", from: "api", to: "db", via: null, at: 1500 }]);
    expect(plain).toBeDefined();
    expect(rerouted).toBe(plain);
  });
});
