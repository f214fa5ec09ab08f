/**
 * @module model/yaml-fast
 * A fast reader for the plain subset of YAML that model files are written in: block mappings
 * and sequences, single-line flow collections, plain and quoted single-line scalars (resolved
 * with the YAML 1.2 core schema, see `yaml-scalars.ts`), comments. It builds the value and the
 * offsets of keys and values in one pass. Anything outside the subset (anchors, tags, block or
 * multi-line scalars, escapes, several documents, keys that are not text) or not valid YAML
 * makes it give up (`undefined`); the caller then reads the file with the complete `yaml`
 * parser, which also words the errors. On its subset it gives exactly what `yaml` gives (the
 * property test in `yaml-fast.test.ts` compares them), about twenty times faster.
 */
import { quotedEnd, ScalarCache, unquote } from "./yaml-scalars.js";

/** Offsets of one mapping or sequence: [start, end, then per entry keyStart, keyEnd, valueStart, valueEnd]. */
export type Offsets = number[];

export interface FastYaml {
  readonly data: unknown;
  /** Offsets of every mapping and sequence of `data`; sequences have keyStart = keyEnd = -1. */
  readonly offsets: ReadonlyMap<object, Offsets>;
  /** Keys written twice in one mapping: offsets of the repeated key and of its first use. */
  readonly duplicates: readonly {
    readonly at: number;
    readonly first: number;
    readonly key: string;
  }[];
}

class GiveUp {}
const GIVE_UP = new GiveUp();

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Tabs, carriage returns, control characters and byte-order marks: left to the full parser. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNUSUAL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/** Characters that cannot start a plain scalar in this subset. */
const INDICATORS = new Set("-?:,[]{}#&*!|>'\"%@`");

/** Deeper nesting is left to the full parser, which reports it (see source-full.ts). */
export const MAX_DEPTH = 64;

/**
 * The value and offsets of `text`, or undefined when it is not in the subset; then `stop.at`
 * (when given) is the offset where the reader gave up.
 */
export function readFastYaml(
  text: string,
  stop?: { at: number },
  all = false,
): FastYaml | undefined {
  const unusual = UNUSUAL.exec(text);
  if (unusual) {
    if (stop) stop.at = unusual.index;
    return undefined;
  }
  const reader = new Reader(text, all);
  try {
    return reader.document();
  } catch (err) {
    if (err === READ_ALL) return readFastYaml(text, stop, true);
    if (err !== GIVE_UP) throw err;
    if (stop) stop.at = reader.at;
    return undefined;
  }
}

/**
 * Offsets are kept for the mappings and sequences down to this depth (the root is 1: sections,
 * their entries, and the collections inside an entry such as `needs` or `records`), and for
 * all of `domains`: those are where the entities whose locations the model keeps are written.
 * Deeper ones (a dependency's options, a retry policy) are located only when a problem is
 * reported there, by reading the text again with every offset (`all`). NOTE: this halves the
 * memory of a 100k-component model.
 */
export const KEPT_DEPTH = 4;

/**
 * Keys whose mapping is keyed by ids (`components`, a component's `needs`): each such mapping
 * has its own set of keys, and an ordinary object would make V8 build a hidden class per key
 * added — a million of them, long-lived, for the dependencies of a 100k-component model. These
 * mappings are made in dictionary mode instead. NOTE: a matter of speed only; the value reads
 * the same either way.
 */
const ID_KEYED: ReadonlySet<string> = new Set(["components", "needs", "wants"]);

/** Thrown when a key is written twice where offsets are not kept: read again, keeping all. */
const READ_ALL = new GiveUp();

class Reader {
  private pos = 0;
  private depth = 0;
  private inDomains = false;
  private readonly offsets = new Map<object, Offsets>();
  private readonly duplicates: { at: number; first: number; key: string }[] = [];
  private readonly scalars: ScalarCache;
  /** The text of the last scalar read by `plain`, and whether it holds a flow indicator. */
  private plainText = "";
  private plainFlow = false;
  /** End offset of the last block collection read. */
  private blockEnd = 0;
  constructor(
    private readonly src: string,
    private readonly all: boolean,
  ) {
    this.scalars = new ScalarCache(src.length);
  }

  /** Whether the next mapping is the value of a key in ID_KEYED. */
  private idKeyed = false;

