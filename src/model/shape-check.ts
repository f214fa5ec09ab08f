/**
 * @module model/shape-check
 * A fast check of a value against a zod schema, for input that is almost always right. zod
 * builds an issue list, a payload and a context per value, which for a 100k-component model
 * (five million values) takes longer than reading the file. This module compiles the schema's
 * containers (strict objects, records, arrays, unions, optionals, lazy schemas) into plain
 * closures once, and leaves every leaf (strings, numbers, enums, units and their transforms)
 * to zod's own `run`, so the two agree on what a value means.
 *
 * It answers only "valid, and here is zod's output" or "not valid": the caller then runs zod's
 * `safeParse` for the located problems. `shape-check.test.ts` checks that both give the same
 * output (but for keys set to undefined, see below), or both refuse, on generated inputs.
 */
import type * as z from "zod";

/** Returned by a check when the value does not fit. */
export const INVALID: unique symbol = Symbol("invalid");

type Check = (value: unknown) => unknown;

const CTX = { async: false } as const;
const compiled = new WeakMap<object, Check>();

/** The schema's output for `value`, or INVALID. */
export function quickParse<T>(schema: z.ZodType<T>, value: unknown): T | typeof INVALID {
  return checkerOf(schema as unknown as Schema)(value) as T | typeof INVALID;
}

interface Schema {
  readonly _zod: {
    readonly def: Record<string, unknown> & { readonly type: string };
    readonly optin?: "optional" | "defaulted";
    run(
      payload: { value: unknown; issues: unknown[] },
      ctx: unknown,
    ): {
      value: unknown;
      issues: unknown[];
    };
  };
}

interface CheckSchema {
  readonly _zod: { check(payload: { value: unknown; issues: unknown[] }): void };
}

function checkerOf(schema: Schema): Check {
  let check = compiled.get(schema);
  if (!check) {
    // Compiled on first call, so that recursive (lazy) schemas compile one level at a time.
    let inner: Check | undefined;
    check = (value) => {
      inner ??= compile(schema);
      return inner(value);
    };
    compiled.set(schema, check);
  }
  return check;
}

function compile(schema: Schema): Check {
  const def = schema._zod.def;
  // Refinements on a container are zod's to run.
  if (def.type !== "array" && (def.checks as unknown[] | undefined)?.length) return leaf(schema);
  switch (def.type) {
    case "object": {
      const catchall = def.catchall as Schema | undefined;
      if (catchall && catchall._zod.def.type !== "never") return leaf(schema);
      const shape = def.shape as Record<string, Schema>;
      const keys = Object.keys(shape);
      const known = new Set(keys);
      const fields = keys.map((key) => ({
        key,
        check: checkerOf(shape[key] as Schema),
        optional: (shape[key] as Schema)._zod.optin === "optional",
      }));
      const strict = catchall !== undefined;
      return (value) => {
        if (!isPlainObject(value)) return INVALID;
        const input = value as Record<string, unknown>;
        if (strict) for (const key in input) if (!known.has(key)) return INVALID;
        // NOTE: every key of the shape is set, in shape order, undefined when absent (zod
        // leaves absent keys out): all outputs of one schema then share one hidden class, and
        // reading a million dependencies' options stays monomorphic. Readers test values
        // against undefined, never key presence, so both forms read the same.
        const out: Record<string, unknown> = {};
        for (const { key, check, optional } of fields) {
          const v = input[key];
          if (v === undefined && !Object.hasOwn(input, key)) {
            if (!optional) return INVALID;
            out[key] = undefined;
            continue;
          }
          const r = check(v);
          if (r === INVALID) return INVALID;
          out[key] = r;
        }
        return out;
      };
    }
    case "record": {
      const keyCheck = checkerOf(def.keyType as Schema);
      const valueCheck = checkerOf(def.valueType as Schema);
      return (value) => {
        if (!isPlainObject(value)) return INVALID;
        const input = value as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(input)) {
          if (key === "__proto__" || keyCheck(key) !== key) return INVALID;
          const r = valueCheck(input[key]);
          if (r === INVALID) return INVALID;
          out[key] = r;
        }
        return out;
      };
    }
    case "array": {
      const element = checkerOf(def.element as Schema);
      const checks = (def.checks as CheckSchema[] | undefined) ?? [];
      return (value) => {
        if (!Array.isArray(value)) return INVALID;
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const r = element(value[i]);
          if (r === INVALID) return INVALID;
          out[i] = r;
        }
        for (const c of checks) {
          const payload = { value: out, issues: [] as unknown[] };
          c._zod.check(payload);
          if (payload.issues.length > 0) return INVALID;
        }
        return out;
      };
    }
    case "union": {
      const options = (def.options as Schema[]).map(checkerOf);
      return (value) => {
        for (const option of options) {
          const r = option(value);
          if (r !== INVALID) return r;
        }
        return INVALID;
      };
    }
    case "optional": {
      const inner = checkerOf(def.innerType as Schema);
      return (value) => (value === undefined ? undefined : inner(value));
    }
    case "lazy": {
      const getter = def.getter as () => Schema;
      let inner: Check | undefined;
      return (value) => {
        inner ??= checkerOf(getter());
        return inner(value);
      };
    }
    default:
      return leaf(schema);
  }
}

/** A schema zod runs itself: its output, or INVALID when it reports any issue. */
function leaf(schema: Schema): Check {
  return (value) => {
    const r = schema._zod.run({ value, issues: [] }, CTX);
    return r.issues.length > 0 ? INVALID : r.value;
  };
}

function isPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
