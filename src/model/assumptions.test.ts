import { describe, expect, it } from "vitest";
import { modelOf, parseTexts } from "../../test/helpers/memory.js";
import { parseScenario } from "../scenario/load.js";
import { formatAssumptionPath, parseAssumptionPath } from "./assumptions.js";
import { formatDiagnostic } from "./diagnostics.js";

const MODEL = `name: shop
components:
  api:
    kind: api
    placement: global
    capacity: 200 rps
    needs:
      db: { timeout: 2s, retry: { attempts: 3 } }
  db:
    kind: database
    placement: global
  dns:
    kind: dns
    placement: global
    records:
      db.shop.internal: { targets: [db], ttl: 60s }
workloads:
  w:
    entry: api
    rate: 100 rps
    slo: 99.9%
    profile: [{ at: 1h, rate: 150 rps }]
`;

const problems = (assumptions: string, files: Record<string, string> = {}) => {
  const r = parseTexts({ "m.yaml": `${MODEL}assumptions:\n${assumptions}`, ...files });
  expect(r.ok).toBe(false);
  return r.diagnostics.map(formatDiagnostic);
};

describe("assumptions in a model", () => {
  it("are read with their numbers in base units, by path, whatever the order written", () => {
    const model = modelOf(`${MODEL}assumptions:
  workloads/w/slo: { source: public, fact: "the contract" }
  components/api/capacity: { source: guess, note: "no load test yet" }
  components/dns/records/db.shop.internal/ttl: { source: calibrated, to: "failover seen at 70 s" }
  workloads/w/profile/0/at: { source: guess }
`);
    expect(model.assumptions).toEqual([
      {
        key: "components/api/capacity",
        path: ["components", "api", "capacity"],
        source: "guess",
        note: "no load test yet",
        value: 200,
        loc: expect.objectContaining({ file: "model.yaml", line: 25, column: 3 }),
      },
      {
        key: "components/dns/records/db.shop.internal/ttl",
        path: ["components", "dns", "records", "db.shop.internal", "ttl"],
        source: "calibrated",
        to: "failover seen at 70 s",
        value: 60,
        loc: expect.objectContaining({ line: 26 }),
      },
      expect.objectContaining({
        key: "workloads/w/profile/0/at",
        path: ["workloads", "w", "profile", 0, "at"],
        value: 3600,
      }),
      expect.objectContaining({
        key: "workloads/w/slo",
        source: "public",
        fact: "the contract",
        value: 0.999,
      }),
    ]);
  });

  it("leave the model as it was otherwise, and are absent when there are none", () => {
    const plain = modelOf(MODEL);
    const marked = modelOf(`${MODEL}assumptions:\n  components/api/capacity: { source: guess }\n`);
    expect(plain.assumptions).toBeUndefined();
    const { assumptions, ...rest } = marked;
    expect(assumptions).toHaveLength(1);
    expect(rest).toEqual(plain);
  });

  it("point at the key of a path that leads nowhere, with the nearest path to a number", () => {
    expect(problems("  components/apu/capacity: { source: guess }\n")).toEqual([
      "m.yaml:24:3: error[unknown-reference] assumptions.components/apu/capacity: 'components/apu/capacity' leads nowhere: 'components' has no 'apu' — did you mean 'components/api/capacity'?",
    ]);
    expect(problems("  workloads/w/profile/1/rate: { source: guess }\n")).toEqual([
      "m.yaml:24:3: error[unknown-reference] assumptions.workloads/w/profile/1/rate: 'workloads/w/profile/1/rate' leads nowhere: 'workloads/w/profile' has no '1' — did you mean 'workloads/w/profile/0/rate'?",
    ]);
    // Dots are part of keys: a dotted path is not one.
    expect(problems("  components.api.capacity: { source: guess }\n")).toEqual([
      "m.yaml:24:3: error[unknown-reference] assumptions.components.api.capacity: 'components.api.capacity' leads nowhere: the top of the file has no 'components.api.capacity' — did you mean 'components/api/capacity'?",
    ]);
  });

  it("refuse a path to something that is not a number, suggesting one", () => {
    expect(problems("  components/api/kind: { source: guess }\n")).toEqual([
      "m.yaml:24:3: error[invalid-value] assumptions.components/api/kind: 'components/api/kind' holds the text 'api', not a number or a quantity with a unit (such as 115 rps, 30m, 99.9% or 500k) — did you mean 'components/api/capacity'?",
    ]);
    expect(problems("  components/api/needs/db/retry: { source: guess }\n")).toEqual([
      "m.yaml:24:3: error[invalid-value] assumptions.components/api/needs/db/retry: 'components/api/needs/db/retry' holds a mapping, not a number or a quantity with a unit (such as 115 rps, 30m, 99.9% or 500k) — did you mean 'components/api/needs/db/retry/attempts'?",
    ]);
  });

  it("require what each source needs: fact for public, to for calibrated", () => {
    expect(
      problems(
        '  components/api/capacity: { source: calibrated }\n  workloads/w/rate: { source: public }\n  workloads/w/slo: { source: guess, to: "x" }\n  components/api/needs/db/timeout: { source: guessed }\n',
      ),
    ).toEqual([
      "m.yaml:24:28: error[missing-key] assumptions.components/api/capacity.to: 'to' is required (expected text)",
      "m.yaml:25:21: error[missing-key] assumptions.workloads/w/rate.fact: 'fact' is required (expected text)",
      "m.yaml:26:37: error[unknown-key] assumptions.workloads/w/slo.to: unknown key 'to' (expected one of: source, note)",
      "m.yaml:27:46: error[invalid-value] assumptions.components/api/needs/db/timeout.source: 'guessed' is not allowed here (expected one of: public, calibrated, guess) — did you mean 'guess'?",
    ]);
  });

  it("refer to their own file in a model of several", () => {
    const part = `components:\n  cache: { kind: cache, placement: global, capacity: 1k rps }\nassumptions:\n  components/cache/capacity: { source: guess }\n  components/api/capacity: { source: guess }\n`;
    const r = parseTexts({
      "m.yaml": `${MODEL}include: [part.yaml]\nassumptions:\n  components/api/capacity: { source: guess }\n`,
      "part.yaml": part,
    });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "part.yaml:5:3: error[unknown-reference] assumptions.components/api/capacity: 'components/api/capacity' leads nowhere: 'components' has no 'api' — did you mean 'components/cache/capacity'?",
    ]);
  });

  it("write a slash or a tilde inside a key as JSON Pointer does", () => {
    expect(parseAssumptionPath("domains/aws~1us-east-1/availability")).toEqual([
      "domains",
      "aws/us-east-1",
      "availability",
    ]);
    expect(formatAssumptionPath(["a~b", "c/d", 0])).toBe("a~0b/c~1d/0");
    expect(parseAssumptionPath("a~2b")).toEqual({
      problem: "a tilde in a path starts ~0 (a tilde) or ~1 (a slash), nothing else",
    });
    expect(problems("  /components/api/capacity: { source: guess }\n")).toEqual([
      "m.yaml:24:3: error[invalid-value] assumptions./components/api/capacity: '/components/api/capacity' is not a path: a path has no empty parts: no slash at its start or end, and none doubled (write a slash inside a key as ~1) — did you mean 'components/api/capacity'?",
    ]);
  });
});

