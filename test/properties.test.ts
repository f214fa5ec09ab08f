/**
 * Invariants over random input: malformed YAML never crashes the loader, the audit never throws
 * on random valid models, and results do not depend on the order of entries in the YAML.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { analyze } from "../src/analysis/analyze.js";
import { compileModel } from "../src/analysis/compile.js";
import type { Finding } from "../src/analysis/types.js";
import { FailurePropagator } from "../src/graph/propagate.js";
import { parseModel } from "../src/model/load.js";
import { generateModel } from "../src/synthetic/generate.js";

const AWS = readFileSync(new URL("../examples/aws-us-east-1.yaml", import.meta.url), "utf8");
const STARTUP = readFileSync(new URL("../examples/startup-stack.yaml", import.meta.url), "utf8");

const parseText = (text: string) =>
  parseModel("m.yaml", (p) => (p === "m.yaml" ? text : undefined));

/** Cuts, insertions and line swaps applied to a valid model's text. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("cut" as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(":", "- ", "{", "]", "\n  ", "&a", "*a", "!!binary", "\t", "-5m", "1e309"),
    ),
  }),
  fc.record({ kind: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }),
);

function mutate(text: string, ms: readonly { kind: string; [k: string]: unknown }[]): string {
  let t = text;
  for (const m of ms) {
    if (m.kind === "cut") {
      const at = (m.at as number) % (t.length + 1);
      t = t.slice(0, at) + t.slice(at + (m.len as number));
    } else if (m.kind === "insert") {
      const at = (m.at as number) % (t.length + 1);
      t = t.slice(0, at) + (m.text as string) + t.slice(at);
    } else {
      const lines = t.split("\n");
      const a = (m.a as number) % lines.length;
      const b = (m.b as number) % lines.length;
      [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
      t = lines.join("\n");
    }
  }
  return t;
}

describe("mutated YAML", () => {
  it("always yields a model or located errors, never an exception", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(AWS, STARTUP),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (base, ms) => {
          const text = mutate(base, ms);
          const r = parseText(text);
          if (r.ok) {
            expect(() => analyze(r.model, { samples: 200 })).not.toThrow();
            return;
          }
          expect(r.diagnostics.length).toBeGreaterThan(0);
          const lines = text.split("\n").length;
          for (const d of r.diagnostics) {
            expect(d.file).toBe("m.yaml");
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.line).toBeLessThanOrEqual(lines + 1);
            expect(d.column).toBeGreaterThanOrEqual(1);
            expect(d.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300, seed: 20251020 },
    );
  });
});

/** Findings without their locations, in a canonical order: what must not depend on YAML order. */
function canonical(findings: readonly Finding[]): string[] {
  return findings.map(({ location: _l, ...rest }) => JSON.stringify(rest)).sort();
}

/** Rewrites a model with every mapping's entries (and every list of ids) in a shuffled order. */
function shuffled(text: string, seed: number): string {
  const doc = parseDocument(text);
  const data = doc.toJS() as unknown;
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
  const shuffle = <T>(xs: T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) {
      const items = v.map((x) => walk(x));
      // Lists of ids are sets; profiles are ordered in time and stay as they are.
      return key === "profile" ? items : shuffle(items);
    }
    if (v && typeof v === "object") {
      return Object.fromEntries(shuffle(Object.entries(v)).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  return stringify(walk(data));
}

describe("order of YAML entries", () => {
  it.each([
    ["aws-us-east-1", AWS],
    ["startup-stack", STARTUP],
  ])("does not change the audit of %s", (_name, text) => {
    const base = parseText(text);
    if (!base.ok) throw new Error("example must be valid");
    const expected = canonical(analyze(base.model, { depth: 2 }).findings);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const r = parseText(shuffled(text, seed));
        if (!r.ok) throw new Error(JSON.stringify(r.diagnostics[0]));
        expect(canonical(analyze(r.model, { depth: 2 }).findings)).toEqual(expected);
      }),
      { numRuns: 15, seed: 7 },
    );
  });
});

describe("random models", () => {
  const sizes = fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    components: fc.integer({ min: 8, max: 60 }),
    density: fc.integer({ min: 1, max: 3 }),
  });

  it("never make the audit throw, and give the same bytes twice", () => {
    fc.assert(
      fc.property(sizes, ({ seed, components, density }) => {
        const model = generateModel({
          components,
          dependencies: components * density,
          seed,
          workloads: 3,
        });
        const a = JSON.stringify(analyze(model, { depth: 2, samples: 500 }));
        const b = JSON.stringify(analyze(model, { depth: 2, samples: 500 }));
        expect(a).toBe(b);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it("have order-1 cut sets equal to failing each unit alone and propagating", () => {
    fc.assert(
      fc.property(sizes, ({ seed, components, density }) => {
        const model = generateModel({
          components,
          dependencies: components * density,
          seed,
          workloads: 3,
        });
        const report = analyze(model, { rules: ["spof"] });
        const compiled = compileModel(model);
        const g = compiled.graph;
        const propagator = new FailurePropagator(g, compiled.out);
        for (const w of model.workloads) {
          const entry = compiled.node.get(w.entry) as number;
          const brute: string[] = [];
          for (let u = 0; u < g.nodeCount; u++) {
            if (g.isUnit[u] && propagator.run([u])[entry]) brute.push(g.ids[u] as string);
          }
          expect(report.cutSets.find((c) => c.workload === w.id)?.order1).toEqual(brute.sort());
        }
      }),
      { numRuns: 40, seed: 12 },
    );
  });
});
