/**
 * @module cli/run
 * The `faultline` command: a thin client of the library API. It parses arguments, reads
 * files, picks a renderer and a sink, and maps outcomes to exit codes. No analysis here.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { analyze, failsAt } from "../analysis/analyze.js";
import { RULE_IDS, type RuleId, SEVERITIES, type Severity } from "../analysis/types.js";
import { UnknownUnitError } from "../diagram/highlight.js";
import { DIAGRAM_FORMATS, type DiagramFormat, renderDiagram } from "../diagram/render.js";
import { ModelError, suggest } from "../model/diagnostics.js";
import { diskReader, displayPath, parseModel } from "../model/load.js";
import { modelJsonSchema } from "../model/schema.js";
import type { Model } from "../model/types.js";
import { parseDuration } from "../model/units.js";
import { buildReport, renderReportHtml } from "../report/html.js";
import { AUDIT_FORMATS, AUDIT_RENDERERS, type AuditFormat } from "../reports/audit.js";
import { SIM_FORMATS, SIM_RENDERERS, type SimFormat } from "../reports/sim.js";
import { renderStory } from "../reports/story.js";
import { loadScenario as loadScenarioFile, readScenario } from "../scenario/load.js";
import { scenarioJsonSchema } from "../scenario/schema.js";
import type { Scenario } from "../scenario/types.js";
import { listenFaultline } from "../serve/listen.js";
import { simulate } from "../sim/engine.js";
import { explain, formatExplanation } from "../sim/explain.js";
import type { Journal } from "../sim/types.js";
import {
  CliError,
  EXIT,
  emit,
  forgetInputs,
  noteInput,
  notingReader,
  printDiagnostics,
} from "./io.js";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

function loadModelAt(path: string) {
  return load(path).model;
}

function load(path: string) {
  const result = parseModel(displayPath(path), notingReader(diskReader()));
  if (!result.ok) throw new ModelError(result.diagnostics);
  return result;
}

/** A scenario from disk, noted as an input of the run (no output may replace it). */
function loadScenario(path: string, model: Model): Scenario {
  noteInput(path);
  return loadScenarioFile(path, model);
}

/** The bundled example the demo replays, found beside the installed package. */
function bundled(path: string): string {
  return displayPath(fileURLToPath(new URL(`../../${path}`, import.meta.url)));
}

const seedOption = (what: string) =>
  new Option("--seed <n>", what).argParser((v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1)
      throw new InvalidArgumentError("--seed takes an integer from 0 to 4294967295");
    return n;
  });

function colorFor(opts: { color?: boolean; out?: string }): boolean {
  return opts.color ?? (opts.out === undefined && process.stdout.isTTY === true);
}

