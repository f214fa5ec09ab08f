import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ParseResult, parseModel } from "../model/load.js";
import type { Model } from "../model/types.js";
import { generateModel, SYNTHETIC_FILE } from "./generate.js";
import { modelToYaml } from "./to-yaml.js";

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples");

/**
 * The model without locations and file names, which a round trip cannot keep, nor assumptions,
 * whose paths point into the file as it was written.
 */
function strip(model: Model): unknown {
  const { files: _files, assumptions: _assumptions, ...rest } = model;
  return JSON.parse(JSON.stringify(rest, (key, value) => (key === "loc" ? undefined : value)));
}

function parseText(text: string): ParseResult {
  return parseModel(SYNTHETIC_FILE, (path) => (path === SYNTHETIC_FILE ? text : undefined));
}

function parsed(result: ParseResult): Model {
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    throw new Error(
      `model does not validate: ${errors.map((d) => `${d.line}: ${d.message}`).join("; ")}`,
    );
  }
  return result.model;
}

function roundTrip(model: Model): ParseResult {
  return parseText(modelToYaml(model));
}

describe("generateModel", () => {
  it("gives a deep-equal model for the same seed, and another one for another seed", () => {
    const a = generateModel({ components: 400, dependencies: 2000, seed: 42 });
    const b = generateModel({ components: 400, dependencies: 2000, seed: 42 });
    const c = generateModel({ components: 400, dependencies: 2000, seed: 43 });
    expect(b).toEqual(a);
    expect(strip(c)).not.toEqual(strip(a));
  });

  it("has exactly the requested counts, without duplicate or self dependencies", () => {
    for (const [components, dependencies, workloads] of [
      [300, 1500, 20],
      [1000, 5000, 7],
      [50, 400, 3],
      [12, 100, 2],
      [3, 6, 1],
      [1, 0, 0],
    ] as const) {
      const model = generateModel({ components, dependencies, workloads, seed: 5 });
      expect(model.components).toHaveLength(components);
      expect(model.dependencies).toHaveLength(dependencies);
      expect(model.workloads).toHaveLength(workloads);
      const pairs = new Set(model.dependencies.map((d) => `${d.from} ${d.to}`));
      expect(pairs.size).toBe(dependencies);
      expect(model.dependencies.every((d) => d.from !== d.to)).toBe(true);
    }
  });

  it("fills a dense request up to every possible pair", () => {
    const model = generateModel({ components: 30, dependencies: 30 * 29, seed: 3 });
    expect(new Set(model.dependencies.map((d) => `${d.from} ${d.to}`)).size).toBe(30 * 29);
    expect(roundTrip(model).ok).toBe(true);
  });

  it("rejects impossible requests", () => {
    expect(() => generateModel({ components: 0, dependencies: 0 })).toThrow(RangeError);
    expect(() => generateModel({ components: 3, dependencies: 7 })).toThrow(RangeError);
    expect(() => generateModel({ components: 10, dependencies: 1.5 })).toThrow(RangeError);
    expect(() => generateModel({ components: 10, dependencies: 5, regions: 0 })).toThrow(
      RangeError,
    );
  });

  it("has the realistic shape it promises", () => {
    const model = generateModel({ components: 3000, dependencies: 15000, seed: 9 });
    const share = (n: number, of: number) => n / of;
    const hard = model.dependencies.filter((d) => d.kind === "hard");
    expect(share(model.dependencies.length - hard.length, model.dependencies.length)).toBeCloseTo(
      0.2,
      1,
    );
    expect(share(hard.filter((d) => d.via !== undefined).length, hard.length)).toBeGreaterThan(
      0.05,
    );
    expect(share(hard.filter((d) => d.auth !== undefined).length, hard.length)).toBeGreaterThan(
      0.05,
    );
    expect(hard.some((d) => d.fallback !== undefined)).toBe(true);
    const scoped = model.components.filter(
      (c) => c.placement.scope === "region" || c.placement.scope === "global",
    );
    expect(share(scoped.length, model.components.length)).toBeGreaterThan(0.01);
    expect(share(scoped.length, model.components.length)).toBeLessThan(0.06);
    for (const kind of [
      "identity",
      "token-service",
      "dns",
      "service-discovery",
      "lease-manager",
      "monitoring",
    ]) {
      expect(model.components.some((c) => c.kind === kind)).toBe(true);
    }
    expect(model.components.some((c) => c.redundancy.mode === "quorum")).toBe(true);
    expect(model.components.some((c) => c.placement.scope === "regions")).toBe(true);
    expect(model.domains.filter((d) => d.kind === "region")).toHaveLength(2);
    expect(model.domains.filter((d) => d.kind === "zone")).toHaveLength(6);
    expect(model.records.length).toBeGreaterThan(0);
    expect(model.queues.length).toBeGreaterThan(0);
    expect(model.alarms.length).toBeGreaterThan(0);
    expect(model.workloads.every((w) => w.slo !== undefined)).toBe(true);
    expect(model.components.filter((c) => c.loc.file === SYNTHETIC_FILE)).toHaveLength(3000);
  });

  it("is valid by every rule of the loader, without warnings", () => {
    for (const seed of [1, 2, 3]) {
      const result = roundTrip(
        generateModel({ components: 500, dependencies: 3000, seed, regions: 3 }),
      );
      expect(result.diagnostics).toEqual([]);
      expect(result.ok).toBe(true);
    }
  });
});

