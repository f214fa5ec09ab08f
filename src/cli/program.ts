/**
 * @module cli/program
 * The `faultline` command: a thin client of the library API. Each command is declared in its
 * own module under `commands/`; this one puts them together and maps outcomes to exit codes.
 *
 * Declaring the commands loads nothing but commander: the library is loaded when a command is
 * about to parse its arguments, so `--version`, `--help` and usage errors answer at once.
 */
import { Command, CommanderError } from "commander";
import { api, loadedApi } from "./api.js";
import { register as analyze } from "./commands/analyze.js";
import { register as cases } from "./commands/cases.js";
import { register as demo } from "./commands/demo.js";
import { register as diagram } from "./commands/diagram.js";
import { register as explain } from "./commands/explain.js";
import { register as importSources } from "./commands/import.js";
import { register as report } from "./commands/report.js";
import { register as schema } from "./commands/schema.js";
import { register as sensitivity } from "./commands/sensitivity.js";
import { register as serve } from "./commands/serve.js";
import { register as simulate } from "./commands/simulate.js";
import { register as validate } from "./commands/validate.js";
import { CliError, EXIT, forgetInputs, printDiagnostics, VERSION } from "./io.js";
import { settleChoices } from "./options.js";

/** In the order `faultline --help` lists them. */
const COMMANDS = [
  validate,
  analyze,
  simulate,
  explain,
  sensitivity,
  cases,
  demo,
  report,
  serve,
  diagram,
  importSources,
  schema,
];

export function program(): Command {
  const cli = new Command("faultline")
    .description(
      "Describe an architecture as code, audit it for the traps behind cloud cascades, and simulate outages over time.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of COMMANDS) register(cli);
  // Runs before a command parses its arguments (or shows its help).
  cli.hook("preSubcommand", async (_cli, command) => settleChoices(command, await api()));
  return cli;
}

export async function main(argv: readonly string[]): Promise<number> {
  forgetInputs();
  try {
    const cli = program();
    // `faultline help CMD` shows the command's help without dispatching to it: no hook runs.
    const helpFor = argv[0] === "help" ? cli.commands.find((c) => c.name() === argv[1]) : undefined;
    if (helpFor !== undefined) settleChoices(helpFor, await api());
    await cli.parseAsync([...argv], { from: "user" });
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
    // Problems with a model or scenario come from the library, which is loaded by then.
    const lib = loadedApi();
    if (lib !== undefined && err instanceof lib.ModelError) {
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
