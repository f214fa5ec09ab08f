/**
 * @module scenario/load
 * From a scenario file to a validated `Scenario`, checked against the model it runs on.
 * `parseScenario` is pure (text in, result out); `loadScenario` reads from disk and throws the
 * same `ModelError` as `loadModel`, so both are reported the same way. The stages are those of
 * the model: YAML syntax and duplicate keys, then the shape of the file, then — once the shape
 * is right — values checked together and references into the model.
 */
import { appendAll, compareText } from "../model/arrays.js";
import { checkAssumptions } from "../model/assumptions.js";
import { type Diagnostic, ModelError, sortDiagnostics } from "../model/diagnostics.js";
import { diskReader, displayPath } from "../model/load.js";
import { shapeDiagnostics } from "../model/shape-issues.js";
import { parseSource } from "../model/source.js";
import type { Model } from "../model/types.js";
import { scenarioFileSchema } from "./schema.js";
import { buildScenario } from "./semantics.js";
import type { Scenario } from "./types.js";

export type ScenarioParseResult =
  | { readonly ok: true; readonly scenario: Scenario; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Parses and validates a scenario given as text; `path` is only used to locate problems. */
export function parseScenario(path: string, text: string, model: Model): ScenarioParseResult {
  const source = parseSource(path, text);
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  if (source.data === undefined) return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
  if (source.data === null || typeof source.data !== "object" || Array.isArray(source.data)) {
    diagnostics.push({
      code: "invalid-type",
      severity: "error",
      message: "a scenario file is a mapping with keys such as name, duration, faults and expect",
      file: path,
      line: 1,
      column: 1,
      path: "",
    });
    return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
  }
  const parsed = scenarioFileSchema.safeParse(source.data);
  if (!parsed.success) {
    appendAll(diagnostics, shapeDiagnostics(source, parsed.error.issues));
    return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
  }
  const built = buildScenario(source, parsed.data, model);
  const checked = checkAssumptions(source, parsed.data);
  const all = sortDiagnostics([...diagnostics, ...built.diagnostics, ...checked.diagnostics]);
  if (!built.scenario || all.some((d) => d.severity === "error"))
    return { ok: false, diagnostics: all };
  if (checked.assumptions.length === 0)
    return { ok: true, scenario: built.scenario, diagnostics: all };
  const assumptions = checked.assumptions.sort((a, b) => compareText(a.key, b.key));
  return { ok: true, scenario: { ...built.scenario, assumptions }, diagnostics: all };
}

/** Reads a scenario from disk and validates it against the model, without throwing. */
export function readScenario(
  path: string,
  model: Model,
  options: { cwd?: string } = {},
): ScenarioParseResult {
  const shown = displayPath(path, options.cwd);
  const text = diskReader(options.cwd)(shown);
  if (typeof text !== "string") {
    return {
      ok: false,
      diagnostics: [
        {
          code: "missing-file",
          severity: "error",
          message: `cannot read '${shown}': ${text === undefined ? "no such file" : text.unreadable}`,
          file: shown,
          line: 1,
          column: 1,
          path: "",
        },
      ],
    };
  }
  return parseScenario(shown, text, model);
}

/** Reads a scenario from disk; throws ModelError carrying every diagnostic when it is invalid. */
export function loadScenario(path: string, model: Model, options: { cwd?: string } = {}): Scenario {
  const result = readScenario(path, model, options);
  if (!result.ok) throw new ModelError(result.diagnostics, "scenario");
  return result.scenario;
}
