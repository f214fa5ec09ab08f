import { describe, expect, it } from "vitest";
import { loadModel } from "../model/load.js";
import { loadScenario } from "../scenario/load.js";
import { simulate } from "../sim/engine.js";
import { modelOf, scenarioOf } from "../sim/fixtures.js";
import { renderStory, when } from "./story.js";

describe("when", () => {
  it("adds the wall clock in the scenario's own offset", () => {
    expect(when(0, "2025-10-19T23:48:00-07:00")).toBe("00:00:00 (23:48)");
    expect(when(9420, "2025-10-19T23:48:00-07:00")).toBe("02:37:00 (02:25)");
    expect(when(90, "2025-10-20T06:48:00Z")).toBe("00:01:30 (06:49)");
    expect(when(90, null)).toBe("00:01:30");
  });
});

describe("renderStory", () => {
  it("tells a small outage: the fault, who failed and why, the action, who came back", () => {
    const j = simulate(
      modelOf(`
components:
  db: { kind: database, placement: { region: r1 }, recovery: { restart: 5m } }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [db] }
  batch: { kind: worker, placement: { zones: [r1-a, r1-b] } }
workloads:
  orders: { entry: api, rate: 10 rps }
`),
      scenarioOf({
        duration: 3600,
        faults: [
          { id: "db-crash", kind: "down", target: "db", at: 60, end: { action: "restart-db" } },
        ],
        actions: [
          { id: "restart-db", do: "restart", target: "db", trigger: { on: "time", at: 600 } },
        ],
        expect: [{ kind: "impacted", component: "batch", impacted: false }],
      }),
    );
    expect(renderStory(j)).toMatchInlineSnapshot(`
      "test on test: 1h simulated

      00:01:00
        fault db-crash strikes: db down
          down at once: 2 — db, api (dependency 1, fault 1)
            · db at 00:01:00: db down
            · api at 00:01:00: db is down (100% of requests fail)

      00:10:00
        operator action restart-db: restart db (triggered at 00:10:00)
          which ends fault db-crash
          recovering at once: 1 — db (restart 1)
            · db at 00:10:00: restarting (5m) after action restart-db (restart)
          back up within 5m: 2 — db, api

      Unaffected throughout:
        batch

      Workloads over the run:
        orders: 76.667% served, 8.4k requests failed

      Expectations: 1 of 1 hold
        ✓ impacted batch: expected not impacted; not impacted (scenario.yaml:1)
      "
    `);
  });

  it("tells the replay's lessons and compares it with the lessons applied", () => {
    const model = loadModel("examples/aws-us-east-1.yaml");
    const replay = simulate(
      model,
      loadScenario("examples/scenarios/aws-us-east-1-2025.yaml", model),
    );
    const lessons = simulate(
      model,
      loadScenario("examples/scenarios/aws-us-east-1-2025-lessons.yaml", model),
    );
    const text = renderStory(replay, { compare: lessons });
    expect(text).toContain(
      "fault endpoint-emptied strikes: DNS record dynamodb.us-east-1.amazonaws.com emptied",
    );
    expect(text).toMatch(
      /Still down 1h after fault endpoint-emptied ended:\n {2}ec2-dwfm — back at 05:37:44 \(05:25\); congestive-collapse: 586k attempts to re-establish 293k\n {2}lapsed leases are queued/,
    );
    expect(text).toContain(
      "Unaffected throughout:\n  dns-enactor, dns-planner, dynamodb, ec2-instances, eventbridge, health-dashboard, route53, s3-api",
    );
    expect(text).toContain("Expectations: 21 of 24 hold");
    expect(text).toMatch(/components impacted: 15 → 2/);
    expect(text).toContain("its expectations: 7 of 7 hold");
    expect(text.includes("\u001b[")).toBe(false);
  });
});
