/**
 * A queue whose arrivals depend on its own wait, against the fluid model worked by hand. A
 * client with 100 slots of concurrency (K) holds one for each request while it waits for svc
 * (10 ms of work, S, behind an overload queue): it serves K / L requests a second, L the time a
 * call to svc takes, and offers svc that many (its users offer more: its own queue takes the
 * rest). The longer svc's queue, the less reaches it — Little's law closes the loop.
 *
 * Below the client's 100 ms timeout the queue settles where K / L = C. At the timeout, failing
 * slows the client down (its retries wait a backoff), and the queue stays there with the share
 * of attempts that time out that makes arrivals equal capacity (a sliding mode). Held constant
 * between boundaries, the rates used to carry the queue past its settling point to the timeout,
 * where the client failed, slowed, let it drain, sped up and failed again — thousands of steps
 * and timeline entries an hour; at the timeout itself, in steps of a microsecond: a run that did
 * not end.
 */
import { describe, expect, it } from "vitest";
import { explain } from "../reports/explain.js";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const K = 100;
const S = 0.01;
const TIMEOUT = 0.1;
const RATE = 1205;

const model = (capacity: number) =>
  modelOf(`
components:
  client:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    concurrency: ${K}
    needs:
      svc: { timeout: 100ms, retry: { attempts: 3, backoff: 100ms, jitter: none } }
  svc: { kind: api, placement: { zones: [r1-a, r1-b] }, capacity: ${capacity} rps, latency: 10ms }
workloads:
  users: { entry: client, rate: ${RATE} rps }
`);

const run = (capacity: number, maxWait?: number, exhaustive = false) =>
  simulate(
    model(capacity),
    scenarioOf({
      duration: 3600,
      // Admission by queue age keeps the client's own queue at 1 s of work: it refuses the rest.
      actions:
        maxWait === undefined
          ? []
          : [
              {
                id: "age",
                do: "throttle",
                target: "client",
                maxWait,
                trigger: { on: "time", at: 0 },
              },
            ],
    }),
    { samples: 361, exhaustive },
  );

const svc = (j: ReturnType<typeof run>) => j.components.find((c) => c.id === "svc");

describe("a queue whose arrivals fall as it waits (a concurrency-limited caller)", () => {
  it("settles where they meet its capacity, short of the timeout: nothing fails", () => {
    // C = 1,200: K / L = C at L = K / C = 83.3 ms < 100 ms, a queue of (K / C − S) · C = 88.
    const C = 1200;
    const j = run(C);
    for (const t of [60, 1800, 3600]) {
      expect(at(j, j.series.load, "svc", t) / C).toBeCloseTo(1, 5);
      expect(at(j, j.series.latency, "svc", t)).toBeCloseTo(K / C, 6);
    }
    expect(svc(j)?.impacted).toBe(false);
    expect(svc(j)?.abandoned).toBe(0);
    // On its way there the queue overshoots by a few percent (rates held over steps, each of
    // which changes the time a request takes there by at most a tenth), far from the timeout.
    expect(svc(j)?.peakWait).toBeGreaterThanOrEqual(K / C - S - 1e-9);
    expect(svc(j)?.peakWait).toBeLessThan((K / C - S) * 1.1);
    // The client queues the 5 rps it cannot serve (15 s of work after an hour, short of the
    // 30 s its users wait): every request is served.
    expect(j.workloads[0]?.failed).toBe(0);
    expect(j.timeline).toEqual([]);
    expect(j.stats.steps).toBeLessThan(1000);
    expect(run(C, undefined, true)).toEqual(j);
  });

  it("at the timeout, times out the share of attempts that holds the queue there", () => {
    // C = 800: at the timeout the client still sends K / T = 1,000, so the queue reaches it. With
    // a share f of attempts timing out, a request makes A = 1 + f + f² attempts of T each and
    // waits (A − 1) backoffs of 100 ms (A ≤ 2): L = T·A + 0.1·(A − 1), and svc is offered
    // A · K / L = 1,000 A / (2A − 1). That is C = 800 at A = 4/3: f² + f = 1/3.
    const C = 800;
    const A = 4 / 3;
    const f = (Math.sqrt(7 / 3) - 1) / 2;
    const j = run(C, 1);
    for (const t of [60, 1800, 3600]) {
      // Served at capacity, at the timeout, a share f failing.
      expect(at(j, j.series.load, "svc", t) / C).toBeCloseTo(1, 9);
      expect(at(j, j.series.latency, "svc", t)).toBeCloseTo(TIMEOUT, 9);
      // (Series keep six decimals.)
      expect(at(j, j.series.success, "svc", t)).toBeCloseTo(1 - f, 6);
      // The client: a call takes L = 1/6 s, so it serves K / L = 600 a second (C / A) after 1 s
      // in its own queue, and refuses the rest; 3 attempts fail together with f³.
      expect(at(j, j.series.latency, "client", t)).toBeCloseTo(1 + TIMEOUT * A + 0.1 * (A - 1), 6);
      expect(at(j, j.series.success, "client", t)).toBeCloseTo((C / A / RATE) * (1 - f ** 3), 6);
    }
    // The queue reaches the timeout at 72 / (1,205 − 800)-ish (the client slowing on the way);
    // from then on f of what arrives is abandoned — less at first, until the retries arrive.
    const abandoned = svc(j)?.abandoned ?? 0;
    expect(abandoned / (f * C * 3600)).toBeGreaterThan(0.9998);
    expect(abandoned / (f * C * 3600)).toBeLessThan(1);
    // One change: degraded by the share that times out, and it holds.
    expect(
      j.timeline.filter((e) => e.subject === "svc").map((e) => [e.to, e.cause.mechanism]),
    ).toEqual([["degraded", "overload"]]);
    expect(j.stats.steps).toBeLessThan(1000);
    expect(run(C, 1, true)).toEqual(j);
  });
});

