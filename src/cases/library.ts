/**
 * @module cases/library
 * A library of replayed outages, read from disk: every directory under the library's root that
 * holds a `case.yaml` is a case. The manifest names the case's model and scenario (paths
 * relative to the case's directory), its lessons variant and its sources; the files are loaded
 * by the ordinary loaders and, since a case claims where each of its numbers comes from, every
 * number in them must be marked in `assumptions:` (`unmarkedNumbers`). Every problem of every
 * case is collected and located; none stops the others from being found.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod";
import { appendAll, compareText } from "../model/arrays.js";
import { unmarkedNumbers } from "../model/assumptions.js";
import {
  type Diagnostic,
  formatDiagnostic,
  locatedError,
  sortDiagnostics,
} from "../model/diagnostics.js";
import { diskReader, displayPath, parseModel } from "../model/load.js";
import { modelFileSchema } from "../model/schema.js";
import { obj } from "../model/schema-values.js";
import { shapeDiagnostics } from "../model/shape-issues.js";
import { parseSource } from "../model/source.js";
import type { Model } from "../model/types.js";
import { parseScenario } from "../scenario/load.js";
import { scenarioFileSchema } from "../scenario/schema.js";
import type { Scenario } from "../scenario/types.js";

export const CASE_FILE = "case.yaml";

const path = z.string().min(1).describe("A file, relative to the case's directory");

export const caseFileSchema = obj({
  title: z.string().min(1).describe("The outage in a line: who, where, when"),
  summary: z.string().min(1).describe("What happened, in a sentence or two"),
  sources: z.array(z.string().min(1)).min(1).describe("The public accounts the case is built on"),
  model: path.describe("The architecture as it was"),
  scenario: path.describe("The trigger and the operators' actions at their public times"),
  lessons: obj({
    model: path.optional().describe("The architecture with the lessons applied (default: model)"),
    scenario: path.optional().describe("The run against it (default: scenario)"),
  })
    .optional()
    .describe("The same outage with the post-mortem's lessons applied"),
});

export type CaseFile = z.output<typeof caseFileSchema>;

/** A model and a scenario loaded together. */
export interface Run {
  readonly model: Model;
  readonly scenario: Scenario;
}

export interface Case {
  /** The directory's name. */
  readonly id: string;
  /** The case's directory, as displayed. */
  readonly dir: string;
  readonly title: string;
  readonly summary: string;
  readonly sources: readonly string[];
  readonly replay: Run;
  readonly lessons?: Run;
}

