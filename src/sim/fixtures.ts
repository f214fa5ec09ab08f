/**
 * @module sim/fixtures
 * Test helpers: a small model from inline YAML (with a name and the test domains prepended)
 * and a scenario written as data, so the engine's tests do not depend on the scenario file
 * format. Random models are in `sim/model-fixtures`; random scenarios, a recorded outage's and
 * a scenario written back as a file, in `sim/scenario-fixtures`.
 */
import { DOMAINS, modelOf as parsedModel } from "../../test/helpers/memory.js";
import type { Location, Model } from "../model/types.js";
import type {
  Expectation,
  Fault,
  ModelChange,
  Scenario,
  ScenarioAction,
} from "../scenario/types.js";

export const LOC: Location = { file: "scenario.yaml", line: 1, column: 1 };

/** A model from the body of a YAML file: `name` and the test domains are added. */
export function modelOf(body: string): Model {
  return parsedModel(`name: test\n${DOMAINS}\n${body}`);
}

type Distribute<T, Drop extends PropertyKey> = T extends unknown ? Omit<T, Drop> : never;
type FaultInput = Distribute<Fault, "loc" | "end" | "at"> & { at?: number; end?: Fault["end"] };
type ActionInput = Omit<ScenarioAction, "loc" | "delay"> & { delay?: number };
type ExpectationInput = Distribute<Expectation, "loc">;

export function scenarioOf(input: {
  duration: number;
  faults?: readonly FaultInput[];
  actions?: readonly ActionInput[];
  expect?: readonly ExpectationInput[];
  disabledModelActions?: readonly string[];
  changes?: readonly Omit<ModelChange, "loc">[];
}): Scenario {
  return {
    name: "test",
    file: "scenario.yaml",
    duration: input.duration,
    faults: (input.faults ?? []).map(
      (f) => ({ at: 0, end: { never: true }, ...f, loc: LOC }) as Fault,
    ),
    actions: (input.actions ?? []).map((a) => ({ delay: 0, ...a, loc: LOC })),
    disabledModelActions: input.disabledModelActions ?? [],
    changes: (input.changes ?? []).map((c) => ({ ...c, loc: LOC })),
    expectations: (input.expect ?? []).map((x) => ({ ...x, loc: LOC }) as Expectation),
    facts: [],
    timeline: [],
    loc: LOC,
  };
}
