/**
 * @module cli/commands/import
 * `faultline import SOURCE…`: reads the sources (files, or directories of `.json`, `.yaml` and
 * `.yml` files, in name order), calls the library's `importModel`, prints its diagnostics and a
 * summary on standard error, and writes the model as every command writes its output (`emit`):
 * whole or not at all, and never over one of the sources. An invalid import writes nothing.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { type Command, Option } from "commander";
import type { ImportFile, ImportFormat } from "../../index.js";
import { api } from "../api.js";
import { CliError, EXIT, emit, noteInput } from "../io.js";
import { choicesFrom } from "../options.js";

const INPUT_EXTENSIONS = new Set([".json", ".jsonl", ".yaml", ".yml"]);

interface Options {
  out?: string;
  format?: ImportFormat;
  name?: string;
  fragment?: boolean;
  uncertain?: boolean;
  catalogue: boolean;
  region?: string;
}

export function register(cli: Command): void {
  cli
    .command("import")
    .description(
      "write a model from Terraform JSON, CloudFormation, Kubernetes, Compose, Backstage, traces (OTLP JSON, Jaeger dependencies) and Istio, merged, with the implicit dependencies of managed cloud services added from the provider catalogue",
    )
    .argument("<sources...>", "input files, or directories of .json, .jsonl, .yaml and .yml files")
    .option("-o, --out <file>", "write the model to a file instead of stdout")
    .addOption(
      choicesFrom(
        new Option(
          "-f, --format <format>",
          "read every source as this format instead of detecting it",
        ),
        (lib) => lib.IMPORT_FORMATS,
      ),
    )
    .option("--name <name>", "the model's name (default: the output file's name)")
    .option("--fragment", "write a file for a hand-written model to include: no name")
    .option("--region <region>", "the region of sources that name none (CloudFormation templates)")
    .option("--uncertain", "also add the catalogue's uncertain implicit dependencies")
    .option("--no-catalogue", "add no implicit dependencies from the provider catalogue")
    .action(async (sources: string[], opts: Options) => {
      const { formatImportDiagnostic, importModel } = await api();
      if (opts.fragment && opts.name !== undefined)
        throw new CliError("--fragment writes no name: leave out --name, or --fragment");
      const files = sources.flatMap(expand);
      const out = opts.out === "-" ? undefined : opts.out;
      const name = opts.fragment
        ? undefined
        : (opts.name ?? (out !== undefined ? basename(out, extname(out)) : "imported"));
      const result = importModel(files, {
        ...(opts.format !== undefined ? { format: opts.format } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(out !== undefined ? { output: out } : {}),
        ...(opts.catalogue ? {} : { catalogue: false }),
        ...(opts.region !== undefined ? { region: opts.region } : {}),
        uncertain: opts.uncertain === true,
      });
      for (const d of result.diagnostics) process.stderr.write(`${formatImportDiagnostic(d)}\n`);
      if (!result.ok) {
        const errors = result.diagnostics.filter((d) => d.severity === "error").length;
        process.stderr.write(
          `faultline: nothing written: ${errors} error${errors === 1 ? "" : "s"}\n`,
        );
        process.exitCode = EXIT.invalid;
        return;
      }
      emit(result.yaml, out);
      const s = result.summary;
      const read = Object.entries(s.documents)
        .map(([format, n]) => `${n} ${format}`)
        .join(", ");
      process.stderr.write(
        `${out !== undefined ? `wrote ${out}: ` : ""}${s.components} components, ${s.dependencies} dependencies (${s.implicit} implicit, from the provider catalogue), from ${read} document(s)\n`,
      );
      process.exitCode = EXIT.ok;
    });
}

/** A file, or the input files under a directory, in name order. */
function expand(path: string): ImportFile[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new CliError(`cannot read '${path}': no such file or directory`);
  }
  if (stat.isDirectory()) {
    const found = readdirSync(path, { recursive: true, encoding: "utf8" })
      .filter((f) => INPUT_EXTENSIONS.has(extname(f).toLowerCase()))
      .map((f) => join(path, f))
      .filter((f) => statSync(f).isFile())
      .sort();
    if (found.length === 0)
      throw new CliError(`'${path}' holds no .json, .jsonl, .yaml or .yml file`);
    return found.flatMap(expand);
  }
  // A device or a pipe would be read without end, or wait for a writer.
  if (!stat.isFile())
    throw new CliError(
      `cannot read '${path}': it is not a regular file (a device, a pipe or a socket); sources are read from files`,
    );
  noteInput(path);
  try {
    return [{ path, text: readFileSync(path, "utf8") }];
  } catch (err) {
    throw new CliError(`cannot read '${path}': ${(err as Error).message}`);
  }
}