  /**
   * A new mapping: an ordinary object, or, as the value of a key in ID_KEYED, one in V8's
   * dictionary mode (still with Object's prototype, so it reads as any other).
   */
  private newMapping(): Record<string, unknown> {
    if (!this.idKeyed) return {};
    this.idKeyed = false;
    return Object.setPrototypeOf(Object.create(null), Object.prototype);
  }

  /** Whether offsets are kept for a collection at the current depth. */
  private keeps(): boolean {
    return this.all || this.depth <= KEPT_DEPTH || this.inDomains;
  }

  /** The resolved value of the plain scalar at start..end; its text is left in `plainText`. */
  private plain(start: number, end: number): unknown {
    const value = this.scalars.read(this.src, start, end);
    this.plainText = this.scalars.text;
    this.plainFlow = this.scalars.flow;
    return value;
  }

  get at(): number {
    return this.pos;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
  }

  document(): FastYaml {
    const indent = this.nextContentLine();
    if (indent < 0 || indent > 0) throw GIVE_UP;
    const c = this.src.charCodeAt(this.pos);
    if (this.src.startsWith("---", this.pos) || this.src.startsWith("...", this.pos) || c === 37)
      throw GIVE_UP;
    const data = this.isSequenceItem() ? this.blockSequence(0) : this.blockMapping(0);
    if (this.nextContentLine() >= 0) throw GIVE_UP;
    return { data, offsets: this.offsets, duplicates: this.duplicates };
  }

  /**
   * Moves to the first character of the next line that holds content (skipping blank and
   * comment lines) and returns its indentation, or -1 at the end of the text. `pos` must be at
   * the start of a line.
   */
  private nextContentLine(): number {
    const s = this.src;
    for (;;) {
      const start = this.pos;
      let i = start;
      while (s.charCodeAt(i) === SPACE) i++;
      if (i >= s.length) {
        this.pos = s.length;
        return -1;
      }
      const c = s.charCodeAt(i);
      if (c === NEWLINE || c === HASH) {
        const nl = s.indexOf("\n", i);
        if (nl < 0) {
          this.pos = s.length;
          return -1;
        }
        this.pos = nl + 1;
        continue;
      }
      this.pos = i;
      return i - start;
    }
  }

  /** Indentation of the next content line, without moving. */
  private peekIndent(): number {
    const save = this.pos;
    const indent = this.nextContentLine();
    this.pos = save;
    return indent;
  }

  private isSequenceItem(): boolean {
    const s = this.src;
    if (s.charCodeAt(this.pos) !== DASH) return false;
    const next = s.charCodeAt(this.pos + 1);
    return next === SPACE || next === NEWLINE || Number.isNaN(next);
  }

  /** A block mapping whose keys stand at column `indent`; `pos` is at its first key. */
  private blockMapping(indent: number): Record<string, unknown> {
    this.enter();
    const map = this.newMapping();
    const offs: Offsets | undefined = this.keeps() ? [this.pos, this.pos] : undefined;
    let end = this.pos;
    for (;;) {
      if (this.isSequenceItem()) throw GIVE_UP;
      const keyStart = this.pos;
      const key = this.key();
      const keyEnd = this.keyEnd;
      if (this.depth === 1) this.inDomains = key === "domains";
      this.idKeyed = ID_KEYED.has(key);
      const value = this.blockValue(indent);
      this.idKeyed = false;
      this.add(map, offs, key, value, keyStart, keyEnd);
      end = this.valueEnd;
      const next = this.nextContentLine();
      if (next < indent) break;
      if (next > indent) throw GIVE_UP;
    }
    if (offs) {
      offs[1] = end;
      this.offsets.set(map, offs.slice());
    }
    this.blockEnd = end;
    this.depth--;
    return map;
  }

  // NOTE: offsets and lists are kept as exact-length copies (`slice`): an array grown by `push`
  // keeps up to half its length again as spare room, and everything the reader makes lives
  // until the model is built, so the collector copies that room twice over. The reader's value
  // of the 10k model went from 28.9 to 21.7 MB.

  /** A block sequence whose dashes stand at column `indent`; `pos` is at its first dash. */
  private blockSequence(indent: number): unknown[] {
    this.enter();
    this.idKeyed = false;
    const list: unknown[] = [];
    const offs: Offsets | undefined = this.keeps() ? [this.pos, this.pos] : undefined;
    let end = this.pos;
    for (;;) {
      if (!this.isSequenceItem()) break;
      this.pos += 1;
      this.skipSpaces();
      list.push(this.itemValue(indent));
      offs?.push(-1, -1, this.valueStart, this.valueEnd);
      end = this.valueEnd;
      const next = this.nextContentLine();
      if (next < indent) break;
      if (next > indent) throw GIVE_UP;
      if (!this.isSequenceItem()) break;
    }
    const exact = list.slice();
    if (offs) {
      offs[1] = end;
      this.offsets.set(exact, offs.slice());
    }
    this.blockEnd = end;
    this.depth--;
    return exact;
  }

