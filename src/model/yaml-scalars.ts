/**
 * @module model/yaml-scalars
 * Scalars for the fast YAML reader (`yaml-fast.ts`): plain scalars resolved with the YAML 1.2
 * core schema as `yaml` resolves them, a cache of the short ones, and single-line quoted ones.
 */

/** Size of the cache of short scalars (a power of two). */
const CACHE_SIZE = 4096;

/**
 * Short plain scalars seen before, by a hash of their characters: keys and values repeat (kind,
 * timeout, 200ms…) and reusing the string and its resolved value spares an allocation each.
 */
export class ScalarCache {
  private readonly cachedText = new Array<string | undefined>(CACHE_SIZE);
  private readonly cachedValue = new Array<unknown>(CACHE_SIZE);
  private readonly cachedFlow = new Uint8Array(CACHE_SIZE);
  /** The text of the last scalar read, and whether it holds a flow indicator. */
  text = "";
  flow = false;

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
    const slot = (h ^ (h >>> 13)) & (CACHE_SIZE - 1);
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