export type LibraryResult =
  | {
      readonly ok: true;
      readonly cases: readonly Case[];
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Top-level scenario sections that hold what a run is checked against, not what it rests on. */
const CHECKS = ["expect", "facts", "timeline", "duration"];

/**
 * Reads the cases under `root` (each directory with a `case.yaml`), in the order of their
 * names, or only those named in `only`. A name in `only` that is not a case is an error.
 */
export function readCaseLibrary(root: string, only: readonly string[] = []): LibraryResult {
  const shown = displayPath(root);
  let names: string[];
  try {
    if (!statSync(shown).isDirectory())
      return failed(shown, "it is not a directory; name the directory that holds the cases");
    names = readdirSync(shown)
      .filter((name) => {
        try {
          return statSync(join(shown, name, CASE_FILE)).isFile();
        } catch {
          return false;
        }
      })
      .sort(compareText);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return failed(shown, code === "ENOENT" ? "no such directory" : (err as Error).message);
  }
  if (names.length === 0)
    return failed(shown, `no case in it: a case is a directory holding a ${CASE_FILE}`);
  const diagnostics: Diagnostic[] = [];
  for (const name of only)
    if (!names.includes(name))
      diagnostics.push({
        code: "unknown-reference",
        severity: "error",
        message: `no case '${name}' in ${shown}; the cases are ${names.join(", ")}`,
        file: shown,
        line: 1,
        column: 1,
        path: "",
      });
  const cases: Case[] = [];
  for (const name of names) {
    if (only.length > 0 && !only.includes(name)) continue;
    const read = readCase(join(shown, name), name);
    appendAll(diagnostics, read.diagnostics);
    if (read.case) cases.push(read.case);
  }
  // A file the replay and its lessons share is checked twice: each problem is told once.
  const seen = new Set<string>();
  const sorted = sortDiagnostics(diagnostics).filter((d) => {
    const key = formatDiagnostic(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (sorted.some((d) => d.severity === "error")) return { ok: false, diagnostics: sorted };
  return { ok: true, cases, diagnostics: sorted };
}

function failed(file: string, why: string): LibraryResult {
  return {
    ok: false,
    diagnostics: [
      {
        code: "missing-file",
        severity: "error",
        message: `cannot read the case library '${file}': ${why}`,
        file,
        line: 1,
        column: 1,
        path: "",
      },
    ],
  };
}

/** One case: its manifest, then its runs, each file checked for unmarked numbers. */
function readCase(dir: string, id: string): { case?: Case; diagnostics: Diagnostic[] } {
  const read = diskReader();
  const file = join(dir, CASE_FILE);
  const text = read(file);
  if (typeof text !== "string")
    return {
      diagnostics: [
        {
          code: "missing-file",
          severity: "error",
          message: `cannot read '${file}': ${text === undefined ? "no such file" : text.unreadable}`,
          file,
          line: 1,
          column: 1,
          path: "",
        },
      ],
    };
  const source = parseSource(file, text);
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  if (source.data === undefined) return { diagnostics };
  const parsed = caseFileSchema.safeParse(source.data);
  if (!parsed.success) {
    if (source.data === null || typeof source.data !== "object" || Array.isArray(source.data))
      diagnostics.push(
        locatedError(
          "invalid-type",
          source,
          [],
          "a case file is a mapping with title, summary, sources, model and scenario",
        ),
      );
    else appendAll(diagnostics, shapeDiagnostics(source, parsed.error.issues));
    return { diagnostics };
  }
  const manifest = parsed.data;
  if (manifest.lessons !== undefined && !manifest.lessons.model && !manifest.lessons.scenario) {
    diagnostics.push(
      locatedError(
        "missing-key",
        source,
        ["lessons"],
        "lessons names the lessons' model, scenario or both; leave it out if the case has none",
        { at: "key" },
      ),
    );
    return { diagnostics };
  }
  const within = (p: string) => join(dir, p);
  const replay = loadRun(
    within(manifest.model),
    within(manifest.scenario),
    source,
    ["model"],
    ["scenario"],
    diagnostics,
  );
  const lessons =
    manifest.lessons === undefined
      ? undefined
      : loadRun(
          within(manifest.lessons.model ?? manifest.model),
          within(manifest.lessons.scenario ?? manifest.scenario),
          source,
          manifest.lessons.model !== undefined ? ["lessons", "model"] : ["model"],
          manifest.lessons.scenario !== undefined ? ["lessons", "scenario"] : ["scenario"],
          diagnostics,
        );
  if (replay === undefined || (manifest.lessons !== undefined && lessons === undefined))
    return { diagnostics };
  return {
    case: {
      id,
      dir,
      title: manifest.title,
      summary: manifest.summary,
      sources: manifest.sources,
      replay,
      ...(lessons !== undefined ? { lessons } : {}),
    },
    diagnostics,
  };
}

/**
 * A model and a scenario of a case, loaded, with every unmarked number an error. A file that
 * cannot be read is reported at the manifest's key that names it.
 */
function loadRun(
  modelPath: string,
  scenarioPath: string,
  manifest: ReturnType<typeof parseSource>,
  modelKey: readonly string[],
  scenarioKey: readonly string[],
  diagnostics: Diagnostic[],
): Run | undefined {
  const read = diskReader();
  const missing = (key: readonly string[], p: string, why: string) =>
    diagnostics.push(locatedError("missing-file", manifest, key, `cannot read '${p}': ${why}`));
  const model = parseModel(modelPath, read);
  if (!model.ok) {
    const mine = model.diagnostics.filter((d) => d.code === "missing-file" && d.file === modelPath);
    if (mine.length > 0)
      missing(modelKey, modelPath, mine[0]?.message.replace(/^cannot read '[^']*': /, "") ?? "");
    else appendAll(diagnostics, model.diagnostics);
    return undefined;
  }
  appendAll(diagnostics, model.diagnostics);
  const scenarioText = read(scenarioPath);
  if (typeof scenarioText !== "string") {
    missing(
      scenarioKey,
      scenarioPath,
      scenarioText === undefined ? "no such file" : scenarioText.unreadable,
    );
    return undefined;
  }
  const scenario = parseScenario(scenarioPath, scenarioText, model.model);
  appendAll(diagnostics, scenario.diagnostics);
  if (!scenario.ok) return undefined;
  for (const file of model.model.files) {
    const text = read(file);
    if (typeof text !== "string") continue;
    const src = parseSource(file, text);
    const data = modelFileSchema.safeParse(src.data);
    if (data.success)
      appendAll(diagnostics, unmarkedNumbers(src, data.data, model.model.assumptions ?? []));
  }
  const src = parseSource(scenarioPath, scenarioText);
  const data = scenarioFileSchema.safeParse(src.data);
  if (data.success)
    appendAll(
      diagnostics,
      unmarkedNumbers(src, data.data, scenario.scenario.assumptions ?? [], CHECKS),
    );
  return { model: model.model, scenario: scenario.scenario };
}
