/**
 * `capacity-fit` and `retry-amplification` against hand computations, and the closed form of
 * offered load they share (`analysis/offered-load.ts`).
 */
import { describe, expect, it } from "vitest";
import { DOMAINS, modelOf } from "../../../test/helpers/memory.js";
import { analyze } from "../analyze.js";
import { offeredLoad } from "../offered-load.js";
import type { RuleId } from "../types.js";

const model = (body: string) => modelOf(`name: t\n${DOMAINS}\n${body}`);
const audit = (body: string, rules: RuleId[], headroom?: number) =>
  analyze(model(body), { rules, ...(headroom !== undefined ? { headroom } : {}) });

// web is offered 1000 rps; it calls api twice per request, 40% of them answered by its cache:
// api gets 1000 × 2 × 0.6 = 1200 rps. api calls db 3 times per request: db gets 3600 rps.
// web also publishes to jobs (1000 msg/s), drained by worker (600 rps) and batch (200 rps):
// they keep up with 800 rps at most, so each takes its own rate and the backlog grows by 200.
const FAN_OUT = `components:
  web:
    kind: web
    placement: { zones: [r1-a, r1-b] }
    capacity: 2k rps
    needs:
      api: { calls: 2, cache: { ttl: 30s, hitRatio: 40% }, retry: { attempts: 3 } }
    publishes: [jobs]
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    capacity: 1400 rps
    needs:
      db: { calls: 3, retry: { attempts: 2 } }
  db: { kind: database, placement: { zones: [r1-a] }, capacity: 3k rps }
  worker: { kind: worker, placement: { zones: [r1-a] } }
  batch: { kind: worker, placement: { zones: [r1-b] } }
queues:
  jobs:
    consumers: { worker: 600 rps, batch: 200 rps }
workloads:
  shop: { entry: web, rate: 1000 rps }
`;

describe("offered load", () => {
  it("multiplies calls, cache misses and fan-out, and shares queue intake", () => {
    const m = model(FAN_OUT);
    const o = offeredLoad(m);
    const at = (id: string) => o.load[m.components.findIndex((c) => c.id === id)];
    expect(at("web")).toBe(1000);
    expect(at("api")).toBeCloseTo(1200, 9);
    expect(at("db")).toBeCloseTo(3600, 9);
    expect(at("worker")).toBe(600);
    expect(at("batch")).toBe(200);
    expect(o.queues).toEqual([{ inflow: 1000, drain: 800 }]);
  });

  it("under failure multiplies the attempts along hard calls", () => {
    const m = model(FAN_OUT);
    const o = offeredLoad(m);
    const db = m.components.findIndex((c) => c.id === "db");
    // db fails: api retries it twice per call, api fails, web retries api three times:
    // 1000 × (2 × 0.6 × 3) × (3 × 2) = 21 600 rps, ×6 attempts per request along the chain.
    expect(o.underFailure[db]).toBeCloseTo(21_600, 6);
    expect(o.attemptsProduct[db]).toBe(6);
    expect(o.chainOf(db).map((d) => `${d.from}>${d.to}`)).toEqual(["web>api", "api>db"]);
  });

  it("counts a retry budget, not the attempts, under failure", () => {
    const m = model(
      FAN_OUT.replace("retry: { attempts: 2 }", "retry: { attempts: 5, budget: 10% }"),
    );
    const o = offeredLoad(m);
    const db = m.components.findIndex((c) => c.id === "db");
    // 1 + min(4, 0.1) = 1.1 attempts per call from api; 3 from web.
    expect(o.attemptsProduct[db]).toBeCloseTo(3.3, 9);
  });
});

describe("capacity-fit", () => {
  it("reports each component over its capacity less the headroom, with the numbers", () => {
    const r = audit(FAN_OUT, ["capacity-fit"]);
    const byKey = new Map(r.findings.map((f) => [f.key, f]));
    // db: 3600 > 3000 → overloaded, high. api: 1200 ≤ 1400 but > 1400 × 0.8 = 1120 → medium.
    // web: 1000 ≤ 2000 × 0.8 → fits.
    expect([...byKey.keys()].sort()).toEqual([
      "capacity-fit:api",
      "capacity-fit:db",
      "capacity-fit:jobs",
    ]);
    const db = byKey.get("capacity-fit:db");
    expect(db?.severity).toBe("high");
    expect(db?.message).toContain("3.6k rps");
    expect(db?.message).toContain("120% of its capacity of 3k rps");
    expect(db?.data?.limit).toBeCloseTo(2400, 9);
    const api = byKey.get("capacity-fit:api");
    expect(api?.severity).toBe("medium");
    expect(api?.message).toContain("above the 1.12k rps that leaves 20% headroom");
    expect(api?.message).toContain("web 1.2k rps");
    const jobs = byKey.get("capacity-fit:jobs");
    expect(jobs?.message).toContain("grows by 200 rps");
  });

  it("follows the stated headroom", () => {
    const r = audit(FAN_OUT, ["capacity-fit"], 0.1);
    // api: 1200 ≤ 1400 × 0.9 = 1260 → fits at 10% headroom.
    expect(r.findings.map((f) => f.key)).not.toContain("capacity-fit:api");
  });
});

describe("retry-amplification", () => {
  it("flags a callee whose worst-case load under failure exceeds its capacity", () => {
    const r = audit(FAN_OUT, ["retry-amplification"]);
    const db = r.findings.find((f) => f.key === "retry-amplification:db");
    expect(db?.severity).toBe("high");
    expect(db?.message).toContain("21.6k rps (×6 its normal 3.6k rps)");
    expect(db?.message).toContain("web →×3 api →×2 db (×6 attempts per request)");
    expect(db?.remediation).toContain("drop the retries of web → api");
    // api under failure: 1000 × 2 × 0.6 × 3 = 3600 > 1400.
    expect(r.findings.find((f) => f.key === "retry-amplification:api")?.data?.underFailure).toBe(
      3600,
    );
  });

  it("reports nested retries without capacity once, at the deepest component", () => {
    const r = audit(
      `components:
  a: { kind: api, placement: { region: r1 }, needs: { b: { retry: { attempts: 3 } } } }
  b: { kind: api, placement: { region: r1 }, needs: { c: { retry: { attempts: 3 } } } }
  c: { kind: api, placement: { region: r1 }, needs: { d: { retry: { attempts: 2 } } } }
  d: { kind: database, placement: { region: r1 } }
workloads:
  w: { entry: a, rate: 10 rps }
`,
      ["retry-amplification"],
    );
    expect(r.findings.map((f) => f.key)).toEqual(["retry-amplification:d"]);
    expect(r.findings[0]?.data?.attemptsProduct).toBe(18);
    expect(r.findings[0]?.severity).toBe("medium");
  });

  it("stops the product at a soft call: its caller does not fail and is not retried", () => {
    const r = audit(
      `components:
  a: { kind: api, placement: { region: r1 }, wants: { b: { retry: { attempts: 3 } } } }
  b: { kind: api, placement: { region: r1 }, needs: { c: { retry: { attempts: 3 } } } }
  c: { kind: database, placement: { region: r1 }, capacity: 50 rps }
workloads:
  w: { entry: a, rate: 10 rps }
`,
      ["retry-amplification"],
    );
    // c fails: b retries it ×3 and fails; a retries b ×3 (soft, a does not fail): 10 × 3 × 3 = 90.
    const c = r.findings.find((f) => f.key === "retry-amplification:c");
    expect(c?.data?.underFailure).toBe(90);
    expect(c?.data?.attemptsProduct).toBe(9);
  });
});
