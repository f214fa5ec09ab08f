/**
 * @module cli/commands/explain
 * `faultline explain MODEL -s SCENARIO -c ID [--at TIME]`: the causal chain of a component's
 * failure in a simulated run, back to the injected fault.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { api, requireApi } from "../api.js";
import {
  CliError,
  EXIT,
  emit,
  printDiagnostics,
  readValidModel,
  readValidScenario,
} from "../io.js";

interface Options {
  scenario: string;
  component: string;
  at?: number;
  format: "text" | "json";
}

export function register(cli: Command): void {
  cli
    .command("explain")
    .description(
      "the causal chain of a component's failure in a simulated scenario, back to the injected fault",
    )
    .argument("<model>", "root model file")
    .requiredOption("-s, --scenario <file>", "scenario file")
    .requiredOption("-c, --component <id>", "the component whose failure to explain")
    .option(
      "--at <time>",
      "explain the state at this time from the start (default: when it first reached its worst state)",
      (v: string) => {
        const t = requireApi().parseDuration(v);
        if (typeof t === "string") throw new InvalidArgumentError(`--at: ${t}`);
        return t;
      },
    )
    .addOption(
      new Option("-f, --format <format>", "text or json").choices(["text", "json"]).default("text"),
    )
    .action(async (modelPath: string, opts: Options) => {
      const { explain, formatExplanation, simulate, suggest } = await api();
      const { model, diagnostics } = readValidModel(modelPath);
      printDiagnostics(diagnostics);
      const scenario = readValidScenario(opts.scenario, model);
      if (!model.components.some((c) => c.id === opts.component)) {
        const near = suggest(
          opts.component,
          model.components.map((c) => c.id),
        );
        throw new CliError(
          `no component '${opts.component}' in model ${model.name}${near ? ` — did you mean '${near}'?` : ""}`,
          EXIT.invalid,
        );
      }
      if (opts.at !== undefined && opts.at > scenario.duration)
        throw new CliError(
          `--at is past the end of the scenario (${scenario.duration}s)`,
          EXIT.invalid,
        );
      const journal = simulate(model, scenario);
      const explanation = explain(journal, opts.component, opts.at);
      emit(
        opts.format === "json"
          ? `${JSON.stringify({ schemaVersion: 1, ...explanation }, null, 2)}\n`
          : formatExplanation(explanation, { startsAt: journal.scenario.startsAt }),
      );
    });
}
