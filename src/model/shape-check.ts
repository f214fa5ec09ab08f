/**
 * @module model/shape-check
 * A fast check of a value against a zod schema, for input that is almost always right. zod
 * builds an issue list, a payload and a context per value, which for a 100k-component model
 * (five million values) takes longer than reading the file. This module compiles the schema's
 * containers (strict objects, records, arrays, unions, optionals, lazy schemas) into plain
 * closures once, and leaves every leaf (strings, numbers, units and their transforms) to zod's
 * own `run`, so the two agree on what a value means. Three kinds of leaf are answered here,
 * where zod's answer is plain: `null`, literals and enums (a lookup in zod's set of values), and
 * strings checked by regular expressions alone, the ids (the expressions themselves).
 *
 * It answers only "valid, and here is zod's output" or "not valid": the caller then runs zod's
 * `safeParse` for the located problems. `shape-check.test.ts` checks that both give the same
 * output (but for keys set to undefined, see below), or both refuse, on generated inputs.
 *
 * `quickParseInPlace` writes the output into the value itself instead of copying it: for a
 * 100k-component model the copy is 300 MB that the garbage collector moves twice.
 */
import type * as z from "zod";

/** Returned by a check when the value does not fit. */
export const INVALID: unique symbol = Symbol("invalid");

type Check = (value: unknown) => unknown;

/** Whether a check builds its output beside the input (`copy`) or writes it into the input. */
type Mode = "copy" | "in-place";

const CTX = { async: false } as const;
const compiled: Record<Mode, WeakMap<object, Check>> = {
  copy: new WeakMap(),
  "in-place": new WeakMap(),
};

/**
 * How many values the in-place checks have rewritten so far: a union whose option failed after
 * rewriting part of the value cannot try its next option on what is left (see `union`).
 */
let rewrites = 0;

/** The schema's output for `value`, or INVALID. */
export function quickParse<T>(schema: z.ZodType<T>, value: unknown): T | typeof INVALID {
  return checkWhole(checkerOf(schema as unknown as Schema, "copy"), value) as T | typeof INVALID;
}

/**
 * The schema's output for `value`, written into `value` itself (its mappings and sequences stay
 * the same objects, with their keys in the order written), or INVALID. On INVALID, `value` may
 * be partly rewritten: the caller must not read it again. `value` must hold each mapping and
 * sequence once (no YAML aliases), or a shared one would be checked again in its output form.
 */
export function quickParseInPlace<T>(schema: z.ZodType<T>, value: unknown): T | typeof INVALID {
  return checkWhole(checkerOf(schema as unknown as Schema, "in-place"), value) as
    | T
    | typeof INVALID;
}

