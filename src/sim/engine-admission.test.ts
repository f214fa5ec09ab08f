/**
 * Admission by queue age (a throttle's `maxWait`) at its threshold, against the fluid model
 * worked by hand (admission.ts). A client with 100 slots of concurrency (K) calls svc (10 ms of
 * work behind an overload queue) with a 1 s timeout and 3 attempts, full jitter on a 1 s
 * backoff; its users offer more than it can serve, so what it sends is K / L, L the time a call
 * holds a slot. svc admits work only while it would wait under 500 ms.
 *
 * Every attempt svc refuses fails at once and is retried after a backoff: the more it refuses,
 * the longer a call holds its slot, the less reaches svc. At the threshold the rule "admit no
 * more than it serves" read against what arrives at each instant had no consistent answer:
 * refusing lowered what arrived below the capacity, which admitted all, which raised it again.
 * The engine flipped between the two at every step (the queue a hair under the threshold, then
 * back at it a microsecond later), two state changes a step; with a capacity ramping up through
 * that range (the slack-2021 gateway scaled with `over`) the run did not end: 100,000 steps
 * reached 794 s of the hour, 191k steps and 380k timeline entries in 2 minutes of the case, out
 * of memory. The fluid model holds the queue at the threshold and refuses the share r with
 * which what is admitted, (1 − r) × what arrives, equals the capacity (plus what a rising
 * threshold takes).
 */
import { describe, expect, it } from "vitest";
import { CAUSE_DWELL } from "./classify.js";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";
import { FINE_STEPS } from "./state.js";
import type { Journal } from "./types.js";

const K = 100;
const MAX_WAIT = 0.5;
/** A run that takes more steps than this is the old alternation: stopped, not waited for. */
const STEP_BOUND = 5000;

const model = (capacity: number, jitter = "full") =>
  modelOf(`
components:
  client:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    concurrency: ${K}
    needs:
      svc: { timeout: 1s, retry: { attempts: 3, backoff: 1s, jitter: ${jitter} } }
  svc: { kind: api, placement: { zones: [r1-a, r1-b] }, capacity: ${capacity} rps, latency: 10ms }
workloads:
  users: { entry: client, rate: 1k rps }
`);

type Scale = { capacity: number; at: number; over?: number };

const run = (capacity: number, scale?: Scale, jitter = "full", exhaustive = false) =>
  simulate(
    model(capacity, jitter),
    scenarioOf({
      duration: 3600,
      actions: [
        {
          id: "age",
          do: "throttle",
          target: "svc",
          maxWait: MAX_WAIT,
          trigger: { on: "time", at: 0 },
        },
        ...(scale === undefined
          ? []
          : [
              {
                id: "grow",
                do: "scale" as const,
                target: "svc",
                capacity: scale.capacity,
                ...(scale.over === undefined ? {} : { over: scale.over }),
                trigger: { on: "time" as const, at: scale.at },
              },
            ]),
      ],
    }),
    {
      samples: 721,
      exhaustive,
      observe: (sim) => {
        if (sim.steps > STEP_BOUND)
          throw new Error(`more than ${STEP_BOUND} steps, at ${sim.t} s: the alternation`);
      },
    },
  );

/** What svc admits at sample time t: its load × its success (refusing is all that fails it). */
const admittedAt = (j: Journal, t: number) =>
  at(j, j.series.load, "svc", t) * at(j, j.series.success, "svc", t);

/** No component changes between the same two states twice within CAUSE_DWELL. */
function expectDwell(j: Journal): void {
  const last = new Map<string, number>();
  for (const e of j.timeline) {
    if (e.kind !== "component" || e.from === e.to) continue;
    const key = `${e.subject}:${[e.from, e.to].sort().join("/")}`;
    const before = last.get(key);
    if (before !== undefined) expect(e.t - before).toBeGreaterThanOrEqual(CAUSE_DWELL - 1e-9);
    last.set(key, e.t);
  }
}

