import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Data, scalar, writeYaml } from "./yaml-writer.js";

const key = fc.string({ minLength: 1, maxLength: 12 });
const leaf = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    "250ms",
    "1h30m",
    "99.9%",
    "1e5",
    "true",
    "no",
    "~",
    "a: b",
    "#x",
    "- y",
    "0x1F",
    "1.0",
    "aws.iam@eu-west-1",
  ),
  fc.integer(),
  fc.boolean(),
);
const data: fc.Arbitrary<Data> = fc.letrec<{ value: Data }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("writeYaml", () => {
  it("writes what YAML reads back as the same data, for any data", () => {
    fc.assert(
      fc.property(fc.dictionary(key, data, { maxKeys: 5 }), fc.boolean(), (d, flowSource) => {
        const text = writeYaml(d, ["a header"], new Set(flowSource ? ["source"] : []));
        expect(parse(text) ?? {}).toEqual(JSON.parse(JSON.stringify(d)));
      }),
      { numRuns: 500, seed: 6 },
    );
  });

  it("writes structure in blocks and short mappings in flow style", () => {
    const text = writeYaml(
      {
        components: {
          api: {
            kind: "api",
            placement: { zones: ["a", "b"], region: "r" },
            needs: { db: { timeout: "2s", source: { file: "x.json", line: 3 } } },
          },
        },
      },
      ["generated"],
      new Set(["source"]),
    );
    expect(text).toBe(`# generated
components:
  api:
    kind: api
    placement: { zones: [a, b], region: r }
    needs:
      db:
        timeout: 2s
        source: { file: x.json, line: 3 }
`);
  });
});

describe("scalar", () => {
  it.each([
    ["eu-west-1a", "eu-west-1a"],
    ["250ms", "250ms"],
    ["99.9%", "99.9%"],
    ["1e5", '"1e5"'],
    ["10", '"10"'],
    ["true", '"true"'],
    ["Route 53", '"Route 53"'],
    ["a: b", '"a: b"'],
  ])("%s is written %s", (value, text) => expect(scalar(value)).toBe(text));
});
