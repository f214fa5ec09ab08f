/**
 * @module sensitivity/plan
 * Which runs a one-at-a-time sensitivity analysis makes: a baseline, then for each number marked
 * `guess` or `calibrated` (or any marked number, when asked) its file written twice more with
 * that number × (1 − spread) and × (1 + spread), everything else as it is. Pure: the files come
 * through an injected reader, like `parseModel`'s, and the plan holds every text the runs need,
 * so they can be made anywhere (`pool.ts`).
 *
 * A side whose written value is the baseline's (zero, or a whole number rounded back) is not
 * run: its outcomes are the baseline's. A side that cannot be written (a block scalar) says why.
 */
import type { z } from "zod";
import { ModelError } from "../model/diagnostics.js";
import type { ReadFile } from "../model/load.js";
import { modelFileSchema } from "../model/schema.js";
import type { Assumption, AssumptionSource, Location, Model } from "../model/types.js";
import { scenarioFileSchema } from "../scenario/schema.js";
import type { Scenario } from "../scenario/types.js";
import type { Adjustment, WrittenForm } from "./quantity.js";
import type { RunChange, RunInput } from "./run.js";
import { varyText, writtenNumber } from "./vary.js";

export interface SensitivityOptions {
  /** The change each way, as a fraction: 0.5 runs each number at × 0.5 and × 1.5. */
  readonly spread?: number;
  /** The sources of the numbers varied; `guess` and `calibrated` unless said. */
  readonly sources?: readonly AssumptionSource[];
}

export const DEFAULT_SPREAD = 0.5;
export const DEFAULT_SOURCES: readonly AssumptionSource[] = ["guess", "calibrated"];

export type Side = "low" | "high";

export type Variant =
  /** Written and run as run number `run` of the plan. */
  | {
      readonly status: "run";
      readonly factor: number;
      readonly form: WrittenForm;
      readonly written: string;
      readonly adjustments: readonly Adjustment[];
      readonly run: number;
    }
  /** Written as the baseline has it (after rounding or clamping): the baseline's outcomes. */
  | {
      readonly status: "same";
      readonly factor: number;
      readonly form: WrittenForm;
      readonly written: string;
      readonly adjustments: readonly Adjustment[];
    }
  | { readonly status: "unwritable"; readonly factor: number; readonly problem: string };

/** A varied number: its assumption, where it is, and its two sides. */
export interface Parameter {
  /** 1, 2, … in the plan's order: the model's files first (in `files` order), then the scenario. */
  readonly index: number;
  readonly owner: "model" | "scenario";
  readonly file: string;
  /** The path, or for a calibrated pattern reaching several numbers, the pattern. */
  readonly key: string;
  /** How many numbers a calibrated pattern varies together (absent: one). */
  readonly places?: number;
  readonly source: AssumptionSource;
  readonly fact?: string;
  readonly to?: string;
  readonly note?: string;
  readonly loc: Location;
  /** As written in the file, and as loaded (base units). */
  readonly baseline: { readonly written: string; readonly value: number };
  readonly low: Variant;
  readonly high: Variant;
}

export interface SensitivityPlan {
  readonly input: RunInput;
  readonly model: { readonly name: string; readonly files: readonly string[] };
  readonly scenario: {
    readonly name: string;
    readonly file: string;
    readonly duration: number;
    readonly startsAt: string | null;
  };
  readonly design: {
    readonly kind: "one-at-a-time";
    readonly spread: number;
    readonly sources: readonly AssumptionSource[];
  };
  readonly parameters: readonly Parameter[];
  /** Marked numbers left at their value because of their source. */
  readonly unvaried: readonly { readonly source: AssumptionSource; readonly count: number }[];
  /** The runs: the baseline (null) first, then one per varied side. */
  readonly runs: readonly (RunChange | null)[];
}

/**
 * The plan for `model` and `scenario` (both loaded and valid), whose files `read` gives again.
 * Throws ModelError when a file cannot be read any more.
 */
