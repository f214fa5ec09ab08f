import { describe, expect, it } from "vitest";
import { simulate } from "../sim/engine.js";
import { modelOf, scenarioOf } from "../sim/fixtures.js";
import { usEast1DnsOutage } from "../sim/scenario-fixtures.js";
import { JOURNAL_SCHEMA_VERSION, type Journal, type TimelineEntry } from "../sim/types.js";
import { type Explanation, explain, formatExplanation } from "./explain.js";

const RECORD = "dynamodb.us-east-1.amazonaws.com";

const usEast1 = (() => {
  const { model, scenario } = usEast1DnsOutage();
  return simulate(model, scenario);
})();

/** The chain as "kind subject state" per step, newest first. */
function chain(e: Explanation): string[] {
  return e.steps.map((s) => `${s.kind} ${s.subject} ${s.state}`);
}

describe("explain on the us-east-1 DNS outage", () => {
  it("by default traces lambda's worst state, first reached, through the emptied record to the fault", () => {
    const e = explain(usEast1, "lambda");
    expect(e.status).toBe("impacted");
    expect(e.end).toBe("fault");
    expect(chain(e)).toEqual([
      "component lambda down",
      `record ${RECORD} empty`,
      "fault emptied active",
    ]);
    expect(e.steps[0]).toMatchObject({ mechanism: "dns", source: RECORD });
    // Down, not its first dip: that came earlier.
    expect(e.steps[0]?.t).toBeGreaterThan(e.firstImpact ?? Number.POSITIVE_INFINITY);
    expect(formatExplanation(e)).toMatchInlineSnapshot(`
      "lambda down at 00:00:17.6, traced back to fault emptied
        00:00:17.6  lambda                                   down    ← dns: 29.5% of clients' cached answers for dynamodb.us-east-1.amazonaws.com have expired (empty since 00:00:00.0)
        00:00:00.0  record dynamodb.us-east-1.amazonaws.com  empty   ← fault: DNS record dynamodb.us-east-1.amazonaws.com emptied
        00:00:00.0  fault emptied                            active  ← fault: DNS record dynamodb.us-east-1.amazonaws.com emptied
      "
    `);
  });

  it("never cites a cause recorded after the change it explains", () => {
    // ec2-launch-api goes down from ec2-dwfm's error rate; the step for ec2-dwfm is the change
    // in force then (degraded at 0.8 s), not its later collapse.
    const e = explain(usEast1, "ec2-launch-api");
    expect(e.end).toBe("fault");
    expect(chain(e)).toEqual([
      "component ec2-launch-api down",
      "component ec2-dwfm degraded",
      `record ${RECORD} empty`,
      "fault emptied active",
    ]);
    for (const c of usEast1.components) {
      const steps = explain(usEast1, c.id).steps;
      for (let i = 1; i < steps.length; i++)
        expect(steps[i]?.t ?? 0).toBeLessThanOrEqual(steps[i - 1]?.t ?? 0);
    }
  });

  it("at a later time, follows each source through what holds it down then, and says so", () => {
    const e = explain(usEast1, "lambda", 14_400);
    expect(e.steps[0]).toMatchObject({
      state: "degraded",
      mechanism: "degraded-mode",
      source: "ec2-launch-api",
    });
    // Launches fail on the network state still queued, which the network manager cannot take
    // while ec2-dwfm is held down by its collapsed lease work — what holds it down at 04:00:00,
    // though the collapse began after the network manager went down.
    expect(e.steps.map((s) => [s.subject, s.mechanism])).toEqual([
      ["lambda", "degraded-mode"],
      ["ec2-launch-api", "queue"],
      ["network-state-propagations", "queue"],
      ["ec2-network-manager", "dependency"],
      ["ec2-dwfm", "congestive-collapse"],
      [RECORD, "fault"],
      ["emptied", "fault"],
    ]);
    for (const s of e.steps) expect(s.t).toBeLessThanOrEqual(14_400);
    expect(e.summary).toBe(
      "lambda degraded at 04:00:00 (since 02:51:53.3), traced back to fault emptied",
    );
  });

  it("a negative answer still cached after the fix holds iam back then", () => {
    const e = explain(usEast1, "iam", 9931.5);
    expect(e.steps[0]?.text).toContain("still hold the failed answer");
  });

  it("follows a dependency through another component", () => {
    expect(chain(explain(usEast1, "redshift"))).toEqual([
      "component redshift down",
      "component iam down",
      `record ${RECORD} empty`,
      "fault emptied active",
    ]);
  });

  it("inside a cycle, follows what holds the cycle down rather than the partner", () => {
    // While recovering, iam and dynamodb depend on each other; iam names the DNS answers its
    // clients still lack, so the chain reaches the fault instead of going round the cycle.
    const e = explain(usEast1, "iam", 9931.5);
    expect(e.end).toBe("fault");
    expect(chain(e)).toEqual([
      "component iam degraded",
      `record ${RECORD} empty`,
      "fault emptied active",
    ]);
    expect(formatExplanation(e).split("\n")[0]).toBe(e.summary);
  });

  it("says when a component was never impacted, or is not in the journal", () => {
    const never = explain(usEast1, "dns-planner");
    expect(never).toMatchObject({ status: "never-impacted", steps: [], end: null });
    expect(formatExplanation(never)).toBe("dns-planner was never impacted\n");
    expect(explain(usEast1, "no-such-thing")).toMatchObject({ status: "unknown", steps: [] });
  });

  it("writes wall-clock times when the scenario says when it starts", () => {
    const text = formatExplanation(explain(usEast1, "redshift"), {
      startsAt: "2025-10-19T23:48:00-07:00",
    });
    const lines = text.split("\n");
    expect(lines[0]).toMatch(
      /^redshift down at 2025-10-19 23:48:30\.2, traced back to fault emptied$/,
    );
    // One clock on a line: the time inside the cause is wall-clock too.
    expect(lines[2]).toBe(
      "  2025-10-19 23:48:30.2  iam                                      down    ← dns: 50.5% of clients' cached answers for dynamodb.us-east-1.amazonaws.com have expired (empty since 2025-10-19 23:48:00.0)",
    );
  });
});

