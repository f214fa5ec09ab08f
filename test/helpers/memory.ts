/**
 * In-memory model files for tests: `memoryModel({ "a.yaml": "..." })` parses a model from text
 * without touching the disk.
 */
import { type ParseResult, parseModel } from "../../src/model/load.js";
import type { Model } from "../../src/model/types.js";

export function parseTexts(
  files: Readonly<Record<string, string>>,
  root = Object.keys(files)[0] as string,
): ParseResult {
  return parseModel(root, (path) => files[path]);
}

export function modelOf(text: string): Model {
  const r = parseTexts({ "model.yaml": text });
  if (!r.ok)
    throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n"));
  return r.model;
}

/** A region with three zones, for small models. */
export const DOMAINS = `
domains:
  cloud:
    contains:
      r1:
        contains: [r1-a, r1-b, r1-c]
      r2:
        contains: [r2-a, r2-b, r2-c]
`;
