/**
 * The expectations added for what users mean — time to impact from a fault, an alarm that fires
 * by a time or stays silent, a load peak — against hand-built facts of a run.
 */
import { describe, expect, it } from "vitest";
import type { Expectation } from "../scenario/types.js";
import type { ComponentResult, TimelineEntry } from "./types.js";
import { type RunFacts, verdict } from "./verdicts.js";

const LOC = { file: "s.yaml", line: 1, column: 1 };
const cause = { mechanism: "fault" } as unknown as TimelineEntry["cause"];
const entry = (t: number, kind: TimelineEntry["kind"], subject: string, to: string) =>
  ({ t, kind, subject, from: "", to, cause }) satisfies TimelineEntry;

const api: ComponentResult = {
  id: "api",
  impacted: true,
  firstImpact: 420,
  recoveredAt: 1800,
  downtime: 1380,
  degradedTime: 0,
  finalState: "up" as ComponentResult["finalState"],
  worstSuccess: 0,
  peakLoad: 2500,
  capacity: 2000,
  abandoned: 0,
  peakWait: 0,
};

const run: RunFacts = {
  components: [
    api,
    { ...api, id: "web", firstImpact: 300, recoveredAt: 1500, downtime: 400, degradedTime: 800 },
    {
      ...api,
      id: "calm",
      impacted: false,
      firstImpact: null,
      recoveredAt: null,
      downtime: 0,
      worstSuccess: 1,
    },
  ],
  failovers: [
    { primary: "db", replica: "db-replica", at: 600, automatic: true, lag: 30, atRisk: 3000 },
  ],
  losses: [],
  queues: [
    {
      id: "jobs",
      published: 1000,
      consumed: 1000,
      deadLettered: 0,
      expired: 0,
      purged: 0,
      rejected: 0,
      finalBacklog: 0,
      peakBacklog: 500,
      peakAt: 600,
      drainedAt: 2400,
    },
    {
      id: "idle",
      published: 10,
      consumed: 10,
      deadLettered: 0,
      expired: 0,
      purged: 0,
      rejected: 0,
      finalBacklog: 0,
      peakBacklog: 0,
      peakAt: null,
      drainedAt: null,
    },
  ],
  timeline: [
    entry(300, "fault", "push", "active"),
    { ...entry(300, "component", "web", "degraded"), from: "up" },
    entry(420, "component", "api", "down"),
    { ...entry(500, "component", "web", "down"), from: "degraded" },
    entry(600, "alarm", "api-errors", "alarm"),
    entry(700, "alarm", "api-errors", "ok"),
    entry(1000, "alarm", "api-errors", "alarm"),
    entry(900, "fault", "push", "ended"),
    { ...entry(900, "component", "web", "degraded"), from: "down" },
    { ...entry(1500, "component", "web", "up"), from: "degraded" },
  ],
  windowAvailability: () => 1,
};

type Unlocated<T> = T extends unknown ? Omit<T, "loc"> : never;
const check = (x: Unlocated<Expectation>) => verdict({ ...x, loc: LOC } as Expectation, run);

