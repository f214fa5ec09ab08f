/**
 * @module model/load
 * From files to a validated `Model`. `parseModel` is pure: it gets the files through an
 * injected reader, so tests and the web UI can feed it text from memory. `loadModel` is the
 * thin shell that reads from disk. Included files are resolved relative to the file that
 * includes them; a missing file and an include cycle are located at the `include` entry.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, resolve } from "node:path";
import { type Diagnostic, ModelError, sortDiagnostics } from "./diagnostics.js";
import { modelFileSchema } from "./schema.js";
import { buildModel, type ParsedFile } from "./semantics.js";
import { shapeDiagnostics } from "./shape-issues.js";
import { parseSource, type SourceFile } from "./source.js";
import type { Model } from "./types.js";

/** Returns the text of a file, or undefined when it does not exist. */
export type ReadFile = (path: string) => string | undefined;

export type ParseResult =
  | { readonly ok: true; readonly model: Model; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** The most files one model may pull in, to stop runaway includes. */
const MAX_FILES = 1000;

export function parseModel(rootPath: string, read: ReadFile): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const parsed: ParsedFile[] = [];
  const seen = new Set<string>();

  const visit = (
    path: string,
    chain: readonly string[],
    from?: { source: SourceFile; index: number },
  ) => {
    const key = normalize(path);
    if (chain.includes(key)) {
      if (from) {
        const loc = from.source.locate(["include", from.index]);
        diagnostics.push({
          code: "include-cycle",
          severity: "error",
          message: `including '${path}' closes a cycle: ${[...chain.slice(chain.indexOf(key)), key].join(" → ")}`,
          file: loc.file,
          line: loc.line,
          column: loc.column,
          path: `include.${from.index}`,
        });
      }
      return;
    }
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size > MAX_FILES) {
      if (from) {
        const loc = from.source.locate(["include", from.index]);
        diagnostics.push({
          code: "impossible-value",
          severity: "error",
          message: `a model may span at most ${MAX_FILES} files`,
          file: loc.file,
          line: loc.line,
          column: loc.column,
          path: `include.${from.index}`,
        });
      }
      return;
    }
    const text = read(path);
    if (text === undefined) {
      const loc = from
        ? from.source.locate(["include", from.index])
        : { file: path, line: 1, column: 1 };
      diagnostics.push({
        code: "missing-file",
        severity: "error",
        message: `cannot read '${path}': no such file`,
        file: loc.file,
        line: loc.line,
        column: loc.column,
        path: from ? `include.${from.index}` : "",
      });
      return;
    }
    const source = parseSource(path, text);
    diagnostics.push(...source.diagnostics);
    if (source.data === undefined) return;
    if (source.data === null || typeof source.data !== "object" || Array.isArray(source.data)) {
      diagnostics.push({
        code: "invalid-type",
        severity: "error",
        message:
          "a model file is a mapping with keys such as name, domains, components and workloads",
        file: path,
        line: 1,
        column: 1,
        path: "",
      });
      return;
    }
    const result = modelFileSchema.safeParse(source.data);
    if (!result.success) {
      diagnostics.push(...shapeDiagnostics(source, result.error.issues));
      // Still follow includes that are well-formed, so their problems are reported too.
    }
    const includes = (source.data as { include?: unknown }).include;
    if (result.success) parsed.push({ source, data: result.data, isRoot: chain.length === 0 });
    if (Array.isArray(includes)) {
      includes.forEach((inc, index) => {
        if (typeof inc !== "string") return;
        const target = isAbsolute(inc) ? inc : join(dirname(path), inc);
        visit(target, [...chain, key], { source, index });
      });
    }
  };

  visit(rootPath, []);
  if (diagnostics.some((d) => d.severity === "error") || !parsed.some((p) => p.isRoot)) {
    return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
  }
  const built = buildModel(parsed);
  const all = sortDiagnostics([...diagnostics, ...built.diagnostics]);
  if (!built.model || all.some((d) => d.severity === "error"))
    return { ok: false, diagnostics: all };
  return { ok: true, model: built.model, diagnostics: all };
}

/** Reads a model from disk: the model and its warnings, or every problem, located. */
export function readModel(path: string, options: { cwd?: string } = {}): ParseResult {
  return parseModel(displayPath(path, options.cwd), diskReader(options.cwd));
}

/** Reads a model from disk; throws ModelError carrying every diagnostic when it is invalid. */
export function loadModel(path: string, options: { cwd?: string } = {}): Model {
  const result = readModel(path, options);
  if (!result.ok) throw new ModelError(result.diagnostics);
  return result.model;
}

export function diskReader(cwd = process.cwd()): ReadFile {
  return (path) => {
    try {
      return readFileSync(resolve(cwd, path), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      if ((err as NodeJS.ErrnoException).code === "EISDIR") return undefined;
      throw err;
    }
  };
}

/** Paths are shown relative to the working directory when they lie beneath it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  return rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
}
