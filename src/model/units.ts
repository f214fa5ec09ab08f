/**
 * @module model/units
 * Human units in model files: durations (`250ms`, `30s`, `5m`, `1h30m`, `4d`), rates
 * (`50k rps`, `1.5M rps`, `200/s`, `12k rpm`, `300/min`, `10/h`), counts (`10k`, `2M`) and
 * percentages (`99.95%`). Each parser returns a number in base units (seconds, per second,
 * plain count, fraction) or a string saying what was expected; the schema turns that string into
 * a located diagnostic.
 *
 * The patterns are exported so that the JSON Schema given to editors checks the same shapes.
 */

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

export const DURATION_PATTERN = "^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$";
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const DURATION_RE = new RegExp(DURATION_PATTERN);

/** The longest duration a model may state: anything beyond is a typo, not a design. */
export const MAX_DURATION_S = 366 * 86400;

/** Parsed durations by text: a large model repeats a few dozen of them a million times. */
const durations = new Map<string, number | string>();

export function parseDuration(text: string): number | string {
  let parsed = durations.get(text);
  if (parsed === undefined) {
    parsed = parseDurationText(text);
    if (durations.size >= 4096) durations.clear();
    durations.set(text, parsed);
  }
  return parsed;
}

function parseDurationText(text: string): number | string {
  const t = text.trim();
  if (t.startsWith("-")) return "a duration cannot be negative";
  if (!DURATION_RE.test(t)) {
    if (/^\d+(\.\d+)?$/.test(t)) return `a duration needs a unit: write ${t}s, ${t}m or ${t}ms`;
    const spelled = spelledDuration(t);
    if (spelled !== undefined)
      return `write ${spelled}: durations take short units (ms, s, m, h, d)`;
    return "expected a duration such as 250ms, 30s, 5m, 1h30m or 4d";
  }
  let total = 0;
  for (const m of t.matchAll(DURATION_PART)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
  }
  if (total > MAX_DURATION_S) return "a duration longer than a year is not plausible";
  return roundBase(total);
}

const SPELLED_UNITS: Readonly<Record<string, string>> = {
  millisecond: "ms",
  msec: "ms",
  second: "s",
  sec: "s",
  minute: "m",
  min: "m",
  hour: "h",
  hr: "h",
  day: "d",
  week: "d",
  ms: "ms",
  s: "s",
  m: "m",
  h: "h",
  d: "d",
};

/** `30 minutes` → `30m`, `1 hour 30 mins` → `1h30m`: the short form of a spelled-out duration. */
function spelledDuration(text: string): string | undefined {
  const lower = text.toLowerCase();
  const parts = [...lower.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)(?:\s*,\s*|\s+and\s+|\s*)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== lower) return undefined;
  let out = "";
  for (const [, n, word] of parts) {
    const singular = SPELLED_UNITS[word as string] !== undefined ? word : word?.replace(/s$/, "");
    const unit = SPELLED_UNITS[singular as string];
    if (unit === undefined) return undefined;
    out += singular === "week" ? `${Number(n) * 7}d` : `${n}${unit}`;
  }
  return out;
}

const MULTIPLIERS: Readonly<Record<string, number>> = { "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

export const COUNT_PATTERN = "^\\d+(\\.\\d+)?[kKMG]?$";
const COUNT_RE = /^(\d+(?:\.\d+)?)([kKMG]?)$/;

export function parseCount(value: string | number): number | string {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return "expected a non-negative number";
    return value;
  }
  const m = COUNT_RE.exec(value.trim());
  if (!m) return "expected a count such as 500, 10k or 2M";
  return roundBase(Number(m[1]) * (MULTIPLIERS[m[2] as string] as number));
}

const RATE_PER: Readonly<Record<string, number>> = {
  rps: 1,
  "/s": 1,
  rpm: 1 / 60,
  "/min": 1 / 60,
  "/m": 1 / 60,
  rph: 1 / 3600,
  "/h": 1 / 3600,
};

