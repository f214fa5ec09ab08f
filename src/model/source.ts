/**
 * @module model/source
 * One YAML file with its positions: parses with `yaml`'s Document API and a LineCounter so that
 * any path in the model can be mapped back to a line and column, and turns YAML's own errors
 * (syntax, duplicate keys) into located diagnostics.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
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
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
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
  const data = doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 1000 }) : undefined;

  const toLocation = (range: readonly [number, number, number?]): Location => {
    const start = position(range[0]);
    const end = position(range[1]);
    return { file, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
  };

  const locate = (path: readonly PathKey[], at: "key" | "value" = "key"): Location => {
    let node: unknown = doc.contents;
    let best: Location = { file, line: 1, column: 1 };
    if (isNodeWithRange(node)) best = toLocation(node.range);
    for (let i = 0; i < path.length; i++) {
      const key = path[i] as PathKey;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key),
        );
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

function isNodeWithRange(n: unknown): n is { range: [number, number, number] } {
  return typeof n === "object" && n !== null && Array.isArray((n as { range?: unknown }).range);
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}
