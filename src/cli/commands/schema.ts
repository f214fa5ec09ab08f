/**
 * @module cli/commands/schema
 * `faultline schema [--scenario]`: the JSON Schema of model (or scenario) files, for editors.
 */
import type { Command } from "commander";
import { api } from "../api.js";
import { emit } from "../io.js";

export function register(cli: Command): void {
  cli
    .command("schema")
    .description("print the JSON Schema of model files, or of scenario files (for editors)")
    .option("--scenario", "the scenario file schema instead of the model's")
    .option("-o, --out <file>", "write it to a file")
    .action(async (opts: { out?: string; scenario?: boolean }) => {
      const { modelJsonSchema, scenarioJsonSchema } = await api();
      const schema = opts.scenario ? scenarioJsonSchema() : modelJsonSchema();
      emit(`${JSON.stringify(schema, null, 2)}\n`, opts.out);
    });
}
