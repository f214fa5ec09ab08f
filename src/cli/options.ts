/**
 * @module cli/options
 * The options several commands share, parsed in one place: seeds, output formats, colour, and
 * values the library lists (formats, rules, severities). Those lists are set on an option when
 * its command is about to parse (`settleChoices`), so that declaring the commands loads nothing.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { type Api, requireApi } from "./api.js";

/** A whole number from `min` to `max`, or a usage error naming the option. */
export function integer(option: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${option} takes an integer from ${min} to ${max}`);
    return n;
  };
}

/** `--seed`: simulations take any 32-bit seed; the audit's Monte Carlo estimate a 31-bit one. */
export function seedOption(what: string, max = 2 ** 32 - 1): Option {
  return new Option("--seed <n>", what).argParser(integer("--seed", 0, max));
}

/** `--jobs`: runs made at once on worker threads (sensitivity, cases). */
export function jobsOption(): Option {
  return new Option(
    "--jobs <n>",
    "runs at once, on worker threads (default: the machine's cores)",
  ).argParser(integer("--jobs", 1, 256));
}

/**
 * A percentage given as "50%", "0.5" or "50" (a bare number from 1 up is read as a percentage), as a fraction
 * within the bounds, or a usage error saying what is expected.
 */
export function percentage(bounds: { readonly open: boolean }) {
  return (value: string): number => {
    const text = value.trim();
    const n = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
    const f = !text.endsWith("%") && n >= 1 ? n / 100 : n;
    const ok = bounds.open ? f > 0 && f < 1 : f >= 0 && f <= 1;
    if (!Number.isFinite(f) || !ok)
      throw new InvalidArgumentError(
        bounds.open
          ? "expected a percentage above 0% and below 100%, such as 50%"
          : "expected a percentage from 0% to 100%, such as 60%",
      );
    return f;
  };
}

/** `--spread`: how far each number is varied, each way (sensitivity, cases). */
export function spreadOption(what: string): Option {
  return new Option("--spread <percent>", what)
    .argParser(percentage({ open: true }))
    .default(0.5, "50%");
}

/** A value from a list the library holds, with a message that names the option. */
export function oneOf<T extends string>(values: (api: Api) => readonly T[], what: string) {
  return (value: string): T => {
    const allowed = values(requireApi());
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`${what} must be one of ${allowed.join(", ")}`);
  };
}

const deferredChoices = new WeakMap<Option, (api: Api) => readonly string[]>();

/** `option` accepts the values the library lists; they are set by `settleChoices`. */
export function choicesFrom(option: Option, values: (api: Api) => readonly string[]): Option {
  deferredChoices.set(option, values);
  return option;
}

/** Sets the library's lists on `command`'s options, before it parses or shows its help. */
export function settleChoices(command: Command, api: Api): void {
  for (const option of command.options) {
    const values = deferredChoices.get(option);
    if (values !== undefined) option.choices(values(api));
  }
}

/** `-f, --format` among fixed choices, `text` by default. */
export function formatOption(choices: readonly string[], what = "output format"): Option {
  return new Option("-f, --format <format>", what).choices(choices).default("text");
}

export function colorOptions(command: Command): Command {
  return command
    .option("--color", "color the text output (default: when writing to a terminal)")
    .option("--no-color", "never color the text output");
}

/** Colour when asked, or by default when writing to a terminal. */
export function colorFor(opts: { color?: boolean; out?: string }): boolean {
  return opts.color ?? (opts.out === undefined && process.stdout.isTTY === true);
}
