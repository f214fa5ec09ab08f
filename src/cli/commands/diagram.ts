/**
 * @module cli/commands/diagram
 * `faultline diagram MODEL`: the model as a Mermaid, DOT or D2 diagram, optionally with one
 * unit's blast radius highlighted.
 */
import { type Command, Option } from "commander";
import type { DiagramFormat } from "../../index.js";
import { api } from "../api.js";
import { CliError, EXIT, emit, printDiagnostics, readValidModel } from "../io.js";
import { choicesFrom } from "../options.js";

interface Options {
  format: DiagramFormat;
  highlight?: string;
  legend: boolean;
  out?: string;
}

export function register(cli: Command): void {
  cli
    .command("diagram")
    .description(
      "draw a model as a Mermaid, Graphviz DOT or D2 diagram: failure domains as nested clusters, dependencies styled by kind, and optionally one unit's blast radius",
    )
    .argument("<model>", "root model file")
    .addOption(
      choicesFrom(
        new Option("-f, --format <format>", "diagram language").default("mermaid"),
        (lib) => lib.DIAGRAM_FORMATS,
      ),
    )
    .option(
      "--highlight <unit>",
      "colour what this component, DNS record or failure domain takes down and degrades",
    )
    .option("--no-legend", "leave the legend out")
    .option("-o, --out <file>", "write the diagram to a file instead of stdout")
    .action(async (modelPath: string, opts: Options) => {
      const { renderDiagram, UnknownUnitError } = await api();
      const { model, diagnostics } = readValidModel(modelPath);
      printDiagnostics(diagnostics);
      let text: string;
      try {
        text = renderDiagram(model, {
          format: opts.format,
          ...(opts.highlight !== undefined ? { highlight: opts.highlight } : {}),
          legend: opts.legend,
        });
      } catch (err) {
        if (err instanceof UnknownUnitError)
          throw new CliError(`--highlight: ${err.message}`, EXIT.invalid);
        throw err;
      }
      emit(text, opts.out);
    });
}