describe("a component whose reason changes faster than CAUSE_DWELL", () => {
  it("is logged again only for a reason that still holds a second after its last entry", () => {
    // api needs b, c and d. b fails 60% from 5 s (api down); c 70% from 5.3 to 5.6 s and d 80%
    // from 5.5 s take over as the lowest factor in turn. c's turn is over before a second has
    // passed since api's entry at 5 s, so it is not logged; d's still holds at 6 s.
    const j = simulate(
      modelOf(`
components:
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs: { b: {}, c: {}, d: {} }
  b: { kind: api, placement: { zones: [r1-a, r1-b] } }
  c: { kind: api, placement: { zones: [r1-a, r1-b] } }
  d: { kind: api, placement: { zones: [r1-a, r1-b] } }
workloads:
  users: { entry: api, rate: 100 rps }
`),
      scenarioOf({
        duration: 60,
        faults: [
          { id: "fb", kind: "error-rate", target: "b", rate: 0.6, at: 5 },
          { id: "fc", kind: "error-rate", target: "c", rate: 0.7, at: 5.3, end: { at: 5.6 } },
          { id: "fd", kind: "error-rate", target: "d", rate: 0.8, at: 5.5 },
        ],
      }),
      { samples: 61 },
    );
    const api = j.timeline.filter((e) => e.subject === "api");
    expect(api.map((e) => [e.t, e.from, e.to, e.cause.from])).toEqual([
      [5, "up", "down", "b"],
      [6, "down", "down", "d"],
    ]);
    // explain follows the reason in force: before 6 s b's fault, from then on d's.
    const chain = (t: number) => explain(j, "api", t).steps.map((s) => s.subject);
    expect(chain(5.8)).toEqual(["api", "b", "fb"]);
    expect(chain(30)).toEqual(["api", "d", "fd"]);
  });
});

describe("a component whose state alternates faster than CAUSE_DWELL", () => {
  it("changes back no sooner than CAUSE_DWELL after it changed", () => {
    // Down from 10 to 10.3 s and from 10.5 to 10.8 s: down at 10 s, up again at 11 s, once.
    const j = simulate(
      modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a, r1-b] } }
workloads:
  users: { entry: api, rate: 100 rps }
`),
      scenarioOf({
        duration: 60,
        faults: [
          { id: "a", kind: "down", target: "api", at: 10, end: { at: 10.3 } },
          { id: "b", kind: "down", target: "api", at: 10.5, end: { at: 10.8 } },
        ],
      }),
    );
    expect(changes(j, "api").map((c) => [c.t, c.to])).toEqual([
      [10, "down"],
      [11, "up"],
    ]);
    // What was served follows the faults, not the states logged: 0.6 s of 100 rps failed.
    expect(j.workloads[0]?.failed).toBeCloseTo(60, 6);
  });
});
