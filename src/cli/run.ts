/**
 * @module cli/run
 * The `faultline` command: a thin client of the library API. It parses arguments, reads
 * files, picks a renderer and a sink, and maps outcomes to exit codes. No analysis here.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { analyze, failsAt } from "../analysis/analyze.js";
import { RULE_IDS, type RuleId, SEVERITIES, type Severity } from "../analysis/types.js";
import { ModelError } from "../model/diagnostics.js";
import { diskReader, displayPath, parseModel } from "../model/load.js";
import { modelJsonSchema } from "../model/schema.js";
import { AUDIT_FORMATS, AUDIT_RENDERERS, type AuditFormat } from "../reports/audit.js";
import { CliError, EXIT, emit, printDiagnostics } from "./io.js";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

function load(path: string) {
  const result = parseModel(displayPath(path), diskReader());
  if (!result.ok) throw new ModelError(result.diagnostics);
  return result;
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
    .description("Describe an architecture as code, audit it for the traps behind cloud cascades.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  cli
    .command("validate")
    .description("check model files and report every problem with file:line:column")
    .argument("<files...>", "model files (each one a root; includes are followed)")
    .addOption(
      new Option("--format <format>", "text or json").choices(["text", "json"]).default("text"),
    )
    .action((files: string[], opts: { format: "text" | "json" }) => {
      const results = files.map((f) => ({
        file: displayPath(f),
        result: parseModel(displayPath(f), diskReader()),
      }));
      const bad = results.filter((r) => !r.result.ok);
      if (opts.format === "json") {
        const payload = {
          schemaVersion: 1,
          valid: bad.length === 0,
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
      }
      process.exitCode = bad.length > 0 ? EXIT.invalid : EXIT.ok;
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
    .command("schema")
    .description("print the JSON Schema of model files (for editors)")
    .option("-o, --out <file>", "write it to a file")
    .action((opts: { out?: string }) => {
      emit(`${JSON.stringify(modelJsonSchema(), null, 2)}\n`, opts.out);
    });

  return cli;
}

export async function main(argv: readonly string[]): Promise<number> {
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
