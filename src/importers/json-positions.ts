/**
 * @module importers/json-positions
 * A JSON parser that remembers where every object and array starts, for the JSON inputs of the
 * importers (Terraform's `show -json`, CloudFormation templates, OTLP exports), which can be
 * tens of megabytes: `yaml` gives positions too, but took 8 s on a 13 MB Terraform state, where
 * this single recursive-descent pass (RFC 8259) takes a fraction of a second.
 *
 * Values are what `JSON.parse` gives, except that a duplicate key is an error (JSON.parse keeps
 * the last one silently) and `__proto__` stays an ordinary key. A syntax error carries the
 * offset where it was found.
 */

export class JsonSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "JsonSyntaxError";
    this.offset = offset;
  }
}

export interface ParsedJson {
  /** The value; with `stream`, the list of the values one after the other (JSON Lines). */
  readonly value: unknown;
  /** Offset of the opening brace or bracket of every object and array. */
  readonly starts: WeakMap<object, number>;
}

const MAX_DEPTH = 1000;

/**
 * Parses JSON text; with `stream`, a sequence of values separated by white space, as JSON Lines
 * files hold (the OpenTelemetry Collector's file exporter writes one export per line).
 */
export function parseJson(text: string, stream = false): ParsedJson {
  const starts = new WeakMap<object, number>();
  let i = 0;
  const n = text.length;

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const describe = (at: number) =>
    at >= n ? "the end of the file" : `'${text.slice(at, at + 1)}'`;

  const string = (): string => {
    const start = ++i;
    let escaped = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 0x20) fail("a control character inside a string must be escaped");
      i++;
    }
    if (i >= n) fail("a string is not closed", start - 1);
    const raw = text.slice(start, i);
    i++;
    if (!escaped) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return fail("a string has an invalid escape", start - 1);
    }
  };

  const number = (): number => {
    const start = i;
    if (text.charCodeAt(i) === 0x2d) i++;
    while (i < n) {
      const d = text.charCodeAt(i);
      // digits, '.', 'e', 'E', '+', '-': the regular expression below checks the order
      if (
        (d >= 0x30 && d <= 0x39) ||
        d === 0x2e ||
        d === 0x65 ||
        d === 0x45 ||
        d === 0x2b ||
        d === 0x2d
      )
        i++;
      else break;
    }
    const raw = text.slice(start, i);
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(raw))
      fail(`'${raw}' is not a JSON number`, start);
    return Number(raw);
  };

  const literal = (word: string, value: unknown): unknown => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail(`unexpected ${describe(i)}: expected a value`);
  };

  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    ws();
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      const obj: Record<string, unknown> = {};
      starts.set(obj, i);
      i++;
      ws();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text.charCodeAt(i) !== 0x22)
          fail(`unexpected ${describe(i)}: expected a key in quotes`);
        const keyAt = i;
        const key = string();
        ws();
        if (text.charCodeAt(i) !== 0x3a) fail(`unexpected ${describe(i)}: expected ':'`);
        i++;
        const v = value(depth + 1);
        if (Object.hasOwn(obj, key)) fail(`the key '${key}' appears twice in one object`, keyAt);
        if (key === "__proto__")
          Object.defineProperty(obj, key, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else obj[key] = v;
        ws();
        const d = text.charCodeAt(i);
        if (d === 0x2c) {
          i++;
          continue;
        }
        if (d === 0x7d) {
          i++;
          return obj;
        }
        fail(`unexpected ${describe(i)}: expected ',' or '}'`);
      }
    }
    if (c === 0x5b) {
      const arr: unknown[] = [];
      starts.set(arr, i);
      i++;
      ws();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        const d = text.charCodeAt(i);
        if (d === 0x2c) {
          i++;
          continue;
        }
        if (d === 0x5d) {
          i++;
          return arr;
        }
        fail(`unexpected ${describe(i)}: expected ',' or ']'`);
      }
    }
    if (c === 0x22) return string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return number();
    if (c === 0x74) return literal("true", true);
    if (c === 0x66) return literal("false", false);
    if (c === 0x6e) return literal("null", null);
    return fail(`unexpected ${describe(i)}: expected a value`);
  };

  // A byte-order mark is allowed before the text.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  if (stream) {
    const values: unknown[] = [];
    for (ws(); i < n; ws()) values.push(value(0));
    return { value: values, starts };
  }
  const result = value(0);
  ws();
  if (i < n) fail(`unexpected ${describe(i)} after the end of the JSON value`);
  return { value: result, starts };
}
