import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { modelJsonSchema } from "./schema.js";

const committed = JSON.parse(
  readFileSync(new URL("../../schema/faultline-model.schema.json", import.meta.url), "utf8"),
);

describe("the editor schema", () => {
  it("is the one generated from the validator's schema (run `npm run schema` after changing it)", () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(modelJsonSchema())));
  });

  // Formats are not used by the schema, so format validation is left off.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(committed);

  it.each(["aws-us-east-1", "multi-region-active-active", "startup-stack"])(
    "accepts examples/%s.yaml",
    (name) => {
      const data = parse(
        readFileSync(new URL(`../../examples/${name}.yaml`, import.meta.url), "utf8"),
      );
      expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it("rejects what the validator rejects: unknown keys, units without a unit", () => {
    expect(validate({ name: "x", components: { a: { kind: "api", placment: "global" } } })).toBe(
      false,
    );
    expect(
      validate({
        name: "x",
        components: { a: { kind: "api", placement: "global", latency: "5" } },
      }),
    ).toBe(false);
    expect(
      validate({
        name: "x",
        components: { a: { kind: "api", placement: "global", latency: "5ms" } },
      }),
    ).toBe(true);
  });
});
