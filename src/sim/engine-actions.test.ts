/**
 * Actions that undo a limit or change capacity (`unthrottle`, `unshed`, `scale`), checked
 * against the numbers their effects give.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { at } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const API = `
components:
  api: { kind: api, placement: { zones: [r1-a, r1-b] } }
workloads:
  orders: { entry: api, rate: 100 rps }
`;

describe("undoing a limit", () => {
  it("unthrottle admits everything again; unshed stops shedding", () => {
    const j = simulate(
      modelOf(API),
      scenarioOf({
        duration: 3600,
        actions: [
          { id: "cap", do: "throttle", target: "api", rate: 50, trigger: { on: "time", at: 600 } },
          { id: "lift", do: "unthrottle", target: "api", trigger: { on: "time", at: 1200 } },
          {
            id: "shed",
            do: "shed-load",
            target: "api",
            fraction: 0.3,
            trigger: { on: "time", at: 1800 },
          },
          { id: "stop", do: "unshed", target: "api", trigger: { on: "time", at: 2400 } },
        ],
      }),
      { samples: 61 },
    );
    const s = (t: number) => at(j, j.series.success, "api", t);
    expect([s(540), s(660), s(1260), s(1860), s(2460)]).toEqual([1, 0.5, 1, 0.7, 1]);
    // 50 rps refused for 10 min, 30 rps shed for 10 min.
    expect(j.workloads[0]?.failed).toBeCloseTo(50 * 600 + 30 * 600, 6);
  });
});

describe("a throttle that ramps", () => {
  it("admits from rate to `to` over `over`, the ramp's work exactly; another throttle ends it", () => {
    const run = (stopAt?: number) =>
      simulate(
        modelOf(API),
        scenarioOf({
          duration: 3600,
          actions: [
            {
              id: "ramp",
              do: "throttle",
              target: "api",
              rate: 20,
              to: 100,
              over: 1000,
              trigger: { on: "time", at: 600 },
            },
            ...(stopAt !== undefined
              ? [
                  {
                    id: "hold",
                    do: "throttle" as const,
                    target: "api",
                    rate: 50,
                    trigger: { on: "time" as const, at: stopAt },
                  },
                ]
              : []),
          ],
        }),
        { samples: 361 },
      );
    const j = run();
    // 100 rps offered; admitted rises from 20 to 100 over 1000 s: 80 × 1000 / 2 refused.
    expect(j.workloads[0]?.failed).toBeCloseTo(40_000, 6);
    // Within a stair (5 s) of the ramp at any moment; whole from the end of the ramp.
    const s = (t: number) => at(j, j.series.success, "api", t);
    expect(Math.abs(s(1100) - 0.6)).toBeLessThanOrEqual(0.4 / 200 + 1e-6);
    expect(s(1600)).toBe(1);
    // A throttle at 50 rps from 1100 s holds: the ramp's later stairs change nothing.
    const held = run(1100);
    expect(at(held, held.series.success, "api", 3600)).toBe(0.5);
  });
});

describe("scale", () => {
  // As in the overload tests: callers retry 3×, so once db collapses the retries keep it there.
  const model = `
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] }, capacity: 1000 rps }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs: { db: { timeout: 2s, retry: { attempts: 3, backoff: 100ms, jitter: none } } }
workloads:
  orders: { entry: api, rate: 900 rps }
`;
  const run = (scale: { factor: number } | { capacity: number }) =>
    simulate(
      modelOf(model),
      scenarioOf({
        duration: 3600,
        faults: [
          { id: "rush", kind: "surge", target: "orders", factor: 1.5, at: 60, end: { at: 300 } },
        ],
        actions: [
          { id: "grow", do: "scale", target: "db", ...scale, trigger: { on: "time", at: 600 } },
        ],
      }),
      { samples: 361 },
    );

  it("adding capacity ends a retry-sustained collapse once the queue is back under the timeout", () => {
    // The queue at db: +350/s until it holds 2 s of work (2000), then every call fails and is
    // tried 3×: +3050/s until the surge ends, +1700/s until the scale. Then 2700 rps against
    // 4000 drains 1300/s until the wait, queue / 4000, is under 2 s again: 8000 left.
    const collapse = 60 + 2000 / 350;
    const atScale = 2000 + 3050 * (300 - collapse) + 1700 * (600 - 300);
    const recovered = 600 + (atScale - 8000) / 1300;
    for (const j of [run({ factor: 4 }), run({ capacity: 4000 })]) {
      const db = j.components.find((c) => c.id === "db");
      expect(Math.abs((db?.recoveredAt ?? 0) - recovered) / recovered).toBeLessThan(0.01);
      expect(j.components.find((c) => c.id === "api")?.finalState).toBe("up");
    }
  });

  it("over a duration, capacity rises along a staircase of the ramp; another scale ends it", () => {
    const capacity = new Map<number, number>();
    const j = simulate(
      modelOf(model),
      scenarioOf({
        duration: 3600,
        actions: [
          {
            id: "grow",
            do: "scale",
            target: "db",
            factor: 4,
            over: 1000,
            trigger: { on: "time", at: 600 },
          },
          {
            id: "set",
            do: "scale",
            target: "db",
            capacity: 2000,
            trigger: { on: "time", at: 1300 },
          },
        ],
      }),
      {
        samples: 361,
        observe: (sim) => {
          const db = sim.comps.find((c) => c.c.id === "db");
          if (db) capacity.set(sim.t, db.capacity);
        },
      },
    );
    // 1000 → 4000 rps over 1000 s: within half a stair (3000 / 200 / 2) of the ramp.
    expect(Math.abs((capacity.get(1100) ?? 0) - 2500)).toBeLessThanOrEqual(7.5 + 1e-9);
    // Set to 2000 rps at 1300 s, mid-ramp: the ramp's later stairs change nothing.
    expect(capacity.get(1300)).toBe(2000);
    expect(capacity.get(1600)).toBe(2000);
    expect(capacity.get(3600)).toBe(2000);
    expect(j.components.find((c) => c.id === "db")?.impacted).toBe(false);
  });

  it("too little capacity added leaves it collapsed: 2700 retried rps against 2000", () => {
    const j = run({ factor: 2 });
    expect(j.components.find((c) => c.id === "db")?.finalState).toBe("down");
    expect(at(j, j.series.load, "db", 3600)).toBeCloseTo(2700, 6);
  });
});

describe("an action's condition", () => {
  const model = `
components:
  sqs: { kind: queue-service, placement: { zones: [r1-a, r1-b] } }
  web: { kind: web, placement: { zones: [r1-a, r1-b] }, publishes: [jobs] }
  worker: { kind: worker, placement: { zones: [r1-a, r1-b] } }
queues:
  jobs: { service: sqs, consumers: { worker: { rate: 150 rps } } }
workloads:
  site: { entry: web, rate: 100 rps }
`;
  // The worker is down from 10 min: 100 messages a second wait. Two purges are planned at
  // 20 min, one if more than 50k wait (60k do), one if more than 100k wait; a restart of the
  // worker at 30 min if it is down, another at 40 min if it is up.
  const j = simulate(
    modelOf(model),
    scenarioOf({
      duration: 3600,
      faults: [{ id: "worker-down", kind: "down", target: "worker", at: 600, end: { at: 3000 } }],
      actions: [
        {
          id: "purge-big",
          do: "purge-queue",
          target: "jobs",
          condition: { queue: "jobs", backlogAbove: 50_000 },
          trigger: { on: "time", at: 1200 },
        },
        {
          id: "purge-huge",
          do: "purge-queue",
          target: "jobs",
          condition: { queue: "jobs", backlogAbove: 100_000 },
          trigger: { on: "time", at: 1200 },
        },
        {
          id: "purge-old",
          do: "purge-queue",
          target: "jobs",
          condition: { queue: "jobs", ageAbove: 1200 },
          trigger: { on: "time", at: 1500 },
        },
        {
          id: "restart-if-down",
          do: "restart",
          target: "worker",
          condition: { component: "worker", is: "down" },
          trigger: { on: "time", at: 1800 },
        },
        {
          id: "restart-if-up",
          do: "restart",
          target: "worker",
          condition: { component: "worker", is: "up" },
          trigger: { on: "time", at: 2400 },
        },
      ],
    }),
  );
  const entry = (id: string) => j.timeline.find((e) => e.kind === "action" && e.subject === id);

  it("runs the action when it holds", () => {
    expect(entry("purge-big")?.to).toBe("done");
    expect(entry("restart-if-down")?.to).toBe("done");
    // 60k waiting at 20 min, purged.
    expect(j.queues.find((q) => q.id === "jobs")?.purged).toBeCloseTo(60_000, 6);
  });

  it("skips it, once, saying what it found, when it does not", () => {
    // After the first purge, nothing waits; 5 min later the oldest message is 5 min old.
    expect(entry("purge-huge")).toMatchObject({
      t: 1200,
      to: "skipped",
      cause: { detail: { what: "action-skipped", found: 0 } },
    });
    expect(entry("purge-old")).toMatchObject({
      t: 1500,
      to: "skipped",
      cause: { detail: { what: "action-skipped", found: 300 } },
    });
    expect(entry("restart-if-up")).toMatchObject({
      t: 2400,
      to: "skipped",
      cause: { detail: { what: "action-skipped", found: "down" } },
    });
    expect(j.timeline.filter((e) => e.kind === "action" && e.to === "skipped")).toHaveLength(3);
  });
});
