import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenario/load.js";
import { simulate } from "./engine.js";
import { modelOf } from "./fixtures.js";

// The database fails for an hour: the API that needs it is touched, the batch job is not.
const MODEL = `components:
  db: { kind: database, placement: global, recovery: { restart: 10m } }
  api: { kind: api, placement: global, capacity: 100 rps, needs: [db] }
  batch: { kind: worker, placement: global, capacity: 50 rps }
workloads:
  users: { entry: api, rate: 50 rps }
assumptions:
  components/db/recovery/restart: { source: calibrated, to: "back at 1:10" }
  components/api/capacity: { source: guess }
  components/batch/capacity: { source: guess }
  workloads/users/rate: { source: public, fact: "50 requests a second" }
`;
const SCENARIO = `name: s
duration: 2h
faults:
  db-down: { kind: down, target: db, until: 1h }
assumptions:
  faults/db-down/until: { source: guess }
`;

describe("the numbers a run rests on", () => {
  it("lists every calibrated number, the guesses of the parts it touched, and counts the rest", () => {
    const model = modelOf(MODEL);
    const s = parseScenario("s.yaml", SCENARIO, model);
    if (!s.ok) throw new Error(s.diagnostics[0]?.message);
    const journal = simulate(model, s.scenario);
    expect(journal.numbers).toEqual({
      calibrated: [
        { key: "components/db/recovery/restart", file: "model.yaml", to: "back at 1:10" },
      ],
      guessed: [
        { key: "components/api/capacity", file: "model.yaml" },
        { key: "faults/db-down/until", file: "s.yaml" },
      ],
      otherGuesses: 1,
      public: 1,
    });
  });

  it("is absent when neither file marks a number", () => {
    const model = modelOf(MODEL.slice(0, MODEL.indexOf("assumptions:")));
    const s = parseScenario("s.yaml", SCENARIO.slice(0, SCENARIO.indexOf("assumptions:")), model);
    if (!s.ok) throw new Error(s.diagnostics[0]?.message);
    expect(simulate(model, s.scenario).numbers).toBeUndefined();
  });
});
