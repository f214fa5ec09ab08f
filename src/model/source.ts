/**
 * @module model/source
 * One YAML file with its positions: its JavaScript value, the problems found in its syntax, and
 * `locate`, which maps any path in the model back to a line and column.
 *
 * Files written in the plain subset of YAML that models use are read by `yaml-fast.ts`, which
 * keeps the offsets of every key and value as it goes; any other file is read by the complete
 * `yaml` parser through `source-full.ts`. Both give the same `SourceFile`, so nothing after this
 * module knows which one read a file.
 */
import type { Diagnostic } from "./diagnostics.js";
import { fullSource, unreadable } from "./source-full.js";
import type { Location } from "./types.js";
import { type FastYaml, type Offsets, readFastYaml } from "./yaml-fast.js";

export type PathKey = string | number;

export interface SourceFile {
  readonly file: string;
  readonly data: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Whether `data` holds each of its mappings and sequences once (the fast reader's, which
   * takes no aliases): then a check may write its output into `data` instead of copying it.
   */
  readonly unshared?: boolean;
  /** Location of a path: the key of a map entry by default, or its value. */
  locate(path: readonly PathKey[], at?: "key" | "value"): Location;
  /**
   * Location of the key of entry `index` of `container`, a mapping or sequence of `data` (for
   * a sequence, the item): what `locate` gives for that entry's path, without walking the path.
   * Undefined when the reading kept no offsets for `container`; then `locate` answers. NOTE: a
   * model's million dependencies are each located, and walking a path to each was a tenth of
   * loading.
   */
  locateEntry?(container: object, index: number): Location | undefined;
}

/**
 * The largest file the full parser reads. It needs about a hundred bytes of memory per byte of
 * text, twenty times the fast reader, so larger files must keep to the subset the fast reader
 * handles (which takes files up to MAX_FILE_BYTES, see load.ts).
 */
export const FULL_PARSER_MAX_BYTES = 16 * 2 ** 20;

export function parseSource(file: string, text: string): SourceFile {
  const stop = { at: 0 };
  const fast = readFastYaml(text, stop);
  if (fast) return fastSource(file, text, fast);
  if (text.length > FULL_PARSER_MAX_BYTES) {
    const lines = lineIndex(text);
    const line = lines.line(stop.at);
    const col = lines.column(stop.at, line);
    return unreadable(
      file,
      `this file is ${megabytes(text.length)} and, from here on, uses YAML beyond the plain subset that large files are read with (an anchor, tag, block scalar, multi-line or escaped string, tab, or a syntax error); above ${megabytes(FULL_PARSER_MAX_BYTES)}, write it without them, or split it with include`,
      line,
      col,
    );
  }
  return fullSource(file, text);
}

export function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

/** Offsets to 1-based lines and columns. */
export interface LineIndex {
  line(offset: number): number;
  /** The column of an offset on its line (as `line` gave it). */
  column(offset: number, line: number): number;
}

/**
 * Offsets to 1-based lines and columns, with the line starts found on first use. A line and a
 * column are two numbers rather than an object: a large model locates millions of offsets.
 */