  private keyEnd = 0;
  /** Offsets of the last value read. */
  private valueStart = 0;
  private valueEnd = 0;

  /** Adds an entry to a mapping, or notes the key as a duplicate of an earlier one. */
  private add(
    map: Record<string, unknown>,
    offs: Offsets | undefined,
    key: string,
    value: unknown,
    keyStart: number,
    keyEnd: number,
  ): void {
    if (Object.hasOwn(map, key)) {
      if (!offs) throw READ_ALL;
      const index = Object.keys(map).indexOf(key);
      this.duplicates.push({ at: keyStart, first: offs[2 + 4 * index] as number, key });
      return;
    }
    // `__proto__` would set the object's prototype: the full parser's reader reports it.
    if (key === "__proto__") throw GIVE_UP;
    map[key] = value;
    offs?.push(keyStart, keyEnd, this.valueStart, this.valueEnd);
  }

  private empty(at: number): null {
    this.valueStart = at;
    this.valueEnd = at;
    return null;
  }

  /** Reads a mapping key and its colon; leaves `pos` after the colon. */
  private key(): string {
    const s = this.src;
    const c = s[this.pos] as string;
    let key: string;
    if (c === '"' || c === "'") {
      key = this.quoted();
      this.keyEnd = this.pos;
      // A quoted key that looks like an integer would be moved first by JavaScript objects.
      if (/^(0|[1-9][0-9]*)$/.test(key)) throw GIVE_UP;
      while (s.charCodeAt(this.pos) === SPACE) this.pos++;
      if (s.charCodeAt(this.pos) !== COLON) throw GIVE_UP;
      this.pos++;
      const after = s.charCodeAt(this.pos);
      if (!(after === SPACE || after === NEWLINE || Number.isNaN(after))) throw GIVE_UP;
    } else {
      if (INDICATORS.has(c) || s.startsWith("...", this.pos)) throw GIVE_UP;
      const lineEnd = this.lineEnd(this.pos);
      let i = this.pos;
      let colon = -1;
      for (; i < lineEnd; i++) {
        const ch = s.charCodeAt(i);
        if (ch === COLON) {
          const after = s.charCodeAt(i + 1);
          if (i + 1 >= lineEnd || after === SPACE) {
            colon = i;
            break;
          }
        } else if (ch === HASH && s.charCodeAt(i - 1) === SPACE) throw GIVE_UP;
      }
      if (colon < 0) throw GIVE_UP;
      let end = colon;
      while (s.charCodeAt(end - 1) === SPACE) end--;
      const value = this.plain(this.pos, end);
      key = this.plainText;
      if (value !== key || this.plainFlow) throw GIVE_UP;
      this.keyEnd = end;
      this.pos = colon + 1;
    }
    return key;
  }

  /** The value after a mapping key's colon: on the same line, or a block on the next lines. */
  private blockValue(indent: number): unknown {
    this.skipSpaces();
    if (this.atLineEnd()) {
      const here = this.pos;
      this.toNextLine();
      const next = this.peekIndent();
      if (next > indent) {
        this.nextContentLine();
        return this.nestedBlock(next);
      }
      if (next === indent && next >= 0) {
        const save = this.pos;
        this.nextContentLine();
        if (this.isSequenceItem()) return this.nestedBlock(next);
        this.pos = save;
      }
      return this.empty(here);
    }
    return this.inlineValue(indent);
  }

  /** The content after a sequence dash. */
  private itemValue(indent: number): unknown {
    if (this.atLineEnd()) {
      const here = this.pos;
      this.toNextLine();
      const next = this.peekIndent();
      if (next > indent) {
        this.nextContentLine();
        return this.nestedBlock(next);
      }
      return this.empty(here);
    }
    if (this.isSequenceItem()) throw GIVE_UP;
    if (this.startsMapping()) {
      const column = this.pos - this.lineStart(this.pos);
      return this.nestedBlock(column);
    }
    return this.inlineValue(indent);
  }

