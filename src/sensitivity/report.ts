/**
 * @module sensitivity/report
 * A sensitivity analysis as data, from its plan and the results of its runs (pure): for each
 * varied number, what each side wrote and whether it ran; for each expectation, the runs in
 * which its verdict or its measure differs from the baseline's; for each headline outcome, the
 * numbers that move it, by how much, largest swing first — the tornado.
 *
 * A swing is the span of an outcome over the baseline and the two sides of one number (what the
 * number can move it by, whichever way). A move from a time to "never" or "not by the end", or
 * back, has no size: it is qualitative and ranks before any swing. Moves smaller than the
 * journal's resolution (a twentieth of a second, half a millionth of availability) are noise.
 */
import { type Diagnostic, ModelError } from "../model/diagnostics.js";
import type { Location } from "../model/types.js";
import {
  type Absent,
  type ExpectationOutcome,
  type MeasureUnit,
  measureUnit,
  type Reading,
  type RunOutcomes,
  type VerdictOutcome,
} from "./outcomes.js";
import type { Parameter, SensitivityPlan, Side, Variant } from "./plan.js";
import type { Adjustment, WrittenForm } from "./quantity.js";
import type { RunResult } from "./run.js";

export const SENSITIVITY_SCHEMA_VERSION = 1;

/** What became of one side of a varied number. */
export interface SideResult {
  readonly factor: number;
  /**
   * `ran`: simulated; `same`: written as the baseline has it, so its outcomes are the
   * baseline's; `invalid`: the varied file did not load; `failed`: the run stopped with an
   * error; `unwritable`: the number could not be written varied.
   */
  readonly result: "ran" | "same" | "invalid" | "failed" | "unwritable";
  /** How the number is written (`rate`, `duration`…), as varied, and what was done to keep it valid. */
  readonly form?: WrittenForm;
  readonly written?: string;
  readonly adjustments?: readonly Adjustment[];
  /** The number as the varied file loaded it (base units), when it ran. */
  readonly value?: number;
  /** Why it did not run: the loader's errors, the engine's message, or why it was not written. */
  readonly diagnostics?: readonly Diagnostic[];
  readonly message?: string;
}

export interface ParameterResult extends Omit<Parameter, "low" | "high"> {
  readonly low: SideResult;
  readonly high: SideResult;
}

export interface ExpectationVariation {
  readonly parameter: number;
  readonly side: Side;
  readonly ok: boolean;
  readonly actual: string;
  readonly measured: number | null;
}

export interface ExpectationResult {
  /** Position in the scenario's `expect` list, from 0. */
  readonly index: number;
  readonly kind: VerdictOutcome["kind"];
  readonly subject: string;
  readonly expected: string;
  readonly loc: Location;
  readonly unit: MeasureUnit;
  readonly baseline: ExpectationOutcome;
  /** The sides whose verdict or measure differs from the baseline's, by parameter then side. */
  readonly variations: readonly ExpectationVariation[];
}

export type OutcomeKind = "impact" | "recovery" | "availability" | "drained";

export interface Swing {
  readonly parameter: number;
  /** The outcome with the number × (1 − spread) and × (1 + spread); absent when that side did not run. */
  readonly low?: Reading;
  readonly high?: Reading;
  /** Span of the baseline and both sides' numbers, in the outcome's unit. */
  readonly swing: number;
  /** A side turned a number into never or not-by-the-end, or the other way round. */
  readonly qualitative: boolean;
}

export interface OutcomeResult {
  /** `impact:ec2-dwfm`: the kind and its subject. */
  readonly id: string;
  /**
   * `impact`: first impact (never: not impacted); `recovery`: back up for good (never: never
   * impacted; not-by-the-end); `availability`: a workload's share served; `drained`: a queue
   * that backed up drained (never: it did not back up; not-by-the-end).
   */
  readonly kind: OutcomeKind;
  readonly subject: string;
  readonly unit: "time" | "fraction";
  readonly baseline: Reading;
  /** The numbers that move it, largest swing first. */
  readonly swings: readonly Swing[];
}