describe("explain on small models", () => {
  const TWO_OUTAGES = simulate(
    modelOf(`
components:
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [db] }
workloads:
  orders: { entry: api, rate: 100 rps }
`),
    scenarioOf({
      duration: 900,
      faults: [
        { id: "first", kind: "error-rate", target: "db", rate: 1, at: 60, end: { at: 120 } },
        { id: "second", kind: "down", target: "db", at: 600, end: { at: 660 } },
      ],
    }),
  );

  it("`at` picks the impact that holds then: after a recovery, the second outage and its fault", () => {
    expect(chain(explain(TWO_OUTAGES, "api"))).toEqual([
      "component api down",
      "component db down",
      "fault first active",
    ]);
    const later = explain(TWO_OUTAGES, "api", 630);
    expect(later.at).toBe(630);
    expect(chain(later)).toEqual([
      "component api down",
      "component db down",
      "fault second active",
    ]);
    expect(formatExplanation(later)).toMatchInlineSnapshot(`
      "api down at 00:10:30 (since 00:10:00), traced back to fault second
        00:10:00  api           down    ← dependency: db is down (100% of requests fail)
        00:10:00  db            down    ← fault: db down
        00:10:00  fault second  active  ← fault: db down
      "
    `);
  });

  it("between the outages the component was up, and the result says since when", () => {
    const between = explain(TWO_OUTAGES, "api", 300);
    expect(between).toMatchObject({ status: "up", recoveredAt: 120, firstImpact: 60, steps: [] });
    expect(formatExplanation(between)).toBe("api was up at 00:05:00: it recovered at 00:02:00\n");
    expect(explain(TWO_OUTAGES, "api", 30).summary).toBe(
      "api was up at 00:00:30: its first impact came at 00:01:00",
    );
  });

  it("follows lost placements and restarts to the fault that caused them", () => {
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { region: r1 }, recovery: { restart: 10m } }
  api: { kind: api, placement: { region: r1 }, needs: [db], recovery: { restart: 2m } }
`),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "r1-down", kind: "down", target: "r1", at: 0, end: { at: 600 } }],
      }),
    );
    // Lost placements name the fault that took the region down.
    const down = explain(j, "api");
    expect(down.end).toBe("fault");
    expect(down.steps.map((s) => [s.subject, s.mechanism])).toEqual([
      ["api", "placement"],
      ["r1-down", "fault"],
    ]);
    expect(formatExplanation(down)).toContain(
      "← placement: r1 is down and api has 0 of 1 placements left",
    );
    // A restart names the fault whose end it follows; waiting to cold-start names what it waits for.
    const restarting = explain(j, "db", 700);
    expect(restarting).toMatchObject({ status: "impacted", end: "fault" });
    expect(restarting.steps[0]).toMatchObject({
      state: "recovering",
      mechanism: "restart",
      source: "r1-down",
    });
    const waiting = explain(j, "api", 900);
    expect(waiting.steps[0]).toMatchObject({
      state: "recovering",
      mechanism: "cold-start",
      source: "db",
    });
  });
});

describe("explain on hand-written timelines", () => {
  const entry = (
    t: number,
    kind: TimelineEntry["kind"],
    subject: string,
    to: string,
    from?: string,
  ): TimelineEntry => ({
    t,
    kind,
    subject,
    from: "up",
    to,
    cause: {
      mechanism: "dependency",
      ...(from !== undefined ? { from } : {}),
      detail: { what: "dependency-failing", component: from ?? subject, down: true },
    },
  });
  const journal = (timeline: TimelineEntry[]): Journal => ({
    schemaVersion: JOURNAL_SCHEMA_VERSION,
    model: { name: "m", files: [] },
    scenario: { name: "s", file: "s.yaml", duration: 100, startsAt: null },
    timeline,
    components: [],
    workloads: [],
    queues: [],
    expectations: [],
    series: {
      times: [],
      state: {},
      success: {},
      load: {},
      latency: {},
      workloads: {},
      backlog: {},
    },
    stats: { steps: 0, events: 0 },
  });

  it("a cycle of any length ends once a subject comes round again", () => {
    const j = journal([
      entry(1, "component", "a", "down", "b"),
      entry(1, "component", "b", "down", "c"),
      entry(1, "component", "c", "down", "a"),
    ]);
    const e = explain(j, "a");
    expect(e.end).toBe("cycle");
    expect(e.steps.map((s) => s.subject)).toEqual(["a", "b", "c"]);
    expect(e.steps[2]?.note).toBe("cycle: a is already in this chain");
  });

  it("asked about a moment inside a feedback loop, follows the source through its earlier change", () => {
    // a went bad at 2 because of the fault; b and c failed after it; at 6, c's failure is what
    // keeps a down. Asked at 7, the chain goes a(6) → c → b → a, then a's change at 2 (in force
    // when b failed), not a(6) again, and reaches the fault.
    const j = journal([
      {
        ...entry(1, "fault", "f", "active"),
        cause: {
          mechanism: "fault",
          detail: { what: "fault", fault: { kind: "down", target: "a" } },
        },
      },
      entry(2, "component", "a", "degraded", "f"),
      entry(3, "component", "b", "down", "a"),
      entry(4, "component", "c", "down", "b"),
      entry(6, "component", "a", "down", "c"),
    ]);
    const e = explain(j, "a", 7);
    expect(e.end).toBe("fault");
    expect(e.steps.map((s) => `${s.subject}@${s.t}`)).toEqual(["a@6", "c@4", "b@3", "a@2", "f@1"]);
    expect(e.steps[2]?.note).toBe(
      "feedback: a comes round again; followed through its earlier change",
    );
  });

  it("an action that is its own cause is where the chain starts", () => {
    const j = journal([
      entry(5, "action", "move", "done", "move"),
      entry(5, "record", "db.example", "failover", "move"),
      entry(9, "component", "api", "down", "db.example"),
    ]);
    const e = explain(j, "api");
    expect(e.end).toBe("origin");
    expect(chain(e)).toEqual([
      "component api down",
      "record db.example failover",
      "action move done",
    ]);
    expect(e.summary).toBe("api down at 00:00:09, traced back to action move");
  });

  it("takes the source's latest bad change at or before the step, not a later one nor its recovery", () => {
    const j = journal([
      entry(1, "component", "db", "down", "f1"),
      entry(2, "component", "db", "up"),
      entry(3, "component", "api", "down", "db"),
      entry(4, "component", "db", "down", "f2"),
      entry(1, "fault", "f1", "active", "f1"),
      entry(4, "fault", "f2", "active", "f2"),
    ]);
    expect(explain(j, "api").steps.map((s) => `${s.subject}@${s.t}`)).toEqual([
      "api@3",
      "db@1",
      "f1@1",
    ]);
  });
});

describe("explain at a moment", () => {
  it("follows a source still impaired then through its reason then", () => {
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { region: r1 } }
  leaser:
    kind: lease-manager
    placement: { zones: [r1-a, r1-b] }
    leases: { duration: 30m, renewEvery: 5m, count: 500k, establishRate: 100 rps }
    needs: [db]
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [leaser] }
`),
      scenarioOf({
        duration: 6 * 3600,
        faults: [{ id: "db-down", kind: "down", target: "db", at: 0, end: { at: 3600 } }],
      }),
    );
    // At 2 h the database is back, but the leases have collapsed: api is down because of them.
    const e = explain(j, "api", 7200);
    expect(e.steps[1]).toMatchObject({
      subject: "leaser",
      mechanism: "congestive-collapse",
      source: "db",
    });
    expect(e.end).toBe("fault");
    expect(e.steps.at(-1)?.subject).toBe("db-down");
    // At its first impact the same chain goes through what failed first.
    expect(explain(j, "api").steps[1]).toMatchObject({
      subject: "leaser",
      mechanism: "dependency",
    });
  });
});

describe("explain on the replays", () => {
  it("traces every impacted component, at every change, to a fault or an operator action", async () => {
    const { loadModel } = await import("../model/load.js");
    const { loadScenario } = await import("../scenario/load.js");
    const model = loadModel("examples/aws-us-east-1.yaml");
    for (const file of ["aws-us-east-1-2025", "aws-us-east-1-2025-lessons"]) {
      const j = simulate(model, loadScenario(`examples/scenarios/${file}.yaml`, model));
      const ends = new Set<string>();
      for (const c of j.components.filter((x) => x.impacted)) {
        for (const x of j.timeline.filter((e) => e.subject === c.id && e.to !== "up")) {
          const e = explain(j, c.id, x.t);
          ends.add(`${e.end}`);
          expect(["fault", "origin"], `${file}: ${c.id} at ${x.t}: ${e.summary}`).toContain(e.end);
        }
      }
      expect(ends.has("fault")).toBe(true);
    }
  });
});
