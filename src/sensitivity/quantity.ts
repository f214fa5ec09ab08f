/**
 * @module sensitivity/quantity
 * A number as a file writes it, multiplied by a factor and written back in the same form: a
 * duration stays a duration in the units it was written in (`2h37m` × 1.5 = `3h55.5m`), a rate
 * keeps its multiplier and unit (`40k rps` → `60k rps`), a count its multiplier (`500k` →
 * `250k`), a size its unit, a percentage stays a percentage (`99.9%` → `49.95%`). The result
 * then keeps to what the schema demands there (`number-rule.ts`): a whole number is rounded, a
 * value beyond its bounds (a percentage above 100%) is clamped, and each adjustment is said.
 *
 * The forms are those of `model/units.ts`; the loader reads the written text back, so a value it
 * would refuse (a duration beyond a year) is caught there, like any other invalid input.
 */
import type { NumberRule } from "./number-rule.js";

/** How the value was written, which decides how its multiple is written. */
export type WrittenForm = "duration" | "rate" | "count" | "size" | "percentage" | "number";

/** A change made to the exact multiple so that the file stays valid, in the form's units. */
export type Adjustment =
  | { readonly kind: "rounded"; readonly exact: number; readonly to: number }
  | { readonly kind: "clamped"; readonly exact: number; readonly to: number };

export interface Scaled {
  readonly form: WrittenForm;
  /** The scalar to write, without quotes. */
  readonly written: string;
  readonly adjustments: readonly Adjustment[];
}

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const DURATION_RE = new RegExp(`^(?:${NUMBER}(?:ms|s|m|h|d))+$`);
const DURATION_PART = new RegExp(`(${NUMBER})(ms|s|m|h|d)`, "g");
const RATE_RE = new RegExp(String.raw`^(${NUMBER})([kKMG]?\s*(?:rps|rpm|rph|/s|/min|/m|/h))$`);
const COUNT_RE = new RegExp(`^(${NUMBER})([kKMG]?)$`);
const SIZE_RE = new RegExp(String.raw`^(${NUMBER})(\s*(?:B|KB|MB|GB|KiB|MiB|GiB))$`);
const PERCENT_RE = new RegExp(`^(${NUMBER})%$`);

const SECONDS: Readonly<Record<string, number>> = { d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };
const UNIT_ORDER = ["d", "h", "m", "s", "ms"] as const;

/** `value` (a scalar of the file) × `factor`, written in the same form, or why it cannot be. */
export function scaleWritten(
  value: string | number,
  factor: number,
  rule: NumberRule,
): Scaled | { readonly problem: string } {
  if (typeof value === "number") return scaleNumber(value, factor, rule);
  const text = value.trim();
  const percentage = PERCENT_RE.exec(text);
  if (percentage) {
    const { n, adjustments } = bounded(Number(percentage[1]) * factor, { max: 100 });
    return { form: "percentage", written: `${decimal(n)}%`, adjustments };
  }
  if (DURATION_RE.test(text))
    return { form: "duration", written: scaleDuration(text, factor), adjustments: [] };
  for (const [form, re] of [
    ["rate", RATE_RE],
    ["count", COUNT_RE],
    ["size", SIZE_RE],
  ] as const) {
    const m = re.exec(text);
    if (m) return { form, written: `${decimal(Number(m[1]) * factor)}${m[2]}`, adjustments: [] };
  }
  return {
    problem: `'${text}' is not a number, duration, rate, count, size or percentage this command can vary`,
  };
}

function scaleNumber(value: number, factor: number, rule: NumberRule): Scaled {
  const exact = value * factor;
  const adjustments: Adjustment[] = [];
  let n = exact;
  if (rule.integer && !Number.isInteger(n)) {
    const to = Math.round(n);
    adjustments.push({ kind: "rounded", exact: n, to });
    n = to;
  }
  const clamped = bounded(n, rule);
  for (const a of clamped.adjustments) adjustments.push(a);
  return { form: "number", written: decimal(clamped.n), adjustments };
}

/** `n` within `min`–`max`, with the clamp said when there was one. */
function bounded(
  n: number,
  limits: { readonly min?: number; readonly max?: number },
): { n: number; adjustments: Adjustment[] } {
  const to = Math.min(limits.max ?? n, Math.max(limits.min ?? n, n));
  return to === n
    ? { n, adjustments: [] }
    : { n: to, adjustments: [{ kind: "clamped", exact: n, to }] };
}

/**
 * A duration × factor in the units it was written with, from the largest to the smallest: whole
 * numbers for every unit but the last, which takes the rest (`1h30m` × 0.5 = `45m`).
 */
function scaleDuration(text: string, factor: number): string {
  let seconds = 0;
  const used = new Set<string>();
  for (const m of text.matchAll(DURATION_PART)) {
    seconds += Number(m[1]) * (SECONDS[m[2] as string] as number);
    used.add(m[2] as string);
  }
  const units = UNIT_ORDER.filter((u) => used.has(u));
  // NOTE: in thousandths of the smallest unit, so that whole parts are not lost to binary noise.
  const smallest = SECONDS[units[units.length - 1] as string] as number;
  let rest = Math.round((seconds * factor * 1000) / smallest);
  const parts: string[] = [];
  units.forEach((unit, i) => {
    const size = Math.round(((SECONDS[unit] as number) * 1000) / smallest);
    if (i === units.length - 1) {
      if (rest > 0 || parts.length === 0) parts.push(`${decimal(rest / size)}${unit}`);
      return;
    }
    const whole = Math.floor(rest / size);
    rest -= whole * size;
    if (whole > 0) parts.push(`${whole}${unit}`);
  });
  return parts.join("");
}

/** A number as the unit parsers read it: digits and a decimal point, no exponent. */
export function decimal(n: number): string {
  const fixed = n.toFixed(9);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}
