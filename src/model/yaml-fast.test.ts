import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseSource } from "./source.js";
import { fullSource } from "./source-full.js";
import { KEPT_DEPTH, readFastYaml } from "./yaml-fast.js";
import { resolvePlain } from "./yaml-scalars.js";

/** Every path to a value in `data`, keys of mappings and indexes of sequences. */
function paths(data: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(data)) {
    for (const [i, v] of data.entries()) out.push(...paths(v, [...prefix, i]));
  } else if (data !== null && typeof data === "object") {
    for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

/** What the full parser makes of a text: its value, or undefined when it reports errors. */
function full(text: string): unknown {
  const source = fullSource("f.yaml", text);
  return source.diagnostics.some((d) => d.severity === "error") ? undefined : source.data;
}

const SCALARS = [
  "api",
  "us-east-1",
  "5m",
  "200 rps",
  "99.95%",
  "null",
  "Null",
  "~",
  "true",
  "False",
  "0",
  "007",
  "-3",
  "+4",
  "1.5",
  "1e3",
  "-.5",
  ".inf",
  "-.Inf",
  ".nan",
  "0x1F",
  "0o17",
  "0b1",
  "1_000",
  "a b",
  "a:b",
  "x#y",
  "-x",
  "it's",
  "dynamodb.us-east-1.amazonaws.com",
];

const key = fc.constantFrom("a", "b", "kind", "needs", "x-y", "k1", "a b", "on", "12", "__proto__");
const scalar = fc.constantFrom(...SCALARS);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    scalar,
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(key, tie("node"), { maxKeys: 3 }),
  ),
})).node;

/** Writes a value as YAML, choosing block or flow style and quoting at random. */
function write(v: unknown, indent: number, style: number[], flow = false): string {
  const pick = () => {
    const s = style.shift() ?? 0;
    style.push(s);
    return s;
  };
  const pad = " ".repeat(indent);
  if (v === null || typeof v !== "object") {
    const text = String(v);
    const q = pick() % 4;
    if (q === 1) return `'${text.replace(/'/g, "''")}'`;
    if (q === 2 && !text.includes('"')) return `"${text}"`;
    return text;
  }
  if (Array.isArray(v)) {
    if (v.length === 0 || flow || pick() % 3 === 0)
      return `[${v.map((x) => write(x, 0, style, true)).join(", ")}]`;
    return v.map((x) => `\n${pad}- ${write(x, indent + 2, style).replace(/^\n\s*/, "")}`).join("");
  }
  const entries = Object.entries(v);
  if (entries.length === 0 || flow || pick() % 3 === 0)
    return `{ ${entries.map(([k, x]) => `${k}: ${write(x, 0, style, true)}`).join(", ")} }`;
  return entries
    .map(([k, x]) => {
      const comment = pick() % 5 === 0 ? "  # note" : "";
      return `\n${pad}${k}: ${write(x, indent + 2, style)}${comment}`;
    })
    .join("");
}

/** A generated document, written with `write` in a generated mix of styles. */
const documentText = fc
  .tuple(
    fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }),
    fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
  )
  .map(([doc, style]) => `${write(doc, 0, style).replace(/^\n/, "")}\n`);

describe("the fast YAML reader", () => {
  it("reads what the full parser reads, or gives up", () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const fast = readFastYaml(text);
        const expected = full(text);
        if (fast === undefined) return;
        expect(fast.duplicates).toEqual([]);
        expect(fast.data).toEqual(expected);
      }),
      { numRuns: 400, seed: 15 },
    );
  });

  it("locates every key and value where the full parser does", () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const fast = parseSource("f.yaml", text);
        const slow = fullSource("f.yaml", text);
        if (fast.data === undefined || readFastYaml(text) === undefined) return;
        for (const p of paths(fast.data).slice(1)) {
          for (const at of ["key", "value"] as const) {
            const a = fast.locate(p, at);
            const b = slow.locate(p, at);
            expect([p, at, a.line, a.column]).toEqual([p, at, b.line, b.column]);
          }
        }
      }),
      { numRuns: 300, seed: 16 },
    );
  });

  it("locates an entry by its position as by its path, for the collections it keeps", () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const source = parseSource("f.yaml", text);
        if (source.data === undefined || readFastYaml(text) === undefined) return;
        for (const p of paths(source.data).slice(1)) {
          let container: unknown = source.data;
          for (const k of p.slice(0, -1))
            container = (container as Record<string | number, unknown>)[k];
          const last = p[p.length - 1] as string | number;
          const index = Array.isArray(container)
            ? (last as number)
            : Object.keys(container as object).indexOf(last as string);
          const found = source.locateEntry?.(container as object, index);
          // Offsets are kept down to the entries of the collections inside a section's entry.
          if (p.length <= KEPT_DEPTH) expect(found).toBeDefined();
          if (found) expect([p, found]).toEqual([p, source.locate(p, "key")]);
        }
        // A collection the reading did not make, or a position past its end, is not located.
        expect(source.locateEntry?.({}, 0)).toBeUndefined();
        expect(source.locateEntry?.(source.data as object, 99)).toBeUndefined();
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it("gives up, rather than guessing, on texts mutated at random", () => {
    const base = `name: shop
components:
  api:
    kind: api
    placement: { zones: [a, b], region: r1 }
    needs:
      db: { timeout: 1s, retry: { attempts: 3 } }
  db:
    kind: database # the store
    placement: global
workloads:
  buy: { entry: api, rate: 5 rps }
list:
  - one
  - at: 1h
    rate: 2 rps
`;
    fc.assert(
      fc.property(
        fc.nat({ max: base.length }),
        fc.nat({ max: 3 }),
        fc.constantFrom(
          " ",
          "  ",
          ":",
          "- ",
          "\n",
          "#",
          "'",
          '"',
          "{",
          "}",
          "[",
          "]",
          ",",
          "&a ",
          "*a",
          "|",
          "?",
          "x",
        ),
        (at, remove, insert) => {
          const text = base.slice(0, at) + insert + base.slice(at + remove);
          const fast = readFastYaml(text);
          if (fast === undefined) return;
          const expected = full(text);
          if (fast.duplicates.length > 0) return;
          expect(fast.data).toEqual(expected);
        },
      ),
      { numRuns: 1500, seed: 17 },
    );
  });

  it("reads the model subset and reports keys written twice", () => {
    const text = "a: 1\nb:\n  - x\n  - { c: [1, 2] }\na: 2\n";
    const r = readFastYaml(text);
    expect(r?.data).toEqual({ a: 1, b: ["x", { c: [1, 2] }] });
    expect(r?.duplicates).toEqual([{ at: 32, first: 0, key: "a" }]);
  });

  it("leaves anchors, block scalars, tabs and __proto__ to the full parser", () => {
    for (const text of [
      "a: &x 1\nb: *x\n",
      "a: >\n  text\n",
      "a:\t1\n",
      "__proto__: 1\n",
      "---\na: 1\n",
    ])
      expect(readFastYaml(text)).toBeUndefined();
  });

  it("resolves plain scalars with the core schema, as yaml does", () => {
    for (const s of SCALARS) expect([s, resolvePlain(s)]).toEqual([s, parse(s)]);
  });
});