export interface SensitivityReport {
  readonly schemaVersion: number;
  readonly model: SensitivityPlan["model"];
  readonly scenario: SensitivityPlan["scenario"];
  readonly design: SensitivityPlan["design"];
  readonly parameters: readonly ParameterResult[];
  readonly unvaried: SensitivityPlan["unvaried"];
  /** Simulations made, the baseline's included. */
  readonly runs: number;
  readonly expectations: readonly ExpectationResult[];
  /** Outcomes that move, the one with the largest swing first. */
  readonly outcomes: readonly OutcomeResult[];
}

/** Differences too small to be told from the journal's rounding, by unit. */
export const NOISE: Readonly<Record<"time" | "fraction" | MeasureUnit, number>> = {
  time: 0.05,
  duration: 0.05,
  fraction: 5e-7,
  count: 0.05,
  rate: 0.05,
};

/**
 * The report of a plan whose runs gave `results` (by run index). Throws ModelError when the
 * baseline itself does not load, and an Error when it cannot be simulated: there is nothing to
 * compare with.
 */
export function sensitivityReport(
  plan: SensitivityPlan,
  results: readonly RunResult[],
): SensitivityReport {
  const base = results[0];
  if (base === undefined) throw new Error("sensitivity: the baseline was not run");
  if (base.status === "invalid") throw new ModelError(base.diagnostics);
  if (base.status === "failed") throw new Error(`the baseline run failed: ${base.message}`);
  const baseline = base.outcomes;

  /** A side's outcomes: its run's, the baseline's when written the same, or none. */
  const outcomesOf = (v: Variant): RunOutcomes | undefined => {
    if (v.status === "same") return baseline;
    if (v.status !== "run") return undefined;
    const r = results[v.run];
    return r?.status === "ran" ? r.outcomes : undefined;
  };
  const sides = plan.parameters.flatMap((p) =>
    (["low", "high"] as const).map((side) => ({ p, side, outcomes: outcomesOf(p[side]) })),
  );

  const parameters: ParameterResult[] = plan.parameters.map((p) => ({
    ...p,
    low: sideResult(p.low, results),
    high: sideResult(p.high, results),
  }));

  const expectations: ExpectationResult[] = baseline.expectations.map((before, index) => {
    const unit = measureUnit(before.kind);
    const variations: ExpectationVariation[] = [];
    for (const { p, side, outcomes } of sides) {
      const after = outcomes?.expectations[index];
      if (after === undefined) continue;
      if (after.ok !== before.ok || moved(before.measured, after.measured, NOISE[unit])) {
        const { ok, actual, measured } = after;
        variations.push({ parameter: p.index, side, ok, actual, measured });
      }
    }
    const { kind, subject, expected, loc, ok, actual, measured } = before;
    return {
      index,
      kind,
      subject,
      expected,
      loc,
      unit,
      baseline: { ok, actual, measured },
      variations,
    };
  });

  return {
    schemaVersion: SENSITIVITY_SCHEMA_VERSION,
    model: plan.model,
    scenario: plan.scenario,
    design: plan.design,
    parameters,
    unvaried: plan.unvaried,
    runs: plan.runs.length,
    expectations,
    outcomes: headlineOutcomes(plan, baseline, (p, side) => outcomesOf(p[side])),
  };
}

function sideResult(v: Variant, results: readonly RunResult[]): SideResult {
  if (v.status === "unwritable")
    return { factor: v.factor, result: "unwritable", message: v.problem };
  const written = {
    factor: v.factor,
    form: v.form,
    written: v.written,
    adjustments: v.adjustments,
  };
  if (v.status === "same") return { ...written, result: "same" };
  const r = results[v.run];
  if (r === undefined) return { ...written, result: "failed", message: "the run was not made" };
  switch (r.status) {
    case "ran":
      return { ...written, result: "ran", ...(r.value !== undefined ? { value: r.value } : {}) };
    case "invalid":
      return { ...written, result: "invalid", diagnostics: r.diagnostics };
    case "failed":
      return { ...written, result: "failed", message: r.message };
    default: {
      const never: never = r;
      throw new Error(`unknown run result ${JSON.stringify(never)}`);
    }
  }
}

function moved(a: number | null, b: number | null, tolerance: number): boolean {
  if (a === null || b === null) return a !== b;
  return Math.abs(a - b) > tolerance;
}

