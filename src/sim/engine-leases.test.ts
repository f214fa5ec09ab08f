/**
 * Leases as work, against the fluid model worked by hand. 500k hosts lose their leases while
 * the store the manager needs is down (0–1 h); the manager re-establishes 100 leases a second,
 * and a host awaits its attempt for 30 min (the lease's duration), then sends another. So the
 * manager can serve 100 × 1800 = 180k attempts within their timeout: the 500k attempts sent at
 * once when the store is back are too many — the first 180k succeed, the rest are served after
 * their hosts gave up, and the hosts' new attempts queue behind that wasted work for ever.
 */
import { describe, expect, it } from "vitest";
import type { ScenarioAction } from "../scenario/types.js";
import { simulate } from "./engine.js";
import { changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const MODEL = modelOf(`
components:
  db: { kind: database, placement: { region: r1 } }
  leaser:
    kind: lease-manager
    placement: { zones: [r1-a, r1-b] }
    leases: { duration: 30m, renewEvery: 5m, count: 500k, establishRate: 100 rps }
    needs: [db]
    recovery: { restart: 10m }
`);

type Act = Omit<ScenarioAction, "loc" | "delay" | "trigger"> & { at: number };

const run = (actions: readonly Act[] = []) =>
  simulate(
    MODEL,
    scenarioOf({
      duration: 6 * 3600,
      faults: [{ id: "db-down", kind: "down", target: "db", at: 0, end: { at: 3600 } }],
      actions: actions.map(({ at, ...a }) => ({ ...a, trigger: { on: "time", at } })),
    }),
    { samples: 361 },
  );

const leaser = (j: ReturnType<typeof run>) => j.components.find((c) => c.id === "leaser");
const valid = (j: ReturnType<typeof run>, t: number) =>
  j.series.success.leaser?.[j.series.times.indexOf(t)];

describe("leases as work (fluid model)", () => {
  it("500k attempts at once: the 180k served within their timeout succeed, then collapse", () => {
    const j = run();
    // 180k of 500k are back by 1 h + 30 min, and no more after: everything served is stale.
    expect(valid(j, 5400)).toBeCloseTo(0.36, 6);
    expect(valid(j, 6 * 3600)).toBeCloseTo(0.36, 6);
    expect(leaser(j)?.finalState).toBe("down");
    const collapse = j.timeline.filter(
      (e) => e.subject === "leaser" && e.cause.mechanism === "congestive-collapse",
    );
    expect(collapse.length).toBeGreaterThan(0);
  });

  it("a throttle below the manager's rate, before the store is back, admits what it serves in time", () => {
    // 50 attempts a second, each served at once: 500k in 10,000 s; up at 99%.
    const j = run([{ id: "cap", do: "throttle", target: "leaser", rate: 50, at: 1800 }]);
    expect(leaser(j)?.recoveredAt).toBeCloseTo(3600 + 0.99 * 10_000, 3);
  });

  it("a throttle that admits more than the manager serves still lets the queue outwait the hosts", () => {
    // 1M rps admits the 500k within a second: the same collapse as none.
    const j = run([{ id: "cap", do: "throttle", target: "leaser", rate: 1e6, at: 1800 }]);
    expect(valid(j, 6 * 3600)).toBeCloseTo(0.36, 3);
  });

  it("admission by queue age under the timeout admits only what is served in time", () => {
    // At most 10 min of work (60k) queued; the rest admitted as fast as it is served: all
    // 500k at 100 a second, up at 99% after 4,950 s.
    const j = run([{ id: "age", do: "throttle", target: "leaser", maxWait: 600, at: 1800 }]);
    expect(leaser(j)?.recoveredAt).toBeCloseTo(3600 + 0.99 * 5000, 0);
  });

  it("a restart empties the wasted queue; throttled below the rate, the hosts come back", () => {
    // At 2 h the 320k hosts without a lease have just timed out again; the restart (10 min)
    // drops the stale queue, then admits 50 a second: 315k more (to 99%) take 6,300 s.
    const j = run([{ id: "reset", do: "restart", target: "leaser", rate: 50, at: 7200 }]);
    expect(leaser(j)?.recoveredAt).toBeCloseTo(7200 + 600 + 315_000 / 50, 0);
    expect(changes(j, "leaser").at(-1)?.to).toBe("up");
  });
});

describe("leases as work: steps", () => {
  it("a queue fed gradually above the rate steps with the useful rate's changes, not per chunk", () => {
    // 150 a second admitted against 100 served, awaited 10 min: the queue grows, its head goes
    // stale and fresh in turn for hours. Chunks sent within τ / 32 join and a stale stretch is
    // one step, so the run takes about a thousand steps (it took 168k when every chunk served
    // out was a step: chunks admitted over tiny steps made tiny steps for ever).
    const model = modelOf(`
components:
  db: { kind: database, placement: { region: r1 } }
  leaser:
    kind: lease-manager
    placement: { zones: [r1-a, r1-b] }
    leases: { duration: 30m, renewEvery: 5m, count: 500k, establishRate: 100 rps, attemptTimeout: 10m }
    needs: [db]
`);
    const j = simulate(
      model,
      scenarioOf({
        duration: 6 * 3600,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 0, end: { at: 3600 } }],
        actions: [
          {
            id: "cap",
            do: "throttle",
            target: "leaser",
            rate: 150,
            trigger: { on: "time", at: 1800 },
          },
        ],
      }),
      { samples: 361 },
    );
    expect(j.stats.steps).toBeLessThan(3000);
  });
});

describe("leases as work: admission limits together", () => {
  it("a rate far above the manager's with a queue-age limit still admits only what is served in time", () => {
    // 10,000 a second would queue far more than 60 s of work; maxWait holds the queue at 6,000,
    // so every attempt is served in time: 500k at 100 a second, up at 99% after 4,950 s.
    const j = run([
      { id: "both", do: "throttle", target: "leaser", rate: 10_000, maxWait: 60, at: 1800 },
    ]);
    expect(leaser(j)?.recoveredAt).toBeCloseTo(3600 + 0.99 * 5000, 0);
  });

  it("publishes one message per lease re-established, whatever the admission", () => {
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { region: r1 } }
  leaser:
    kind: lease-manager
    placement: { zones: [r1-a, r1-b] }
    leases:
      { duration: 30m, renewEvery: 5m, count: 500k, establishRate: 100 rps, retryBackoff: 30s, publishes: state }
    needs: [db]
  propagator: { kind: worker, placement: { zones: [r1-a, r1-b] } }
queues:
  state: { consumers: { propagator: 1k rps } }
`),
      scenarioOf({
        duration: 6 * 3600,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 0, end: { at: 3600 } }],
        actions: [
          {
            id: "both",
            do: "throttle",
            target: "leaser",
            rate: 10,
            maxWait: 120,
            trigger: { on: "time", at: 4000 },
          },
        ],
      }),
      { samples: 361 },
    );
    const share = j.series.success.leaser?.at(-1) ?? 0;
    const published = j.queues.find((q) => q.id === "state")?.published ?? 0;
    expect(Math.abs(published - 500_000 * share)).toBeLessThan(1);
  });
});
