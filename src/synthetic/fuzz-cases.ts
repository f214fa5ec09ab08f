/**
 * @module synthetic/fuzz-cases
 * Inputs that try to break the loader and what runs after it: model and scenario files taken
 * from a corpus or generated, then mutated as people and attackers mutate YAML (a character
 * inserted or deleted, a line repeated, dropped or shifted, a value replaced by something odd,
 * an include pointed at the wrong place). Every random choice is read from a list of numbers, so
 * that fast-check can shrink a failing case to a short list and the campaign in `bench/fuzz.mjs`
 * can name a case by its seed.
 *
 * This module only makes inputs; the fuzz test and the campaign run them through `parseModel`,
 * `analyze`, `parseScenario` and `simulate` (and the CLI) and check that nothing but located
 * diagnostics comes out.
 */
import type { Model } from "../model/types.js";
import { generateModel } from "./generate.js";
import { modelToYaml } from "./to-yaml.js";

export interface FuzzCorpus {
  /** Model files, each a root (no includes of its own). */
  readonly models: readonly string[];
  /** Scenarios, each with the index of the model in `models` it runs on. */
  readonly scenarios: readonly { readonly model: number; readonly text: string }[];
}

export interface FuzzCase {
  /** The model's files by path; `root` is the one to load. */
  readonly files: Readonly<Record<string, string>>;
  readonly root: string;
  /** A scenario to check against the model (and simulate, when both are valid). */
  readonly scenario?: string;
  /** What was done, for the reproducer. */
  readonly steps: readonly string[];
}

/** Insertions: YAML's own punctuation, odd scalars and names JavaScript treats specially. */
const TOKENS = [
  ":",
  ": ",
  " ",
  "  ",
  "\n",
  "\n  ",
  "- ",
  "#",
  " # note",
  "{",
  "}",
  "[",
  "]",
  ",",
  "'",
  '"',
  "&a ",
  "*a",
  "!!str ",
  "!!binary ",
  "| ",
  "> ",
  "? ",
  "\t",
  "\r\n",
  "\\",
  "---\n",
  "...\n",
  "%YAML 1.2\n",
  "@",
  "`",
  "<<: *a\n",
  "\u001b[2J",
  "\u202e",
  "\ufeff",
  "\u0000",
  "é",
  "__proto__",
  "constructor",
  "toString",
];

const VALUES = [
  "~",
  "null",
  "''",
  "[]",
  "{}",
  "-1",
  "0",
  "1e309",
  ".nan",
  ".inf",
  "0x10",
  "99%",
  "150%",
  "-5%",
  "0s",
  "1000000d",
  "30 minutes",
  "5 rps",
  "1e12 rps",
  "0 rps",
  "yes",
  "true",
  "global",
  "__proto__",
  "constructor",
  "hasOwnProperty",
  "[a, b]",
  "{ a: 1 }",
  "&anchor x",
  "*anchor",
  '"\\e[31mred"',
  "'x'",
  "../../../etc/passwd",
  "/dev/zero",
  "999999999999999999999",
];

const KINDS = [
  "down",
  "dns-empty",
  "latency",
  "error-rate",
  "capacity-loss",
  "surge",
  "bad-change",
];

/** Reads choices from `numbers` in turn (0 once they run out). */
class Choices {
  private i = 0;
  constructor(private readonly numbers: readonly number[]) {}
  next(bound: number): number {
    const n = this.numbers[this.i++] ?? 0;
    return bound <= 0 ? 0 : Math.abs(Math.trunc(n)) % bound;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.next(list.length)] as T;
  }
}

export function fuzzCase(numbers: readonly number[], corpus: FuzzCorpus): FuzzCase {
  const c = new Choices(numbers);
  const steps: string[] = [];
  const form = c.next(10);
  let model: string;
  let scenario: string | undefined;
  if (form < 4 || corpus.scenarios.length === 0) {
    const i = c.next(corpus.models.length);
    model = corpus.models[i] as string;
    steps.push(`model ${i} of the corpus`);
  } else if (form < 6) {
    const made = generatedModel(c, steps);
    model = modelToYaml(made);
    if (form === 5) scenario = scenarioFor(made, c, steps);
  } else {
    const s = c.pick(corpus.scenarios);
    model = corpus.models[s.model] as string;
    scenario = s.text;
    steps.push(`scenario on model ${s.model} of the corpus`);
  }
  const mutateScenario = scenario !== undefined && c.next(3) > 0;
  const count = c.next(4);
  for (let k = 0; k < count; k++) {
    if (mutateScenario) scenario = mutate(scenario as string, c, steps);
    else model = mutate(model, c, steps);
  }
  const files: Record<string, string> = { "model.yaml": model };
  if (c.next(8) === 0) {
    // A second file, included from the root, holding the root's tail.
    const cut = model.indexOf("\ncomponents:");
    if (cut > 0) {
      const target = c.pick([
        "part.yaml",
        "part.yaml",
        "model.yaml",
        "missing.yaml",
        "/dev/zero",
        "../x.yaml",
      ]);
      files["model.yaml"] = `${model.slice(0, cut)}\ninclude: [${target}]\n`;
      files["part.yaml"] = model.slice(cut + 1);
      steps.push(`split at components, included as ${target}`);
    }
  }
  return { files, root: "model.yaml", ...(scenario !== undefined ? { scenario } : {}), steps };
}

