/**
 * @module cli/commands/report
 * `faultline report MODEL -o FILE [-s SCENARIO [--compare SCENARIO]]`: one self-contained HTML
 * file with the graph, the audit and, with scenarios, the runs played over the graph.
 */
import type { Command } from "commander";
import { api } from "../api.js";
import {
  CliError,
  emit,
  noteWorkerError,
  printDiagnostics,
  readValidModel,
  readValidScenario,
} from "../io.js";

interface Options {
  scenario?: string;
  compare?: string;
  out: string;
}

export function register(cli: Command): void {
  cli
    .command("report")
    .description(
      "write one self-contained HTML file: the dependency graph in its failure domains, the audit, recovery times against targets and, with a scenario, the cascade playing over the graph with charts",
    )
    .argument("<model>", "root model file")
    .option("-s, --scenario <file>", "a scenario to play on the graph")
    .option("--compare <file>", "a second scenario, shown side by side with the first")
    .requiredOption("-o, --out <file>", "the HTML file to write")
    .action(async (modelPath: string, opts: Options) => {
      if (opts.compare !== undefined && opts.scenario === undefined)
        throw new CliError(
          "--compare needs --scenario: it compares a second scenario with the first",
        );
      const { analyzeInParallel, buildReport, renderReportHtml } = await api();
      const { model, diagnostics } = readValidModel(modelPath);
      printDiagnostics(diagnostics);
      const files = [opts.scenario, opts.compare].filter((f): f is string => f !== undefined);
      const runs = files.map((f) => ({
        scenario: readValidScenario(f, model),
      }));
      const audit = await analyzeInParallel(model, { onWorkerError: noteWorkerError });
      const html = renderReportHtml(buildReport(model, runs, audit));
      emit(html, opts.out);
      process.stderr.write(
        `wrote ${opts.out} (${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB): open it in a browser, no network needed\n`,
      );
    });
}
