/**
 * @module sensitivity/run
 * One run of a sensitivity analysis: the model and the scenario loaded from their texts, one of
 * them with a number varied, through the ordinary loaders and an in-memory reader, then
 * simulated, and judged by `outcomes.ts`. Everything in and out is plain data, so a run can be
 * made on a worker thread. A varied file that no longer loads is a result (its diagnostics),
 * and so is an engine that stops with an error: neither ends the analysis.
 */
import type { Diagnostic } from "../model/diagnostics.js";
import { parseModel } from "../model/load.js";
import { parseScenario } from "../scenario/load.js";
import { simulate } from "../sim/engine.js";
import { type RunOutcomes, runOutcomes } from "./outcomes.js";

/** The files of an analysis: the model's root, the scenario, and the text of every file. */
export interface RunInput {
  readonly modelPath: string;
  readonly scenarioPath: string;
  /** Text by path, as the model's `files` and the scenario's `file` name them. */
  readonly texts: Readonly<Record<string, string>>;
}

/** One file replaced by a varied text, and the assumption varied in it. */
export interface RunChange {
  readonly file: string;
  readonly key: string;
  readonly text: string;
}

export type RunResult =
  | {
      readonly status: "ran";
      /** The varied number as the loader read it, in base units (absent for the baseline). */
      readonly value?: number;
      readonly outcomes: RunOutcomes;
    }
  | { readonly status: "invalid"; readonly diagnostics: readonly Diagnostic[] }
  | { readonly status: "failed"; readonly message: string };

/** The baseline (no change) or a run with one file changed. */
export function performRun(input: RunInput, change: RunChange | null): RunResult {
  const text = (path: string) =>
    change !== null && change.file === path
      ? change.text
      : Object.hasOwn(input.texts, path)
        ? input.texts[path]
        : undefined;
  const model = parseModel(input.modelPath, text);
  if (!model.ok) return { status: "invalid", diagnostics: errors(model.diagnostics) };
  const scenario = parseScenario(input.scenarioPath, text(input.scenarioPath) ?? "", model.model);
  if (!scenario.ok) return { status: "invalid", diagnostics: errors(scenario.diagnostics) };
  let outcomes: RunOutcomes;
  try {
    outcomes = runOutcomes(
      simulate(model.model, scenario.scenario),
      scenario.scenario.expectations,
    );
  } catch (err) {
    return { status: "failed", message: (err as Error).message };
  }
  if (change === null) return { status: "ran", outcomes };
  const marked = [...(model.model.assumptions ?? []), ...(scenario.scenario.assumptions ?? [])];
  const value = marked.find((a) => a.loc.file === change.file && a.key === change.key)?.value;
  return { status: "ran", ...(value !== undefined ? { value } : {}), outcomes };
}

function errors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}
