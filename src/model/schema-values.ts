/**
 * @module model/schema-values
 * The building blocks of the model and scenario schemas: strict objects that name their allowed
 * keys, values in units (durations, rates, percentages, counts, sizes) and ids.
 */
import * as z from "zod";
import {
  COUNT_PATTERN,
  DURATION_PATTERN,
  PERCENT_PATTERN,
  parseCount,
  parseDuration,
  parsePercent,
  parseRate,
  parseSize,
  RATE_PATTERN,
  SIZE_PATTERN,
} from "./units.js";

/** Marker prefix of the message given to unknown keys; `diagnostics.ts` reads it back. */
export const ALLOWED_KEYS_MARK = "allowed keys: ";

/** A strict object whose unknown-key issue carries the allowed keys, for "did you mean". */
export function obj<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys" ? `${ALLOWED_KEYS_MARK}${allowed}` : undefined,
  });
}

function unit(parse: (v: string) => number | string, pattern: string, description: string) {
  return z
    .custom<string | number>((v) => typeof v === "string" || typeof v === "number", {
      message: description,
    })
    .transform((v, ctx) => {
      const r = parse(String(v));
      if (typeof r === "string") {
        ctx.addIssue({ code: "custom", message: r, input: v });
        return z.NEVER;
      }
      return r;
    })
    .meta({ type: "string", pattern, description });
}

export const duration = unit(
  parseDuration,
  DURATION_PATTERN,
  "A duration such as 250ms, 30s, 5m, 1h30m or 4d",
);
export const rate = unit(
  parseRate,
  RATE_PATTERN,
  "A rate such as 200 rps, 50k rps, 12k rpm or 300/min",
);

export const percent = numberOrText(
  parsePercent,
  PERCENT_PATTERN,
  { minimum: 0, maximum: 1 },
  "A percentage such as 99.95%, or a fraction between 0 and 1",
);

export const count = numberOrText(
  parseCount,
  COUNT_PATTERN,
  { minimum: 0 },
  "A count such as 500, 10k or 2M",
);

export const size = numberOrText(
  parseSize,
  SIZE_PATTERN,
  { minimum: 0 },
  "A size such as 512KB, 4MiB or 1.5GB, or a number of bytes",
);

/**
 * A value written as text in its unit or as a plain number, read by `parse` (which returns a
 * message for what it cannot read); the JSON Schema offers both forms.
 */
function numberOrText(
  parse: (v: string | number) => number | string,
  pattern: string,
  bounds: { readonly minimum: number; readonly maximum?: number },
  description: string,
) {
  return z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      const r = parse(v);
      if (typeof r === "string") {
        ctx.addIssue({ code: "custom", message: r, input: v });
        return z.NEVER;
      }
      return r;
    })
    .meta({
      anyOf: [
        { type: "string", pattern },
        { type: "number", ...bounds },
      ],
      description,
    });
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;
export const id = z
  .string()
  .regex(
    ID_PATTERN,
    "an id starts with a letter or digit and uses letters, digits and . _ : / @ -",
  );
export const ids = z.array(id);
export const idMap = <T extends z.ZodType>(value: T) => z.record(id, value);
