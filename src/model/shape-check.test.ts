import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { scenarioFileSchema } from "../scenario/schema.js";
import { generateModel } from "../synthetic/generate.js";
import { modelToYaml } from "../synthetic/to-yaml.js";
import { modelFileSchema } from "./schema.js";
import { id, idMap } from "./schema-values.js";
import { INVALID, quickParse, quickParseInPlace } from "./shape-check.js";

const MODEL = parse(modelToYaml(generateModel({ components: 40, dependencies: 120, seed: 3 })));

/** Every path to a value in `data`. */
function paths(data: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(data)) {
    for (const [i, v] of data.entries()) out.push(...paths(v, [...prefix, i]));
  } else if (data !== null && typeof data === "object") {
    for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

const PATHS = paths(MODEL).slice(1);

const REPLACEMENTS: unknown[] = [
  "5m",
  "30 minutes",
  "200 rps",
  "99.9%",
  "150%",
  "api",
  "global",
  "",
  "-1s",
  0,
  -1,
  2.5,
  Number.POSITIVE_INFINITY,
  null,
  true,
  [],
  ["a"],
  {},
  { quorum: 2 },
  { zones: ["x"] },
  { attempts: 3 },
  { to: "x" },
  { alarm: "a" },
  { at: "1h" },
  "has space",
  "ok.id:v1/x@y",
  { "-bad-key": {} },
];

/** A copy of `data` with the value at `path` replaced, deleted or given an extra key. */
function mutate(data: unknown, path: (string | number)[], how: number, replacement: unknown) {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (how === 0) parent[last] = replacement;
  else if (how === 1 && !Array.isArray(parent)) delete parent[last];
  else if (
    parent[last] !== null &&
    typeof parent[last] === "object" &&
    !Array.isArray(parent[last])
  )
    (parent[last] as Record<string, unknown>).extra = replacement;
  else parent[last] = replacement;
  return copy;
}

describe("the quick shape check", () => {
  it("accepts a valid model with zod's output", () => {
    const zod = modelFileSchema.safeParse(MODEL);
    expect(zod.success).toBe(true);
    expect(quickParse(modelFileSchema, MODEL)).toEqual(zod.data);
  });

  it("leaves a format with a pattern to zod: the format is a check of its own", () => {
    const email = z.email().regex(/^a/);
    expect(quickParse(email, "abc")).toBe(INVALID);
    expect(quickParse(email, "a@example.com")).toBe("a@example.com");
  });

  it("checks ids by their pattern alone, as zod does, as values and as keys", () => {
    const samples = ["api-1", "a.b:c/d@e_f", "9x", "-x", "", "a b", "é", "x\n", "x-", 7, null];
    for (const v of samples) {
      const zod = id.safeParse(v);
      expect(quickParse(id, v), String(v)).toEqual(zod.success ? zod.data : INVALID);
      const map = idMap(z.number());
      const keyed = typeof v === "string" ? { [v]: 1 } : {};
      const zodMap = map.safeParse(keyed);
      expect(quickParse(map, keyed)).toEqual(zodMap.success ? zodMap.data : INVALID);
    }
  });

  it("agrees with zod on mutated models: the same output, or both refuse", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PATHS),
        fc.nat({ max: 2 }),
        fc.constantFrom(...REPLACEMENTS),
        (path, how, replacement) => {
          const data = mutate(MODEL, path, how, replacement);
          const zod = modelFileSchema.safeParse(data);
          const quick = quickParse(modelFileSchema, data);
          if (zod.success) expect(quick).toEqual(zod.data);
          else expect(quick).toBe(INVALID);
        },
      ),
      { numRuns: 500, seed: 12 },
    );
  });

  it("in place, agrees with zod on mutated models, and leaves the collections where they were", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PATHS),
        fc.nat({ max: 2 }),
        fc.constantFrom(...REPLACEMENTS),
        (path, how, replacement) => {
          const data = mutate(MODEL, path, how, replacement);
          const zod = modelFileSchema.safeParse(data);
          const components = (data as { components?: unknown }).components;
          const quick = quickParseInPlace(modelFileSchema, data);
          if (!zod.success) expect(quick).toBe(INVALID);
          else {
            expect(quick).toEqual(zod.data);
            expect(quick).toBe(data);
            expect((quick as { components?: unknown }).components).toBe(components);
          }
        },
      ),
      { numRuns: 500, seed: 12 },
    );
  });

  it("agrees with zod on an imported model and its overlay: sources, implicit edges, refinements", () => {
    for (const file of ["imported.yaml", "model.yaml"]) {
      const data = parse(readFileSync(`examples/imported/${file}`, "utf8"));
      const zod = modelFileSchema.safeParse(data);
      expect(zod.success).toBe(true);
      expect(quickParse(modelFileSchema, data)).toEqual(zod.data);
      // Each path replaced once, by one of a few values in turn.
      const replacements = [{}, "x", 0, null];
      for (const [i, path] of paths(data).slice(1).entries()) {
        const mutated = mutate(data, path, 0, replacements[i % replacements.length]);
        const z = modelFileSchema.safeParse(mutated);
        const quick = quickParse(modelFileSchema, mutated);
        if (z.success) expect(quick).toEqual(z.data);
        else expect(quick).toBe(INVALID);
      }
    }
  });

  it("agrees with zod on scenarios, whose faults are a discriminated union", () => {
    const scenario = {
      name: "s",
      duration: "2h",
      faults: {
        a: { kind: "down", target: "x", at: "5m", until: { action: "fix" } },
        b: { kind: "bad-change", target: "y", rollout: { waves: ["10%", "100%"], bake: "5m" } },
      },
      actions: { fix: { do: "restart", target: "x", at: "1h" } },
      expect: [{ availability: { workload: "w", atLeast: "99%" } }],
    };
    const zod = scenarioFileSchema.safeParse(scenario);
    expect(zod.success).toBe(true);
    expect(quickParse(scenarioFileSchema, scenario)).toEqual(zod.data);
    const wrong = structuredClone(scenario) as { faults: { a: { kind: string } } };
    wrong.faults.a.kind = "dwon";
    expect(quickParse(scenarioFileSchema, wrong)).toBe(INVALID);
  });
});
