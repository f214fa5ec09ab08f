/**
 * @module cli/commands/serve
 * `faultline serve [MODEL]`: the local web UI over a project directory, until interrupted.
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { Command } from "commander";
import { api } from "../api.js";
import { CliError, readValidModel } from "../io.js";
import { integer } from "../options.js";

interface Options {
  root: string;
  port: number;
  host: string;
  allowHost?: string[];
}

export function register(cli: Command): void {
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
      integer("--port", 0, 65535),
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
    .action(async (modelPath: string | undefined, opts: Options) => {
      const { listenFaultline } = await api();
      const root = resolve(opts.root);
      if (!existsSync(root) || !statSync(root).isDirectory())
        throw new CliError(`--root: '${opts.root}' is not a directory`);
      const model = modelPath !== undefined ? relative(root, resolve(modelPath)) : undefined;
      if (model !== undefined && (model.startsWith("..") || isAbsolute(model)))
        throw new CliError(`'${modelPath}' is outside the project directory ${opts.root}`);
      if (model !== undefined) readValidModel(resolve(root, model));
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
    });
}
