import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FULL_SCENARIO } from "./fixtures.js";
import { scenarioJsonSchema } from "./schema.js";

const committed = JSON.parse(
  readFileSync(new URL("../../schema/faultline-scenario.schema.json", import.meta.url), "utf8"),
);

describe("the scenario editor schema", () => {
  it("is the one generated from the validator's schema (run `npm run schema` after changing it)", () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });

  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(committed);

  it("accepts a scenario using every key", () => {
    expect(validate(parse(FULL_SCENARIO)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("rejects what the validator rejects: unknown keys and kinds, bare numbers, two kinds in one entry", () => {
    const base = { name: "x", duration: "1d" };
    expect(validate({ ...base, duraton: "1d" })).toBe(false);
    expect(validate({ name: "x", duration: "60" })).toBe(false);
    expect(validate({ ...base, faults: { a: { kind: "dwon", target: "api" } } })).toBe(false);
    expect(
      validate({ ...base, faults: { a: { kind: "down", target: "api", latency: "1s" } } }),
    ).toBe(false);
    expect(
      validate({ ...base, faults: { a: { kind: "down", target: "api", until: "soon" } } }),
    ).toBe(false);
    expect(
      validate({
        ...base,
        expect: [{ impacted: { component: "a" }, drainedBy: { queue: "q", by: "1h" } }],
      }),
    ).toBe(false);
    expect(validate({ ...base, startsAt: "yesterday" })).toBe(false);
    expect(
      validate({ ...base, faults: { a: { kind: "down", target: "api", until: "never" } } }),
    ).toBe(true);
  });
});
