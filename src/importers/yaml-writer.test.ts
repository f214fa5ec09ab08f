import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFastYaml } from "../model/yaml-fast.js";
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
    "https://docs.aws.amazon.com/whitepapers/",
    "arn:aws:iam::123456789012:role/x",
    'say "hi"',
    "C:\\temp",
    "it's",
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

/**
 * Whether a mapping in `d` has a key such as `0` or `12`, which JavaScript objects move first
 * and the fast reader leaves to the full parser; model ids never look like that.
 */
function integerKey(d: Data): boolean {
  if (typeof d !== "object") return false;
  if (Array.isArray(d)) return d.some(integerKey);
  return Object.entries(d).some(([k, v]) => /^(0|[1-9][0-9]*)$/.test(k) || integerKey(v));
}

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

  it("keeps to the subset the loader's fast reader takes, for any text without control characters", () => {
    // What the fast reader cannot read goes to the full parser, twenty times slower and
    // limited to 16 MB: an imported model must not.
    const plainText = (d: Data) =>
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters that need escapes
      !/[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/.test(JSON.stringify(d));
    fc.assert(
      fc.property(
        fc.dictionary(key, data, { minKeys: 1, maxKeys: 5 }),
        fc.boolean(),
        (d, flowSource) => {
          fc.pre(plainText(d) && !integerKey(d));
          const text = writeYaml(d, ["a header"], new Set(flowSource ? ["source"] : []));
          const fast = readFastYaml(text);
          expect(fast, text).toBeDefined();
          expect(fast?.data ?? {}).toEqual(JSON.parse(JSON.stringify(d)));
        },
      ),
      { numRuns: 500, seed: 7 },
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
    ["cluster:main", "cluster:main"],
    ['say "hi"', `'say "hi"'`],
    ["it's \\", `'it''s \\'`],
    ["line\nbreak", '"line\\nbreak"'],
  ])("%s is written %s", (value, text) => expect(scalar(value)).toBe(text));

  it("quotes a colon inside a flow collection, where the fast reader takes none", () => {
    expect(scalar("https://example.com", true)).toBe('"https://example.com"');
    expect(scalar("https://example.com")).toBe("https://example.com");
  });
});
