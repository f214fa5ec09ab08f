/**
 * @module cli/commands/cases
 * `faultline cases [DIR]`: runs the library of replayed public outages (`examples/cases` by
 * default) and scores each case fact by fact — reproduced from mechanisms, depending on a
 * calibrated number, or not reproduced — with a table per case and the totals. Invalid cases
 * (a file that does not load, a number whose origin is not said) are exit 2 with located
 * diagnostics; otherwise the exit code is 0 whatever the score, unless `--min` asks for a share
 * of facts reproduced from mechanisms (exit 1 below it), so that CI can hold the line.
 */
import { availableParallelism } from "node:os";
import { type Command, Option } from "commander";
import type { CasesFormat } from "../../index.js";
import { api } from "../api.js";
import { EXIT, emit, noteInput } from "../io.js";
import {
  choicesFrom,
  colorFor,
  colorOptions,
  jobsOption,
  percentage,
  spreadOption,
} from "../options.js";

interface Options {
  case?: string[];
  spread: number;
  jobs?: number;
  min?: number;
  format: CasesFormat;
  out?: string;
  color?: boolean;
}

export const DEFAULT_LIBRARY = "examples/cases";

export function register(cli: Command): void {
  const command = cli
    .command("cases")
    .description(
      "replay the library of public outages and score each case fact by fact: reproduced from mechanisms (holds with each calibrated number at ±50%), depends on a calibrated number, or not reproduced",
    )
    .argument(
      "[dir]",
      "the library: a directory of cases, each a directory with a case.yaml",
      DEFAULT_LIBRARY,
    )
    .option("-c, --case <id...>", "only these cases (their directory names)")
    .addOption(spreadOption("how far each calibrated number is varied, each way"))
    .addOption(
      new Option(
        "--min <percent>",
        "exit 1 when fewer facts than this are reproduced from mechanisms",
      ).argParser(percentage({ open: false })),
    )
    .addOption(jobsOption())
    .addOption(
      choicesFrom(
        new Option("-f, --format <format>", "output format").default("text"),
        (lib) => lib.CASES_FORMATS,
      ),
    )
    .option("-o, --out <file>", "write the result to a file instead of stdout");
  colorOptions(command).action(async (dir: string, opts: Options) => {
    const { diskReader, readCaseLibrary, renderCases, scoreLibrary, ModelError } = await api();
    const library = readCaseLibrary(dir, opts.case ?? []);
    if (!library.ok) throw new ModelError(library.diagnostics, "case library");
    for (const c of library.cases)
      for (const run of [c.replay, ...(c.lessons !== undefined ? [c.lessons] : [])]) {
        for (const file of run.model.files) noteInput(file);
        noteInput(run.scenario.file);
      }
    const progress = process.stderr.isTTY ? progressLine() : undefined;
    const score = await scoreLibrary(dir, library.cases, diskReader(), {
      spread: opts.spread,
      jobs: opts.jobs ?? availableParallelism(),
      ...(progress !== undefined ? { onCase: progress } : {}),
    });
    emit(renderCases(score, opts.format, { color: colorFor(opts) }), opts.out);
    if (opts.min !== undefined) {
      const share = score.totals.facts === 0 ? 0 : score.totals.mechanisms / score.totals.facts;
      if (share + 1e-12 < opts.min) {
        process.exitCode = EXIT.findings;
        process.stderr.write(
          `faultline: ${score.totals.mechanisms} of ${score.totals.facts} facts reproduced from mechanisms, below --min ${Math.round(opts.min * 100)}%\n`,
        );
      }
    }
  });
}

/** A line on standard error, redrawn after each case and wiped at the end. */
function progressLine(): (done: number, total: number) => void {
  return (done, total) => {
    process.stderr.write(done < total ? `\rcases ${done}/${total} scored` : "\r\u001b[2K");
  };
}
