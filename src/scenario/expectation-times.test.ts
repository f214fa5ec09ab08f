/**
 * Expectations written with wall-clock times (scenarios with `startsAt`), and the windows and
 * kinds added to say what users mean: each read into seconds from the start, or refused where
 * it is written.
 */
import { describe, expect, it } from "vitest";
import { DOMAINS, modelOf } from "../../test/helpers/memory.js";
import { parseScenario } from "./load.js";

const MODEL = modelOf(`name: m
${DOMAINS}
components:
  web: { kind: web, placement: { zones: [r1-a] } }
workloads:
  users: { entry: web, rate: 10 rps }
`);

function load(body: string) {
  return parseScenario("s.yaml", `name: s\nduration: 2h\n${body}`, MODEL);
}

describe("wall-clock times in expectations", () => {
  it("are read against startsAt, at any offset", () => {
    const r = load(`startsAt: 2025-11-18T11:00:00Z
expect:
  - availability: { workload: users, from: 2025-11-18T11:30:00Z, to: "2025-11-18T13:00:00+01:00", atLeast: 99% }
  - timeToImpact: { component: web, from: 2025-11-18T11:05:00Z, atMost: 10m, state: down }
  - timeToRecover: { component: web, atMost: 1h, to: degraded }
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.expectations.map((x) => ("from" in x ? x.from : null))).toEqual([
      1800, 300, 0,
    ]);
    expect(r.scenario.expectations[0]).toMatchObject({ to: 3600 });
    expect(r.scenario.expectations[1]).toMatchObject({ state: "down" });
    expect(r.scenario.expectations[2]).toMatchObject({ to: "degraded" });
  });

  it("need startsAt, and a time after it", () => {
    const without = load(
      "expect:\n  - availability: { workload: users, from: 2025-11-18T11:30:00Z, atLeast: 99% }\n",
    );
    expect(without.ok ? [] : without.diagnostics.map((d) => d.message)).toEqual([
      "2025-11-18T11:30:00Z is a wall-clock time, and this scenario has no startsAt to count it from — give startsAt, or write a duration from the start",
    ]);
    const before = load(
      "startsAt: 2025-11-18T11:00:00Z\nexpect:\n  - availability: { workload: users, from: 2025-11-18T10:30:00Z, atLeast: 99% }\n",
    );
    expect(before.ok ? [] : before.diagnostics.map((d) => d.message)).toEqual([
      "2025-11-18T10:30:00Z is before the scenario starts (startsAt 2025-11-18T11:00:00Z)",
    ]);
  });

  it("say both forms when neither fits", () => {
    const r = load(
      "expect:\n  - availability: { workload: users, from: half past, atLeast: 99% }\n",
    );
    expect(r.ok ? "" : r.diagnostics[0]?.message).toMatch(
      /expected a duration such as 2h37m, or a date and time with an offset/,
    );
  });
});
