/**
 * @module model/assumptions
 * Where the numbers of a file come from, as data. A model or scenario file may carry an
 * `assumptions:` section that maps paths into that same file to the origin of the number there:
 * a public fact (`public`, with `fact`), a value fitted to a public observation (`calibrated`,
 * with `to`) or a guess (`guess`). `faultline sensitivity` varies the guessed and calibrated ones;
 * the audit and the simulation read nothing here.
 *
 * A path is the keys from the top of the file to the number, joined by slashes
 * (`queues/jobs/consumers/worker/rate`), list positions as numbers from 0. Dots are ordinary
 * characters, since DNS names have them; a slash or a tilde inside a key is written as in JSON
 * Pointer (RFC 6901), `~1` and `~0`, since ids may contain slashes.
 *
 * A part that is exactly `*` matches every key (or list position) there: the entry says where
 * every number it reaches comes from (every component's restart time, with a `*` for the
 * component's id). An entry naming a number
 * exactly wins over a pattern that reaches it, and of two patterns the first written.
 *
 * The paths are checked against the file's value as its schema outputs it, where every unit has
 * become a number: a path must lead to a number or a quantity with a unit (`115 rps`, `30m`,
 * `99.9%`, `500k`), and every problem is located at the entry's key with the closest path to a
 * number the file has.
 */
import { closest } from "fastest-levenshtein";
import { type Diagnostic, locatedError, suggest } from "./diagnostics.js";
import type { AssumptionInput } from "./schema.js";
import type { PathKey, SourceFile } from "./source.js";
import type { Assumption } from "./types.js";

/** The keys of a path as written, or what is wrong with it. */
export function parseAssumptionPath(key: string): string[] | { readonly problem: string } {
  const parts = key.split("/");
  const keys: string[] = [];
  for (const part of parts) {
    if (part === "")
      return {
        problem:
          "a path has no empty parts: no slash at its start or end, and none doubled (write a slash inside a key as ~1)",
      };
    if (/~(?![01])/.test(part))
      return { problem: "a tilde in a path starts ~0 (a tilde) or ~1 (a slash), nothing else" };
    keys.push(part.replace(/~1/g, "/").replace(/~0/g, "~"));
  }
  return keys;
}