interface Schema {
  readonly _zod: {
    readonly def: Record<string, unknown> & { readonly type: string };
    readonly optin?: "optional" | "defaulted";
    /** The values a literal, an enum or `null` takes. */
    readonly values?: ReadonlySet<unknown>;
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
  readonly _zod: {
    readonly def?: Record<string, unknown>;
    check(payload: { value: unknown; issues: unknown[] }): void;
  };
}

function checkerOf(schema: Schema, mode: Mode): Check {
  let check = compiled[mode].get(schema);
  if (!check) {
    // Compiled on first call, so that recursive (lazy) schemas compile one level at a time.
    let inner: Check | undefined;
    check = (value) => {
      inner ??= compile(schema, mode);
      return inner(value);
    };
    compiled[mode].set(schema, check);
  }
  return check;
}

function compile(schema: Schema, mode: Mode): Check {
  const def = schema._zod.def;
  const patterns = stringPatterns(def);
  if (patterns) return matching(patterns);
  // Refinements on a container are zod's to run.
  if (def.type !== "array" && (def.checks as unknown[] | undefined)?.length) return leaf(schema);
  switch (def.type) {
    case "object": {
      const catchall = def.catchall as Schema | undefined;
      if (catchall && catchall._zod.def.type !== "never") return leaf(schema);
      return (mode === "copy" ? objectCopy : objectInPlace)(
        def.shape as Record<string, Schema>,
        catchall !== undefined,
      );
    }
    case "record":
      return (mode === "copy" ? recordCopy : recordInPlace)(
        checkerOf(def.keyType as Schema, mode),
        checkerOf(def.valueType as Schema, mode),
      );
    case "array":
      return array(
        checkerOf(def.element as Schema, mode),
        (def.checks as CheckSchema[] | undefined) ?? [],
        mode,
      );
    case "union":
      return union((def.options as Schema[]).map((option) => checkerOf(option, mode)));
    case "optional": {
      const inner = checkerOf(def.innerType as Schema, mode);
      return (value) => (value === undefined ? undefined : inner(value));
    }
    case "lazy": {
      const getter = def.getter as () => Schema;
      let inner: Check | undefined;
      return (value) => {
        inner ??= checkerOf(getter(), mode);
        return inner(value);
      };
    }
    case "null":
    case "literal":
    case "enum":
      return oneOf(schema);
    default:
      return leaf(schema);
  }
}

/**
 * A schema whose output is its input, one of a few values (`null`, a literal, an enum): a
 * lookup in zod's own set of them. NOTE: the `null` option of a dependency's options was run by
 * zod a million times at 100k components, failing each time with an issue built and dropped.
 */
function oneOf(schema: Schema): Check {
  const values = schema._zod.values;
  if (values === undefined) return leaf(schema);
  return (value) => (values.has(value) ? value : INVALID);
}

/**
 * The patterns of a string schema whose only checks are regular expressions (the ids), or
 * undefined for any other schema.
 */
function stringPatterns(def: Schema["_zod"]["def"]): RegExp[] | undefined {
  // A format (an email, a URL) is a check of its own, outside `checks`.
  const d = def as { coerce?: boolean; format?: string };
  if (def.type !== "string" || d.coerce === true || d.format !== undefined) return undefined;
  const checks = (def.checks as CheckSchema[] | undefined) ?? [];
  const patterns: RegExp[] = [];
  for (const c of checks) {
    const d = (c._zod.def ?? {}) as { check?: string; format?: string; pattern?: unknown };
    if (d.check !== "string_format" || d.format !== "regex" || !(d.pattern instanceof RegExp))
      return undefined;
    // A global or sticky expression keeps state between tests.
    if (d.pattern.global || d.pattern.sticky) return undefined;
    patterns.push(d.pattern);
  }
  return patterns.length > 0 ? patterns : undefined;
}

/**
 * A string schema checked by its patterns alone (its output is its input). NOTE: an id is
 * tested in tens of nanoseconds, where a leaf's cache of a hundred thousand ids missed the
 * processor's caches on most of the million dependency targets at 100k components.
 */
function matching(patterns: readonly RegExp[]): Check {
  return (value) => {
    if (typeof value !== "string") return INVALID;
    for (const p of patterns) if (!p.test(value)) return INVALID;
    return value;
  };
}

interface Field {
  readonly key: string;
  readonly check: Check;
  readonly optional: boolean;
}

function fieldsOf(shape: Record<string, Schema>, mode: Mode): Field[] {
  return Object.keys(shape).map((key) => ({
    key,
    check: checkerOf(shape[key] as Schema, mode),
    optional: (shape[key] as Schema)._zod.optin === "optional",
  }));
}

/** Whether `input` has a key outside `known`, which a strict object refuses. */
function hasUnknownKey(input: object, known: ReadonlySet<string>): boolean {
  for (const key in input) if (!known.has(key)) return true;
  return false;
}

function objectCopy(shape: Record<string, Schema>, strict: boolean): Check {
  const known = new Set(Object.keys(shape));
  const fields = fieldsOf(shape, "copy");
  return (value) => {
    if (!isPlainObject(value)) return INVALID;
    const input = value as Record<string, unknown>;
    if (strict && hasUnknownKey(input, known)) return INVALID;
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

/**
 * As `objectCopy`, but absent keys stay absent, as in zod's output. It walks the keys written
 * rather than every key of the shape: a dependency's options have a dozen keys, most absent,
 * and reading an absent key from objects of many shapes is a slow lookup.
 */
function objectInPlace(shape: Record<string, Schema>, strict: boolean): Check {
  const fields = new Map(fieldsOf(shape, "in-place").map((f) => [f.key, f]));
  const required = [...fields.values()].filter((f) => !f.optional).length;
  return (value) => {
    if (!isPlainObject(value)) return INVALID;
    const input = value as Record<string, unknown>;
    let seen = 0;
    for (const key in input) {
      const field = fields.get(key);
      if (field === undefined) {
        if (strict) return INVALID;
        continue;
      }
      if (!field.optional) seen++;
      const v = input[key];
      const r = field.check(v);
      if (r === INVALID) return INVALID;
      if (r !== v) rewrite(input, key, r);
    }
    return seen === required ? input : INVALID;
  };
}

function recordCopy(keyCheck: Check, valueCheck: Check): Check {
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

function recordInPlace(keyCheck: Check, valueCheck: Check): Check {
  return (value) => {
    if (!isPlainObject(value)) return INVALID;
    const input = value as Record<string, unknown>;
    for (const key in input) {
      if (key === "__proto__" || keyCheck(key) !== key) return INVALID;
      const v = input[key];
      const r = valueCheck(v);
      if (r === INVALID) return INVALID;
      if (r !== v) rewrite(input, key, r);
    }
    return input;
  };
}

function array(element: Check, checks: readonly CheckSchema[], mode: Mode): Check {
  return (value) => {
    if (!Array.isArray(value)) return INVALID;
    const out = mode === "copy" ? new Array<unknown>(value.length) : value;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const r = element(v);
      if (r === INVALID) return INVALID;
      if (mode === "copy") out[i] = r;
      else if (r !== v) rewrite(out, i, r);
    }
    for (const c of checks) {
      const payload = { value: out, issues: [] as unknown[] };
      c._zod.check(payload);
      if (payload.issues.length > 0) return INVALID;
    }
    return out;
  };
}

function union(options: readonly Check[]): Check {
  return (value) => {
    for (const option of options) {
      const before = rewrites;
      const r = option(value);
      if (r !== INVALID) return r;
      // The next option would see the value partly rewritten: let zod decide.
      if (rewrites !== before) return INVALID;
    }
    return INVALID;
  };
}

function rewrite(container: Record<string, unknown> | unknown[], key: string | number, r: unknown) {
  (container as Record<string | number, unknown>)[key] = r;
  rewrites++;
}

/**
 * A schema zod runs itself: its output, or INVALID when it reports any issue. A leaf's output
 * for a string, number or boolean depends on that value alone (units, formats: pure transforms
 * and checks), so valid ones are remembered, up to LEAF_CACHE_SIZE per leaf, while one value is
 * checked: a large model repeats `200ms` and `99.9%` a million times.
 */
function leaf(schema: Schema): Check {
  const cache = new Map<unknown, unknown>();
  leafCaches.push(cache);
  return (value) => {
    // Not 0: a Map takes -0 for 0, and a leaf might tell them apart.
    const primitive = typeof value === "string" || (typeof value === "number" && value !== 0);
    if (primitive) {
      const known = cache.get(value);
      if (known !== undefined) return known;
    }
    const r = schema._zod.run({ value, issues: [] }, CTX);
    if (r.issues.length > 0) return INVALID;
    const out = r.value;
    // Only a primitive output may be shared between places (an object would be written in place).
    if (
      primitive &&
      cache.size < LEAF_CACHE_SIZE &&
      (typeof out === "string" || typeof out === "number" || typeof out === "boolean")
    )
      cache.set(value, out);
    return out;
  };
}

const LEAF_CACHE_SIZE = 1 << 16;

/**
 * Every leaf's cache, emptied after each check: the strings they hold may be slices of a large
 * file's text, which must not stay alive with the compiled schema.
 */
const leafCaches: Map<unknown, unknown>[] = [];

/** Runs one check of a whole value, emptying the leaves' caches afterwards. */
function checkWhole(check: Check, value: unknown): unknown {
  try {
    return check(value);
  } finally {
    for (const cache of leafCaches) cache.clear();
  }
}

function isPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
