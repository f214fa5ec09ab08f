/**
 * @module model/yaml-scalars
 * Scalars for the fast YAML reader (`yaml-fast.ts`): plain scalars resolved with the YAML 1.2
 * core schema as `yaml` resolves them, a cache of the short ones, and single-line quoted ones.
 */

/** Bounds of the size of the cache of short scalars (powers of two). */
const MIN_CACHE_SIZE = 4096;
const MAX_CACHE_SIZE = 1 << 18;

/**
 * Short plain scalars seen before, by a hash of their characters: keys and values repeat (kind,
 * timeout, 200ms…) and reusing the string and its resolved value spares an allocation each.
 * The cache grows with the text, one slot per 256 characters: a large model names each of its
 * components as a dependency ten times, and an id found here is a string V8 has already made a
 * property key, where a new copy would be looked up in its string table again (NOTE: at 100k
 * components, a quarter of reading was that lookup).
 */
export class ScalarCache {
  private readonly mask: number;
  private readonly cachedText: (string | undefined)[];
  private readonly cachedValue: unknown[];
  private readonly cachedFlow: Uint8Array;
  /** The text of the last scalar read, and whether it holds a flow indicator. */
  text = "";
  flow = false;

  /** A cache for reading a text of `length` characters. */
  constructor(length: number) {
    let size = MIN_CACHE_SIZE;
    while (size < MAX_CACHE_SIZE && size * 256 < length) size *= 2;
    this.mask = size - 1;
    this.cachedText = new Array<string | undefined>(size);
    this.cachedValue = new Array<unknown>(size);
    this.cachedFlow = new Uint8Array(size);
  }

  /** The resolved value of the plain scalar at start..end of `s`. */
  read(s: string, start: number, end: number): unknown {
    const length = end - start;
    if (length > 32) {
      const text = s.slice(start, end);
      this.text = text;
      this.flow = FLOW.test(text);
      return resolvePlain(text);
    }
    let h = length;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    const slot = (h ^ (h >>> 13)) & this.mask;
    const known = this.cachedText[slot];
    if (known !== undefined && known.length === length && s.startsWith(known, start)) {
      this.text = known;
      this.flow = this.cachedFlow[slot] === 1;
      return this.cachedValue[slot];
    }
    const text = s.slice(start, end);
    const value = resolvePlain(text);
    this.cachedText[slot] = text;
    this.cachedValue[slot] = value;
    this.flow = FLOW.test(text);
    this.cachedFlow[slot] = this.flow ? 1 : 0;
    this.text = text;
    return value;
  }
}

const FLOW = /[[\]{},]/;

/**
 * The offset just after the quoted scalar that starts at `at`, or -1 when it is not one this
 * reader takes: unterminated, over several lines, or (double-quoted) with escapes.
 */
export function quotedEnd(s: string, at: number): number {
  const q = s[at];
  if (q === '"') {
    const end = s.indexOf('"', at + 1);
    if (end < 0) return -1;
    const nl = s.indexOf("\n", at + 1);
    const bs = s.indexOf("\\", at + 1);
    if ((nl >= 0 && nl < end) || (bs >= 0 && bs < end)) return -1;
    return end + 1;
  }
  for (let i = at + 1; ; ) {
    const end = s.indexOf("'", i);
    if (end < 0) return -1;
    const nl = s.indexOf("\n", i);
    if (nl >= 0 && nl < end) return -1;
    if (s[end + 1] === "'") {
      i = end + 2;
      continue;
    }
    return end + 1;
  }
}

/** The value of the quoted scalar at start..end (quotes included). */
export function unquote(s: string, start: number, end: number): string {
  const body = s.slice(start + 1, end - 1);
  return s[start] === "'" ? body.replaceAll("''", "'") : body;
}

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_RE = /^[-+]?[0-9]+$/;
const OCT_RE = /^0o[0-7]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** A plain scalar's value under the YAML 1.2 core schema. */
export function resolvePlain(text: string): unknown {
  if (text === "") return null;
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    // Starts with a digit: a number only if every character can be part of one.
    for (let i = 1; i < text.length; i++) {
      const d = text.charCodeAt(i);
      const numeric =
        (d >= 48 && d <= 57) ||
        d === 46 ||
        d === 43 ||
        d === 45 ||
        (d >= 97 && d <= 102) ||
        (d >= 65 && d <= 70) ||
        d === 111 ||
        d === 120;
      if (!numeric) return text;
    }
    return number(text) ?? text;
  }
  if (c === 43 || c === 45 || c === 46) return number(text) ?? special(text) ?? text;
  if (c === 126 || c === 110 || c === 78) return NULL_RE.test(text) ? null : text;
  if (c === 116 || c === 84 || c === 102 || c === 70)
    return BOOL_RE.test(text) ? text[0] === "t" || text[0] === "T" : text;
  return text;
}

function number(text: string): number | undefined {
  if (INT_RE.test(text)) return Number.parseInt(text, 10);
  if (FLOAT_RE.test(text)) return Number.parseFloat(text);
  if (OCT_RE.test(text)) return Number.parseInt(text.slice(2), 8);
  if (HEX_RE.test(text)) return Number.parseInt(text.slice(2), 16);
  return undefined;
}

function special(text: string): number | undefined {
  if (!SPECIAL_RE.test(text)) return undefined;
  if (text.endsWith("nan") || text.endsWith("NaN") || text.endsWith("NAN")) return Number.NaN;
  return text[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}