describe("modelToYaml", () => {
  it("round-trips a generated model through parseModel", () => {
    const model = generateModel({ components: 300, dependencies: 1500, seed: 11 });
    expect(strip(parsed(roundTrip(model)))).toEqual(strip(model));
  });

  it("writes units as people write them", () => {
    const text = modelToYaml(generateModel({ components: 300, dependencies: 1500, seed: 11 }));
    expect(text).toMatch(/timeout: \d+(\.\d+)?(ms|s)\n/);
    expect(text).toMatch(/capacity: \d+ rps\n/);
    expect(text).toMatch(/slo: 99\.9\d*%\n/);
    expect(text).not.toMatch(/[&*]a\d+/);
  });

  it("round-trips every option an action takes, users who come back and a warm-up", () => {
    const original = parsed(
      parseText(`name: acts
domains:
  r1: { kind: region }
components:
  mon: { kind: monitoring, placement: { region: r1 }, observes: [api] }
  api:
    kind: api
    placement: { region: r1 }
    capacity: 1k rps
    recovery: { restart: 2m, warmup: { over: 10m, capacity: 40%, calls: 2.5 } }
  lm:
    kind: lease-manager
    placement: { region: r1 }
    leases: { duration: 30m, renewEvery: 5m, count: 10k, establishRate: 50 rps }
queues:
  jobs: { consumers: { api: { rate: 10 rps } } }
workloads:
  users: { entry: api, rate: 100 rps, returnRate: 35%, returnAfter: 90s }
alarms:
  api-errors: { monitor: mon, target: api, signal: error-rate, threshold: 5%, period: 1m, evaluationPeriods: 3 }
actions:
  ramp: { do: throttle, target: api, when: { at: 1h }, rate: 100 rps, to: 800 rps, over: 2h }
  admit: { do: throttle, target: lm, when: { alarm: api-errors }, after: 5m, maxWait: 2m30s }
  grow: { do: scale, target: api, when: { at: 2h }, capacity: 3k rps, over: 20m, if: { component: api, is: degraded } }
  double: { do: scale, target: api, when: { at: 3h }, factor: 2, if: { queue: jobs, ageAbove: 10m } }
  shed: { do: shed-load, target: api, when: { at: 4h }, fraction: 25%, if: { queue: jobs, backlogAbove: 10k } }
  calm: { do: unthrottle, target: api, when: { at: 5h }, if: { alarm: api-errors, is: ok } }
`),
    );
    expect(original.actions).toHaveLength(6);
    expect(original.workloads[0]).toMatchObject({ returnRate: 0.35, returnAfter: 90 });
    expect(original.components.find((c) => c.id === "api")?.recovery.warmup).toEqual({
      over: 600,
      capacity: 0.4,
      calls: 2.5,
    });
    expect(strip(parsed(roundTrip(original)))).toEqual(strip(original));
  });

  for (const file of [
    "aws-us-east-1.yaml",
    "multi-region-active-active.yaml",
    "startup-stack.yaml",
  ]) {
    it(`round-trips examples/${file}`, () => {
      const original = parsed(
        parseModel(file, (path) => {
          try {
            return readFileSync(join(EXAMPLES, path), "utf8");
          } catch {
            return undefined;
          }
        }),
      );
      expect(strip(parsed(roundTrip(original)))).toEqual(strip(original));
    });
  }
});
