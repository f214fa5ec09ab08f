// Ids that are also names of Object.prototype's properties must work like any other id, through
// loading, the audit and the simulation: each run is compared with the same model using a twin
// name that sorts the same way.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze, parseModel, parseScenario, simulate } from "../src/index.js";

const MODEL = readFileSync("examples/aws-us-east-1.yaml", "utf8");
const SCENARIO = readFileSync("examples/scenarios/aws-us-east-1-2025.yaml", "utf8");

/** The audit and the journal, as JSON, with iam, a fault, a workload and an alarm renamed. */
function run(name: string): string {
  const rename = (text: string) =>
    text
      .replace(/\biam\b/g, name)
      .replace(/\bendpoint-emptied\b/g, name)
      .replace(/\bcustomer-requests\b/g, `${name}-w`)
      .replace(/\bdynamodb-errors\b/g, `${name}-a`);
  const m = parseModel("m.yaml", () => rename(MODEL));
  if (!m.ok) throw new Error(m.diagnostics[0]?.message);
  const s = parseScenario("s.yaml", rename(SCENARIO), m.model);
  if (!s.ok) throw new Error(s.diagnostics[0]?.message);
  return JSON.stringify([analyze(m.model), simulate(m.model, s.scenario)]);
}

describe("ids named like Object.prototype's properties", () => {
  for (const name of ["constructor", "toString", "hasOwnProperty", "valueOf"]) {
    it(`'${name}' works as a component, fault, workload and alarm id`, () => {
      const twin = `${name.slice(0, -1)}${name.endsWith("r") ? "q" : "z"}`;
      const out = run(name);
      expect(out).toContain(`"${name}"`);
      expect(out).toBe(run(twin).split(twin).join(name));
    });
  }
});
