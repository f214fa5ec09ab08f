/**
 * @module importers/import
 * `importModel`: input files to model YAML, pure (text in, text out). Files are read as
 * documents, each document goes to the importer whose format it is (or the one forced), the
 * fragments are merged, the provider catalogue adds the implicit dependencies, and the result
 * is checked by the model loader's checks and written as YAML, so that what is returned is a
 * model Faultline accepts. Inputs are taken in path order and every step sorts what it produces, so
 * the same files give the same bytes whatever order they are given in.
 */
import { dirname, normalize } from "node:path";
import { appendAll } from "../model/arrays.js";
import { applyCatalogue } from "./catalogue/apply.js";
import { bundledCatalogue } from "./catalogue/load.js";
import type { Catalogue } from "./catalogue/schema.js";
import { checkModelFile } from "./check.js";
import { readDocuments } from "./documents.js";
import { modelFileOf, writeModel } from "./emit.js";
import { listed, mergeFragments } from "./merge.js";
import { IMPORTERS } from "./registry.js";
import type {
  Fragment,
  ImportDiagnostic,
  ImportFile,
  ImportFormat,
  Provenance,
  SourceDocument,
} from "./types.js";
import { cmp } from "./units.js";

export interface ImportOptions {
  /** Read every document as this format instead of detecting it. */
  readonly format?: ImportFormat;
  /** The model's name; without one the output is a fragment for `include` (no `name`). */
  readonly name?: string;
  /**
   * Where the YAML will be written (its path): provenance and validation are relative to its
   * directory. Defaults to `imported.yaml` in the working directory.
   */
  readonly output?: string;
  /** The provider catalogue; the bundled one by default, `false` for none. */
  readonly catalogue?: Catalogue | false;
  /** Also add the catalogue's uncertain rows. */
  readonly uncertain?: boolean;
  /** The region of sources that name none (CloudFormation templates). */
  readonly region?: string;
}

export interface ImportSummary {
  /** Documents read per format. */
  readonly documents: Readonly<Partial<Record<ImportFormat, number>>>;
  readonly components: number;
  readonly dependencies: number;
  /** Dependencies the provider catalogue added. */
  readonly implicit: number;
}

export type ImportResult =
  | {
      readonly ok: true;
      readonly yaml: string;
      readonly diagnostics: readonly ImportDiagnostic[];
      readonly summary: ImportSummary;
    }
  | { readonly ok: false; readonly diagnostics: readonly ImportDiagnostic[] };

