/**
 * @module reports/sensitivity-words
 * The words and numbers of a sensitivity report, shared by its renderers (terminal, Markdown,
 * HTML) so that they read the same: what an outcome is called, a reading or its change from the
 * baseline in the outcome's unit (a time as a signed duration, an availability in percentage
 * points), a varied side as written with what was done to it, and the notes on sides that were
 * adjusted or did not run.
 */
import { formatDiagnostic } from "../model/diagnostics.js";
import type { MeasureUnit, Reading } from "../sensitivity/outcomes.js";
import { decimal } from "../sensitivity/quantity.js";
import {
  NOISE,
  type OutcomeKind,
  type OutcomeResult,
  type ParameterResult,
  type SensitivityReport,
  type SideResult,
  type Swing,
} from "../sensitivity/report.js";
import { clock, clockTenths, count, fmt, rate, round } from "../sim/format.js";

/** `× 0.5`: how a side's column is headed. */
export function factorLabel(factor: number): string {
  return `× ${decimal(factor)}`;
}

/** The design in one line: "one number at a time, × 0.5 and × 1.5". */
export function designText(report: SensitivityReport): string {
  const { spread } = report.design;
  return `one number at a time, ${factorLabel(1 - spread)} and ${factorLabel(1 + spread)}`;
}