describe("verdicts", () => {
  it("measure time to impact from the start of a fault", () => {
    // Impact at 420 s, the fault started at 300 s: 2 minutes.
    const v = check({
      kind: "time-to-impact",
      component: "api",
      from: { fault: "push" },
      atLeast: 60,
      atMost: 150,
    });
    expect(v.ok).toBe(true);
    expect(v.actual).toBe("2m (at 00:07:00)");
    expect(check({ kind: "time-to-impact", component: "api", from: 0, atMost: 300 }).ok).toBe(
      false,
    );
  });

  it("say an alarm fired by a time, or stayed silent until one", () => {
    expect(check({ kind: "alarm", alarm: "api-errors", fires: true, by: 600 }).ok).toBe(true);
    expect(check({ kind: "alarm", alarm: "api-errors", fires: true, by: 599 }).ok).toBe(false);
    expect(check({ kind: "alarm", alarm: "api-errors", fires: false, by: 599 }).ok).toBe(true);
    const silent = check({ kind: "alarm", alarm: "api-errors", fires: false });
    expect([silent.ok, silent.actual]).toEqual([false, "fired at 00:10:00"]);
  });

  it("hold a drain inside its window: after one time, by another", () => {
    // Drained at 2400 s.
    expect(check({ kind: "drained-by", queue: "jobs", by: 2400 }).ok).toBe(true);
    expect(check({ kind: "drained-by", queue: "jobs", by: 2399 }).ok).toBe(false);
    const window = check({ kind: "drained-by", queue: "jobs", after: 1800, by: 3000 });
    expect([window.ok, window.expected]).toEqual([true, "drained after 00:30:00 and by 00:50:00"]);
    expect(check({ kind: "drained-by", queue: "jobs", after: 2400, by: 3000 }).ok).toBe(true);
    expect(check({ kind: "drained-by", queue: "jobs", after: 2401, by: 3000 }).ok).toBe(false);
    // A queue that never backed up meets "by" but not a window that expects a backlog first.
    expect(check({ kind: "drained-by", queue: "idle", by: 3000 }).ok).toBe(true);
    expect(check({ kind: "drained-by", queue: "idle", after: 60, by: 3000 }).ok).toBe(false);
  });

  it("bound the load peak", () => {
    const v = check({ kind: "peak-load", component: "api", atMost: 2000 });
    expect(v.ok).toBe(false);
    expect(v.actual).toContain("capacity");
    expect(check({ kind: "peak-load", component: "api", atLeast: 2400, atMost: 2600 }).ok).toBe(
      true,
    );
  });

  it("bound the data put at risk by failovers, and say when a primary never failed over", () => {
    expect(check({ kind: "data-at-risk", component: "db", atMost: 3000 }).ok).toBe(true);
    expect(check({ kind: "data-at-risk", component: "db", atLeast: 3001 }).ok).toBe(false);
    const none = check({ kind: "data-at-risk", component: "api", atMost: 0 });
    expect([none.ok, none.actual]).toEqual([true, "never failed over or lost its state"]);
  });

  it("time to down, apart from the first impact; recovery out of down, apart from back up", () => {
    // web: degraded at 300 s, down at 500 s, degraded at 900 s, up at 1500 s.
    expect(check({ kind: "time-to-impact", component: "web", from: 0, atMost: 300 }).ok).toBe(true);
    const down = check({
      kind: "time-to-impact",
      component: "web",
      from: 0,
      state: "down",
      atMost: 300,
    });
    expect([down.ok, down.actual]).toEqual([false, "8m20s"]);
    const out = check({
      kind: "time-to-recover",
      component: "web",
      from: 0,
      to: "degraded",
      atMost: 900,
    });
    expect([out.ok, out.actual]).toEqual([true, "15m (at 00:15:00)"]);
    expect(check({ kind: "time-to-recover", component: "web", from: 0, atMost: 900 }).ok).toBe(
      false,
    );
  });

  it("count never impacted as later than a lower bound, never within an upper one", () => {
    const later = check({ kind: "time-to-impact", component: "calm", from: 0, atLeast: 3600 });
    expect([later.ok, later.actual]).toEqual([true, "never impacted"]);
    const down = check({
      kind: "time-to-impact",
      component: "calm",
      from: 0,
      state: "down",
      atLeast: 3600,
    });
    expect([down.ok, down.actual, down.expected]).toEqual([true, "never down", "down ≥ 1h"]);
    const window = check({
      kind: "time-to-impact",
      component: "calm",
      from: 0,
      atLeast: 60,
      atMost: 3600,
    });
    expect([window.ok, window.actual]).toEqual([false, "never impacted"]);
  });

  it("an alarm's window, and messages lost with a lower bound", () => {
    // api-errors fired at 600 s.
    expect(check({ kind: "alarm", alarm: "api-errors", fires: true, after: 300, by: 900 }).ok).toBe(
      true,
    );
    // It fired at 600 s and again at 1000 s: inside a window from 601 s, not inside 601–900 s.
    const again = check({ kind: "alarm", alarm: "api-errors", fires: true, after: 601 });
    expect([again.ok, again.actual]).toEqual([true, "fired at 00:16:40"]);
    const early = check({ kind: "alarm", alarm: "api-errors", fires: true, after: 601, by: 900 });
    expect([early.ok, early.expected]).toEqual([false, "fires after 00:10:01 by 00:15:00"]);
    expect(check({ kind: "messages-lost", queue: "jobs", atLeast: 1 }).ok).toBe(false);
    expect(check({ kind: "messages-lost", queue: "jobs", atLeast: 0, atMost: 0 }).ok).toBe(true);
  });
});