export function importModel(
  files: readonly ImportFile[],
  options: ImportOptions = {},
): ImportResult {
  const diagnostics: ImportDiagnostic[] = [];
  const inputs = dedupe(files).sort((a, b) => cmp(a.path, b.path));
  if (inputs.length === 0)
    return { ok: false, diagnostics: [problem("invalid-input", "", "no input files to import")] };

  const byFormat = new Map<ImportFormat, SourceDocument[]>();
  const unrecognized: Provenance[] = [];
  for (const file of inputs) {
    const read = readDocuments(file);
    if (!read.ok) {
      appendAll(diagnostics, read.diagnostics);
      continue;
    }
    for (const doc of read.documents) {
      const importer =
        options.format !== undefined
          ? IMPORTERS.find((i) => i.format === options.format)
          : IMPORTERS.find((i) => i.detect(doc));
      if (importer === undefined) {
        unrecognized.push({
          file: doc.file,
          ...doc.locate([]),
          address: `document ${doc.index + 1}`,
        });
        continue;
      }
      const list = byFormat.get(importer.format) ?? [];
      list.push(doc);
      byFormat.set(importer.format, list);
    }
  }
  if (unrecognized.length > 0) {
    const first = unrecognized[0] as Provenance;
    diagnostics.push({
      code: "unknown-format",
      severity: byFormat.size === 0 ? "error" : "warning",
      message: `${unrecognized.length} document(s) are in no format faultline import reads (${IMPORTERS.map((i) => i.format).join(", ")}) and were not imported: ${listed(unrecognized.map((u) => `${u.file}:${u.line}`))}`,
      file: first.file,
      line: first.line ?? 1,
      column: first.column ?? 1,
    });
  }
  if (diagnostics.some((d) => d.severity === "error"))
    return { ok: false, diagnostics: sorted(diagnostics) };

  const fragments: Fragment[] = [];
  for (const importer of IMPORTERS) {
    const docs = byFormat.get(importer.format);
    if (docs)
      fragments.push(
        importer.run(docs, options.region !== undefined ? { region: options.region } : {}),
      );
  }
  for (const f of fragments) appendAll(diagnostics, f.diagnostics);
  const unknown = unknownTypes(fragments);
  if (unknown) diagnostics.push(unknown);
  if (diagnostics.some((d) => d.severity === "error"))
    return { ok: false, diagnostics: sorted(diagnostics) };

  const merged = mergeFragments(fragments);
  appendAll(diagnostics, merged.diagnostics);
  const catalogue = options.catalogue === undefined ? bundledCatalogue() : options.catalogue;
  if (catalogue !== false)
    diagnostics.push(
      ...applyCatalogue(merged, catalogue, { uncertain: options.uncertain === true }),
    );
  if (merged.components.size === 0) {
    diagnostics.push(
      problem("invalid-input", inputs[0]?.path ?? "", "the sources describe no component"),
    );
    return { ok: false, diagnostics: sorted(diagnostics) };
  }

  const output = normalize(options.output ?? "imported.yaml");
  const emit = {
    ...(options.name !== undefined ? { name: options.name } : {}),
    relativeTo: dirname(output),
    inputs: inputs.map((f) => f.path),
  };
  // What is returned must load: the loader's checks, on the data the YAML is written from.
  const data = modelFileOf(merged, emit);
  const invalid = checkModelFile(data, output);
  if (invalid.length > 0) return { ok: false, diagnostics: sorted([...diagnostics, ...invalid]) };
  const yaml = writeModel(data, emit);

  const documents: Partial<Record<ImportFormat, number>> = {};
  for (const [format, docs] of byFormat) documents[format] = docs.length;
  let implicit = 0;
  for (const d of merged.dependencies.values()) if (d.implicit) implicit++;
  return {
    ok: true,
    yaml,
    diagnostics: sorted(diagnostics),
    summary: {
      documents,
      components: merged.components.size,
      dependencies: merged.dependencies.size,
      implicit,
    },
  };
}

/** One line for every type no importer maps, so that nothing is dropped silently. */
function unknownTypes(fragments: readonly Fragment[]): ImportDiagnostic | undefined {
  const all = fragments.flatMap((f) => f.unknown);
  if (all.length === 0) return undefined;
  const types = all
    .map((u) => ({
      ...u,
      addresses: [...u.addresses].sort(
        (a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0),
      ),
    }))
    .sort((a, b) => b.addresses.length - a.addresses.length || cmp(a.type, b.type));
  const count = types.reduce((n, t) => n + t.addresses.length, 0);
  const first = types
    .map((t) => t.addresses[0] as Provenance)
    .sort((a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0))[0] as Provenance;
  return {
    code: "unknown-type",
    severity: "warning",
    message: `${count} resource(s) of ${types.length} type(s) faultline import does not map were not imported: ${listed(
      types.map(
        (t) =>
          `${t.type} ×${t.addresses.length} (${t.addresses[0]?.file}:${t.addresses[0]?.line ?? 1})`,
      ),
      8,
    )}`,
    file: first.file,
    line: first.line ?? 1,
    column: first.column ?? 1,
  };
}

function dedupe(files: readonly ImportFile[]): ImportFile[] {
  const seen = new Map<string, ImportFile>();
  for (const f of files) if (!seen.has(f.path)) seen.set(f.path, f);
  return [...seen.values()];
}

function problem(code: ImportDiagnostic["code"], file: string, message: string): ImportDiagnostic {
  return { code, severity: "error", message, file, line: 1, column: 1 };
}

/** Stable order: file, line, column, then message. */
function sorted(list: readonly ImportDiagnostic[]): ImportDiagnostic[] {
  return [...list].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.message, b.message),
  );
}

export function formatImportDiagnostic(d: ImportDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}] ${d.message}`;
}
