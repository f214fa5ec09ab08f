/**
 * @module cases/score
 * How a replay is scored, fact by fact. The case's scenario is run as written (the baseline),
 * then once with each number its files mark `calibrated` at × (1 − spread) and once at
 * × (1 + spread), the other numbers as written: the one-at-a-time design of `sensitivity/`,
 * restricted to the fitted numbers. A fact is
 *
 * - `mechanisms` — reproduced from mechanisms: every expectation of the fact holds in the
 *   baseline and in every varied run;
 * - `calibrated` — depends on a calibrated number: it holds in the baseline, and some varied run
 *   breaks it (or could not be made, so that it cannot be said to hold);
 * - `not-reproduced` — an expectation of the fact fails in the baseline, or the fact says why no
 *   expectation can check it (`notSimulated`).
 *
 * Guessed numbers are not varied here (`faultline sensitivity` varies them): the score asks
 * whether a fact follows from the mechanisms rather than from a number fitted to it. The lessons
 * variant is run once and its expectations counted.
 */
import type { ReadFile } from "../model/load.js";
import type { Location } from "../model/types.js";
import type { Fact } from "../scenario/types.js";
import { planSensitivity, type SensitivityPlan } from "../sensitivity/plan.js";
import type { ParameterResult, SensitivityReport } from "../sensitivity/report.js";
import { runSensitivity } from "../sensitivity/sensitivity.js";
import { simulate } from "../sim/engine.js";
import type { Verdict } from "../sim/types.js";
import type { Case } from "./library.js";

export const CASES_SCHEMA_VERSION = 1;

export type FactVerdict = "mechanisms" | "calibrated" | "not-reproduced";

export const VERDICT_WORDS: Readonly<Record<FactVerdict, string>> = {
  mechanisms: "reproduced from mechanisms",
  calibrated: "depends on a calibrated number",
  "not-reproduced": "not reproduced",
};

/** A calibrated number whose variation breaks a fact, and what the fact's check then read. */
export interface Break {
  readonly key: string;
  readonly file: string;
  readonly factor: number;
  /** The varied number as written, e.g. `15m`. */
  readonly written?: string;
  /** What the broken expectation read, or why the run could not be made. */
  readonly actual: string;
}

export interface FactScore extends Omit<Fact, "loc"> {
  readonly verdict: FactVerdict;
  readonly checks: readonly Pick<
    Verdict,
    "kind" | "subject" | "expected" | "actual" | "ok" | "loc"
  >[];
  /** For `calibrated`: the variations that break it. */
  readonly breaks: readonly Break[];
  readonly loc: Location;
}

/** A number a case's files mark as fitted. */
export interface CalibratedNumber {
  readonly key: string;
  readonly file: string;
  readonly written: string;
  readonly to: string;
}

export interface LessonsScore {
  readonly scenario: string;
  readonly file: string;
  readonly met: number;
  readonly total: number;
  readonly verdicts: readonly Verdict[];
}

export interface CaseScore {
  readonly id: string;
  readonly dir: string;
  readonly title: string;
  readonly summary: string;
  readonly sources: readonly string[];
  readonly model: SensitivityPlan["model"];
  readonly scenario: SensitivityPlan["scenario"];
  readonly spread: number;
  readonly calibrated: readonly CalibratedNumber[];
  /** Numbers marked guess and public in the replay's files (not varied here). */
  readonly guessed: number;
  readonly public: number;
  /** Simulations made for the score, the baseline's included. */
  readonly runs: number;
  readonly facts: readonly FactScore[];
  /** Expectations of the replay that check no public fact. */
  readonly otherChecks: { readonly met: number; readonly total: number };
  readonly lessons?: LessonsScore;
}

export interface ScoreOptions {
  readonly spread?: number;
  readonly jobs?: number;
}

