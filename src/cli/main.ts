#!/usr/bin/env node
/**
 * @module cli/main
 * The `faultline` executable: runs the CLI and sets the exit code.
 */
import { main } from "./program.js";

// A reader that stops early (`faultline analyze … | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