describe("admission by queue age whose refusals lower what arrives", () => {
  it("holds the queue at maxWait and refuses the share at which what is admitted is the capacity", () => {
    // C = 150. At the threshold a request waits 0.5 s + 10 ms: every attempt takes 0.51 s (under
    // the timeout), a share r of them refused. A call makes A = 1 + r + r² attempts and waits
    // (A − 1) × 0.5 s of backoff (full jitter: half of 1 s on average; A < 2): L = 1.01 A − 0.5.
    // svc is offered K A / L and admits (1 − r) of it, K (1 − r³) / L = C: with C = 150,
    // 100 r³ + 151.5 r² + 151.5 r = 23.5.
    const C = 150;
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 100; k++) {
      const r = (lo + hi) / 2;
      if (100 * r ** 3 + 151.5 * r ** 2 + 151.5 * r > 23.5) hi = r;
      else lo = r;
    }
    const r = lo;
    const A = 1 + r + r * r;
    const j = run(C);
    for (const t of [60, 1800, 3600]) {
      // (Series keep six decimals of success, three of load.)
      expect(at(j, j.series.success, "svc", t)).toBeCloseTo(1 - r, 6);
      expect(at(j, j.series.load, "svc", t) / ((K * A) / (1.01 * A - 0.5))).toBeCloseTo(1, 5);
      expect(admittedAt(j, t) / C).toBeCloseTo(1, 5);
      expect(at(j, j.series.latency, "svc", t)).toBeCloseTo(MAX_WAIT + 0.01, 6);
    }
    // One change for svc: degraded by what it refuses, and it holds.
    expect(changes(j, "svc").map((c) => [c.to, c.mechanism])).toEqual([["degraded", "throttle"]]);
    expect(j.stats.steps).toBeLessThan(1000);
    expect(run(C, undefined, "full", true)).toEqual(j);
  });

  it("with its capacity ramping up, admits capacity + maxWait × the ramp's slope: no chatter", () => {
    // 40 rps, scaled to 250 rps from 600 s over 1,800 s: stairs of 9 s, stair k at
    // 40 + 210 (k + ½) / 200. The threshold maxWait × C rises with it: the fluid model admits
    // C + maxWait × 210 / 1,800 = C + 0.0583 rps while it refuses anything. The old code had
    // not finished 794 s of the hour after 100,000 steps.
    const j = run(40, { capacity: 250, at: 600, over: 1800 });
    const stair = 1800 / FINE_STEPS;
    const slope = 210 / 1800;
    let checked = 0;
    // From the second stair (the first rises half a stair from 40 rps) while svc refuses.
    for (let t = 600 + stair + 1; t < 2400; t += 5) {
      const sample = Math.round(t / 5) * 5;
      if (at(j, j.series.success, "svc", sample) >= 1 - 1e-6) continue;
      const k = Math.floor((sample - 600) / stair);
      const C = 40 + (210 * (k + 0.5)) / FINE_STEPS;
      // Within 1e-3 rps: the series keep three decimals of load and six of success (under
      // 6.3e-4 rps at 250 rps), well under the ramp's share of 0.0583 rps.
      expect(Math.abs(admittedAt(j, sample) - (C + MAX_WAIT * slope))).toBeLessThan(1e-3);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
    // down when it starts refusing, degraded once it admits half, up once it refuses nothing.
    expect(changes(j, "svc").map((c) => c.to)).toEqual(["down", "degraded", "up"]);
    expectDwell(j);
    // Of the order of the same scale made at once.
    const instant = run(40, { capacity: 250, at: 600 });
    expect(instant.stats.steps).toBeLessThan(2000);
    expect(j.stats.steps).toBeLessThan(2 * instant.stats.steps);
    expect(run(40, { capacity: 250, at: 600, over: 1800 }, "full", true)).toEqual(j);
  });

  it("without jitter, settles too", () => {
    const j = run(40, { capacity: 250, at: 600, over: 1800 }, "none");
    expect(j.stats.steps).toBeLessThan(2000);
    expect(changes(j, "svc").length).toBeLessThanOrEqual(4);
    expectDwell(j);
  });
});

describe("admission by queue age during a warm-up", () => {
  it("refuses what the warming capacity cannot take, without a burst at each stair", () => {
    // An API of 1,000 rps, 800 rps offered, restarts at 180 s at 25% of its capacity, back to
    // 100% over 10 min: stairs of 3 s at C = 250 + 750 (k + ½) / 200. Admitting only under 5 s
    // of wait, its queue reaches 5 C₀ at 180 + 5 × 251.875 / (800 − 251.875) = 182.298 s; from
    // then on it admits C + 5 × 1.25 = C + 6.25 rps. The old code admitted everything for a
    // moment at each stair (the queue under the new threshold): up, then down or degraded again
    // within the stair — 293 entries.
    const j = simulate(
      modelOf(`
components:
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    capacity: 1k rps
    recovery: { restart: 1m, warmup: { over: 10m, capacity: 25% } }
    needs: { db: {} }
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
workloads:
  users: { entry: api, rate: 800 rps }
`),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "crash", kind: "down", target: "api", at: 60, end: { at: 120 } }],
        actions: [
          { id: "age", do: "throttle", target: "api", maxWait: 5, trigger: { on: "time", at: 0 } },
        ],
      }),
      { samples: 721 },
    );
    const c = changes(j, "api");
    expect(c.map((x) => x.to)).toEqual(["down", "recovering", "up", "down", "degraded", "up"]);
    expect(c[3]?.t).toBeCloseTo(180 + (5 * 251.875) / (800 - 251.875), 3);
    expect(c[3]?.mechanism).toBe("throttle");
    // Degraded once it admits half of the 800 rps: C + 6.25 = 400 at C = 393.75, in the stair
    // that holds 394.375 (k = 38, from 294 s); up once it refuses under 1%: 792 at C = 785.75,
    // in the stair that holds 786.875 (k = 143, from 609 s).
    expect(c[4]?.t).toBeCloseTo(180 + 38 * 3, 3);
    expect(c[5]?.t).toBeCloseTo(180 + 143 * 3, 3);
    for (let t = 185; t < 600; t += 5) {
      const k = Math.floor((t - 180) / 3);
      const C = 250 + (750 * (k + 0.5)) / FINE_STEPS;
      const admitted = at(j, j.series.load, "api", t) * at(j, j.series.success, "api", t);
      expect(Math.abs(admitted - (C + 6.25))).toBeLessThan(1e-3);
    }
    expectDwell(j);
    expect(j.stats.steps).toBeLessThan(1000);
  });
});
