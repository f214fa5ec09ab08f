/**
 * @module model/shape-issues
 * Turns zod issues into located diagnostics. Unions are resolved to the branch the user most
 * likely meant (the one whose errors are deepest), unknown keys are reported one by one at the
 * key itself with the closest allowed key, and enum mistakes get the closest allowed value.
 */
import type * as z from "zod";
import { type Diagnostic, suggest } from "./diagnostics.js";
import { ALLOWED_KEYS_MARK } from "./schema-values.js";
import type { PathKey, SourceFile } from "./source.js";

export function shapeDiagnostics(
  source: SourceFile,
  issues: readonly z.core.$ZodIssue[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) collect(source, issue, [], out);
  // A required key reported missing because it was misspelt is one problem, not two: keep the
  // unknown-key diagnostic that suggests it.
  const misspelt = new Set(
    out
      .filter((d) => d.code === "unknown-key" && d.suggestion !== undefined)
      .map((d) => `${d.path.slice(0, d.path.lastIndexOf(".") + 1)}${d.suggestion}`),
  );
  return out.filter((d) => !(d.code === "missing-key" && misspelt.has(d.path)));
}

function collect(
  source: SourceFile,
  issue: z.core.$ZodIssue,
  prefix: readonly PathKey[],
  out: Diagnostic[],
): void {
  const path = [...prefix, ...(issue.path as PathKey[])];
  const at = (p: readonly PathKey[], where: "key" | "value" = "value") => source.locate(p, where);
  const dotted = (p: readonly PathKey[]) => p.map(String).join(".");

  switch (issue.code) {
    case "invalid_union": {
      // A discriminated union (`kind: …`) names its accepted discriminator values.
      const options =
        "options" in issue && Array.isArray(issue.options) ? issue.options.map(String) : undefined;
      const value = valueAt(source.data, path);
      if (value === undefined) {
        const loc = at(path);
        out.push({
          code: "missing-key",
          severity: "error",
          message: `'${String(path[path.length - 1])}' is required`,
          ...(options ? { expected: `one of: ${options.join(", ")}` } : {}),
          file: loc.file,
          line: loc.line,
          column: loc.column,
          path: dotted(path),
        });
        return;
      }
      if (options && issue.errors.length === 0) {
        const hint = typeof value === "string" ? suggest(value, options) : undefined;
        const loc = at(path);
        out.push({
          code: "invalid-value",
          severity: "error",
          message: `${shown(value)} is not allowed here`,
          expected: `one of: ${options.join(", ")}`,
          ...(hint !== undefined ? { suggestion: hint } : {}),
          file: loc.file,
          line: loc.line,
          column: loc.column,
          path: dotted(path),
        });
        return;
      }
      const branch = pickBranch(issue.errors, value);
      if (branch) {
        for (const sub of branch) collect(source, sub, path, out);
        return;
      }
      const loc = at(path);
      out.push({
        code: "invalid-type",
        severity: "error",
        message: `this value has none of the accepted shapes`,
        expected: describeUnion(issue.errors),
        file: loc.file,
        line: loc.line,
        column: loc.column,
        path: dotted(path),
      });
      return;
    }
    case "invalid_key": {
      // A map key that is not a valid id: report the key's own problems at the key.
      for (const sub of issue.issues) {
        const loc = at(path, "key");
        out.push({
          code: "invalid-value",
          severity: "error",
          message: `'${String(path[path.length - 1])}': ${sub.message}`,
          file: loc.file,
          line: loc.line,
          column: loc.column,
          path: dotted(path),
        });
      }
      return;
    }
    case "unrecognized_keys": {
      const allowed = issue.message.startsWith(ALLOWED_KEYS_MARK)
        ? issue.message.slice(ALLOWED_KEYS_MARK.length).split(", ")
        : [];
      for (const key of issue.keys) {
        const loc = at([...path, key], "key");
        const hint = suggest(key, allowed);
        out.push({
          code: "unknown-key",
          severity: "error",
          message: `unknown key '${key}'`,
          ...(hint !== undefined
            ? { suggestion: hint }
            : allowed.length > 0
              ? { expected: `one of: ${allowed.join(", ")}` }
              : {}),
          file: loc.file,
          line: loc.line,
          column: loc.column,
          path: dotted([...path, key]),
        });
      }
      return;
    }
    case "invalid_value": {
      const value = valueAt(source.data, path);
      if (value === undefined) {
        const loc = at(path);
        out.push({
          code: "missing-key",
          severity: "error",
          message: `'${String(path[path.length - 1])}' is required`,
          expected: `one of: ${issue.values.map(String).join(", ")}`,
          file: loc.file,
          line: loc.line,
          column: loc.column,
          path: dotted(path),
        });
        return;
      }
      const options = issue.values.map(String);
      const hint = typeof value === "string" ? suggest(value, options) : undefined;
      const loc = at(path);
      out.push({
        code: "invalid-value",
        severity: "error",
        message: `${shown(value)} is not allowed here`,
        expected: `one of: ${options.join(", ")}`,
        ...(hint !== undefined ? { suggestion: hint } : {}),
        file: loc.file,
        line: loc.line,
        column: loc.column,
        path: dotted(path),
      });
      return;
    }
    case "invalid_type": {
      const value = valueAt(source.data, path);
      const loc = at(path);
      const missing = value === undefined;
      out.push({
        code: missing ? "missing-key" : "invalid-type",
        severity: "error",
        message: missing
          ? `'${String(path[path.length - 1])}' is required`
          : `expected ${describeExpected(issue.expected)}, found ${describeValue(value)}`,
        ...(missing ? { expected: describeExpected(issue.expected) } : {}),
        file: loc.file,
        line: loc.line,
        column: loc.column,
        path: dotted(path),
      });
      return;
    }
    default: {
      const loc = at(path);
      // A required value with a unit (a custom check) reports its absence as a custom issue.
      if (issue.code === "custom" && valueAt(source.data, path) === undefined) {
        out.push({
          code: "missing-key",
          severity: "error",
          message: `'${String(path[path.length - 1])}' is required`,
          expected: issue.message.replace(/^A /, "a "),
          file: loc.file,
          line: loc.line,
          column: loc.column,
          path: dotted(path),
        });
        return;
      }
      out.push({
        code: "invalid-value",
        severity: "error",
        message: humanize(issue),
        file: loc.file,
        line: loc.line,
        column: loc.column,
        path: dotted(path),
      });
    }
  }
}