type Readings = (r: RunOutcomes) => Reading;

/** Every headline outcome of any run that ran, with the numbers that move it, ranked. */
function headlineOutcomes(
  plan: SensitivityPlan,
  baseline: RunOutcomes,
  outcomesOf: (p: Parameter, side: Side) => RunOutcomes | undefined,
): OutcomeResult[] {
  const all = [baseline];
  for (const p of plan.parameters)
    for (const side of ["low", "high"] as const) {
      const o = outcomesOf(p, side);
      if (o !== undefined) all.push(o);
    }
  const ids = (pick: (r: RunOutcomes) => readonly { readonly id: string }[]) =>
    [...new Set(all.flatMap((r) => pick(r).map((x) => x.id)))].sort();
  const candidates: [OutcomeKind, string, "time" | "fraction", Readings][] = [];
  for (const id of ids((r) => r.impacted)) {
    const hit = (r: RunOutcomes) => r.impacted.find((c) => c.id === id);
    candidates.push(["impact", id, "time", (r) => hit(r)?.firstImpact ?? "never"]);
    candidates.push([
      "recovery",
      id,
      "time",
      (r) => {
        const c = hit(r);
        return c === undefined ? "never" : (c.recoveredAt ?? "not-by-the-end");
      },
    ]);
  }
  for (const id of ids((r) => r.workloads))
    candidates.push([
      "availability",
      id,
      "fraction",
      (r) => r.workloads.find((w) => w.id === id)?.availability ?? "never",
    ]);
  for (const id of ids((r) => r.backedUp))
    candidates.push([
      "drained",
      id,
      "time",
      (r) => {
        const q = r.backedUp.find((x) => x.id === id);
        return q === undefined ? "never" : (q.drainedAt ?? "not-by-the-end");
      },
    ]);

  const out: OutcomeResult[] = [];
  for (const [kind, subject, unit, read] of candidates) {
    const before = read(baseline);
    const swings: Swing[] = [];
    for (const p of plan.parameters) {
      const lo = outcomesOf(p, "low");
      const hi = outcomesOf(p, "high");
      const low = lo === undefined ? undefined : read(lo);
      const high = hi === undefined ? undefined : read(hi);
      const s = swingOf(before, low, high, NOISE[unit]);
      if (s === undefined) continue;
      swings.push({
        parameter: p.index,
        ...(low !== undefined ? { low } : {}),
        ...(high !== undefined ? { high } : {}),
        ...s,
      });
    }
    if (swings.length === 0) continue;
    swings.sort(bySwing);
    out.push({ id: `${kind}:${subject}`, kind, subject, unit, baseline: before, swings });
  }
  // Times before availabilities (swings in different units do not compare), then largest first.
  return out.sort(
    (a, b) =>
      UNIT_ORDER[a.unit] - UNIT_ORDER[b.unit] ||
      bySwing(a.swings[0] as Swing, b.swings[0] as Swing) ||
      compare(a.id, b.id),
  );
}

/** The swing of one number on an outcome, or undefined when it does not move it. */
function swingOf(
  base: Reading,
  low: Reading | undefined,
  high: Reading | undefined,
  tolerance: number,
): { swing: number; qualitative: boolean } | undefined {
  const readings = [base, low, high].filter((r): r is Reading => r !== undefined);
  const numbers = readings.filter((r): r is number => typeof r === "number");
  const absents = new Set(readings.filter((r): r is Absent => typeof r !== "number"));
  const qualitative = absents.size > 1 || (absents.size === 1 && numbers.length > 0);
  const swing = numbers.length > 0 ? Math.max(...numbers) - Math.min(...numbers) : 0;
  if (!qualitative && swing <= tolerance) return undefined;
  return { swing: swing <= tolerance ? 0 : swing, qualitative };
}

const UNIT_ORDER = { time: 0, fraction: 1 } as const;

/** Qualitative moves first, then the largest swing, then the parameter's order. */
function bySwing(a: Swing, b: Swing): number {
  return (
    Number(b.qualitative) - Number(a.qualitative) || b.swing - a.swing || a.parameter - b.parameter
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
