/**
 * @module cli/io
 * The CLI's contact with the outside world: reading models, where output goes (stdout or a
 * file), how problems with the input are told, and where the package's own files are. Exit codes: 0 ok, 1 findings at or above --fail-on (or failed expectations), 2 invalid
 * input or usage.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic, Journal } from "../index.js";
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

export function emit(text: string, out?: string): void {
  if (out === undefined || out === "-") {
    process.stdout.write(text);
    return;
  }
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  } catch (err) {
    throw new CliError(`cannot write '${out}': ${(err as Error).message}`);
  }
}

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  const { formatDiagnostic } = requireApi();
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 1) process.stderr.write(`${errors} errors\n`);
}

/** Exit code of runs: 1 when an expectation does not hold. */
export function verdictCode(...journals: readonly Journal[]): number {
  return journals.some((j) => j.expectations.some((v) => !v.ok)) ? EXIT.findings : EXIT.ok;
}

/** A model read from disk, with its warnings; throws ModelError (exit 2) when it is invalid. */
export function readValidModel(path: string) {
  const { readModel, ModelError } = requireApi();
  const result = readModel(path);
  if (!result.ok) throw new ModelError(result.diagnostics);
  return result;
}