/** Scores one case: its replay fact by fact, and its lessons variant. */
export async function scoreCase(
  c: Case,
  read: ReadFile,
  options: ScoreOptions = {},
): Promise<CaseScore> {
  const { model, scenario } = c.replay;
  const spread = options.spread ?? 0.5;
  const plan = planSensitivity(model, scenario, read, { spread, sources: ["calibrated"] });
  const report = await runSensitivity(plan, { jobs: options.jobs ?? 1 });
  const facts = scenario.facts.map((f) => scoreFact(f, scenario.expectations, report));
  const unfacted = report.expectations.filter(
    (_, i) => scenario.expectations[i]?.fact === undefined,
  );
  const count = (source: string) => plan.unvaried.find((u) => u.source === source)?.count ?? 0;
  return {
    id: c.id,
    dir: c.dir,
    title: c.title,
    summary: c.summary,
    sources: c.sources,
    model: plan.model,
    scenario: plan.scenario,
    spread,
    calibrated: plan.parameters.map((p) => ({
      key: p.key,
      file: p.file,
      written: p.baseline.written,
      to: p.to ?? "",
    })),
    guessed: count("guess"),
    public: count("public"),
    runs: report.runs,
    facts,
    otherChecks: {
      met: unfacted.filter((x) => x.baseline.ok).length,
      total: unfacted.length,
    },
    ...(c.lessons !== undefined ? { lessons: lessonsScore(c.lessons) } : {}),
  };
}

function scoreFact(
  fact: Fact,
  expectations: readonly { readonly fact?: string }[],
  report: SensitivityReport,
): FactScore {
  const mine = report.expectations.filter((_, i) => expectations[i]?.fact === fact.id);
  const checks = mine.map((x) => ({
    kind: x.kind,
    subject: x.subject,
    expected: x.expected,
    actual: x.baseline.actual,
    ok: x.baseline.ok,
    loc: x.loc,
  }));
  const base = {
    ...fact,
    checks,
  };
  if (fact.notSimulated !== undefined || checks.some((x) => !x.ok))
    return { ...base, verdict: "not-reproduced", breaks: [] };
  const breaks: Break[] = [];
  for (const p of report.parameters)
    for (const side of ["low", "high"] as const) {
      const result = p[side];
      if (result.result === "same") continue;
      if (result.result !== "ran") {
        breaks.push(breakOf(p, side, notRun(result)));
        continue;
      }
      for (const x of mine) {
        const v = x.variations.find((y) => y.parameter === p.index && y.side === side);
        if (v !== undefined && !v.ok) {
          breaks.push(breakOf(p, side, v.actual));
          break;
        }
      }
    }
  return { ...base, verdict: breaks.length === 0 ? "mechanisms" : "calibrated", breaks };
}

function breakOf(p: ParameterResult, side: "low" | "high", actual: string): Break {
  const s = p[side];
  return {
    key: p.key,
    file: p.file,
    factor: s.factor,
    ...(s.written !== undefined ? { written: s.written } : {}),
    actual,
  };
}

function notRun(s: ParameterResult["low"]): string {
  if (s.result === "invalid") return "the varied file does not load";
  if (s.result === "failed") return `the run stopped: ${s.message ?? "an error"}`;
  return `not varied: ${s.message ?? "it cannot be written varied"}`;
}

function lessonsScore(run: NonNullable<Case["lessons"]>): LessonsScore {
  const journal = simulate(run.model, run.scenario);
  const verdicts = journal.expectations;
  return {
    scenario: run.scenario.name,
    file: run.scenario.file,
    met: verdicts.filter((v) => v.ok).length,
    total: verdicts.length,
    verdicts,
  };
}

export interface LibraryScore {
  readonly schemaVersion: number;
  readonly root: string;
  readonly spread: number;
  readonly cases: readonly CaseScore[];
  readonly totals: Totals;
}

export interface Totals {
  readonly facts: number;
  readonly mechanisms: number;
  readonly calibrated: number;
  readonly notReproduced: number;
}

export function totalsOf(facts: readonly FactScore[]): Totals {
  const n = (v: FactVerdict) => facts.filter((f) => f.verdict === v).length;
  return {
    facts: facts.length,
    mechanisms: n("mechanisms"),
    calibrated: n("calibrated"),
    notReproduced: n("not-reproduced"),
  };
}

/** Scores every case, one after the other (each case's runs on `jobs` threads). */
export async function scoreLibrary(
  root: string,
  cases: readonly Case[],
  read: ReadFile,
  options: ScoreOptions & { readonly onCase?: (done: number, total: number) => void } = {},
): Promise<LibraryScore> {
  const scores: CaseScore[] = [];
  options.onCase?.(0, cases.length);
  for (const c of cases) {
    scores.push(await scoreCase(c, read, options));
    options.onCase?.(scores.length, cases.length);
  }
  return {
    schemaVersion: CASES_SCHEMA_VERSION,
    root,
    spread: options.spread ?? 0.5,
    cases: scores,
    totals: totalsOf(scores.flatMap((s) => s.facts)),
  };
}