/** A path as an `assumptions:` key writes it. */
export function formatAssumptionPath(path: readonly PathKey[]): string {
  return path.map((k) => String(k).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/** The most paths offered as "did you mean": a suggestion is not worth a long search. */
const MAX_CANDIDATES = 50_000;

/**
 * The entries of `data.assumptions` (a file's value as its schema outputs it), with their paths
 * checked against `data`, and a located problem for each path that does not lead to a number.
 */
export function checkAssumptions(
  source: SourceFile,
  data: { readonly assumptions?: Readonly<Record<string, AssumptionInput>> | undefined },
): { assumptions: Assumption[]; diagnostics: Diagnostic[] } {
  const assumptions: Assumption[] = [];
  const diagnostics: Diagnostic[] = [];
  const entries = data.assumptions;
  if (entries === undefined) return { assumptions, diagnostics };
  let everyNumber: string[] | undefined;
  const numbers = () => {
    everyNumber ??= numberPaths(data, []);
    return everyNumber;
  };
  for (const [key, entry] of Object.entries(entries)) {
    const at = ["assumptions", key];
    const report = (
      code: "invalid-value" | "unknown-reference",
      message: string,
      suggestion: () => string | undefined,
    ) => {
      diagnostics.push(
        locatedError(code, source, at, message, { at: "key", suggestion: suggestion() }),
      );
    };
    const nearest = () => suggest(key, numbers());
    const keys = parseAssumptionPath(key);
    if (!Array.isArray(keys)) {
      report("invalid-value", `'${key}' is not a path: ${keys.problem}`, nearest);
      continue;
    }
    if (keys.includes("*")) {
      const matches = expand(data, keys);
      if (matches.length === 0) {
        report("unknown-reference", `'${key}' matches no number in this file`, nearest);
        continue;
      }
      for (const m of matches)
        assumptions.push({
          ...origin(entry, formatAssumptionPath(m.path), m.path, m.value, source.locate(at, "key")),
          pattern: key,
        });
      continue;
    }
    const found = follow(data, keys);
    if ("missing" in found) {
      const where =
        found.missing === 0 ? "the top of the file" : `'${keys.slice(0, found.missing).join("/")}'`;
      report(
        "unknown-reference",
        `'${key}' leads nowhere: ${where} has no '${keys[found.missing]}'`,
        nearest,
      );
      continue;
    }
    if (typeof found.value !== "number") {
      const under = found.value !== null && typeof found.value === "object";
      report(
        "invalid-value",
        `'${key}' holds ${describe(found.value)}, not a number or a quantity with a unit (such as 115 rps, 30m, 99.9% or 500k)`,
        // A mapping or list with numbers in it: the nearest of those, however far.
        () => {
          const beneath = under ? numberPaths(found.value, found.path) : [];
          return beneath.length > 0 ? closest(key, beneath) : nearest();
        },
      );
      continue;
    }
    assumptions.push(origin(entry, key, found.path, found.value, source.locate(at, "key")));
  }
  return { assumptions: settle(assumptions), diagnostics };
}

/**
 * Every number written in a file (`data` as its schema outputs it) that no entry of its
 * `assumptions:` reaches, outside the top-level sections in `skip` (a scenario's expectations
 * and facts are what a run is checked against, not numbers it rests on): a located error for
 * each, saying how to mark it. For files that claim every number's origin (a case library).
 */
export function unmarkedNumbers(
  source: SourceFile,
  data: unknown,
  marked: readonly Assumption[],
  skip: readonly string[] = [],
): Diagnostic[] {
  const known = new Set(marked.filter((a) => a.loc.file === source.file).map((a) => a.key));
  const top = data !== null && typeof data === "object" ? Object.keys(data) : [];
  const out: Diagnostic[] = [];
  const walk = (value: unknown, path: PathKey[]) => {
    if (typeof value === "number") {
      const key = formatAssumptionPath(path);
      if (!known.has(key))
        out.push(
          locatedError(
            "missing-key",
            source,
            path,
            `where this number comes from is not said: mark it in assumptions:, as public (with fact), calibrated (with to) or guess — for example '${key}: { source: guess }'`,
          ),
        );
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === "object")
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  for (const key of top)
    if (key !== "assumptions" && !skip.includes(key))
      walk((data as Record<string, unknown>)[key], [key]);
  return out;
}

/** What an entry says of the number at `path`. */
function origin(
  entry: AssumptionInput,
  key: string,
  path: PathKey[],
  value: number,
  loc: Assumption["loc"],
): Assumption {
  return {
    key,
    path,
    source: entry.source,
    ...("fact" in entry ? { fact: entry.fact } : {}),
    ...("to" in entry ? { to: entry.to } : {}),
    ...(entry.note !== undefined ? { note: entry.note } : {}),
    value,
    loc,
  };
}

/**
 * One entry per number: one naming it exactly wins over patterns reaching it, and of two
 * patterns the first written.
 */
function settle(all: readonly Assumption[]): Assumption[] {
  const exact = new Set(all.filter((a) => a.pattern === undefined).map((a) => a.key));
  const seen = new Set<string>();
  const out: Assumption[] = [];
  for (const a of all) {
    if (a.pattern !== undefined && (exact.has(a.key) || seen.has(a.key))) continue;
    seen.add(a.key);
    out.push(a);
  }
  return out;
}

/** The numbers a path with `*` parts reaches, in the file's order. */
function expand(
  data: unknown,
  keys: readonly string[],
): { readonly value: number; readonly path: PathKey[] }[] {
  const out: { value: number; path: PathKey[] }[] = [];
  const walk = (node: unknown, i: number, path: PathKey[]) => {
    if (i === keys.length) {
      if (typeof node === "number") out.push({ value: node, path });
      return;
    }
    const key = keys[i] as string;
    if (Array.isArray(node)) {
      if (key === "*") {
        for (let j = 0; j < node.length; j++) walk(node[j], i + 1, [...path, j]);
      } else {
        const j = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
        if (j >= 0 && j < node.length) walk(node[j], i + 1, [...path, j]);
      }
    } else if (node !== null && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (key === "*") {
        for (const k of Object.keys(record))
          if (!(path.length === 0 && k === "assumptions")) walk(record[k], i + 1, [...path, k]);
      } else if (Object.hasOwn(record, key)) walk(record[key], i + 1, [...path, key]);
    }
  };
  walk(data, 0, []);
  return out;
}

/** The value at `keys`, with list positions made numbers, or how far the path went. */
function follow(
  data: unknown,
  keys: readonly string[],
): { readonly value: unknown; readonly path: PathKey[] } | { readonly missing: number } {
  let node: unknown = data;
  const path: PathKey[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (Array.isArray(node)) {
      const index = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
      if (!(index >= 0 && index < node.length)) return { missing: i };
      node = node[index];
      path.push(index);
    } else if (node !== null && typeof node === "object" && Object.hasOwn(node, key)) {
      node = (node as Record<string, unknown>)[key];
      path.push(key);
    } else {
      return { missing: i };
    }
  }
  return { value: node, path };
}

/** The paths to every number under `node` (not into `assumptions:` itself), as keys write them. */
function numberPaths(node: unknown, prefix: readonly PathKey[]): string[] {
  const out: string[] = [];
  const walk = (value: unknown, path: PathKey[]) => {
    if (out.length >= MAX_CANDIDATES) return;
    if (typeof value === "number") {
      out.push(formatAssumptionPath(path));
      return;
    }
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i], [...path, i]);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      if (path.length === 0 && k === "assumptions") continue;
      walk(v, [...path, k]);
    }
  };
  walk(node, [...prefix]);
  return out;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text '${value}'`;
  return `the value ${String(value)}`;
}
