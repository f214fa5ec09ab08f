/**
 * @module cli/commands/validate
 * `faultline validate FILE… [-s SCENARIO]`: every problem of each model (and of a scenario
 * against the first), located; a summary line per valid file; JSON for tools.
 */
import { type Command, Option } from "commander";
import { api } from "../api.js";
import { EXIT, emit, printDiagnostics } from "../io.js";

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function register(cli: Command): void {
  cli
    .command("validate")
    .description(
      "check model files (and a scenario) and report every problem with file:line:column",
    )
    .argument("<files...>", "model files (each one a root; includes are followed)")
    .option("-s, --scenario <file>", "also check a scenario against the (first) model")
    .addOption(
      new Option("--format <format>", "text or json").choices(["text", "json"]).default("text"),
    )
    .action(async (files: string[], opts: { format: "text" | "json"; scenario?: string }) => {
      const { displayPath, readModel, readScenario } = await api();
      const results = files.map((f) => ({ file: displayPath(f), result: readModel(f) }));
      const first = results[0]?.result;
      const scenario =
        opts.scenario === undefined || !first?.ok
          ? undefined
          : { file: displayPath(opts.scenario), result: readScenario(opts.scenario, first.model) };
      const bad = results.filter((r) => !r.result.ok);
      const invalid =
        bad.length > 0 || (opts.scenario !== undefined && scenario?.result.ok !== true);
      if (opts.format === "json") {
        const payload = {
          schemaVersion: 1,
          valid: !invalid,
          files: results.map(({ file, result }) => ({
            file,
            valid: result.ok,
            diagnostics: result.diagnostics,
            ...(result.ok
              ? {
                  model: {
                    name: result.model.name,
                    components: result.model.components.length,
                    dependencies: result.model.dependencies.length,
                    workloads: result.model.workloads.length,
                  },
                }
              : {}),
          })),
          ...(scenario
            ? {
                scenario: {
                  file: scenario.file,
                  valid: scenario.result.ok,
                  diagnostics: scenario.result.diagnostics,
                },
              }
            : {}),
        };
        emit(`${JSON.stringify(payload, null, 2)}\n`);
      } else {
        for (const { file, result } of results) {
          if (result.ok) {
            const m = result.model;
            process.stdout.write(
              `${file}: ok — model '${m.name}': ${count(m.components.length, "component")}, ${count(m.dependencies.length, "dependency", "dependencies")}, ${count(m.records.length, "DNS record")}, ${count(m.workloads.length, "workload")}${m.files.length > 1 ? ` (${m.files.length} files)` : ""}\n`,
            );
          }
          printDiagnostics(result.diagnostics);
        }
        if (scenario?.result.ok) {
          const sc = scenario.result.scenario;
          process.stdout.write(
            `${scenario.file}: ok — scenario '${sc.name}': ${count(sc.faults.length, "fault")}, ${count(sc.actions.length, "action")}, ${count(sc.expectations.length, "expectation")}${sc.facts.length > 0 ? ` (${count(sc.facts.length, "public fact")})` : ""}\n`,
          );
          printDiagnostics(scenario.result.diagnostics);
        } else if (scenario) printDiagnostics(scenario.result.diagnostics);
        else if (opts.scenario !== undefined)
          process.stderr.write(
            `${displayPath(opts.scenario)}: not checked, the model has errors\n`,
          );
      }
      process.exitCode = invalid ? EXIT.invalid : EXIT.ok;
    });
}
