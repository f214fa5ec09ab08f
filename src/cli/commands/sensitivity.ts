/**
 * @module cli/commands/sensitivity
 * `faultline sensitivity MODEL -s SCENARIO`: varies each number the files mark as a guess or
 * calibrated, one at a time, on worker threads, and prints which outcomes move and which
 * expectations break. A plan with nothing to vary is refused (exit 2) with how to mark numbers;
 * otherwise the exit code is 0, whatever moved: what breaks is the finding, not a failure.
 * `--seed` is refused with the reason: nothing in the analysis is drawn at random.
 */
import { availableParallelism } from "node:os";
import { type Command, Option } from "commander";
import type { SensitivityFormat } from "../../index.js";
import { api } from "../api.js";
import {
  CliError,
  emit,
  printDiagnostics,
  readValidModel,
  readValidScenario,
  VERSION,
} from "../io.js";
import { choicesFrom, colorFor, colorOptions, jobsOption, spreadOption } from "../options.js";

interface Options {
  scenario: string;
  seed?: string;
  spread: number;
  all?: boolean;
  jobs?: number;
  format: SensitivityFormat;
  out?: string;
  color?: boolean;
}

export function register(cli: Command): void {
  const command = cli
    .command("sensitivity")
    .description(
      "vary each number the model and the scenario mark as a guess or calibrated (assumptions:), one at a time, and show which outcomes move and which expectations break",
    )
    .argument("<model>", "root model file")
    .requiredOption("-s, --scenario <file>", "scenario file")
    .addOption(spreadOption("how far each number is varied, each way"))
    .option("--all", "vary the numbers marked public too")
    .addOption(jobsOption())
    .addOption(
      choicesFrom(
        new Option("-f, --format <format>", "output format").default("text"),
        (lib) => lib.SENSITIVITY_FORMATS,
      ),
    )
    .option("-o, --out <file>", "write the result to a file instead of stdout")
    // NOTE: declared only to be refused with the reason, as a scenario's `seed:` is.
    .addOption(new Option("--seed <n>").hideHelp());
  colorOptions(command).action(async (modelPath: string, opts: Options) => {
    if (opts.seed !== undefined)
      throw new CliError(
        "--seed: nothing here is drawn at random (each number is varied one at a time, and the engine is deterministic), so the same files always give the same output; a sampled design that would take a seed is not done yet",
      );
    const { diskReader, planSensitivity, runSensitivity, SENSITIVITY_RENDERERS } = await api();
    const { model, diagnostics } = readValidModel(modelPath);
    printDiagnostics(diagnostics);
    const scenario = readValidScenario(opts.scenario, model);
    const plan = planSensitivity(model, scenario, diskReader(), {
      spread: opts.spread,
      sources: opts.all ? ["guess", "calibrated", "public"] : ["guess", "calibrated"],
    });
    if (plan.parameters.length === 0) throw new CliError(nothingToVary(plan.unvaried));
    const progress = process.stderr.isTTY ? progressBar() : undefined;
    progress?.(0, plan.runs.length);
    const report = await runSensitivity(plan, {
      jobs: opts.jobs ?? availableParallelism(),
      ...(progress !== undefined ? { onProgress: progress } : {}),
    });
    emit(
      SENSITIVITY_RENDERERS[opts.format](report, { color: colorFor(opts), toolVersion: VERSION }),
      opts.out,
    );
  });
}

function nothingToVary(unvaried: readonly { source: string; count: number }[]): string {
  const left = unvaried.reduce((n, u) => n + u.count, 0);
  return [
    left > 0
      ? `nothing to vary: ${left === 1 ? "the one number marked in assumptions: is" : `the ${left} numbers marked in assumptions: are`} public; add --all to vary ${left === 1 ? "it" : "them"} too, or mark the others`
      : "nothing to vary: neither the model nor the scenario marks a number as a guess or calibrated",
    "mark numbers in an assumptions: section of the file that holds them, by path, for example:",
    "  assumptions:",
    "    components/api/capacity: { source: guess }",
    '    queues/jobs/consumers/worker/rate: { source: calibrated, to: "the backlog drained in 2h" }',
    "(docs/model.md#assumptions-where-a-number-comes-from)",
  ].join("\n");
}

/** A bar on standard error, redrawn after each run and wiped when the last is done. */
function progressBar(): (done: number, total: number) => void {
  const width = 30;
  return (done, total) => {
    const filled = Math.round((done / total) * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    process.stderr.write(
      done < total ? `\rsensitivity ${bar} ${done}/${total} runs` : "\r\u001b[2K",
    );
  };
}