/** "3 numbers (2 guesses, 1 calibrated); 6 public left as they are (--all varies them)". */
export function variedText(report: SensitivityReport): string {
  const by = (source: string) => report.parameters.filter((p) => p.source === source).length;
  const parts = [
    [by("guess"), "guess", "guesses"],
    [by("calibrated"), "calibrated", "calibrated"],
    [by("public"), "public", "public"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  const varied = `${plural(report.parameters.length, "number")} varied${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
  const left = report.unvaried.map((u) => `${u.count} ${u.source}`).join(", ");
  return left === ""
    ? varied
    : `${varied}; ${left} left as ${report.unvaried.reduce((n, u) => n + u.count, 0) === 1 ? "it is" : "they are"} (--all varies them too)`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "lambda back up", "customer-events drained". */
export function outcomeLabel(o: Pick<OutcomeResult, "kind" | "subject">): string {
  const words: Record<OutcomeKind, string> = {
    impact: "first impacted",
    recovery: "back up",
    availability: "availability",
    drained: "drained",
  };
  return `${o.subject} ${words[o.kind]}`;
}

/** A moment from the start of the run: to the tenth of a second when it has one. */
export function moment(t: number): string {
  const tenths = clockTenths(t);
  return tenths.endsWith(".0") ? clock(t) : tenths;
}

/** A reading of an outcome as a value. */
export function readingText(r: Reading, o: Pick<OutcomeResult, "kind" | "unit">): string {
  if (r === "not-by-the-end") return "not by the end";
  if (r === "never")
    return o.kind === "drained"
      ? "never backed up"
      : o.kind === "availability"
        ? "—"
        : "never impacted";
  return o.unit === "fraction" ? percent(r) : moment(r);
}

/**
 * A side's reading as a change from the baseline: a signed difference when both are numbers,
 * `·` when it does not move, and the reading itself when it is not a number.
 */
export function changeText(
  r: Reading | undefined,
  o: Pick<OutcomeResult, "kind" | "unit" | "baseline">,
): string {
  if (r === undefined) return "no run";
  if (typeof r !== "number" || typeof o.baseline !== "number")
    return r === o.baseline ? "·" : readingText(r, o);
  return signed(r - o.baseline, o.unit);
}

/** A swing's size: a duration or percentage points; `—` for a move with no size. */
export function swingText(s: Swing, unit: OutcomeResult["unit"]): string {
  if (s.swing === 0) return s.qualitative ? "—" : "0";
  return unit === "fraction" ? points(s.swing) : fmt(s.swing);
}

/** A difference in an outcome's unit, with its sign; `·` when there is none to show. */
export function signed(delta: number, unit: "time" | "fraction" | MeasureUnit): string {
  if (Math.abs(delta) <= NOISE[unit]) return "·";
  const text =
    unit === "fraction"
      ? points(Math.abs(delta))
      : unit === "count"
        ? count(Math.abs(delta))
        : unit === "rate"
          ? rate(Math.abs(delta))
          : fmt(Math.abs(delta));
  return `${delta < 0 ? "−" : "+"}${text}`;
}

/** A measured value of an expectation, in its unit. */
export function measureText(v: number | null, unit: MeasureUnit): string {
  if (v === null) return "—";
  switch (unit) {
    case "time":
      return moment(v);
    case "duration":
      return fmt(v);
    case "fraction":
      return percent(v);
    case "count":
      return count(v);
    case "rate":
      return rate(v);
    default: {
      const never: never = unit;
      throw new Error(`unknown unit ${String(never)}`);
    }
  }
}

/** An availability with three decimals, or more when it is close to 100%. */
export function percent(fraction: number): string {
  for (let digits = 3; digits < 7; digits++) {
    const text = `${round(fraction * 100, digits)}%`;
    if (fraction >= 1 || text !== "100%") return text;
  }
  return `${round(fraction * 100, 7)}%`;
}

/** Percentage points, with as many decimals as it takes to show a difference (up to six). */
function points(fraction: number): string {
  for (let digits = 3; digits <= 6; digits++) {
    const n = round(fraction * 100, digits);
    if (n !== 0 || digits === 6) return `${n} pp`;
  }
  return "0 pp";
}

/** A side as its cell shows it: as written, marked when it was adjusted or did not run. */
export function sideCell(side: SideResult): string {
  if (side.written === undefined) return "not written*";
  const marks =
    side.result === "invalid"
      ? " (invalid*)"
      : side.result === "failed"
        ? " (failed*)"
        : side.result === "same"
          ? " (= baseline*)"
          : (side.adjustments?.length ?? 0) > 0
            ? "*"
            : "";
  return `${side.written}${marks}`;
}

/** Notes on the sides that were adjusted or did not run, one line each, by parameter. */
export function sideNotes(report: SensitivityReport): string[] {
  const out: string[] = [];
  for (const p of report.parameters)
    for (const side of [p.low, p.high]) {
      const at = `#${p.index} ${factorLabel(side.factor)}`;
      for (const note of sideNote(p, side)) out.push(`${at}: ${note}`);
    }
  return out;
}

function sideNote(p: ParameterResult, side: SideResult): string[] {
  const notes = (side.adjustments ?? []).map((a) =>
    a.kind === "rounded"
      ? `${decimal(a.exact)} rounded to ${decimal(a.to)}: only whole numbers are accepted there`
      : `${decimal(a.exact)}${side.form === "percentage" ? "%" : ""} ${a.to < a.exact ? "clamped to its maximum" : "raised to its minimum"}, ${decimal(a.to)}${side.form === "percentage" ? "%" : ""}`,
  );
  switch (side.result) {
    case "ran":
      break;
    case "same":
      notes.push(
        `written as the baseline (${p.baseline.written}): its outcomes are the baseline's`,
      );
      break;
    case "invalid": {
      const first = side.diagnostics?.[0];
      const more = (side.diagnostics?.length ?? 0) - 1;
      notes.push(
        `the varied file does not load: ${first ? formatDiagnostic(first) : "(no diagnostic)"}${more > 0 ? ` (and ${plural(more, "more error")})` : ""}`,
      );
      break;
    }
    case "failed":
      notes.push(`the run failed: ${side.message ?? ""}`);
      break;
    case "unwritable":
      notes.push(`not written: ${side.message ?? ""}`);
      break;
    default: {
      const never: never = side.result;
      throw new Error(`unknown side result ${String(never)}`);
    }
  }
  return notes;
}

/** "drained-by customer-events". */
export function expectationLabel(x: { readonly kind: string; readonly subject: string }): string {
  return `${x.kind} ${x.subject}`;
}

/**
 * "19 of 19 hold in the baseline; 3 change verdict in some run (✗ breaks, ✓ newly holds), 1
 * only moves".
 */
export function expectationSummary(report: SensitivityReport): string {
  const total = report.expectations.length;
  const held = report.expectations.filter((x) => x.baseline.ok).length;
  const changed = report.expectations.filter((x) => x.variations.length > 0);
  const flips = changed.filter((x) => x.variations.some((v) => v.ok !== x.baseline.ok)).length;
  const moves = changed.length - flips;
  const base = `${held} of ${total} hold in the baseline`;
  if (changed.length === 0)
    return `${base}, and each keeps its verdict and its measure in every run`;
  const parts = [
    ...(flips > 0
      ? [
          `${flips} ${flips === 1 ? "changes" : "change"} verdict in some run (✗ breaks, ✓ newly holds)`,
        ]
      : []),
    ...(moves > 0 ? [`${moves} only ${moves === 1 ? "moves" : "move"}`] : []),
  ];
  return `${base}; ${parts.join(", ")}`;
}