export function lineIndex(text: string): LineIndex {
  let starts: Int32Array | undefined;
  let last = 0;
  const clamp = (offset: number) => Math.max(0, Math.min(offset, text.length));
  const line = (offset: number): number => {
    starts ??= lineStarts(text);
    const at = clamp(offset);
    // Entities are located mostly in file order: look near the last line first.
    for (let k = last; k < last + 4 && k < starts.length; k++) {
      if (
        (starts[k] as number) <= at &&
        (k + 1 >= starts.length || at < (starts[k + 1] as number))
      ) {
        last = k;
        return k + 1;
      }
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    last = lo;
    return lo + 1;
  };
  const column = (offset: number, lineNumber: number): number =>
    clamp(offset) - ((starts as Int32Array)[lineNumber - 1] as number) + 1;
  return { line, column };
}

/** The offset at which each line starts. */
function lineStarts(text: string): Int32Array {
  let count = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count++;
  const starts = new Int32Array(count);
  let k = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts[k++] = i + 1;
  return starts;
}

/** The message of a key written twice in one mapping, shared by both readers. */
export function duplicateKeyMessage(key: string, where: string, firstLine: number): string {
  return `'${key}' is written twice in ${where}; the first is at line ${firstLine}. YAML would keep only one of them: merge them or rename one`;
}

/** Where a mapping is, for messages: `components`, `the top level`. */
export function describeMapping(path: readonly PathKey[]): string {
  return path.length === 0 ? "the top level of the file" : `'${path.map(String).join(".")}'`;
}

function fastSource(file: string, text: string, fast: FastYaml): SourceFile {
  const lines = lineIndex(text);
  const range = (start: number, end: number): Location => {
    const line = lines.line(start);
    const column = lines.column(start, line);
    const endLine = lines.line(end);
    return { file, line, column, endLine, endColumn: lines.column(end, endLine) };
  };
  // Key → entry index, for the mappings looked up often (built on first use).
  const keyIndex = new WeakMap<object, Map<string, number>>();
  const entryOf = (map: object, offs: Offsets, key: string): number => {
    let index = keyIndex.get(map);
    if (!index) {
      if (offs.length < 2 + 4 * 16) {
        let i = 0;
        for (const k in map) {
          if (k === key) return i;
          i++;
        }
        return -1;
      }
      index = new Map(Object.keys(map).map((k, i) => [k, i]));
      keyIndex.set(map, index);
    }
    return index.get(key) ?? -1;
  };

  // The parent of the last path located: dependencies and records of one component are located
  // one after another, and need not walk down from the root each time.
  let memoRead: FastYaml | undefined;
  let memoPath: readonly PathKey[] = [];
  let memoNode: unknown;
  let memoStart = 0;
  let memoEnd = 0;

  /**
   * The location of a path in a reading, or undefined where it kept no offsets. The walk keeps
   * the offsets of the deepest value found, and makes a location only of the one it returns.
   */
  const locateIn = (
    read: FastYaml,
    path: readonly PathKey[],
    at: "key" | "value",
  ): Location | undefined => {
    const parent = path.length - 1;
    let node: unknown = read.data;
    let bestStart: number;
    let bestEnd: number;
    let i = 0;
    const memoized =
      read === memoRead && parent > 0 && memoPath.length === parent && samePrefix(path, memoPath);
    if (memoized) {
      node = memoNode;
      bestStart = memoStart;
      bestEnd = memoEnd;
      i = parent;
    } else {
      const root = read.offsets.get(node as object) as Offsets;
      bestStart = root[0] as number;
      bestEnd = root[1] as number;
    }
    for (; i < path.length; i++) {
      if (node === null || typeof node !== "object") break;
      const offs = read.offsets.get(node);
      if (offs === undefined) return undefined;
      if (i === parent && !memoized) {
        memoRead = read;
        memoPath = path.slice(0, parent);
        memoNode = node;
        memoStart = bestStart;
        memoEnd = bestEnd;
      }
      const key = path[i] as PathKey;
      const entry = Array.isArray(node) ? Number(key) : entryOf(node, offs, String(key));
      if (!(entry >= 0 && 2 + 4 * entry < offs.length)) break;
      const base = 2 + 4 * entry;
      if (i === parent && at === "key" && (offs[base] as number) >= 0)
        return range(offs[base] as number, offs[base + 1] as number);
      bestStart = offs[base + 2] as number;
      bestEnd = offs[base + 3] as number;
      node = Array.isArray(node) ? node[entry] : (node as Record<string, unknown>)[String(key)];
    }
    return range(bestStart, bestEnd);
  };
  // Every offset, read again only when a path leads where the first reading kept none.
  let complete: FastYaml | undefined;
  const locate = (path: readonly PathKey[], at: "key" | "value" = "key"): Location => {
    const found = locateIn(fast, path, at);
    if (found) return found;
    complete ??= readFastYaml(text, undefined, true) as FastYaml;
    return locateIn(complete, path, at) ?? { file, line: 1, column: 1 };
  };

  const diagnostics: Diagnostic[] = fast.duplicates.map(({ at, first, key }) => {
    const where = pathTo(fast, first);
    const line = lines.line(at);
    return {
      code: "duplicate-key",
      severity: "error",
      message: duplicateKeyMessage(key, describeMapping(where), lines.line(first)),
      file,
      line,
      column: lines.column(at, line),
      path: [...where, key].map(String).join("."),
    };
  });
  const locateEntry = (container: object, index: number): Location | undefined => {
    const offs = fast.offsets.get(container);
    const base = 2 + 4 * index;
    if (offs === undefined || !(index >= 0 && base < offs.length)) return undefined;
    const keyStart = offs[base] as number;
    return keyStart >= 0
      ? range(keyStart, offs[base + 1] as number)
      : range(offs[base + 2] as number, offs[base + 3] as number);
  };
  return {
    file,
    data: diagnostics.length > 0 ? undefined : fast.data,
    diagnostics,
    unshared: true,
    locate,
    locateEntry,
  };
}

function samePrefix(path: readonly PathKey[], prefix: readonly PathKey[]): boolean {
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** The path of the mapping holding the key that starts at `offset`. */
function pathTo(fast: FastYaml, offset: number): PathKey[] {
  const path: PathKey[] = [];
  let node: unknown = fast.data;
  for (;;) {
    if (node === null || typeof node !== "object") return path;
    const offs = fast.offsets.get(node);
    if (offs === undefined) return path;
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    let next: number | undefined;
    for (let base = 2; base < offs.length; base += 4) {
      if ((offs[base] as number) === offset) return path;
      const start = Math.max(offs[base] as number, offs[base + 2] as number);
      if (start <= offset && offset < (offs[base + 3] as number)) next = (base - 2) / 4;
    }
    if (next === undefined) return path;
    const key = keys ? (keys[next] as string) : next;
    path.push(key);
    node = (node as Record<string, unknown>)[key];
  }
}
