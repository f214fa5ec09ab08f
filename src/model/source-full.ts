/**
 * @module model/source-full
 * Any YAML file, read with the complete `yaml` parser (its Document API and a LineCounter) when
 * the fast reader of `yaml-fast.ts` gives up: so that every path can be located, YAML's own
 * errors become located diagnostics, and the problems YAML leaves to the application (keys
 * written twice, `__proto__` keys, aliases that expand without end) are reported too.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type YAMLMap,
} from "yaml";
import type { Diagnostic } from "./diagnostics.js";
import { indentationProblem } from "./indentation.js";
import { describeMapping, duplicateKeyMessage, type PathKey, type SourceFile } from "./source.js";
import type { Location } from "./types.js";
import { MAX_DEPTH } from "./yaml-fast.js";

/** The most nodes aliases may add to a file, against alias bombs (a billion laughs). */
const MAX_ALIAS_COUNT = 10_000;

const TOO_DEEP = `this file nests collections too deeply to read; a model needs at most ${MAX_DEPTH} levels`;

/** yaml's codes for a line at the wrong indentation, reported at the lines after it. */
const INDENT_CODES = new Set(["BAD_INDENT", "BLOCK_AS_IMPLICIT_KEY", "MULTILINE_IMPLICIT_KEY"]);

export function fullSource(file: string, text: string): SourceFile {
  const lineCounter = new LineCounter();
  const position = (offset: number) => lineCounter.linePos(Math.max(0, offset));
  let doc: ReturnType<typeof parseDocument>;
  try {
    // NOTE: `uniqueKeys: true` checks each key against all earlier ones (quadratic: 20 s for a
    // 10k-component mapping); duplicates are found below in one pass instead.
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    // Nesting thousands of levels deep exhausts the parser's stack.
    if (!(err instanceof RangeError)) throw err;
    return unreadable(file, TOO_DEEP);
  }
  const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
  if (overflow) {
    const { line, col } = position(overflow.pos[0]);
    return unreadable(file, TOO_DEEP, line, col);
  }
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number, message: string, code: Diagnostic["code"] = "yaml-syntax") => {
    const { line, col } = position(offset);
    return { code, severity: "error" as const, message, file, line, column: col, path: "" };
  };

  // An indentation mistake makes yaml report the lines after it, several times: say once
  // where the mistake is, when it can be found.
  const indentErrors = doc.errors.filter((e) => INDENT_CODES.has(e.code));
  const indentation = indentErrors.length > 0 ? indentationProblem(text) : undefined;
  if (indentation) {
    diagnostics.push({
      ...at(0, indentation.message),
      line: indentation.line,
      column: indentation.column,
    });
  }
  let indentReported = indentation !== undefined;
  for (const err of doc.errors) {
    if (INDENT_CODES.has(err.code)) {
      if (indentReported) continue;
      indentReported = true;
    }
    diagnostics.push(at(err.pos[0], firstLine(err.message)));
  }
  for (const warning of doc.warnings) {
    diagnostics.push({ ...at(warning.pos[0], firstLine(warning.message)), severity: "warning" });
  }

  if (doc.errors.length === 0) {
    const deep = tooDeep(doc.contents);
    if (deep) {
      diagnostics.push(
        at(
          deep.range?.[0] ?? 0,
          `this is nested more than ${MAX_DEPTH} levels deep; a model needs far fewer`,
        ),
      );
      return { file, data: undefined, diagnostics, locate: () => ({ file, line: 1, column: 1 }) };
    }
    const control = controlCharacter(doc.contents);
    if (control) {
      const { node, char } = control;
      diagnostics.push(
        at(
          node.range?.[0] ?? 0,
          `this text holds the control character U+${char.toString(16).toUpperCase().padStart(4, "0")}, which a terminal would act on: remove it`,
          "invalid-value",
        ),
      );
    }
    walkMappings(doc.contents, [], (map, path) => {
      const seen = new Map<string, Node>();
      for (const p of map.items) {
        const keyValue = isScalar(p.key) ? p.key.value : undefined;
        if (!isScalar(p.key) || (typeof keyValue === "object" && keyValue !== null)) {
          // A mapping or list as a key (`? [a, b]`, `{ a: 1 }: x`), or a scalar that is not
          // text (`!!binary …`), has no name to give it.
          if (p.key !== null && isNodeWithRange(p.key))
            diagnostics.push({
              ...at(
                p.key.range[0],
                "a key must be a plain name, not a list, a mapping or a tagged value; write the name alone before the colon",
              ),
              path: path.map(String).join("."),
            });
          continue;
        }
        const k = String(p.key.value);
        if (k === "__proto__") {
          diagnostics.push({
            ...at(
              p.key.range?.[0] ?? 0,
              "'__proto__' cannot be a key: JavaScript objects give it a meaning of their own, so it would vanish; rename it",
              "invalid-value",
            ),
            path: [...path, k].map(String).join("."),
          });
        }
        const first = seen.get(k);
        if (first) {
          diagnostics.push({
            ...at(
              p.key.range?.[0] ?? 0,
              duplicateKeyMessage(k, describeMapping(path), position(first.range?.[0] ?? 0).line),
              "duplicate-key",
            ),
            path: [...path, k].map(String).join("."),
          });
        } else seen.set(k, p.key);
      }
    });
  }

  let data: unknown;
  if (!diagnostics.some((d) => d.severity === "error")) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      // yaml throws a ReferenceError when aliases expand beyond maxAliasCount.
      if (!(err instanceof ReferenceError || err instanceof RangeError)) throw err;
      diagnostics.push(
        at(
          0,
          `aliases (*name) expand to more than ${MAX_ALIAS_COUNT} nodes; write the repeated parts out, or use fewer levels of aliases`,
        ),
      );
    }
  }

  const toLocation = (range: readonly [number, number, number?]): Location => {
    const start = position(range[0]);
    const end = position(range[1]);
    return { file, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
  };

  // Key → pair index per mapping, built on first use: locating every entity of a large model
  // must not scan its mapping each time.
  const index = new WeakMap<object, Map<string, Pair<unknown, unknown>>>();
  const pairOf = (map: YAMLMap<unknown, unknown>, key: string) => {
    let byKey = index.get(map);
    if (!byKey) {
      byKey = new Map();
      for (const p of map.items) {
        if (isPair(p) && isScalar(p.key)) {
          const k = String(p.key.value);
          if (!byKey.has(k)) byKey.set(k, p);
        }
      }
      index.set(map, byKey);
    }
    return byKey.get(key);
  };

  const locate = (path: readonly PathKey[], where: "key" | "value" = "key"): Location => {
    let node: unknown = doc.contents;
    let best: Location = { file, line: 1, column: 1 };
    if (isNodeWithRange(node)) best = toLocation(node.range);
    for (let i = 0; i < path.length; i++) {
      const key = path[i] as PathKey;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = pairOf(node, String(key));
        if (!pair) return best;
        const keyNode = pair.key as Node;
        const valueNode = pair.value as Node | null;
        if (last && where === "key" && keyNode.range) return toLocation(keyNode.range);
        if (valueNode && isNodeWithRange(valueNode)) best = toLocation(valueNode.range);
        else if (keyNode.range) best = toLocation(keyNode.range);
        node = valueNode;
      } else if (isSeq(node)) {
        const item = node.items[Number(key)];
        if (!item) return best;
        if (isNodeWithRange(item)) best = toLocation(item.range);
        node = item;
      } else {
        return best;
      }
    }
    return best;
  };

  const failed = diagnostics.some((d) => d.severity === "error");
  return { file, data: failed ? undefined : data, diagnostics, locate };
}

