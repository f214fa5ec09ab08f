/**
 * @module cli/commands/analyze
 * `faultline analyze MODEL`: the audit, rendered as text, Markdown, JSON or SARIF; exit 1 when
 * a finding is at or above `--fail-on`.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import type { AuditFormat, RuleId, Severity } from "../../index.js";
import { api } from "../api.js";
import { EXIT, emit, noteWorkerError, printDiagnostics, readValidModel, VERSION } from "../io.js";
import { choicesFrom, colorFor, colorOptions, oneOf, seedOption } from "../options.js";

interface Options {
  format: AuditFormat;
  out?: string;
  failOn?: Severity;
  depth: "1" | "2";
  rule?: RuleId[];
  seed?: number;
  headroom?: number;
  color?: boolean;
}

export function register(cli: Command): void {
  const command = cli
    .command("analyze")
    .description(
      "audit a model: cycles, single points of failure, shared failure domains, DNS and monitoring traps, blast radius, recovery, availability",
    )
    .argument("<model>", "root model file")
    .addOption(
      choicesFrom(
        new Option("-f, --format <format>", "output format").default("text"),
        (lib) => lib.AUDIT_FORMATS,
      ),
    )
    .option("-o, --out <file>", "write the report to a file instead of stdout")
    .addOption(
      new Option(
        "--fail-on <severity>",
        "exit 1 when a finding is at or above this severity",
      ).argParser(oneOf((lib) => lib.SEVERITIES, "--fail-on")),
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
          oneOf((lib) => lib.RULE_IDS, "--rule")(value),
        ],
      ),
    )
    .addOption(
      new Option(
        "--headroom <percent>",
        "capacity-fit: share of capacity kept free at normal load (default 20%)",
      ).argParser(parseHeadroom),
    )
    .addOption(seedOption("seed of the Monte Carlo availability estimate", 2 ** 31 - 1));
  colorOptions(command).action(async (modelPath: string, opts: Options) => {
    const { analyzeInParallel, failsAt, renderAuditParts } = await api();
    const { model, diagnostics } = readValidModel(modelPath);
    printDiagnostics(diagnostics);
    const report = await analyzeInParallel(model, {
      onWorkerError: noteWorkerError,
      depth: opts.depth === "2" ? 2 : 1,
      ...(opts.rule ? { rules: opts.rule } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.headroom !== undefined ? { headroom: opts.headroom } : {}),
    });
    // In pieces: the JSON of a large model is hundreds of megabytes (see reports/audit-json).
    const text = renderAuditParts(opts.format, report, {
      color: colorFor(opts),
      toolVersion: VERSION,
      baseDir: process.cwd(),
    });
    emit(text, opts.out);
    process.exitCode =
      opts.failOn !== undefined && failsAt(report, opts.failOn) ? EXIT.findings : EXIT.ok;
  });
}

/** "20%", "0.2" or "20" (read as a percentage when above 1), as a fraction below 1. */
function parseHeadroom(value: string): number {
  const text = value.trim();
  const n = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  const fraction = !text.endsWith("%") && n > 1 ? n / 100 : n;
  if (!Number.isFinite(fraction) || fraction < 0 || fraction >= 1)
    throw new InvalidArgumentError("expected a percentage from 0% to below 100%, such as 20%");
  return fraction;
}
