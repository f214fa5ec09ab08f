/**
 * @module model/load
 * From files to a validated `Model`. `parseModel` is pure: it gets the files through an
 * injected reader, so tests and the web UI can feed it text from memory. `loadModel` is the
 * thin shell that reads from disk. Included files are resolved relative to the file that
 * includes them; a missing file and an include cycle are located at the `include` entry.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, resolve } from "node:path";
import { appendAll, compareText } from "./arrays.js";
import { checkAssumptions } from "./assumptions.js";
import { type Diagnostic, ModelError, sortDiagnostics } from "./diagnostics.js";
import { applyRefinements } from "./refine.js";
import { type ModelFile, modelFileSchema } from "./schema.js";
import { buildModel, type ParsedFile } from "./semantics.js";
import { INVALID, quickParse, quickParseInPlace } from "./shape-check.js";
import { shapeDiagnostics } from "./shape-issues.js";
import { megabytes, parseSource, type SourceFile } from "./source.js";
import type { Assumption, Model } from "./types.js";

/**
 * Returns the text of a file, undefined when it does not exist, or why it cannot be read (in
 * words that complete "cannot read 'x': …").
 */
export type ReadFile = (path: string) => string | undefined | Unreadable;

export interface Unreadable {
  readonly unreadable: string;
}

/**
 * The largest model file, and all files of one model together. The largest benchmark model is
 * 103 MB and takes about 2.2 GB of memory to load; beyond these a model would not fit in Node's
 * default heap, and `include: [/dev/zero]` must not read without end.
 */
export const MAX_FILE_BYTES = 128 * 2 ** 20;
export const MAX_TOTAL_BYTES = 160 * 2 ** 20;

export type ParseResult =
  | { readonly ok: true; readonly model: Model; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** The most files one model may pull in, to stop runaway includes. */
const MAX_FILES = 1000;

export function parseModel(rootPath: string, read: ReadFile): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const parsed: ParsedFile[] = [];
  const assumptions: Assumption[] = [];
  const seen = new Set<string>();
  let total = 0;

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
    const got = read(path);
    if (typeof got === "string") total += got.length;
    const problem =
      got === undefined
        ? "no such file"
        : typeof got !== "string"
          ? got.unreadable
          : got.length > MAX_FILE_BYTES
            ? `it is ${megabytes(got.length)}, more than the ${megabytes(MAX_FILE_BYTES)} a model file may have; split it with include`
            : total > MAX_TOTAL_BYTES
              ? `the model's files come to more than ${megabytes(MAX_TOTAL_BYTES)} with it`
              : undefined;
    if (problem !== undefined || typeof got !== "string") {
      const loc = from
        ? from.source.locate(["include", from.index], "value")
        : { file: path, line: 1, column: 1 };
      diagnostics.push({
        code: "missing-file",
        severity: "error",
        message: `cannot read '${path}': ${problem}`,
        file: loc.file,
        line: loc.line,
        column: loc.column,
        path: from ? `include.${from.index}` : "",
      });
      return;
    }
    const text = got;
    const written = parseSource(path, text);
    appendAll(diagnostics, written.diagnostics);
    if (written.data === undefined) return;
    if (written.data === null || typeof written.data !== "object" || Array.isArray(written.data)) {
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
    const shape = checkShape(written, text);
    const { source } = shape;
    if (shape.data) {
      parsed.push({ source, data: shape.data, isRoot: chain.length === 0 });
      const checked = checkAssumptions(source, shape.data);
      appendAll(diagnostics, checked.diagnostics);
      appendAll(assumptions, checked.assumptions);
    } else appendAll(diagnostics, shape.diagnostics);
    // Still follow includes that are well-formed, so their problems are reported too.
    const includes = (source.data as { include?: unknown }).include;
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
  const refined = applyRefinements(parsed);
  const built = buildModel(refined.files);
  const all = sortDiagnostics([...diagnostics, ...refined.diagnostics, ...built.diagnostics]);
  if (!built.model || all.some((d) => d.severity === "error"))
    return { ok: false, diagnostics: all };
  if (assumptions.length === 0) return { ok: true, model: built.model, diagnostics: all };
  // By file, in the order of the model's files, then by path: never the order of the YAML.
  const order = new Map(built.model.files.map((f, i) => [f, i]));
  const rank = (a: Assumption) => order.get(a.loc.file) ?? order.size;
  assumptions.sort((a, b) => rank(a) - rank(b) || compareText(a.key, b.key));
  return { ok: true, model: { ...built.model, assumptions }, diagnostics: all };
}

/**
 * The file's value as the schema outputs it, or the schema's located problems, with the source
 * to read the file's value and positions from afterwards. The quick check answers for valid
 * files; zod words the problems of the others. A value that holds each of its collections once
 * is checked in place (sparing a copy of millions of values); when that fails midway, the value
 * is partly rewritten, and the file is read again for zod to see it as written.
 */
function checkShape(
  written: SourceFile,
  text: string,
):
  | { readonly source: SourceFile; readonly data: ModelFile; readonly diagnostics?: undefined }
  | { readonly source: SourceFile; readonly data?: undefined; readonly diagnostics: Diagnostic[] } {
  const quick = written.unshared
    ? quickParseInPlace(modelFileSchema, written.data)
    : quickParse(modelFileSchema, written.data);
  if (quick !== INVALID) return { source: written, data: quick };
  const source = written.unshared ? parseSource(written.file, text) : written;
  const result = modelFileSchema.safeParse(source.data);
  if (result.success) return { source, data: result.data };
  return { source, diagnostics: shapeDiagnostics(source, result.error.issues) };
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

/**
 * Reads files from disk, relative to `cwd`. Only regular files are read, and only up to
 * MAX_FILE_BYTES: a directory, a device (`/dev/zero`), a pipe or a socket is refused with the
 * reason, before anything is read from it.
 */
export function diskReader(cwd = process.cwd()): ReadFile {
  return (path) => {
    const abs = resolve(cwd, path);
    try {
      const stat = statSync(abs);
      if (stat.isDirectory()) return { unreadable: "it is a directory; name a YAML file in it" };
      if (!stat.isFile())
        return {
          unreadable:
            "it is not a regular file (a device, a pipe or a socket); models are read from files",
        };
      if (stat.size > MAX_FILE_BYTES)
        return {
          unreadable: `it is ${megabytes(stat.size)}, more than the ${megabytes(MAX_FILE_BYTES)} a model file may have; split it with include`,
        };
      return readFileSync(abs, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return undefined;
      if (code === "EACCES" || code === "EPERM")
        return { unreadable: "permission denied; check the file's permissions" };
      if (code === "ENOTDIR") return { unreadable: "a part of the path is not a directory" };
      if (code === "ELOOP") return { unreadable: "its symbolic links form a loop" };
      if (code === "ENAMETOOLONG") return { unreadable: "the path is too long" };
      if (typeof code === "string")
        return { unreadable: `the system refused (${code}): ${(err as Error).message}` };
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
