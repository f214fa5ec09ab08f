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