function generatedModel(c: Choices, steps: string[]): Model {
  const components = 2 + c.next(30);
  const dependencies = c.next(Math.min(components * (components - 1), 3 * components) + 1);
  const seed = c.next(1000);
  steps.push(
    `generated model: ${components} components, ${dependencies} dependencies, seed ${seed}`,
  );
  return generateModel({ components, dependencies, seed, workloads: 1 + c.next(4) });
}

/** A small scenario against a model: a few faults on its ids, an action, an expectation. */
function scenarioFor(model: Model, c: Choices, steps: string[]): string {
  const ids = model.components.map((x) => x.id);
  const lines = ["name: fuzz", `duration: ${1 + c.next(6)}h`, "faults:"];
  const faults = 1 + c.next(4);
  for (let i = 0; i < faults; i++) {
    const kind = c.pick(KINDS);
    const target =
      kind === "dns-empty"
        ? (model.records[c.next(model.records.length)]?.name ?? "none")
        : kind === "surge"
          ? (model.workloads[c.next(model.workloads.length)]?.id ?? "none")
          : c.pick(ids);
    const extra =
      kind === "latency"
        ? ", latency: 2s"
        : kind === "error-rate"
          ? ", rate: 50%"
          : kind === "capacity-loss"
            ? `, fraction: ${c.pick(["50%", "100%"])}`
            : kind === "surge"
              ? ", factor: 3"
              : "";
    lines.push(
      `  f${i}: { kind: ${kind}, target: ${target}${extra}, at: ${c.next(30)}m, until: ${31 + c.next(60)}m }`,
    );
  }
  lines.push("actions:", `  fix: { do: restart, target: ${c.pick(ids)}, at: ${c.next(50)}m }`);
  const workload = model.workloads[0]?.id;
  if (workload !== undefined)
    lines.push("expect:", `  - availability: { workload: ${workload}, atLeast: 90% }`);
  steps.push(`generated scenario with ${faults} faults`);
  return `${lines.join("\n")}\n`;
}

/** One mutation of a text. */
function mutate(text: string, c: Choices, steps: string[]): string {
  const lines = text.split("\n");
  const line = c.next(lines.length);
  switch (c.next(7)) {
    case 0: {
      const at = c.next(text.length + 1);
      const token = c.pick(TOKENS);
      steps.push(`insert ${JSON.stringify(token)} at offset ${at}`);
      return text.slice(0, at) + token + text.slice(at);
    }
    case 1: {
      const at = c.next(text.length);
      const length = 1 + c.next(20);
      steps.push(`delete ${length} characters at offset ${at}`);
      return text.slice(0, at) + text.slice(at + length);
    }
    case 2:
      steps.push(`repeat line ${line + 1}`);
      lines.splice(line, 0, lines[line] ?? "");
      return lines.join("\n");
    case 3:
      steps.push(`drop line ${line + 1}`);
      lines.splice(line, 1);
      return lines.join("\n");
    case 4: {
      const shift = c.pick([-2, -1, 1, 2]);
      const l = lines[line] ?? "";
      lines[line] =
        shift > 0 ? " ".repeat(shift) + l : l.replace(new RegExp(`^ {0,${-shift}}`), "");
      steps.push(`indent line ${line + 1} by ${shift}`);
      return lines.join("\n");
    }
    case 5: {
      const l = lines[line] ?? "";
      const colon = l.indexOf(": ");
      if (colon < 0) return text;
      const value = c.pick(VALUES);
      lines[line] = `${l.slice(0, colon + 2)}${value}`;
      steps.push(`set the value on line ${line + 1} to ${JSON.stringify(value)}`);
      return lines.join("\n");
    }
    default: {
      const other = c.next(lines.length);
      steps.push(`swap lines ${line + 1} and ${other + 1}`);
      const a = lines[line] ?? "";
      lines[line] = lines[other] ?? "";
      lines[other] = a;
      return lines.join("\n");
    }
  }
}
