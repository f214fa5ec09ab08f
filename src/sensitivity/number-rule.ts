/**
 * @module sensitivity/number-rule
 * What a file's schema demands of the number at a path: a whole number within bounds
 * (`retry.attempts`: 1–100), or a percentage (at most 100%). A varied value must keep to it, or
 * the varied file would be refused for a reason that says nothing about the system.
 *
 * The schema is walked along the path the way `model/shape-check.ts` walks it (objects,
 * records, arrays, unions, optionals, lazy and piped schemas); a discriminated union takes the
 * branch the file's value names. Anything the walk does not recognise demands nothing.
 */
import * as z from "zod";
import { percent } from "../model/schema-values.js";
import type { PathKey } from "../model/source.js";

export interface NumberRule {
  /** Only whole numbers are accepted there. */
  readonly integer: boolean;
  readonly min?: number;
  readonly max?: number;
  /** A percentage: a fraction at most 1 (100%). */
  readonly percent: boolean;
}

const FREE: NumberRule = { integer: false, percent: false };

interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Whether `schema` is the model's percentage. NOTE: by its definition, which a described copy
 * (`percent.describe(…)`) shares, rather than by identity.
 */
const isPercent = (schema: z.ZodType) => defOf(schema) === defOf(percent);

/** The rule for the number at `path` of a file whose value is `data` and schema `schema`. */
export function numberRuleAt(
  schema: z.ZodType,
  data: unknown,
  path: readonly PathKey[],
): NumberRule {
  const leaf = leafAt(schema, data, path, 0);
  return leaf === undefined ? FREE : ruleOf(leaf);
}

function ruleOf(schema: z.ZodType): NumberRule {
  if (isPercent(schema)) return { integer: false, percent: true, min: 0, max: 1 };
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return ruleOf(def.innerType as z.ZodType);
  if (schema instanceof z.ZodNumber) {
    return {
      integer: schema.isInt,
      percent: false,
      ...(schema.minValue !== null && Number.isFinite(schema.minValue)
        ? { min: schema.minValue }
        : {}),
      ...(schema.maxValue !== null && Number.isFinite(schema.maxValue)
        ? { max: schema.maxValue }
        : {}),
    };
  }
  return FREE;
}

/** Schemas that hold one other schema and accept what it accepts (or nothing at all). */
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch"]);

function leafAt(
  schema: z.ZodType,
  value: unknown,
  path: readonly PathKey[],
  i: number,
): z.ZodType | undefined {
  if (isPercent(schema)) return i === path.length ? schema : undefined;
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return leafAt(def.innerType as z.ZodType, value, path, i);
  if (def.type === "lazy") return leafAt((def.getter as () => z.ZodType)(), value, path, i);
  if (i === path.length) return schema;
  const key = path[i] as PathKey;
  const child =
    value !== null && typeof value === "object"
      ? (value as Record<string, unknown>)[String(key)]
      : undefined;
  switch (def.type) {
    case "pipe":
      return (
        leafAt(def.in as z.ZodType, value, path, i) ?? leafAt(def.out as z.ZodType, value, path, i)
      );
    case "union": {
      for (const option of branches(def, value)) {
        const leaf = leafAt(option, value, path, i);
        if (leaf !== undefined) return leaf;
      }
      return undefined;
    }
    case "object": {
      const shape = def.shape as Record<string, z.ZodType>;
      const next = Object.hasOwn(shape, String(key)) ? shape[String(key)] : undefined;
      return next === undefined ? undefined : leafAt(next, child, path, i + 1);
    }
    case "record":
      return leafAt(def.valueType as z.ZodType, child, path, i + 1);
    case "array":
      return typeof key === "number"
        ? leafAt(def.element as z.ZodType, child, path, i + 1)
        : undefined;
    default:
      return undefined;
  }
}

/** A union's options; of a discriminated union, the one the value names when it names one. */
function branches(def: Def, value: unknown): readonly z.ZodType[] {
  const options = def.options as readonly z.ZodType[];
  const key = def.discriminator as string | undefined;
  if (key === undefined || value === null || typeof value !== "object") return options;
  const named = (value as Record<string, unknown>)[key];
  const chosen = options.filter((option) => {
    const shape = defOf(option).shape as Record<string, z.ZodType> | undefined;
    const literal = shape?.[key];
    if (literal === undefined) return false;
    const values = defOf(literal).values as readonly unknown[] | undefined;
    return values?.includes(named) === true;
  });
  return chosen.length > 0 ? chosen : options;
}
