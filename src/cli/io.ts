/**
 * @module cli/io
 * The CLI's contact with the outside world: reading models and scenarios, where output goes
 * (stdout or a file), how problems with the input are told, and where the package's own files
 * are. Exit codes: 0 ok, 1 findings at or above --fail-on (or failed expectations), 2 invalid
 * input or usage.
 *
 * An output file is written whole or not at all (the library's `writeFileAtomic`): a run killed
 * while writing leaves the previous file intact. The files a run reads — a model, the files it
 * includes, a scenario — are noted as they are read, and an output path naming one of them,
 * however written (through a link too), is refused before anything is written, so
 * `analyze m.yaml -o m.yaml` cannot replace the model with its report.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic, Journal, Model, Scenario } from "../index.js";
import { requireApi } from "./api.js";

export const EXIT = { ok: 0, findings: 1, invalid: 2, internal: 70 } as const;

/** Raised for bad invocations and unreadable input; carries the exit code and a one-line message. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.invalid) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** A file of the installed package (this module is `src/cli/io.ts`, or `dist/cli/io.js`). */
export function packageFile(path: string): string {
  return fileURLToPath(new URL(`../../${path}`, import.meta.url));
}

export const VERSION = (
  JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version: string }
).version;

/** The files this run has read: absolute path → the path as given. */
const inputs = new Map<string, string>();

/** Notes that the run reads `path`: no output may go there. */
export function noteInput(path: string): void {
  inputs.set(resolve(path), path);
}

/** Forgets the inputs of an earlier run in this process (`main` runs once per invocation). */
export function forgetInputs(): void {
  inputs.clear();
}

/** Writes `text` (or its pieces, one after the other) to stdout or to the file `out`. */
export function emit(text: string | Iterable<string>, out?: string): void {
  if (out === undefined || out === "-") {
    if (typeof text === "string") process.stdout.write(text);
    else for (const piece of text) process.stdout.write(piece);
    return;
  }
  const { isSameFile, writeFileAtomic } = requireApi();
  // NOTE: `resolve`, as the writer does: `sub/../m.yaml` is m.yaml even before sub exists.
  for (const [abs, given] of inputs)
    if (isSameFile(abs, resolve(out)))
      throw new CliError(
        `refusing to write to '${out}': it is the input file '${given}', which the output would replace; choose another output file`,
      );
  // Pieces are made while they are written: a failure to make one is the renderer's, not the
  // file's, and is passed on as it is.
  let pieceFailure: { error: unknown } | undefined;
  const pieces =
    typeof text === "string"
      ? text
      : guarded(text, (error) => {
          pieceFailure = { error };
        });
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileAtomic(out, pieces);
  } catch (err) {
    if (pieceFailure !== undefined) throw pieceFailure.error;
    throw new CliError(`cannot write '${out}': ${(err as Error).message}`);
  }
}

/** `pieces`, telling `failed` about an error thrown while making one before passing it on. */
function* guarded(pieces: Iterable<string>, failed: (error: unknown) => void): Generator<string> {
  try {
    yield* pieces;
  } catch (error) {
    failed(error);
    throw error;
  }
}

/**
 * Says that the audit's worker thread failed: the audit was then made on one thread, with the
 * same result, only slower (`analyzeInParallel` tells it once per audit).
 */
export function noteWorkerError(err: unknown): void {
  const reason = err instanceof Error ? err.message : String(err);
  process.stderr.write(
    `note: the audit's worker thread failed (${reason}); the audit ran on one thread instead, with the same result\n`,
  );
}
export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  const { formatDiagnostic } = requireApi();
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 1) process.stderr.write(`${errors} errors\n`);
}

/**
 * Exit code of runs: 1 when an expectation of `expect:` does not hold. A public fact the run
 * does not reproduce is a score (`faultline cases`), shown with the others, not a failed run.
 */
export function verdictCode(...journals: readonly Journal[]): number {
  return journals.some((j) => j.expectations.some((v) => !v.ok && v.fact === undefined))
    ? EXIT.findings
    : EXIT.ok;
}

/**
 * A model read from disk, with its warnings; throws ModelError (exit 2) when it is invalid. Its
 * files (the model and all it includes) are inputs of the run.
 */
export function readValidModel(path: string) {
  const { readModel, ModelError } = requireApi();
  const result = readModel(path);
  if (!result.ok) throw new ModelError(result.diagnostics);
  for (const file of result.model.files) noteInput(file);
  return result;
}

/** A scenario read from disk for `model`; throws ModelError (exit 2) when it is invalid. */
export function readValidScenario(path: string, model: Model): Scenario {
  noteInput(path);
  return requireApi().loadScenario(path, model);
}
