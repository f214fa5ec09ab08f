/**
 * @module importers/documents
 * Input files as documents with positions. JSON goes through `json-positions` (fast, and
 * strict about duplicate keys); YAML through `yaml`'s Document API with a LineCounter, every
 * document of a stream (`---`) on its own, with CloudFormation's short-form intrinsic tags
 * (`!Ref`, `!GetAtt`, `!Sub`, …) read as the long form (`{ "Fn::GetAtt": … }`). A file that
 * does not parse gives one located `syntax` error per problem, and no documents.
 */
import {
  type CollectionTag,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseAllDocuments,
  type ScalarTag,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { JsonSyntaxError, parseJson } from "./json-positions.js";
import type { ImportDiagnostic, ImportFile, PathKey, Position, SourceDocument } from "./types.js";

export type ReadResult =
  | { readonly ok: true; readonly documents: readonly SourceDocument[] }
  | { readonly ok: false; readonly diagnostics: readonly ImportDiagnostic[] };

export function readDocuments(file: ImportFile): ReadResult {
  const json =
    /\.(json|jsonl|ndjson)$/i.test(file.path) || /^\uFEFF?\s*[[{]/.test(file.text.slice(0, 200));
  return json ? readJson(file) : readYaml(file);
}

/** Offsets of line starts, for turning offsets into lines and columns. */
export function lineIndex(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
}

function readJson(file: ImportFile): ReadResult {
  const position = lineIndex(file.text);
  // JSON Lines: one value per line (`.jsonl`, or several values where one was expected).
  const lines =
    /\.(jsonl|ndjson)$/i.test(file.path) || /\}\s*\n\s*\{/.test(file.text.slice(0, 1_000_000));
  try {
    const { value, starts } = parseJson(file.text, lines);
    const values = lines ? (value as unknown[]) : [value];
    const documents = values.map(
      (root, index): SourceDocument => ({
        file: file.path,
        index,
        data: root,
        locate: (path) => {
          let node: unknown = root;
          let best = starts.get(root as object) ?? 0;
          for (const key of path) {
            if (node === null || typeof node !== "object") break;
            node = (node as Record<string, unknown>)[key as string];
            if (node !== null && typeof node === "object") best = starts.get(node) ?? best;
          }
          return position(best);
        },
      }),
    );
    return { ok: true, documents };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const at = position(err.offset);
    return {
      ok: false,
      diagnostics: [
        {
          code: "syntax",
          severity: "error",
          message: `not valid JSON: ${err.message}`,
          file: file.path,
          ...at,
        },
      ],
    };
  }
}

/** CloudFormation's short forms: `!Ref x` is `{ Ref: x }`, `!GetAtt a.b` is `{ "Fn::GetAtt": [a, b] }`. */
const INTRINSICS = [
  "Base64",
  "Cidr",
  "FindInMap",
  "GetAtt",
  "GetAZs",
  "ImportValue",
  "Join",
  "Select",
  "Split",
  "Sub",
  "Transform",
  "And",
  "Equals",
  "If",
  "Not",
  "Or",
  "Condition",
  "Length",
  "ToJsonString",
];

function intrinsic(name: string): (value: unknown) => unknown {
  if (name === "Ref") return (v) => ({ Ref: v });
  if (name === "Condition") return (v) => ({ Condition: v });
  if (name === "GetAtt")
    return (v) => ({
      "Fn::GetAtt": typeof v === "string" ? splitOnce(v) : v,
    });
  return (v) => ({ [`Fn::${name}`]: v });
}

function splitOnce(v: string): string[] {
  const dot = v.indexOf(".");
  return dot < 0 ? [v] : [v.slice(0, dot), v.slice(dot + 1)];
}

const CFN_TAGS: (ScalarTag | CollectionTag)[] = ["Ref", ...INTRINSICS].flatMap((name) => {
  const resolve = intrinsic(name);
  const tag = `!${name}`;
  return [
    { tag, identify: () => false, resolve: (str: string) => resolve(str) } as ScalarTag,
    {
      tag,
      collection: "seq",
      identify: () => false,
      resolve: (seq: YAMLSeq) => resolve(seq.toJSON()),
    } as unknown as CollectionTag,
    {
      tag,
      collection: "map",
      identify: () => false,
      resolve: (map: YAMLMap) => resolve(map.toJSON()),
    } as unknown as CollectionTag,
  ];
});

function readYaml(file: ImportFile): ReadResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(file.text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: CFN_TAGS,
  });
  const list = Array.isArray(docs) ? docs : [];
  const diagnostics: ImportDiagnostic[] = [];
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(Math.max(0, offset));
    return { line: p.line, column: p.col };
  };
  for (const doc of list) {
    for (const err of doc.errors) {
      diagnostics.push({
        code: "syntax",
        severity: "error",
        message: `not valid YAML: ${(err.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`,
        file: file.path,
        ...pos(err.pos[0]),
      });
    }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const documents: SourceDocument[] = [];
  list.forEach((doc, index) => {
    const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (data === null || data === undefined) return; // an empty document between separators
    const locate = (path: readonly PathKey[], at: "key" | "value" = "value"): Position => {
      let node: unknown = doc.contents;
      let best = rangeStart(node) ?? 0;
      for (const [i, key] of path.entries()) {
        let next: unknown;
        if (isMap(node)) {
          const pair = (node.items as Pair<unknown, unknown>[]).find(
            (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key),
          );
          if (pair && at === "key" && i === path.length - 1)
            return pos(rangeStart(pair.key) ?? best);
          next = pair?.value;
        } else if (isSeq(node)) next = node.items[Number(key)];
        else break;
        if (next === undefined || next === null) break;
        node = next;
        best = rangeStart(node) ?? best;
      }
      return pos(best);
    };
    documents.push({ file: file.path, index, data, locate });
  });
  return { ok: true, documents };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