  private nestedBlock(indent: number): unknown {
    const start = this.pos;
    const value = this.isSequenceItem() ? this.blockSequence(indent) : this.blockMapping(indent);
    // The reader stands on the first character of the next content line (or at the end): go
    // back to the start of that line, for the caller to read its indentation.
    if (this.pos < this.src.length) this.pos = this.lineStart(this.pos);
    this.valueStart = start;
    this.valueEnd = this.blockEnd;
    return value;
  }

  /** Whether the rest of the line is `key: …` (a compact mapping after a dash). */
  private startsMapping(): boolean {
    const s = this.src;
    const c = s[this.pos] as string;
    if (c === "[" || c === "{") return false;
    const lineEnd = this.lineEnd(this.pos);
    let quote = "";
    for (let i = this.pos; i < lineEnd; i++) {
      const ch = s[i] as string;
      if (quote) {
        if (ch === quote) quote = "";
        continue;
      }
      if (i === this.pos && (ch === '"' || ch === "'")) {
        quote = ch;
        continue;
      }
      if (ch === "#" && s[i - 1] === " ") return false;
      if (ch === ":" && (i + 1 >= lineEnd || s[i + 1] === " ")) return true;
    }
    return false;
  }

  /** A scalar or flow collection that ends on this line; `pos` ends at the next line. */
  private inlineValue(indent: number): unknown {
    const s = this.src;
    const start = this.pos;
    const c = s[this.pos] as string;
    let value: unknown;
    if (c === "[" || c === "{") {
      value = this.flow();
    } else if (c === '"' || c === "'") {
      value = this.quoted();
    } else {
      if (INDICATORS.has(c)) {
        const next = s.charCodeAt(this.pos + 1);
        if (!(c === "-" || c === "?" || c === ":") || next === SPACE || next === NEWLINE)
          throw GIVE_UP;
        if (Number.isNaN(next)) throw GIVE_UP;
      }
      const lineEnd = this.lineEnd(this.pos);
      let end = lineEnd;
      for (let i = this.pos; i < lineEnd; i++) {
        const ch = s.charCodeAt(i);
        if (ch === HASH && s.charCodeAt(i - 1) === SPACE) {
          end = i;
          break;
        }
        if (ch === COLON && (i + 1 >= lineEnd || s.charCodeAt(i + 1) === SPACE)) throw GIVE_UP;
      }
      while (s.charCodeAt(end - 1) === SPACE) end--;
      value = this.plain(this.pos, end);
      this.pos = end;
    }
    const end = this.pos;
    this.skipSpaces();
    if (!this.atLineEnd()) throw GIVE_UP;
    this.toNextLine();
    // A more indented line after a scalar would continue it (a multi-line scalar).
    if (this.peekIndentRaw() > indent) throw GIVE_UP;
    this.valueStart = start;
    this.valueEnd = end;
    return value;
  }

  /** Indentation of the next non-blank line, comments included, without moving. */
  private peekIndentRaw(): number {
    const s = this.src;
    let i = this.pos;
    for (;;) {
      const start = i;
      while (s.charCodeAt(i) === SPACE) i++;
      if (i >= s.length) return -1;
      if (s.charCodeAt(i) !== NEWLINE) return i - start;
      i++;
    }
  }

