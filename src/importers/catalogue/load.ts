/**
 * @module importers/catalogue/load
 * Reading and checking catalogue files. `parseCatalogue` is pure (text in, catalogue or
 * located problems out); `bundledCatalogue` reads the files shipped in the package's
 * `catalogue/` folder once, for imports that are not given a catalogue of their own.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { appendAll } from "../../model/arrays.js";
import { readDocuments } from "../documents.js";
import type { ImportDiagnostic } from "../types.js";
import { type Catalogue, type CatalogueFile, catalogueSchema } from "./schema.js";

export type CatalogueResult =
  | { readonly ok: true; readonly catalogue: Catalogue }
  | { readonly ok: false; readonly diagnostics: readonly ImportDiagnostic[] };

export function parseCatalogue(
  files: readonly { readonly path: string; readonly text: string }[],
): CatalogueResult {
  const diagnostics: ImportDiagnostic[] = [];
  const catalogue = new Map<CatalogueFile["provider"], CatalogueFile>();
  for (const file of files) {
    const read = readDocuments(file);
    if (!read.ok) {
      appendAll(diagnostics, read.diagnostics);
      continue;
    }
    const doc = read.documents[0];
    const problem = (path: readonly (string | number)[], message: string) => {
      const at = doc ? doc.locate(path) : { line: 1, column: 1 };
      diagnostics.push({
        code: "invalid-input",
        severity: "error",
        message,
        file: file.path,
        ...at,
      });
    };
    const parsed = catalogueSchema.safeParse(doc?.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problem(issue.path as (string | number)[], `${issue.path.join(".")}: ${issue.message}`);
      continue;
    }
    const c = parsed.data;
    const cites = (list: readonly string[], path: (string | number)[]) => {
      list.forEach((tag, i) => {
        if (!(tag in c.sources)) problem([...path, i], `cite '${tag}' names no entry of sources`);
      });
    };
    for (const [id, t] of Object.entries(c.targets)) cites(t.cite, ["targets", id, "cite"]);
    c.edges.forEach((e, i) => {
      cites(e.cite, ["edges", i, "cite"]);
      if (!(e.to in c.targets)) problem(["edges", i, "to"], `'${e.to}' is not a target`);
      if (e.edge === "provisioning" && e.degraded === undefined)
        problem(
          ["edges", i],
          "a provisioning edge says what fails while its target is down (degraded)",
        );
      if (e.when.services === undefined && e.when.traits === undefined)
        problem(["edges", i, "when"], "an edge applies to some services or traits");
    });
    if (catalogue.has(c.provider)) problem(["provider"], `a second catalogue for ${c.provider}`);
    catalogue.set(c.provider, c);
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, catalogue };
}

let bundled: Catalogue | undefined;

/** The catalogue shipped with Faultline (`catalogue/*.yaml` in the package). */
export function bundledCatalogue(): Catalogue {
  if (bundled) return bundled;
  const dir = new URL("../../../catalogue/", import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({
      path: `catalogue/${f}`,
      text: readFileSync(fileURLToPath(new URL(f, dir)), "utf8"),
    }));
  const result = parseCatalogue(files);
  if (!result.ok)
    throw new Error(
      `the bundled catalogue is invalid: ${result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join("; ")}`,
    );
  bundled = result.catalogue;
  return bundled;
}
