/**
 * @module sensitivity/vary
 * One number of a YAML file changed in its text, everything else left byte for byte: the
 * `yaml` package's document finds the scalar at the path and where it is written, and only
 * those characters are replaced (in the same quotes, if it had any). The varied file is then
 * read by the ordinary loaders, so it is checked like any file a user writes, and its problems
 * point at the same lines as the original's.
 */
import { isScalar, parseDocument, Scalar } from "yaml";
import type * as z from "zod";
import type { PathKey } from "../model/source.js";
import { type NumberRule, numberRuleAt } from "./number-rule.js";
import { type Scaled, scaleWritten } from "./quantity.js";

/** A number of a file as written, where, and what the schema demands of it. */
export interface WrittenNumber {
  /** The scalar: a YAML number, or text such as `115 rps`. */
  readonly value: string | number;
  /** Its characters in the file, quotes included. */
  readonly start: number;
  readonly end: number;
  readonly quote: "" | '"' | "'";
  readonly rule: NumberRule;
}

/** The number at `path` of `text` (a file whose schema is `schema`), or why it cannot be varied. */
export function writtenNumber(
  text: string,
  path: readonly PathKey[],
  schema: z.ZodType,
): WrittenNumber | { readonly problem: string } {
  const doc = parseDocument(text, { uniqueKeys: false });
  const node = doc.getIn(path, true);
  if (!isScalar(node) || node.range == null)
    return { problem: "it is not written as a plain value here (an alias or a merge key?)" };
  const quote =
    node.type === Scalar.QUOTE_DOUBLE ? '"' : node.type === Scalar.QUOTE_SINGLE ? "'" : "";
  if (node.type !== Scalar.PLAIN && quote === "")
    return { problem: "it is written as a block scalar; write it on one line to vary it" };
  const value = node.value;
  if (typeof value !== "string" && typeof value !== "number")
    return { problem: "it is not a number or a text" };
  const [start, end] = node.range;
  return { value, start, end, quote, rule: numberRuleAt(schema, doc.toJS(), path) };
}

export interface Varied extends Scaled {
  /** The whole file with the number replaced. */
  readonly text: string;
}

/** `text` with the number `at` multiplied by `factor`, or why it cannot be written. */
export function varyText(
  text: string,
  at: WrittenNumber,
  factor: number,
): Varied | { readonly problem: string } {
  const scaled = scaleWritten(at.value, factor, at.rule);
  if ("problem" in scaled) return scaled;
  const written = `${at.quote}${scaled.written}${at.quote}`;
  return { ...scaled, text: text.slice(0, at.start) + written + text.slice(at.end) };
}
