/**
 * @module cli/commands/demo
 * `faultline demo`: the us-east-1 replay on the bundled model, told as a story, and the same
 * fault with the outage's lessons applied; exit 1 when an expectation does not hold.
 */
import type { Command } from "commander";
import { api } from "../api.js";
import { emit, packageFile, readValidModel, readValidScenario, verdictCode } from "../io.js";
import { colorFor, colorOptions, formatOption } from "../options.js";

const MODEL = "examples/aws-us-east-1.yaml";
const REPLAY = "examples/scenarios/aws-us-east-1-2025.yaml";
const LESSONS = "examples/scenarios/aws-us-east-1-2025-lessons.yaml";

export function register(cli: Command): void {
  const command = cli
    .command("demo")
    .description(
      "replay the AWS us-east-1 outage of October 2025 on the bundled model and tell its story, then the same fault with the outage's lessons applied",
    )
    .addOption(formatOption(["text", "json"], "text or json"))
    .option("-o, --out <file>", "write it to a file instead of stdout");
  colorOptions(command).action(
    async (opts: { format: "text" | "json"; out?: string; color?: boolean }) => {
      const { displayPath, renderStory, simulate } = await api();
      // The bundled examples, found beside the installed package, shown relative to here.
      const bundled = (path: string) => displayPath(packageFile(path));
      const { model } = readValidModel(bundled(MODEL));
      const replay = simulate(model, readValidScenario(bundled(REPLAY), model));
      const lessons = simulate(model, readValidScenario(bundled(LESSONS), model));
      emit(
        opts.format === "json"
          ? `${JSON.stringify({ schemaVersion: 1, replay, lessons }, null, 2)}\n`
          : renderStory(replay, { color: colorFor(opts), compare: lessons }),
        opts.out,
      );
      process.exitCode = verdictCode(replay, lessons);
    },
  );
}
