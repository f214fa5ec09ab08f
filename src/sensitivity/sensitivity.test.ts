import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { modelOf } from "../../test/helpers/memory.js";
import { diskReader, parseModel, readModel } from "../model/load.js";
import type { Model } from "../model/types.js";
import { renderSensitivityJson } from "../reports/sensitivity-json.js";
import { loadScenario, parseScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { planSensitivity, type SensitivityOptions } from "./plan.js";
import { runAll } from "./pool.js";
import type { OutcomeResult } from "./report.js";
import type { RunInput } from "./run.js";
import { runSensitivity } from "./sensitivity.js";

const MODEL = "examples/queue-drain.yaml";
const SCENARIO = "examples/scenarios/queue-drain.yaml";

function example(): { model: Model; scenario: Scenario } {
  const r = readModel(MODEL);
  if (!r.ok) throw new Error(r.diagnostics[0]?.message);
  return { model: r.model, scenario: loadScenario(SCENARIO, r.model) };
}

async function analyse(options: SensitivityOptions = {}, jobs = 1) {
  const { model, scenario } = example();
  return runSensitivity(planSensitivity(model, scenario, diskReader(), options), { jobs });
}

const outcome = (outcomes: readonly OutcomeResult[], id: string) => {
  const o = outcomes.find((x) => x.id === id);
  if (o === undefined) throw new Error(`no outcome ${id}`);
  return o;
};

describe("a queue whose drain time is worked out by hand", () => {
  // 100 rps published for 1 h while the worker is down: 360k messages. Nothing arrives once the
  // API goes down at 1 h, so the worker drains them in 360k / its rate: 30 min at 200 rps.
  it("drains in twice the time at half the rate, and in two thirds at 1.5 times", async () => {
    const report = await analyse();
    const drained = outcome(report.outcomes, "drained:jobs");
    expect(drained.baseline).toBeCloseTo(3600 + 360_000 / 200, 1);
    const [swing] = drained.swings;
    expect(swing?.parameter).toBe(1);
    const drainTime = (r: unknown) => (r as number) - 3600;
    expect(drainTime(swing?.low) / drainTime(drained.baseline)).toBeCloseTo(2, 4);
    expect(drainTime(swing?.high) / drainTime(drained.baseline)).toBeCloseTo(2 / 3, 4);
    expect(swing).toMatchObject({ qualitative: false });
    expect(swing?.swing).toBeCloseTo(3600 - 1200, 1);
    // The only number that moves anything is the worker's rate.
    expect(report.outcomes.map((o) => o.id)).toEqual(["drained:jobs"]);
  });

  it("breaks the expectation of a drain by 1h45m at half the rate only", async () => {
    const report = await analyse();
    const [drainedBy, lost] = report.expectations;
    expect(drainedBy).toMatchObject({
      kind: "drained-by",
      subject: "jobs",
      unit: "time",
      baseline: { ok: true, actual: "drained at 01:30:00", measured: 5400 },
      variations: [
        { parameter: 1, side: "low", ok: false, actual: "drained at 02:00:00", measured: 7200 },
        { parameter: 1, side: "high", ok: true, actual: "drained at 01:20:00", measured: 4800 },
      ],
    });
    expect(lost?.variations).toEqual([]);
  });

  it("writes each number in its own unit, rounding and clamping where the schema says", async () => {
    const report = await analyse();
    expect(
      report.parameters.map((p) => [p.key, p.baseline.written, p.low.written, p.high.written]),
    ).toEqual([
      ["queues/jobs/consumers/worker", "200 rps", "100 rps", "300 rps"],
      ["queues/jobs/maxReceives", "3", "2", "5"],
      ["workloads/submit/slo", "99.9%", "49.95%", "100%"],
    ]);
    const [rate, receives, slo] = report.parameters;
    expect(rate?.low).toMatchObject({ result: "ran", form: "rate", value: 100, adjustments: [] });
    expect(receives?.low.adjustments).toEqual([{ kind: "rounded", exact: 1.5, to: 2 }]);
    expect(slo?.high).toMatchObject({
      result: "ran",
      value: 1,
      adjustments: [{ kind: "clamped", exact: 149.85000000000002, to: 100 }],
    });
    expect(report.unvaried).toEqual([{ source: "public", count: 2 }]);
    expect(report.runs).toBe(7);
  });

  it("varies public numbers too when asked, the scenario's included", async () => {
    const report = await analyse({ sources: ["guess", "calibrated", "public"] });
    expect(report.parameters.map((p) => [p.owner, p.key])).toEqual([
      ["model", "queues/jobs/consumers/worker"],
      ["model", "queues/jobs/maxReceives"],
      ["model", "workloads/submit/rate"],
      ["model", "workloads/submit/slo"],
      ["scenario", "faults/worker-down/until"],
    ]);
    // Half the arrivals over the hour: half the backlog, drained in 15 min.
    const drained = outcome(report.outcomes, "drained:jobs");
    expect(drained.swings.find((s) => s.parameter === 3)?.low).toBeCloseTo(3600 + 900, 1);
  });

  it("gives the same bytes with one job or two (worker threads)", async () => {
    const [one, two] = await Promise.all([analyse({}, 1), analyse({}, 2)]);
    const json = (r: typeof one) => renderSensitivityJson(r, { toolVersion: "test" });
    expect(json(two)).toBe(json(one));
  });
});

describe("a varied number that makes the model invalid", () => {
  const TEXT = `name: tokens
components:
  idp:
    kind: identity
    placement: global
    tokens: { ttl: 15m, refreshBefore: 10m }
  api:
    kind: api
    placement: global
    needs:
      db: { auth: idp }
  db: { kind: database, placement: global }
workloads:
  w: { entry: api, rate: 10 rps }
assumptions:
  components/idp/tokens/refreshBefore: { source: guess }
`;
  const SCENARIO_TEXT =
    "name: s\nduration: 2h\nfaults:\n  idp-down: { kind: down, target: idp, at: 10m }\n";

  it("is reported with the loader's error, and the other side still runs", async () => {
    const model = modelOf(TEXT);
    const s = parseScenario("s.yaml", SCENARIO_TEXT, model);
    if (!s.ok) throw new Error(s.diagnostics[0]?.message);
    const files: Record<string, string> = { "model.yaml": TEXT, "s.yaml": SCENARIO_TEXT };
    const plan = planSensitivity(model, s.scenario, (path) => files[path]);
    const report = await runSensitivity(plan);
    const [p] = report.parameters;
    expect(p?.low).toMatchObject({ result: "ran", written: "5m", value: 300 });
    expect(p?.high).toMatchObject({
      result: "invalid",
      written: "15m",
      diagnostics: [
        expect.objectContaining({
          code: "impossible-value",
          file: "model.yaml",
          line: 6,
          message: expect.stringContaining("refreshBefore"),
        }),
      ],
    });
    // Tokens refreshed 5 min before expiry last 10 min into the outage instead of 5: later impact.
    const impact = outcome(report.outcomes, "impact:api");
    expect(impact.swings[0]).toMatchObject({ parameter: 1 });
    expect(impact.swings[0]).not.toHaveProperty("high");
  });
});

describe("the plan", () => {
  it("refuses a spread outside (0, 1)", () => {
    const { model, scenario } = example();
    expect(() => planSensitivity(model, scenario, diskReader(), { spread: 1 })).toThrow(RangeError);
  });

  it("writes a varied file that differs from the original only in the number", () => {
    const { model, scenario } = example();
    const plan = planSensitivity(model, scenario, diskReader());
    const original = readFileSync(MODEL, "utf8");
    const change = plan.runs[1];
    expect(change?.file).toBe(MODEL);
    expect(change?.text).toBe(original.replace("worker: 200 rps", "worker: 100 rps"));
    expect(plan.runs[0]).toBeNull();
  });
});

describe("a calibrated pattern", () => {
  // Two callers retry an identity service with the same fitted count: one number written twice.
  const TEXT = `name: linked
components:
  idp: { kind: identity, placement: global }
  web: { kind: api, placement: global, needs: { idp: { retry: { attempts: 4 } } } }
  app: { kind: api, placement: global, needs: { idp: { retry: { attempts: 4 } } } }
  other: { kind: api, placement: global, capacity: 100 rps, needs: [idp] }
workloads:
  w: { entry: web, rate: 10 rps }
assumptions:
  components/*/needs/idp/retry/attempts: { source: calibrated, to: "the retry storm's size" }
  components/*/capacity: { source: guess }
`;
  const SCENARIO_TEXT = "name: s\nduration: 1h\nfaults:\n  down: { kind: down, target: idp }\n";

  it("is one parameter whose numbers are varied together; a guessed pattern stays one per number", () => {
    const model = modelOf(TEXT);
    const s = parseScenario("s.yaml", SCENARIO_TEXT, model);
    if (!s.ok) throw new Error(s.diagnostics[0]?.message);
    const files: Record<string, string> = { "model.yaml": TEXT, "s.yaml": SCENARIO_TEXT };
    const plan = planSensitivity(model, s.scenario, (path) => files[path]);
    expect(plan.parameters.map((p) => [p.key, p.places])).toEqual([
      ["components/*/needs/idp/retry/attempts", 2],
      ["components/other/capacity", undefined],
    ]);
    // × 0.5 rounds 4 attempts to 2, × 1.5 to 6: both callers' counts change in the same run.
    expect(plan.runs[1]?.text).toBe(TEXT.replaceAll("attempts: 4", "attempts: 2"));
    expect(plan.runs[2]?.text).toBe(TEXT.replaceAll("attempts: 4", "attempts: 6"));
  });
});

describe("a number in an included file", () => {
  it("is varied in that file, the root left as it is", async () => {
    const files: Record<string, string> = {
      "root.yaml":
        "name: split\ninclude: [queues.yaml]\ncomponents:\n  api: { kind: api, placement: global, publishes: [jobs] }\n  worker: { kind: worker, placement: global, recovery: { restart: 0s } }\nworkloads:\n  w: { entry: api, rate: 100 rps }\n",
      "queues.yaml":
        "queues:\n  jobs: { consumers: { worker: 200 rps } }\nassumptions:\n  queues/jobs/consumers/worker: { source: guess }\n",
      "s.yaml":
        "name: s\nduration: 3h\nfaults:\n  w: { kind: down, target: worker, until: 1h }\n  a: { kind: down, target: api, at: 1h }\n",
    };
    const read = (path: string) => files[path];
    const r = parseModel("root.yaml", read);
    if (!r.ok) throw new Error(r.diagnostics[0]?.message);
    const s = parseScenario("s.yaml", files["s.yaml"] as string, r.model);
    if (!s.ok) throw new Error(s.diagnostics[0]?.message);
    const plan = planSensitivity(r.model, s.scenario, read);
    expect(plan.runs.slice(1).map((c) => c?.file)).toEqual(["queues.yaml", "queues.yaml"]);
    const report = await runSensitivity(plan);
    expect(report.parameters[0]).toMatchObject({ file: "queues.yaml", owner: "model" });
    expect(outcome(report.outcomes, "drained:jobs").swings[0]).toMatchObject({ low: 7200 });
  });
});

describe("the pool", () => {
  it("fails the run of a worker that dies, with the reason, and makes the others", async () => {
    // Files that are not there: performRun throws in the worker, outside any run's own checks.
    const broken = {
      modelPath: "m.yaml",
      scenarioPath: "s.yaml",
      texts: null,
    } as unknown as RunInput;
    const results = await runAll(broken, [null, null, null], { jobs: 2 });
    expect(results).toHaveLength(3);
    for (const r of results)
      expect(r).toEqual({
        status: "failed",
        message: expect.stringMatching(/^the run's worker stopped: /),
      });
  });
});