  /** A flow collection on one line: `[a, b]` or `{ k: v }`, nested as deep as needed. */
  private flow(): unknown {
    this.enter();
    const s = this.src;
    const open = s[this.pos];
    const start = this.pos;
    this.pos++;
    const offs: Offsets | undefined = this.keeps() ? [start, start] : undefined;
    if (open === "[") {
      this.idKeyed = false;
      const list: unknown[] = [];
      this.flowSpaces();
      if (s[this.pos] === "]") this.pos++;
      else {
        for (;;) {
          const itemStart = this.pos;
          list.push(this.flowItem());
          offs?.push(-1, -1, itemStart, this.itemEnd);
          this.flowSpaces();
          const ch = s[this.pos];
          this.pos++;
          if (ch === "]") break;
          if (ch !== ",") throw GIVE_UP;
          this.flowSpaces();
          if (s[this.pos] === "]" || s[this.pos] === ",") throw GIVE_UP;
        }
      }
      const exact = list.slice();
      if (offs) {
        offs[1] = this.pos;
        this.offsets.set(exact, offs.slice());
      }
      this.depth--;
      return exact;
    }
    const map = this.newMapping();
    this.flowSpaces();
    if (s[this.pos] === "}") this.pos++;
    else {
      for (;;) {
        const keyStart = this.pos;
        const c = s[this.pos] as string;
        let key: string;
        if (c === '"' || c === "'") {
          key = this.quoted();
          if (/^(0|[1-9][0-9]*)$/.test(key)) throw GIVE_UP;
        } else {
          const k = this.flowPlain();
          if (typeof k !== "string") throw GIVE_UP;
          key = k;
        }
        const keyEnd = this.itemEnd;
        if (s.charCodeAt(this.pos) !== COLON || s.charCodeAt(this.pos + 1) !== SPACE) throw GIVE_UP;
        this.pos += 2;
        this.flowSpaces();
        const ch0 = s[this.pos];
        if (ch0 === "," || ch0 === "}") throw GIVE_UP;
        const valueStart = this.pos;
        this.idKeyed = ID_KEYED.has(key);
        const value = this.flowItem();
        this.idKeyed = false;
        this.valueStart = valueStart;
        this.valueEnd = this.itemEnd;
        this.add(map, offs, key, value, keyStart, keyEnd);
        this.flowSpaces();
        const ch = s[this.pos];
        this.pos++;
        if (ch === "}") break;
        if (ch !== ",") throw GIVE_UP;
        this.flowSpaces();
        if (s[this.pos] === "}" || s[this.pos] === ",") throw GIVE_UP;
      }
    }
    if (offs) {
      offs[1] = this.pos;
      this.offsets.set(map, offs.slice());
    }
    this.depth--;
    return map;
  }

  /** End offset of the last flow item or key read. */
  private itemEnd = 0;

  private flowItem(): unknown {
    const s = this.src;
    const c = s[this.pos] as string;
    let value: unknown;
    if (c === "[" || c === "{") value = this.flow();
    else if (c === '"' || c === "'") value = this.quoted();
    else value = this.flowPlain();
    this.itemEnd = this.pos;
    return value;
  }

  /** A plain scalar inside a flow collection, up to `,` `]` `}` or `: `. */
  private flowPlain(): unknown {
    const s = this.src;
    const start = this.pos;
    const c = s[start] as string;
    if (INDICATORS.has(c)) {
      const next = s.charCodeAt(start + 1);
      if (!(c === "-") || next === SPACE || Number.isNaN(next)) throw GIVE_UP;
    }
    let i = start;
    for (; i < s.length; i++) {
      const ch = s[i] as string;
      if (ch === "," || ch === "]" || ch === "}" || ch === "[" || ch === "{") break;
      if (ch === "\n") throw GIVE_UP;
      if (ch === ":") {
        if (s[i + 1] === " ") break;
        throw GIVE_UP;
      }
      if (ch === "#" && s[i - 1] === " ") throw GIVE_UP;
    }
    let end = i;
    while (s.charCodeAt(end - 1) === SPACE) end--;
    if (end === start) throw GIVE_UP;
    this.pos = end;
    this.itemEnd = end;
    return this.plain(start, end);
  }

  /** A quoted scalar on one line; escapes and line breaks are left to the full parser. */
  private quoted(): string {
    const end = quotedEnd(this.src, this.pos);
    if (end < 0) throw GIVE_UP;
    const value = unquote(this.src, this.pos, end);
    this.pos = end;
    this.itemEnd = end;
    return value;
  }

  private flowSpaces(): void {
    while (this.src.charCodeAt(this.pos) === SPACE) this.pos++;
    if (this.src.charCodeAt(this.pos) === NEWLINE) throw GIVE_UP;
  }

  private skipSpaces(): void {
    while (this.src.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /** Whether only a comment or nothing is left on this line (after spaces were skipped). */
  private atLineEnd(): boolean {
    const c = this.src.charCodeAt(this.pos);
    if (Number.isNaN(c) || c === NEWLINE) return true;
    return c === HASH && (this.pos === 0 || this.src.charCodeAt(this.pos - 1) === SPACE);
  }

  private toNextLine(): void {
    const nl = this.src.indexOf("\n", this.pos);
    this.pos = nl < 0 ? this.src.length : nl + 1;
  }

  private lineEnd(from: number): number {
    const nl = this.src.indexOf("\n", from);
    return nl < 0 ? this.src.length : nl;
  }

  private lineStart(from: number): number {
    return this.src.lastIndexOf("\n", from - 1) + 1;
  }
}
