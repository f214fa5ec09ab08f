import { describe, expect, it } from "vitest";
import { loadModel } from "../model/load.js";
import { loadScenario } from "../scenario/load.js";
import { simulate } from "../sim/engine.js";
import { clock, clockTenths, count, fmt, pct } from "../sim/format.js";
import { measureUnit, runOutcomes } from "./outcomes.js";

/** A moment as the verdicts write it. */
const instant = (t: number) => (clockTenths(t).endsWith(".0") ? clock(t) : clockTenths(t));

describe("the number behind each verdict", () => {
  const model = loadModel("examples/aws-us-east-1.yaml");
  for (const name of ["aws-us-east-1-2025", "aws-us-east-1-2025-lessons"]) {
    it(`is the one the verdict's words state, on ${name}`, () => {
      const scenario = loadScenario(`examples/scenarios/${name}.yaml`, model);
      const outcomes = runOutcomes(simulate(model, scenario), scenario.expectations);
      expect(outcomes.expectations).toHaveLength(scenario.expectations.length);
      for (const x of outcomes.expectations) {
        const m = x.measured;
        const words = (() => {
          if (m === null) return undefined;
          switch (measureUnit(x.kind)) {
            case "fraction":
              return pct(m, 3);
            case "time":
              return instant(m);
            case "duration":
              return fmt(m);
            case "count":
              return `${count(m)} lost`;
            case "rate":
              return `${count(m)}/s`;
          }
        })();
        if (words === undefined)
          expect(x.actual, `${x.kind} ${x.subject}`).toMatch(
            /never|not impacted|not recovered|still queued/,
          );
        else expect(x.actual, `${x.kind} ${x.subject}`).toContain(words);
      }
    });
  }

  it("and the headline results: impacted components, workloads, queues that backed up", () => {
    const scenario = loadScenario("examples/scenarios/aws-us-east-1-2025.yaml", model);
    const journal = simulate(model, scenario);
    const outcomes = runOutcomes(journal, scenario.expectations);
    expect(outcomes.impacted.map((c) => c.id)).toEqual(
      journal.components.filter((c) => c.impacted).map((c) => c.id),
    );
    expect(outcomes.impacted.find((c) => c.id === "ec2-dwfm")).toEqual({
      id: "ec2-dwfm",
      firstImpact: journal.components.find((c) => c.id === "ec2-dwfm")?.firstImpact,
      recoveredAt: journal.components.find((c) => c.id === "ec2-dwfm")?.recoveredAt,
    });
    expect(outcomes.backedUp.map((q) => q.id)).toEqual([
      "customer-events",
      "network-state-propagations",
    ]);
    expect(outcomes.workloads).toHaveLength(journal.workloads.length);
  });
});
