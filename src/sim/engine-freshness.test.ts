/**
 * State that travels through a queue (`needsFresh`) and health checks that fail on it. A
 * publisher sends 100 messages a second; its consumer is down for the first 10 min, then takes
 * 150 a second. The backlog's oldest message is t seconds old until 600 s; draining first in,
 * first out, the message at the head at t was sent at 1.5 × (t − 600), so it is 900 − t/2 old:
 * back under 2 min at 1560 s.
 */
import { describe, expect, it } from "vitest";
import { causeText } from "../reports/causes.js";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const model = (lb: string, hc = "") =>
  modelOf(`
components:
  pub: { kind: worker, placement: { zones: [r1-a, r1-b] }, publishes: [state] }
  prop: { kind: worker, placement: { zones: [r1-a, r1-b] } }
  lb:
    kind: load-balancer
    placement: { zones: [r1-a, r1-b] }
${lb}
${hc}
queues:
  state: { consumers: { prop: 150 rps } }
workloads:
  sends: { entry: pub, rate: 100 rps }
  serves: { entry: lb, rate: 10 rps }
`);

const run = (lb: string, hc = "") =>
  simulate(
    model(lb, hc),
    scenarioOf({
      duration: 3600,
      faults: [{ id: "prop-down", kind: "down", target: "prop", at: 0, end: { at: 600 } }],
    }),
    { samples: 361 },
  );

describe("state that travels through a queue", () => {
  it("fails the share of requests that need it while the oldest message is older than allowed", () => {
    const j = run("    needsFresh: { state: { maxStaleness: 2m, share: 40% } }");
    const c = changes(j, "lb");
    expect(c[0]).toMatchObject({ t: 120, to: "degraded", mechanism: "queue" });
    expect(at(j, j.series.success, "lb", 600)).toBeCloseTo(0.6, 9);
    // Back at the first step at or after 1560 s (the run steps every 10 s here: its samples).
    expect(c).toHaveLength(2);
    expect(c[1]?.to).toBe("up");
    expect(c[1]?.t).toBeGreaterThanOrEqual(1560);
    expect(c[1]?.t).toBeLessThanOrEqual(1570);
    const entry = j.timeline.find((e) => e.subject === "lb" && e.to === "degraded");
    expect(entry && causeText(entry.cause)).toBe(
      "the state it needs from queue state is stale: its oldest message is 2m old, past 2m, so the 40% of requests that need it fail",
    );
  });

  it("a health checker failing on stale state takes capacity out, as far as its velocity limit lets it", () => {
    const hc = `
  hc:
    kind: health-check
    placement: { zones: [r1-a, r1-b] }
    observes: [lb]
    needsFresh: { state: { maxStaleness: 2m, share: 50% } }`;
    const free = run("    healthCheck: { interval: 10s, threshold: 3 }", hc);
    // The checker half works from 120 s; its failover acts after 3 × 10 s.
    expect(changes(free, "lb")[0]).toMatchObject({
      t: 150,
      to: "degraded",
      mechanism: "health-check",
    });
    expect(at(free, free.series.success, "lb", 600)).toBeCloseTo(0.5, 9);
    const capped = run("    healthCheck: { interval: 10s, threshold: 3, maxRemoved: 20% }", hc);
    expect(at(capped, capped.series.success, "lb", 600)).toBeCloseTo(0.8, 9);
  });

  it("a checker failing most checks on stale state is wrong, not down: it removes more, not less", () => {
    const hc = (share: string, needs = "") => `
  dep: { kind: worker, placement: { zones: [r1-a, r1-b] } }
  hc:
    kind: health-check
    placement: { zones: [r1-a, r1-b] }
    observes: [lb]
${needs}
    needsFresh: { state: { maxStaleness: 2m, share: ${share} } }`;
    const lb = "    healthCheck: { interval: 10s, threshold: 3 }";
    // 70% of its checks fail on stale state: 70% of the capacity goes, not none (fail static).
    const most = run(lb, hc("70%"));
    expect(at(most, most.series.success, "lb", 600)).toBeCloseTo(0.3, 9);
    const half = run(lb, hc("50%"));
    expect(at(half, half.series.success, "lb", 600)).toBeCloseTo(0.5, 9);
    // A checker that cannot run (what it needs is down) still fails static.
    const j = simulate(
      model(lb, hc("70%", "    needs: [dep]")),
      scenarioOf({
        duration: 3600,
        faults: [
          { id: "prop-down", kind: "down", target: "prop", at: 0, end: { at: 600 } },
          { id: "dep-down", kind: "down", target: "dep", at: 0 },
        ],
      }),
      { samples: 361 },
    );
    expect(changes(j, "lb")).toHaveLength(0);
  });
});

describe("a checker's working state in the incremental engine", () => {
  it("reaches what it observes when only whether it works changes, its success held at 0", () => {
    // hc fails every check on stale state (share 100%): its success is 0 throughout, while
    // whether it works moves (throttled at 700 s, offered 500 rps from 15 min). lb reads that;
    // the incremental engine must follow it as the exhaustive one does.
    const model = modelOf(`
components:
  pub: { kind: worker, placement: { zones: [r1-a, r1-b] }, publishes: [state] }
  prop: { kind: worker, placement: { zones: [r1-a, r1-b] } }
  lb:
    kind: load-balancer
    placement: { zones: [r1-a, r1-b] }
    healthCheck: { interval: 10s, threshold: 3 }
  hc:
    kind: health-check
    placement: { zones: [r1-a, r1-b] }
    observes: [lb]
    needsFresh: { state: { maxStaleness: 2m, share: 100% } }
queues:
  state: { consumers: { prop: 150 rps } }
workloads:
  sends: { entry: pub, rate: 100 rps }
  serves: { entry: lb, rate: 10 rps }
  checks: { entry: hc, rate: 10 rps, profile: [{ at: 15m, rate: 500 rps }] }
`);
    const scenario = scenarioOf({
      duration: 3600,
      faults: [{ id: "prop-down", kind: "down", target: "prop", at: 0, end: { at: 600 } }],
      actions: [
        { id: "thr", do: "throttle", target: "hc", rate: 100, trigger: { on: "time", at: 700 } },
      ],
    });
    const incremental = simulate(model, scenario, { samples: 361 });
    const exhaustive = simulate(model, scenario, { samples: 361, exhaustive: true });
    expect(changes(incremental, "lb")).toEqual(changes(exhaustive, "lb"));
    expect(JSON.stringify(incremental.series)).toBe(JSON.stringify(exhaustive.series));
  });
});
