/**
 * @module cli/io
 * The CLI's only contact with the outside world besides reading models: where output goes
 * (stdout or a file) and how problems with the input are told. Exit codes: 0 ok, 1 findings at
 * or above --fail-on (or failed expectations), 2 invalid input or usage.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type Diagnostic, formatDiagnostic } from "../model/diagnostics.js";

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
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 1) process.stderr.write(`${errors} errors\n`);
}