/**
 * The branch of a union the user most likely meant: not one that merely rejects the type of
 * the whole value, and among those the one with the fewest problems.
 */
function pickBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
  value: unknown,
): readonly z.core.$ZodIssue[] | undefined {
  // A branch that rejects the whole value for its type (a word where a mapping was written) is
  // not the one the user meant.
  const collection = value !== null && typeof value === "object";
  const plausible = branches.filter(
    (b) =>
      !(
        b.length === 1 &&
        b[0]?.path.length === 0 &&
        (b[0].code === "invalid_type" || (b[0].code === "invalid_value" && collection))
      ),
  );
  if (plausible.length === 0) return undefined;
  return [...plausible].sort((a, b) => a.length - b.length)[0];
}

function describeUnion(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const kinds = new Set<string>();
  for (const b of branches) {
    const first = b[0];
    if (first?.code === "invalid_type") kinds.add(describeExpected(first.expected));
    else if (first?.code === "invalid_value")
      kinds.add(first.values.map((v) => JSON.stringify(v)).join(" or "));
  }
  return [...kinds].join(" or ") || "another shape";
}

function humanize(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      return issue.origin === "array"
        ? `needs at least ${String(issue.minimum)} item(s)`
        : issue.origin === "string"
          ? "must not be empty"
          : `must be ${issue.inclusive === false ? "above" : "at least"} ${String(issue.minimum)}`;
    case "too_big":
      return `must be ${issue.inclusive === false ? "below" : "at most"} ${String(issue.maximum)}`;
    case "invalid_format":
      return issue.message;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let v: unknown = data;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[String(k)];
  }
  return v;
}

/** A type as the YAML author knows it: a mapping, a list, text, rather than zod's names. */
function describeExpected(expected: unknown): string {
  const names: Readonly<Record<string, string>> = {
    object: "a mapping",
    record: "a mapping",
    array: "a list",
    tuple: "a list",
    string: "text",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
  };
  return names[String(expected)] ?? String(expected);
}

/** A value as a message shows it: text quoted, a collection by its kind. */
function shown(v: unknown): string {
  if (v !== null && typeof v === "object") return describeValue(v);
  return `'${String(v)}'`;
}

function describeValue(v: unknown): string {
  if (v === null) return "nothing (null)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the text '${v}'`;
  return `${typeof v} ${String(v)}`;
}