/** Exit code of a run: 1 when an expectation fails. */
function verdictCode(...journals: Journal[]): number {
  return journals.some((j) => j.expectations.some((v) => !v.ok)) ? EXIT.findings : EXIT.ok;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function oneOf<T extends string>(values: readonly T[], what: string) {
  return (value: string): T => {
    if ((values as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`${what} must be one of ${values.join(", ")}`);
  };
}

function program(): Command {
  const cli = new Command("faultline")
    .description(
      "Describe an architecture as code, audit it for the traps behind cloud cascades, and simulate outages over time.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

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
    .action((files: string[], opts: { format: "text" | "json"; scenario?: string }) => {
      const results = files.map((f) => ({
        file: displayPath(f),
        result: parseModel(displayPath(f), diskReader()),
      }));
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
            printDiagnostics(result.diagnostics);
          } else printDiagnostics(result.diagnostics);
        }
        if (scenario?.result.ok) {
          const sc = scenario.result.scenario;
          process.stdout.write(
            `${scenario.file}: ok — scenario '${sc.name}': ${count(sc.faults.length, "fault")}, ${count(sc.actions.length, "action")}, ${count(sc.expectations.length, "expectation")}\n`,
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

  cli
    .command("analyze")
    .description(
      "audit a model: cycles, single points of failure, shared failure domains, DNS and monitoring traps, blast radius, recovery, availability",
    )
    .argument("<model>", "root model file")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(AUDIT_FORMATS).default("text"),
    )
    .option("-o, --out <file>", "write the report to a file instead of stdout")
    .addOption(
      new Option(
        "--fail-on <severity>",
        "exit 1 when a finding is at or above this severity",
      ).argParser(oneOf(SEVERITIES, "--fail-on")),
    )
    .addOption(
      new Option("--depth <n>", "order of minimal cut sets: 1, or 2 to add pairs")
        .choices(["1", "2"])
        .default("1"),
    )
    .addOption(
      new Option("--rule <id...>", "run only these rules").argParser(
        (value: string, previous: RuleId[] | undefined) => [
          ...(previous ?? []),
          oneOf(RULE_IDS, "--rule")(value),
        ],
      ),
    )
    .option("--seed <n>", "seed of the Monte Carlo availability estimate", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1)
        throw new InvalidArgumentError("--seed takes an integer from 0 to 2147483647");
      return n;
    })
    .option("--color", "color the text output (default: when writing to a terminal)")
    .option("--no-color", "never color the text output")
    .action(
      (
        modelPath: string,
        opts: {
          format: AuditFormat;
          out?: string;
          failOn?: Severity;
          depth: "1" | "2";
          rule?: RuleId[];
          seed?: number;
          color?: boolean;
        },
      ) => {
        const { model, diagnostics } = load(modelPath);
        printDiagnostics(diagnostics);
        const report = analyze(model, {
          depth: opts.depth === "2" ? 2 : 1,
          ...(opts.rule ? { rules: opts.rule } : {}),
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        });
        const color = opts.color ?? (opts.out === undefined && process.stdout.isTTY === true);
        const text = AUDIT_RENDERERS[opts.format](report, {
          color,
          toolVersion: VERSION,
          baseDir: process.cwd(),
        });
        emit(text, opts.out);
        process.exitCode =
          opts.failOn !== undefined && failsAt(report, opts.failOn) ? EXIT.findings : EXIT.ok;
      },
    );

  cli
    .command("simulate")
    .description(
      "play a scenario against a model over simulated time: the timeline of failures with their causes, per-component, workload and queue results, and the scenario's expectations",
    )
    .argument("<model>", "root model file")
    .requiredOption("-s, --scenario <file>", "scenario file")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(SIM_FORMATS).default("text"),
    )
    .option("-o, --out <file>", "write the result to a file instead of stdout")
    .addOption(seedOption("seed of the run (overrides the scenario's)"))
    .option("--color", "color the text output (default: when writing to a terminal)")
    .option("--no-color", "never color the text output")
    .action(
      (
        modelPath: string,
        opts: { scenario: string; format: SimFormat; out?: string; seed?: number; color?: boolean },
      ) => {
        const { model, diagnostics } = load(modelPath);
        printDiagnostics(diagnostics);
        const scenario = loadScenario(opts.scenario, model);
        const journal = simulate(
          model,
          scenario,
          opts.seed !== undefined ? { seed: opts.seed } : {},
        );
        emit(
          SIM_RENDERERS[opts.format](journal, { color: colorFor(opts), toolVersion: VERSION }),
          opts.out,
        );
        process.exitCode = verdictCode(journal);
      },
    );

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
      "explain the state at this time from the start (default: the first impact)",
      (v: string) => {
        const t = parseDuration(v);
        if (typeof t === "string") throw new InvalidArgumentError(`--at: ${t}`);
        return t;
      },
    )
    .addOption(
      new Option("-f, --format <format>", "text or json").choices(["text", "json"]).default("text"),
    )
    .addOption(seedOption("seed of the run (overrides the scenario's)"))
    .action(
      (
        modelPath: string,
        opts: {
          scenario: string;
          component: string;
          at?: number;
          format: "text" | "json";
          seed?: number;
        },
      ) => {
        const { model, diagnostics } = load(modelPath);
        printDiagnostics(diagnostics);
        const scenario: Scenario = loadScenario(opts.scenario, model);
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
        const journal = simulate(
          model,
          scenario,
          opts.seed !== undefined ? { seed: opts.seed } : {},
        );
        const explanation = explain(journal, opts.component, opts.at);
        emit(
          opts.format === "json"
            ? `${JSON.stringify({ schemaVersion: 1, ...explanation }, null, 2)}\n`
            : formatExplanation(explanation, { startsAt: journal.scenario.startsAt }),
        );
      },
    );

  cli
    .command("demo")
    .description(
      "replay the AWS us-east-1 outage of October 2025 on the bundled model and tell its story, then the same fault with the outage's lessons applied",
    )
    .addOption(
      new Option("-f, --format <format>", "text or json").choices(["text", "json"]).default("text"),
    )
    .option("-o, --out <file>", "write it to a file instead of stdout")
    .option("--color", "color the text output (default: when writing to a terminal)")
    .option("--no-color", "never color the text output")
    .action((opts: { format: "text" | "json"; out?: string; color?: boolean }) => {
      const model = loadModelAt(bundled("examples/aws-us-east-1.yaml"));
      const replay = simulate(
        model,
        loadScenario(bundled("examples/scenarios/aws-us-east-1-2025.yaml"), model),
      );
      const lessons = simulate(
        model,
        loadScenario(bundled("examples/scenarios/aws-us-east-1-2025-lessons.yaml"), model),
      );
      emit(
        opts.format === "json"
          ? `${JSON.stringify({ schemaVersion: 1, replay, lessons }, null, 2)}\n`
          : renderStory(replay, { color: colorFor(opts), compare: lessons }),
        opts.out,
      );
      process.exitCode = verdictCode(replay, lessons);
    });

  cli
    .command("report")
    .description(
      "write one self-contained HTML file: the dependency graph in its failure domains, the audit, recovery times against targets and, with a scenario, the cascade playing over the graph with charts",
    )
    .argument("<model>", "root model file")
    .option("-s, --scenario <file>", "a scenario to play on the graph")
    .option("--compare <file>", "a second scenario, shown side by side with the first")
    .requiredOption("-o, --out <file>", "the HTML file to write")
    .addOption(seedOption("seed of the runs (overrides the scenarios')"))
    .action(
      (
        modelPath: string,
        opts: { scenario?: string; compare?: string; out: string; seed?: number },
      ) => {
        if (opts.compare !== undefined && opts.scenario === undefined)
          throw new CliError(
            "--compare needs --scenario: it compares a second scenario with the first",
          );
        const { model, diagnostics } = load(modelPath);
        printDiagnostics(diagnostics);
        const files = [opts.scenario, opts.compare].filter((f): f is string => f !== undefined);
        const runs = files.map((f) => ({
          scenario: loadScenario(f, model),
          ...(opts.seed !== undefined && { seed: opts.seed }),
        }));
        const html = renderReportHtml(buildReport(model, runs));
        emit(html, opts.out);
        process.stderr.write(
          `wrote ${opts.out} (${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB): open it in a browser, no network needed\n`,
        );
      },
    );

  cli
    .command("serve")
    .description(
      "a local web UI: edit models and scenarios with inline validation, re-run the audit and the simulation on save, compare two scenarios",
    )
    .argument("[model]", "a model to open first (inside the project directory)")
    .option("--root <dir>", "the project directory: the only files the UI reads or writes", ".")
    .option(
      "-p, --port <n>",
      "port to listen on (0: any free port)",
      (v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535)
          throw new InvalidArgumentError("--port takes an integer from 0 to 65535");
        return n;
      },
      7420,
    )
    .option(
      "--host <address>",
      "address to listen on; anything but loopback exposes your files, and requires a token",
      "127.0.0.1",
    )
    .option(
      "--allow-host <name...>",
      "another host name the server answers to (e.g. the machine's name on the network)",
    )
    .action(
      async (
        modelPath: string | undefined,
        opts: { root: string; port: number; host: string; allowHost?: string[] },
      ) => {
        const root = resolve(opts.root);
        if (!existsSync(root) || !statSync(root).isDirectory())
          throw new CliError(`--root: '${opts.root}' is not a directory`);
        const model = modelPath !== undefined ? relative(root, resolve(modelPath)) : undefined;
        if (model !== undefined && (model.startsWith("..") || isAbsolute(model)))
          throw new CliError(`'${modelPath}' is outside the project directory ${opts.root}`);
        if (model !== undefined) load(resolve(root, model));
        const { server, url, token } = await listenFaultline({
          root,
          ...(model !== undefined && { model }),
          host: opts.host,
          port: opts.port,
          allowHosts: opts.allowHost ?? [],
        }).catch((e: NodeJS.ErrnoException) => {
          throw new CliError(
            e.code === "EADDRINUSE"
              ? `port ${opts.port} is in use: pick another with --port (0 for any free port)`
              : `cannot listen on ${opts.host}:${opts.port}: ${e.message}`,
          );
        });
        process.stdout.write(`Faultline UI at ${url} (Ctrl-C to stop)\n`);
        if (token !== null)
          process.stderr.write(
            `warning: listening on ${opts.host}: anyone who can reach it and has the token in this address can read and write YAML files under ${root}\n`,
          );
        await new Promise<void>((done) => {
          const stop = () => server.close(() => done());
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
      },
    );

  cli
    .command("diagram")
    .description(
      "draw a model as a Mermaid, Graphviz DOT or D2 diagram: failure domains as nested clusters, dependencies styled by kind, and optionally one unit's blast radius",
    )
    .argument("<model>", "root model file")
    .addOption(
      new Option("-f, --format <format>", "diagram language")
        .choices(DIAGRAM_FORMATS)
        .default("mermaid"),
    )
    .option(
      "--highlight <unit>",
      "colour what this component, DNS record or failure domain takes down and degrades",
    )
    .option("--no-legend", "leave the legend out")
    .option("-o, --out <file>", "write the diagram to a file instead of stdout")
    .action(
      (
        modelPath: string,
        opts: { format: DiagramFormat; highlight?: string; legend: boolean; out?: string },
      ) => {
        const { model, diagnostics } = load(modelPath);
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
      },
    );

  cli
    .command("schema")
    .description("print the JSON Schema of model files, or of scenario files (for editors)")
    .option("--scenario", "the scenario file schema instead of the model's")
    .option("-o, --out <file>", "write it to a file")
    .action((opts: { out?: string; scenario?: boolean }) => {
      const schema = opts.scenario ? scenarioJsonSchema() : modelJsonSchema();
      emit(`${JSON.stringify(schema, null, 2)}\n`, opts.out);
    });

  return cli;
}

export async function main(argv: readonly string[]): Promise<number> {
  forgetInputs();
  try {
    await program().parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" ||
        err.code === "commander.version" ||
        err.code === "commander.help"
      )
        return EXIT.ok;
      return EXIT.invalid;
    }
    if (err instanceof ModelError) {
      printDiagnostics(err.diagnostics);
      return EXIT.invalid;
    }
    if (err instanceof CliError) {
      process.stderr.write(`faultline: ${err.message}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    process.stderr.write(`faultline: internal error: ${e.message}\n`);
    if (process.env.FAULTLINE_DEBUG) process.stderr.write(`${e.stack ?? ""}\n`);
    else process.stderr.write("(set FAULTLINE_DEBUG=1 for details, and please report it)\n");
    return EXIT.internal;
  }
}
