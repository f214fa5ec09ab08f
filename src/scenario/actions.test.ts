/** The options that say how much an action does: where each belongs, and scale's. */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../model/diagnostics.js";
import { modelOf } from "../sim/fixtures.js";
import { MODEL } from "./fixtures.js";
import { parseScenario } from "./load.js";

const problems = (body: string) => {
  const r = parseScenario("s.yaml", `name: x\nduration: 1d\n${body}`, MODEL);
  expect(r.ok).toBe(false);
  return r.diagnostics.map((d) => formatDiagnostic(d));
};

describe("actions that undo and scale", () => {
  it("unthrottle, unshed and scale parse, with scale's capacity or factor", () => {
    const r = parseScenario(
      "s.yaml",
      `name: x
duration: 1d
actions:
  lift: { do: unthrottle, target: api, at: 1h }
  stop-shedding: { do: unshed, target: api, at: 1h }
  more: { do: scale, target: api, at: 2h, factor: 1.5 }
  set: { do: scale, target: api, at: 3h, capacity: 4k rps }
`,
      MODEL,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.actions.map((a) => [a.do, a.factor, a.capacity])).toEqual([
      ["unthrottle", undefined, undefined],
      ["unshed", undefined, undefined],
      ["scale", 1.5, undefined],
      ["scale", undefined, 4000],
    ]);
  });

  it("says what is wrong with each, where", () => {
    expect(
      problems(`actions:
  a: { do: scale, target: api, at: 1h }
  b: { do: scale, target: api, at: 1h, factor: 2, capacity: 2k rps }
  c: { do: unthrottle, target: api, at: 1h, rate: 5 rps }
  d: { do: throttle, target: api, at: 1h, rate: 5 rps, factor: 2 }
  e: { do: scale, target: db, at: 1h, factor: 2 }
  g: { do: throttle, target: api, at: 1h, rate: 10 rps, to: 1k rps }
  h: { do: unshed, target: api, at: 1h, over: 1h }
`),
    ).toEqual([
      "s.yaml:4:3: error[missing-key] actions.a: scale needs exactly one of capacity (what it will have, e.g. capacity: 2k rps) and factor (e.g. factor: 1.5)",
      "s.yaml:5:3: error[impossible-value] actions.b: scale needs exactly one of capacity (what it will have, e.g. capacity: 2k rps) and factor (e.g. factor: 1.5)",
      "s.yaml:6:45: error[impossible-value] actions.c.rate: 'rate' goes only with do: throttle or restart, not with unthrottle",
      "s.yaml:7:56: error[impossible-value] actions.d.factor: 'factor' goes only with do: scale, not with throttle",
      "s.yaml:8:27: error[impossible-value] actions.e.target: db declares neither capacity nor concurrency in the model: there is nothing to scale — declare its capacity (or concurrency) there",
      "s.yaml:9:3: error[missing-key] actions.g: a throttle that ramps names both the rate it ends at and how long it takes (to: 1k rps, over: 2h)",
      "s.yaml:10:41: error[impossible-value] actions.h.over: 'over' goes only with do: throttle or scale, not with unshed",
    ]);
    expect(problems("actions:\n  f: { do: scale, target: api, at: 1h, factor: 0 }\n")).toEqual([
      "s.yaml:4:48: error[invalid-value] actions.f.factor: must be above 0",
    ]);
  });

  it("checks model actions alike", () => {
    expect(() =>
      modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a] } }
actions:
  grow: { do: scale, target: api, when: { at: 1h }, factor: 2 }
  lift: { do: unthrottle, target: api, when: { at: 1h }, fraction: 10% }
`),
    ).toThrow(
      /declares neither capacity nor concurrency[\s\S]*'fraction' goes only with do: shed-load, not with unthrottle/,
    );
  });

  it("reads a condition, and names what it refers to that the model lacks", () => {
    const r = parseScenario(
      "s.yaml",
      `name: x
duration: 1d
actions:
  purge: { do: purge-queue, target: customer-events, at: 1h, if: { queue: customer-events, ageAbove: 30m } }
`,
      MODEL,
    );
    expect(r.ok && r.scenario.actions[0]?.condition).toEqual({
      queue: "customer-events",
      ageAbove: 1800,
    });
    expect(
      problems(`actions:
  a: { do: restart, target: api, at: 1h, if: { component: apu, is: down } }
  b: { do: restart, target: api, at: 1h, if: { queue: customer-event, backlogAbove: 10k } }
  c: { do: restart, target: api, at: 1h, if: { alarm: api-eror, is: alarm } }
`),
    ).toEqual([
      "s.yaml:4:59: error[unknown-reference] actions.a.if.component: unknown component 'apu' — did you mean 'api'?",
      "s.yaml:5:55: error[unknown-reference] actions.b.if.queue: unknown queue 'customer-event' — did you mean 'customer-events'?",
      "s.yaml:6:55: error[unknown-reference] actions.c.if.alarm: unknown alarm 'api-eror' — did you mean 'api-errors'?",
    ]);
    expect(
      problems(
        `actions:\n  a: { do: restart, target: api, at: 1h, if: { component: api, is: sideways } }\n`,
      ),
    ).toHaveLength(1);
  });

  it("take a time trigger spelled either way, in models and scenarios alike", () => {
    const r = parseScenario(
      "s.yaml",
      "name: x\nduration: 1d\nactions:\n  a: { do: unthrottle, target: api, when: { at: 2h } }\n",
      MODEL,
    );
    expect(r.ok && r.scenario.actions[0]?.trigger).toEqual({ on: "time", at: 7200 });
    expect(problems("actions:\n  a: { do: unthrottle, target: api, when: { at: 2d } }\n")).toEqual([
      "s.yaml:4:49: error[impossible-value] actions.a.when.at: this action never runs: the scenario ends at 1d",
    ]);
    const m = modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a] } }
actions:
  lift: { do: unthrottle, target: api, at: 2h }
`);
    expect(m.actions[0]?.trigger).toEqual({ on: "time", at: 7200 });
    expect(() =>
      modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a] } }
actions:
  lift: { do: unthrottle, target: api, at: 2h, when: { alarm: x } }
`),
    ).toThrow(/an action has one trigger/);
  });
});
