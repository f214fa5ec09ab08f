import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { loadedApi } from "./api.js";
import { main, program } from "./program.js";

const CLI = new URL(".", import.meta.url).pathname;
const INDEX = resolve(CLI, "../index.ts");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every module specifier a file imports, statically or dynamically, types included. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)"([^"]+)"/g)].map((m) => m[1] as string);
}

describe("the CLI", () => {
  it("reaches the library through src/index.ts only", () => {
    const outside: string[] = [];
    for (const file of sources(CLI))
      for (const spec of specifiers(file)) {
        if (!spec.startsWith(".")) continue;
        const target = resolve(file, "..", spec).replace(/\.js$/, ".ts");
        if (target !== INDEX && relative(CLI, target).startsWith(".."))
          outside.push(`${relative(CLI, file)} → ${spec}`);
      }
    expect(outside).toEqual([]);
  });

  it("declares one command per module, in the order --help lists them", () => {
    const names = program().commands.map((c) => c.name());
    expect(names).toEqual([
      "validate",
      "analyze",
      "simulate",
      "explain",
      "sensitivity",
      "cases",
      "demo",
      "report",
      "serve",
      "diagram",
      "import",
      "schema",
    ]);
    const modules = readdirSync(join(CLI, "commands"))
      .filter((f) => !f.endsWith(".test.ts"))
      .map((f) => f.replace(/\.ts$/, ""));
    expect(modules.sort()).toEqual([...names].sort());
  });

  it("answers --version and --help without loading the library", async () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await main(["--version"])).toBe(0);
      expect(await main(["--help"])).toBe(0);
    } finally {
      out.mockRestore();
    }
    expect(loadedApi()).toBeUndefined();
  });
});
