/**
 * The contract every importer keeps, checked on each one's fixtures by one suite (as hono runs
 * every router through one): an import loads as a model and audits, read by the loader's fast
 * reader rather than the full YAML parser; every component and
 * dependency has a provenance pointing into an input file; the output does not depend on the
 * order of the files or of the resources in them; broken input gets located errors; and any
 * mutation of the input gives a model or located errors, never a crash.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { analyze } from "../analysis/analyze.js";
import { parseModel } from "../model/load.js";
import { readFastYaml } from "../model/yaml-fast.js";
import { readDocuments } from "./documents.js";
import { importModel } from "./import.js";
import type { ImportFile, ImportFormat } from "./types.js";

const DIR = "test/fixtures/importers";

interface Case {
  readonly format: ImportFormat;
  readonly files: readonly string[];
  /** The same content with its resources in another order. */
  readonly reorder: (data: unknown) => unknown;
}

const reverseKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());

const CASES: readonly Case[] = [
  {
    format: "terraform",
    files: [`${DIR}/terraform-state.json`],
    reorder: (d) => {
      const s = structuredClone(d) as {
        values: {
          root_module: { resources: unknown[]; child_modules: { resources: unknown[] }[] };
        };
      };
      s.values.root_module.resources.reverse();
      for (const m of s.values.root_module.child_modules) m.resources.reverse();
      return s;
    },
  },
  {
    format: "cloudformation",
    files: [`${DIR}/cloudformation-template.yaml`],
    reorder: (d) => ({
      ...(d as object),
      Resources: reverseKeys((d as { Resources: Record<string, unknown> }).Resources),
    }),
  },
  { format: "kubernetes", files: [`${DIR}/kubernetes/shop.yaml`], reorder: (d) => d },
  {
    format: "compose",
    files: [`${DIR}/compose/compose.yaml`],
    reorder: (d) => ({
      ...(d as object),
      services: reverseKeys((d as { services: Record<string, unknown> }).services),
    }),
  },
  { format: "backstage", files: [`${DIR}/backstage/catalog-info.yaml`], reorder: (d) => d },
  {
    format: "traces",
    files: [`${DIR}/traces/otlp.json`, `${DIR}/traces/jaeger-dependencies.json`],
    reorder: (d) => {
      const c = structuredClone(d) as {
        resourceSpans?: { scopeSpans: { spans: unknown[] }[] }[];
        data?: unknown[];
      };
      c.resourceSpans?.reverse();
      for (const r of c.resourceSpans ?? []) for (const s of r.scopeSpans) s.spans.reverse();
      c.data?.reverse();
      return c;
    },
  },
  { format: "istio", files: [`${DIR}/istio/policies.yaml`], reorder: (d) => d },
];

const load = (files: readonly string[]): ImportFile[] =>
  files.map((path) => ({ path, text: readFileSync(path, "utf8") }));

/** A file's documents, reordered, written back in its own syntax (multi-document YAML reversed). */
function reordered(file: ImportFile, reorder: Case["reorder"]): ImportFile {
  const read = readDocuments(file);
  if (!read.ok) throw new Error(`${file.path} does not parse`);
  const docs = read.documents.map((d) => reorder(d.data));
  if (file.path.endsWith(".json"))
    return { path: file.path, text: `${JSON.stringify(docs[0], null, 2)}\n` };
  return {
    path: file.path,
    text: docs
      .reverse()
      .map((d) => stringify(d))
      .join("---\n"),
  };
}

const withoutPositions = (yaml: string) => yaml.replace(/, line: \d+, column: \d+/g, "");

describe.each(CASES)("importer contract: $format", ({ format, files, reorder }) => {
  const inputs = load(files);
  const result = importModel(inputs, { name: "contract", output: `${DIR}/out.yaml` });

  it("imports its fixtures into a model that loads, in the fast reader's subset, and audits", () => {
    expect(result.ok, JSON.stringify(result.diagnostics)).toBe(true);
    if (!result.ok) return;
    expect(result.summary.documents[format]).toBeGreaterThan(0);
    expect(readFastYaml(result.yaml)).toBeDefined();
    const loaded = parseModel(`${DIR}/out.yaml`, (p) =>
      p === `${DIR}/out.yaml` ? result.yaml : undefined,
    );
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(() => analyze(loaded.model)).not.toThrow();
  });

  it("gives every component and dependency a provenance into an input file", () => {
    if (!result.ok) throw new Error("no import");
    const model = parse(result.yaml) as { components: Record<string, Record<string, unknown>> };
    const inputsSeen = new Set(files.map((f) => f.slice(DIR.length + 1)));
    const check = (source: unknown, what: string) => {
      const list = Array.isArray(source) ? source : [source];
      expect(list.length, what).toBeGreaterThan(0);
      for (const p of list as { file?: string; line?: number; address?: string }[]) {
        expect(p?.address, what).toBeTruthy();
        if (p.file === undefined) {
          expect(p.address, what).toMatch(/^catalogue /);
          continue;
        }
        expect(inputsSeen.has(p.file), `${what}: ${p.file}`).toBe(true);
        expect(p.line, what).toBeGreaterThanOrEqual(1);
      }
    };
    for (const [id, c] of Object.entries(model.components)) {
      check(c.source, id);
      for (const section of ["needs", "wants"])
        for (const [to, d] of Object.entries(
          (c[section] as Record<string, { source: unknown }>) ?? {},
        ))
          check(d.source, `${id} → ${to}`);
    }
  });

  it("gives the same bytes whatever the order of the files", () => {
    if (!result.ok) throw new Error("no import");
    const again = importModel([...inputs].reverse(), {
      name: "contract",
      output: `${DIR}/out.yaml`,
    });
    expect(again.ok && again.yaml).toBe(result.yaml);
  });

  it("gives the same model whatever the order of the resources (positions aside)", () => {
    if (!result.ok) throw new Error("no import");
    const again = importModel(
      inputs.map((f) => reordered(f, reorder)),
      { name: "contract", output: `${DIR}/out.yaml` },
    );
    expect(again.ok, JSON.stringify(!again.ok && again.diagnostics)).toBe(true);
    if (again.ok) expect(withoutPositions(again.yaml)).toBe(withoutPositions(result.yaml));
  });

  it("reports broken input at its line and column, and returns no model", () => {
    const [first, ...rest] = inputs as [ImportFile, ...ImportFile[]];
    const broken = {
      path: first.path,
      text: first.path.endsWith(".json") ? `${first.text}{` : `${first.text}\nbroken: [\n`,
    };
    const r = importModel([broken, ...rest]);
    expect(r.ok).toBe(false);
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    expect(errors.length).toBeGreaterThan(0);
    for (const d of errors) {
      expect(d.code).toBe("syntax");
      expect(d.file).toBe(first.path);
      expect(d.line).toBeGreaterThan(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
    }
  });

  it("turns any mutation of its input into a model or located errors, never a crash", () => {
    const [first, ...rest] = inputs as [ImportFile, ...ImportFile[]];
    fc.assert(
      fc.property(
        fc.nat({ max: first.text.length - 1 }),
        fc.constantFrom("", " ", "x", ":", "{", "]", '"', "\n", "-", "0"),
        (at, insert) => {
          const text = first.text.slice(0, at) + insert + first.text.slice(at + 1);
          const r = importModel([{ path: first.path, text }, ...rest]);
          if (r.ok) return;
          for (const d of r.diagnostics.filter((x) => x.severity === "error")) {
            expect(d.file === "" || files.includes(d.file) || d.code === "invalid-model").toBe(
              true,
            );
            expect(d.line).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 25, seed: 13 },
    );
  });
});
