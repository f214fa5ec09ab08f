/**
 * @module model/source
 * One YAML file with its positions: parses with `yaml`'s Document API and a LineCounter so that
 * any path in the model can be mapped back to a line and column, and turns YAML's own errors
 * (syntax, duplicate keys) into located diagnostics.
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
import type { Location } from "./types.js";

export type PathKey = string | number;

export interface SourceFile {
  readonly file: string;
  readonly data: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /** Location of a path: the key of a map entry by default, or its value. */
  locate(path: readonly PathKey[], at?: "key" | "value"): Location;
}

export function parseSource(file: string, text: string): SourceFile {
  const lineCounter = new LineCounter();
  // NOTE: `uniqueKeys: true` checks each key against all earlier ones (quadratic: 20 s for a
  // 10k-component mapping); duplicates are found below in one pass instead.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const position = (offset: number) => lineCounter.linePos(Math.max(0, offset));
  const diagnostics: Diagnostic[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const { line, col } = position(err.pos[0]);
    const duplicate = err.code === "DUPLICATE_KEY";
    diagnostics.push({
      code: duplicate ? "duplicate-key" : "yaml-syntax",
      severity: doc.errors.includes(err) ? "error" : "warning",
      message: duplicate
        ? "this key appears twice in the same mapping; YAML keeps neither silently"
        : firstLine(err.message),
      file,
      line,
      column: col,
      path: "",
    });
  }
  if (doc.errors.length === 0) {
    for (const key of duplicateKeys(doc.contents)) {
      const { line, col } = position(key.range?.[0] ?? 0);
      diagnostics.push({
        code: "duplicate-key",
        severity: "error",
        message: "this key appears twice in the same mapping; YAML keeps neither silently",
        file,
        line,
        column: col,
        path: "",
      });
    }
  }
  const failed = diagnostics.some((d) => d.severity === "error");
  const data = failed ? undefined : doc.toJS({ maxAliasCount: 1000 });

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

  const locate = (path: readonly PathKey[], at: "key" | "value" = "key"): Location => {
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
        if (last && at === "key" && keyNode.range) return toLocation(keyNode.range);
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

  return { file, data, diagnostics, locate };
}

/** Keys repeated within one mapping, anywhere in the document, in document order. */
function duplicateKeys(root: unknown): Node[] {
  const found: Node[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const p of node.items) {
        if (isScalar(p.key)) {
          const k = String(p.key.value);
          if (seen.has(k)) found.push(p.key);
          seen.add(k);
        }
        stack.push(p.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return found.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
}

function isNodeWithRange(n: unknown): n is { range: [number, number, number] } {
  return typeof n === "object" && n !== null && Array.isArray((n as { range?: unknown }).range);
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}
