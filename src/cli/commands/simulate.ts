/**
 * @module cli/commands/simulate
 * `faultline simulate MODEL -s SCENARIO`: the journal of a run as text, Markdown or JSON; exit
 * 1 when an expectation does not hold.
 */
import { type Command, Option } from "commander";
import type { SimFormat } from "../../index.js";
import { api } from "../api.js";
import {
  emit,
  printDiagnostics,
  readValidModel,
  readValidScenario,
  VERSION,
  verdictCode,
} from "../io.js";
import { choicesFrom, colorFor, colorOptions } from "../options.js";

interface Options {
  scenario: string;
  format: SimFormat;
  out?: string;
  color?: boolean;
}

export function register(cli: Command): void {
  const command = cli
    .command("simulate")
    .description(
      "play a scenario against a model over simulated time: the timeline of failures with their causes, per-component, workload and queue results, and the scenario's expectations",
    )
    .argument("<model>", "root model file")
    .requiredOption("-s, --scenario <file>", "scenario file")
    .addOption(
      choicesFrom(
        new Option("-f, --format <format>", "output format").default("text"),
        (lib) => lib.SIM_FORMATS,
      ),
    )
    .option("-o, --out <file>", "write the result to a file instead of stdout");
  colorOptions(command).action(async (modelPath: string, opts: Options) => {
    const { simulate, SIM_RENDERERS } = await api();
    const { model, diagnostics } = readValidModel(modelPath);
    printDiagnostics(diagnostics);
    const scenario = readValidScenario(opts.scenario, model);
    const journal = simulate(model, scenario);
    emit(
      SIM_RENDERERS[opts.format](journal, { color: colorFor(opts), toolVersion: VERSION }),
      opts.out,
    );
    process.exitCode = verdictCode(journal);
  });
}