describe("assumptions by pattern", () => {
  it("mark every number a path with * parts reaches, each by its own path", () => {
    const model = modelOf(`${MODEL}assumptions:
  components/*/needs/*/timeout: { source: guess }
  workloads/w/profile/*/rate: { source: guess, note: "the peak" }
`);
    expect((model.assumptions ?? []).map((a) => [a.key, a.value, a.pattern])).toEqual([
      ["components/api/needs/db/timeout", 2, "components/*/needs/*/timeout"],
      ["workloads/w/profile/0/rate", 150, "workloads/w/profile/*/rate"],
    ]);
    expect(model.assumptions?.[1]?.note).toBe("the peak");
  });

  it("let an entry naming a number win over a pattern, and the first pattern over a later one", () => {
    const model = modelOf(`${MODEL}assumptions:
  workloads/*/rate: { source: guess }
  workloads/w/rate: { source: public, fact: "measured last quarter" }
  workloads/w/*: { source: calibrated, to: "the launch day" }
`);
    expect((model.assumptions ?? []).map((a) => [a.key, a.source])).toEqual([
      ["workloads/w/rate", "public"],
      ["workloads/w/slo", "calibrated"],
    ]);
  });

  it("take the first of two patterns that reach the same number", () => {
    const model = modelOf(`${MODEL}assumptions:
  workloads/w/*: { source: calibrated, to: "the launch day" }
  workloads/*/rate: { source: guess }
`);
    expect((model.assumptions ?? []).map((a) => [a.key, a.source])).toEqual([
      ["workloads/w/rate", "calibrated"],
      ["workloads/w/slo", "calibrated"],
    ]);
  });

  it("refuse a pattern that reaches no number, at its key", () => {
    expect(problems("  components/*/latency: { source: guess }\n")).toEqual([
      expect.stringMatching(
        /^m\.yaml:24:3: error\[unknown-reference\] assumptions\.components\/\*\/latency: 'components\/\*\/latency' matches no number in this file/,
      ),
    ]);
  });
});

describe("assumptions in a scenario", () => {
  const model = modelOf(MODEL);
  const scenario = (assumptions: string) =>
    parseScenario(
      "s.yaml",
      `name: s\nduration: 2h\nfaults:\n  slow: { kind: latency, target: db, latency: 800ms, at: 10m }\nassumptions:\n${assumptions}`,
      model,
    );

  it("point into the scenario file", () => {
    const r = scenario(
      "  faults/slow/latency: { source: guess }\n  duration: { source: public, fact: x }\n",
    );
    expect(r.ok && r.scenario.assumptions).toEqual([
      expect.objectContaining({ key: "duration", value: 7200 }),
      expect.objectContaining({
        key: "faults/slow/latency",
        path: ["faults", "slow", "latency"],
        value: 0.8,
      }),
    ]);
  });

  it("are checked like a model's", () => {
    const r = scenario(
      "  faults/slow/latncy: { source: guess }\n  faults/slow/kind: { source: guess }\n",
    );
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "s.yaml:6:3: error[unknown-reference] assumptions.faults/slow/latncy: 'faults/slow/latncy' leads nowhere: 'faults/slow' has no 'latncy' — did you mean 'faults/slow/latency'?",
      "s.yaml:7:3: error[invalid-value] assumptions.faults/slow/kind: 'faults/slow/kind' holds the text 'latency', not a number or a quantity with a unit (such as 115 rps, 30m, 99.9% or 500k) — did you mean 'faults/slow/at'?",
    ]);
  });
});