export function planSensitivity(
  model: Model,
  scenario: Scenario,
  read: ReadFile,
  options: SensitivityOptions = {},
): SensitivityPlan {
  const spread = options.spread ?? DEFAULT_SPREAD;
  if (!(spread > 0 && spread < 1))
    throw new RangeError("the spread is a fraction above 0 and below 1 (50% is 0.5)");
  const sources = ASSUMPTION_ORDER.filter((s) => (options.sources ?? DEFAULT_SOURCES).includes(s));
  const texts: Record<string, string> = {};
  for (const file of [...model.files, scenario.file]) texts[file] = readText(read, file);

  const marked: [Assumption, "model" | "scenario"][] = [
    ...(model.assumptions ?? []).map((a) => [a, "model"] as [Assumption, "model"]),
    ...(scenario.assumptions ?? []).map((a) => [a, "scenario"] as [Assumption, "scenario"]),
  ];
  const runs: (RunChange | null)[] = [null];
  const parameters: Parameter[] = [];
  // A calibrated entry with a pattern is one fitted value written in several places (the same
  // retry count on every caller): its numbers are varied together, as one parameter. A guess
  // written with a pattern stays a guess per number, each varied on its own.
  const groups = new Map<string, Assumption[]>();
  const entries: [Assumption[], "model" | "scenario"][] = [];
  for (const [a, owner] of marked) {
    if (!sources.includes(a.source)) continue;
    if (a.source === "calibrated" && a.pattern !== undefined) {
      const id = `${a.loc.file}\u0000${a.pattern}`;
      const group = groups.get(id);
      if (group !== undefined) {
        group.push(a);
        continue;
      }
      groups.set(id, [a]);
      entries.push([groups.get(id) as Assumption[], owner]);
    } else entries.push([[a], owner]);
  }
  for (const [group, owner] of entries) {
    const a = group[0] as Assumption;
    const file = a.loc.file;
    const text = texts[file] as string;
    const schema: z.ZodType = owner === "model" ? modelFileSchema : scenarioFileSchema;
    const places = group.map((x) => writtenNumber(text, x.path, schema));
    const unwritable = places.find((at) => "problem" in at);
    const at = places[0] as (typeof places)[number];
    const baseline = {
      written:
        "problem" in at
          ? String(a.value)
          : text.slice(at.start, at.end).replace(/^["']|["']$/g, ""),
      value: a.value,
    };
    const side = (factor: number): Variant => {
      if (unwritable !== undefined && "problem" in unwritable)
        return { status: "unwritable", factor, problem: unwritable.problem };
      // From the last place in the file to the first, so that each edit leaves the others' offsets.
      const order = (places as Exclude<(typeof places)[number], { problem: string }>[])
        .slice()
        .sort((x, y) => y.start - x.start);
      let out = text;
      let first: Exclude<ReturnType<typeof varyText>, { problem: string }> | undefined;
      for (const place of order) {
        const varied = varyText(out, place, factor);
        if ("problem" in varied) return { status: "unwritable", factor, problem: varied.problem };
        out = varied.text;
        if (place === at) first = varied;
      }
      const { form, written, adjustments } = first as NonNullable<typeof first>;
      if (written === baseline.written)
        return { status: "same", factor, form, written, adjustments };
      runs.push({ file, key: group.length > 1 ? (a.pattern as string) : a.key, text: out });
      return { status: "run", factor, form, written, adjustments, run: runs.length - 1 };
    };
    parameters.push({
      index: parameters.length + 1,
      owner,
      file,
      key: group.length > 1 ? (a.pattern as string) : a.key,
      ...(group.length > 1 ? { places: group.length } : {}),
      source: a.source,
      ...(a.fact !== undefined ? { fact: a.fact } : {}),
      ...(a.to !== undefined ? { to: a.to } : {}),
      ...(a.note !== undefined ? { note: a.note } : {}),
      loc: a.loc,
      baseline,
      low: side(1 - spread),
      high: side(1 + spread),
    });
  }
  const unvaried = ASSUMPTION_ORDER.filter((s) => !sources.includes(s))
    .map((source) => ({ source, count: marked.filter(([a]) => a.source === source).length }))
    .filter((u) => u.count > 0);
  return {
    input: { modelPath: model.files[0] as string, scenarioPath: scenario.file, texts },
    model: { name: model.name, files: model.files },
    scenario: {
      name: scenario.name,
      file: scenario.file,
      duration: scenario.duration,
      startsAt: scenario.startsAt ?? null,
    },
    design: { kind: "one-at-a-time", spread, sources },
    parameters,
    unvaried,
    runs,
  };
}

/** Sources in the order reports list them. */
const ASSUMPTION_ORDER: readonly AssumptionSource[] = ["guess", "calibrated", "public"];

function readText(read: ReadFile, file: string): string {
  const got = read(file);
  if (typeof got === "string") return got;
  throw new ModelError([
    {
      code: "missing-file",
      severity: "error",
      message: `cannot read '${file}' again: ${got === undefined ? "no such file" : got.unreadable}`,
      file,
      line: 1,
      column: 1,
      path: "",
    },
  ]);
}