export const RATE_PATTERN = "^\\d+(\\.\\d+)?[kKMG]?\\s*(rps|rpm|rph|/s|/min|/m|/h)$";
const RATE_RE = /^(\d+(?:\.\d+)?)([kKMG]?)\s*(rps|rpm|rph|\/s|\/min|\/m|\/h)$/;

/** The largest rate a model may state (requests per second). */
export const MAX_RATE = 1e12;

export function parseRate(text: string): number | string {
  const t = text.trim();
  if (t.startsWith("-")) return "a rate cannot be negative";
  const m = RATE_RE.exec(t);
  if (!m) {
    if (COUNT_RE.test(t)) return `a rate needs a unit: write ${t} rps`;
    return "expected a rate such as 200 rps, 50k rps, 12k rpm or 300/min";
  }
  const value =
    Number(m[1]) * (MULTIPLIERS[m[2] as string] as number) * (RATE_PER[m[3] as string] as number);
  if (value > MAX_RATE) return "a rate above 10^12 requests per second is not plausible";
  return roundBase(value);
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
};

export const SIZE_PATTERN = "^\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|KiB|MiB|GiB)$";
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/;

/** A size in bytes: `512KB`, `4MiB`, `1.5GB`, or a number of bytes. */
export function parseSize(value: string | number): number | string {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return "expected a non-negative number of bytes";
    return value;
  }
  const m = SIZE_RE.exec(value.trim());
  if (!m) return "expected a size such as 512KB, 4MiB or 1.5GB";
  return roundBase(Number(m[1]) * (SIZE_UNITS[m[2] as string] as number));
}

/** Formats bytes for messages: 4194304 → "4MiB", 2500000 → "2.5MB". */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 2 ** 30],
    ["MiB", 2 ** 20],
    ["KiB", 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  for (const [unit, size] of [
    ["GB", 1e9],
    ["MB", 1e6],
    ["KB", 1e3],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${unit}`;
  }
  return `${bytes}B`;
}

export const PERCENT_PATTERN = "^\\d+(\\.\\d+)?%$";
const PERCENT_RE = /^(\d+(?:\.\d+)?)%$/;

/** Percentages as written (`99.95%`) or as a fraction in [0, 1]; returns a fraction. */
export function parsePercent(value: string | number): number | string {
  if (typeof value === "number") {
    if (!(value >= 0 && value <= 1)) return "expected a fraction between 0 and 1, or a percentage";
    return value;
  }
  const m = PERCENT_RE.exec(value.trim());
  if (!m) return "expected a percentage such as 99.95%";
  const pct = Number(m[1]);
  if (pct > 100) return "a percentage cannot exceed 100%";
  return roundBase(pct / 100);
}

/** Rounds away binary noise (0.1 * 3) so that parsed values print as written. */
function roundBase(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Formats seconds compactly for messages: 90 → "1m30s", 0.25 → "250ms". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "∞";
  if (seconds === 0) return "0s";
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  let rest = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("");
}

export function formatPercent(fraction: number, digits = 3): string {
  return `${(fraction * 100).toFixed(digits).replace(/\.?0+$/, "")}%`;
}

/** An availability with as many digits as it takes not to round a shortfall up to 100%. */
export function formatAvailability(fraction: number): string {
  if (fraction >= 1) return "100%";
  for (let digits = 2; digits < 10; digits++) {
    const text = (fraction * 100).toFixed(digits);
    if (Number(text) < 100) return `${text.replace(/\.?0+$/, "")}%`;
  }
  return `${(fraction * 100).toFixed(10)}%`;
}

export function formatRate(rps: number): string {
  if (rps >= 1e6) return `${trim(rps / 1e6)}M rps`;
  if (rps >= 1e3) return `${trim(rps / 1e3)}k rps`;
  return `${trim(rps)} rps`;
}

function trim(x: number): string {
  return Number(x.toFixed(2)).toString();
}
