/**
 * @module cli/io
 * The CLI's only contact with the outside world besides reading models: where output goes
 * (stdout or a file) and how problems with the input are told. Exit codes: 0 ok, 1 findings at
 * or above --fail-on (or failed expectations), 2 invalid input or usage.
 *
 * An output file is written whole or not at all (`fs/write-atomic`): a run killed while writing
 * leaves the previous file intact. The files a run reads are noted as it reads them, and an
 * output path naming one of them — however written, through a link too — is refused before
 * anything is written, so `analyze m.yaml -o m.yaml` cannot replace the model with its report.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isSameFile } from "../fs/same-file.js";
import { writeFileAtomic } from "../fs/write-atomic.js";
import { type Diagnostic, formatDiagnostic } from "../model/diagnostics.js";
import type { ReadFile } from "../model/load.js";

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

/** The files this run has read, as given and as absolute paths. */
const inputs = new Map<string, string>();

/** Notes that the run reads `path`: no output may go there. */
export function noteInput(path: string): void {
  inputs.set(resolve(path), path);
}

/** A model reader that notes every file it reads. */
export function notingReader(read: ReadFile): ReadFile {
  return (path) => {
    noteInput(path);
    return read(path);
  };
}

/** Forgets the inputs of an earlier run in this process. */
export function forgetInputs(): void {
  inputs.clear();
}

export function emit(text: string, out?: string): void {
  if (out === undefined || out === "-") {
    process.stdout.write(text);
    return;
  }
  // NOTE: `resolve`, as the writer does: `sub/../m.yaml` is m.yaml even before sub exists.
  for (const [abs, given] of inputs)
    if (isSameFile(abs, resolve(out)))
      throw new CliError(
        `refusing to write to '${out}': it is the input file '${given}', which the output would replace; choose another output file`,
      );
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileAtomic(out, text);
  } catch (err) {
    throw new CliError(`cannot write '${out}': ${(err as Error).message}`);
  }
}

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 1) process.stderr.write(`${errors} errors\n`);
}
