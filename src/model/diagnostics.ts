/**
 * @module model/diagnostics
 * Problems with input, as data. A Diagnostic names the file, line and column, the path in the
 * model (`components.iam.needs.dynamodb`), what was expected and, where one exists, the closest
 * valid name. Text comes from `formatDiagnostic`, never from the code that found the problem.
 */
import { closest, distance } from "fastest-levenshtein";

export type DiagnosticCode =
  | "yaml-syntax"
  | "duplicate-key"
  | "unknown-key"
  | "invalid-type"
  | "invalid-value"
  | "missing-key"
  | "unknown-reference"
  | "duplicate-id"
  | "impossible-value"
  | "missing-file"
  | "include-cycle";

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path in the model, e.g. `components.iam.needs.dynamodb`; empty for the file. */
  readonly path: string;
  readonly expected?: string;
  /** The closest valid name, when the input looks like a typo of one. */
  readonly suggestion?: string;
}

/**
 * Thrown by `loadModel` and `loadScenario` when the input is invalid; carries every problem
 * found. `subject` names what was read, for the summary message.
 */
export class ModelError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(
    diagnostics: readonly Diagnostic[],
    subject: "model" | "scenario" | "case library" = "model",
  ) {
    super(
      diagnostics.length === 1
        ? formatDiagnostic(diagnostics[0] as Diagnostic)
        : `${diagnostics.length} problems in the ${subject}`,
    );
    this.name = "ModelError";
    this.diagnostics = diagnostics;
  }
}

/** The closest candidate, if it is near enough to be a plausible typo. */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  if (list.length === 0 || input.length === 0) return undefined;
  const lower = input.toLowerCase();
  const exactCase = list.find((c) => c.toLowerCase() === lower);
  if (exactCase !== undefined) return exactCase;
  const best = closest(input, list);
  const d = distance(input, best);
  const limit = Math.max(2, Math.floor(Math.max(input.length, best.length) / 3));
  return d <= limit ? best : undefined;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const path = d.path ? ` ${d.path}:` : "";
  const hint = d.suggestion !== undefined ? ` — did you mean '${d.suggestion}'?` : "";
  const expected = d.expected !== undefined ? ` (expected ${d.expected})` : "";
  return visible(`${where}: ${d.severity}[${d.code}]${path} ${d.message}${expected}${hint}`);
}

/**
 * Text with its control characters written as escapes (`\u001b`), so that text taken from a
 * file cannot move a terminal's cursor, recolour it or rewrite what was printed before.
 */
export function visible(text: string): string {
  return text.replace(
    CONTROL_CHARACTERS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Stable order: file, line, column, then message, so output never depends on discovery order. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.message.localeCompare(b.message),
  );
}

export interface LocatedExtra {
  readonly suggestion?: string | undefined;
  readonly expected?: string;
  /** Point at the key of the entry rather than its value. */
  readonly at?: "key" | "value";
}

/** An error diagnostic at a model path of a source file, located by the file's positions. */
export function locatedError(
  code: DiagnosticCode,
  source: {
    locate(
      path: readonly (string | number)[],
      at?: "key" | "value",
    ): { file: string; line: number; column: number };
  },
  path: readonly (string | number)[],
  message: string,
  extra: LocatedExtra = {},
): Diagnostic {
  const loc = source.locate(path, extra.at ?? "value");
  return {
    code,
    severity: "error",
    message,
    file: loc.file,
    line: loc.line,
    column: loc.column,
    path: path.map(String).join("."),
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
    ...(extra.suggestion !== undefined ? { suggestion: extra.suggestion } : {}),
  };
}