/** A source that could not be read at all, with its one problem at the top of the file. */
export function unreadable(file: string, message: string, line = 1, column = 1): SourceFile {
  return {
    file,
    data: undefined,
    diagnostics: [
      { code: "invalid-value", severity: "error", message, file, line, column, path: "" },
    ],
    locate: () => ({ file, line: 1, column: 1 }),
  };
}

/**
 * Characters no model text needs and that terminals act on: C0 and C1 controls other than tab
 * and line feed, and the bidirectional overrides that reorder what is shown.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** The first scalar (key or value) whose text holds a control character. */
function controlCharacter(root: unknown): { node: Node; char: number } | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isScalar(node)) {
      const text = typeof node.value === "string" ? node.value : "";
      const m = CONTROL.exec(text);
      if (m) return { node, char: m[0].charCodeAt(0) };
    } else if (isMap(node)) {
      for (const p of node.items) stack.push(p.value, p.key);
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

/** The first node nested deeper than MAX_DEPTH, if any (iteratively: no deep recursion). */
function tooDeep(root: unknown): Node | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_DEPTH) return node as Node;
    for (const item of node.items) {
      if (isPair(item)) stack.push([item.value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return undefined;
}

/** Calls `visit` for every mapping in the document with its path (iteratively: no deep recursion). */
function walkMappings(
  root: unknown,
  rootPath: PathKey[],
  visit: (map: YAMLMap<unknown, unknown>, path: PathKey[]) => void,
): void {
  const stack: [unknown, PathKey[]][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, PathKey[]];
    if (isMap(node)) {
      visit(node, path);
      for (const p of node.items) {
        const key = isScalar(p.key) ? String(p.key.value) : "?";
        stack.push([p.value, [...path, key]]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        stack.push([item, [...path, i]]);
      });
    }
  }
}

function isNodeWithRange(n: unknown): n is { range: [number, number, number] } {
  return typeof n === "object" && n !== null && Array.isArray((n as { range?: unknown }).range);
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}
