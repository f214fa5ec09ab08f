/**
 * Users who come back (`returnRate`, `returnAfter`), against the fluid model worked by hand. An
 * API of 1,000 rps is down from 10 to 20 min. Its users fail; a share r of them tries again,
 * on average τ later: the returns R obey dR/dt = (r·F − R) / τ with F the failed rate.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";
import { RETURN_STEPS } from "./returns.js";

const run = (rate: number, returns: string) =>
  simulate(
    modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, capacity: 1k rps }
workloads:
  users: { entry: api, rate: ${rate} rps, ${returns} }
`),
    scenarioOf({
      duration: 3600,
      faults: [{ id: "crash", kind: "down", target: "api", at: 600, end: { at: 1200 } }],
    }),
    { samples: 361 },
  );

describe("users who come back", () => {
  it("during an outage the returns approach r·λ / (1 − r) with time constant τ / (1 − r), and fade with τ after", () => {
    // λ = 400, r = 50%, τ = 1 min: R → 400 with time constant 2 min; after the outage
    // R(20 min) fades as e^(−t/τ).
    const j = run(400, "returnRate: 50%, returnAfter: 1m");
    const during = (t: number) => 400 * (1 - Math.exp(-(t - 600) / 120));
    const after = (t: number) => during(1200) * Math.exp(-(t - 1200) / 60);
    // Returns are held over steps of τ / RETURN_STEPS: within one such step's change.
    const tolerance = (400 * 1.5) / RETURN_STEPS;
    for (const t of [660, 720, 840, 1080, 1190])
      expect(Math.abs(at(j, j.series.load, "api", t) - 400 - during(t))).toBeLessThan(tolerance);
    for (const t of [1230, 1260, 1320, 1500])
      expect(Math.abs(at(j, j.series.load, "api", t) - 400 - after(t))).toBeLessThan(tolerance);
    expect(at(j, j.series.load, "api", 3600)).toBeCloseTo(400, 3);
    // Every request that came back is offered, and failed again while the outage lasted.
    const w = j.workloads[0];
    expect(w?.returned).toBeGreaterThan(0);
    expect(w?.offered).toBeCloseTo(400 * 3600 + (w?.returned ?? 0), 0);
    // Before the outage nothing fails, so nothing comes back.
    expect(at(j, j.series.load, "api", 590)).toBe(400);
  });

  it("a herd of returns larger than the capacity left collapses the recovering API for good when λ / (1 − r) exceeds it", () => {
    // λ = 800, r = 50%, τ = 5 min. At the end of the outage R = 800 (1 − e^(−1)) = 505.7; the
    // API serves 1,000, so its queue grows at 800 + R(t) − 1,000 while R fades with τ and the
    // requests queued succeed (nothing feeds the pool). The queue reaches 30 s of waiting (the
    // callers' default timeout: 30,000 requests) when 505.7 · 300 (1 − e^(−T/300)) − 200 T =
    // 30,000: T ≈ 153 s. Then every request fails, the pool fills, and 800 / (1 − 0.5) = 1,600
    // keeps it collapsed.
    const j = run(800, "returnRate: 50%, returnAfter: 5m");
    const r0 = 800 * (1 - Math.exp(-1));
    const queue = (t: number) => r0 * 300 * (1 - Math.exp(-t / 300)) - 200 * t;
    let lo = 0;
    let hi = 278; // the queue's peak: 505.7 e^(−T/300) = 200
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      if (queue(mid) < 30_000) lo = mid;
      else hi = mid;
    }
    const collapse = 1200 + lo;
    const c = changes(j, "api");
    expect(c.map((x) => x.to)).toEqual(["down", "up", "down"]);
    // Within one step of the held returns (τ / RETURN_STEPS = 7.5 s).
    expect(Math.abs((c[2]?.t ?? 0) - collapse)).toBeLessThan(300 / RETURN_STEPS);
    expect(c[2]?.mechanism).toBe("overload");
    expect(j.components.find((x) => x.id === "api")?.finalState).toBe("down");
    // The pool heads for r·λ / (1 − r) = 800 of returns, with time constant 10 min.
    const end = 800 + 800 * (1 - Math.exp(-(3600 - (c[2]?.t ?? 0)) / 600));
    expect(Math.abs(at(j, j.series.load, "api", 3600) - end)).toBeLessThan(800 / RETURN_STEPS);
  });

  it("with r = 10% the same outage ends when the fault does: λ / (1 − r) = 889 fits in 1,000", () => {
    const j = run(800, "returnRate: 10%, returnAfter: 5m");
    expect(changes(j, "api").map((x) => [x.t, x.to])).toEqual([
      [600, "down"],
      [1200, "up"],
    ]);
  });

  it("without returnRate, a workload offers its rate and no more, whatever fails", () => {
    const j = run(800, "slo: 99%");
    expect(at(j, j.series.load, "api", 1190)).toBe(800);
    expect(j.workloads[0]?.returned).toBeUndefined();
  });
});
