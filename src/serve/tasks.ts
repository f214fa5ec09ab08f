/**
 * @module serve/tasks
 * The costly work behind the web UI — parsing and validating models and scenarios, the audit,
 * the simulations — as plain functions of the project and a serialisable task. The server runs
 * them on worker threads (`serve/workers`), so a long simulation never stops it from answering;
 * they read files only through the project's confined reader.
 */
import { type Diagnostic, sortDiagnostics } from "../model/diagnostics.js";
import { parseModel } from "../model/load.js";
import type { Model } from "../model/types.js";
import { buildReport } from "../reports/report-html.js";
import { parseScenario } from "../scenario/load.js";
import { HttpError } from "./http-error.js";
import type { Project } from "./project.js";

export type Task =
  /** The problems of `text` as the file `path` (unsaved, or just saved). */
  | {
      readonly kind: "problems";
      readonly path: string;
      readonly text: string;
      readonly model: unknown;
    }
  /** The report data (audit, journals, causal chains) of a model and up to two scenarios. */
  | {
      readonly kind: "run";
      readonly model: unknown;
      readonly scenario: unknown;
      readonly compare: unknown;
    };

/** What a task answers: diagnostics, or the report data already as JSON text. */
export type TaskResult = readonly Diagnostic[] | string;

export function perform(project: Project, task: Task): TaskResult {
  switch (task.kind) {
    case "problems":
      return problems(project, task.path, task.text, task.model);
    case "run":
      return run(project, task.model, [task.scenario, task.compare]);
    default: {
      const never: never = task;
      throw new Error(`unknown task ${JSON.stringify(never)}`);
    }
  }
}

/** A scenario has faults; a model has components (both top-level keys). */
export function looksLikeScenario(text: string): boolean {
  // Only a scenario has a top-level duration; one may have no faults (a surge of demand is a
  // workload's profile, not a fault).
  return /^(faults|duration)\s*:/m.test(text);
}

export function looksLikeModel(text: string): boolean {
  return /^(components|include|domains)\s*:/m.test(text);
}

const modelAt = (project: Project, rel: string, override?: { rel: string; text: string }) =>
  parseModel(rel, project.reader(override));

/** The problems of `text` as file `path`: as a scenario if it looks like one, else as a model. */
function problems(project: Project, path: string, text: string, model: unknown) {
  const { rel } = project.file(path, "write");
  if (looksLikeScenario(text)) {
    if (typeof model !== "string" || model === "")
      return [problem(rel, "choose a model: a scenario is checked against the model it runs on")];
    const m = modelAt(project, project.file(model, "read").rel);
    if (!m.ok) return [problem(rel, `the model ${model} has problems of its own; fix them first`)];
    return parseScenario(rel, text, m.model).diagnostics;
  }
  // A file the chosen model includes is checked through that model, with the edit applied;
  // any other file as a model of its own.
  const chosen = typeof model === "string" && model !== "" ? project.file(model, "read").rel : null;
  if (chosen !== null && chosen !== rel) {
    const r = modelAt(project, chosen, { rel, text });
    const touches = r.ok ? r.model.files.includes(rel) : r.diagnostics.some((d) => d.file === rel);
    if (touches) return sortDiagnostics(r.diagnostics);
  }
  return sortDiagnostics(modelAt(project, rel, { rel, text }).diagnostics);
}

function run(project: Project, modelPath: unknown, scenarios: readonly unknown[]): string {
  const model = loadedModel(project, modelPath);
  const runs = scenarios
    .filter((f) => f !== null && f !== undefined && f !== "")
    .map((f) => {
      const file = project.file(f, "read");
      const s = parseScenario(file.rel, project.read(file), model);
      if (!s.ok)
        throw new HttpError(
          422,
          `the scenario ${file.rel} has ${s.diagnostics.length} problem(s)`,
          s.diagnostics,
        );
      return { scenario: s.scenario };
    });
  return JSON.stringify(buildReport(model, runs));
}

function loadedModel(project: Project, path: unknown): Model {
  const { rel } = project.file(path, "read");
  const r = modelAt(project, rel);
  if (!r.ok)
    throw new HttpError(
      422,
      `the model ${rel} has ${r.diagnostics.length} problem(s)`,
      r.diagnostics,
    );
  return r.model;
}

function problem(file: string, message: string): Diagnostic {
  return { code: "invalid-value", severity: "error", message, file, line: 1, column: 1, path: "" };
}
