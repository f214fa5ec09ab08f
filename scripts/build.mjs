#!/usr/bin/env node
// Builds dist/: the library and the CLI (tsc), then the front end's two pages (Vite) — each
// only when its inputs changed since it was last built.
//
//   node scripts/build.mjs            what is out of date (`npm run build`, and `prepare`)
//   node scripts/build.mjs web        the front end only (the tests' global setup)
//   node scripts/build.mjs --force    everything, whatever the stamps say
//
// Why a stamp: npm runs `prepare` on `npm ci`, and again whenever it installs the checkout as a
// linked package — which `npx faultline` does on its first call in the checkout, into npm's
// own cache. Rebuilding there rebuilt what `npm ci` had just built. The stamp is a hash of the
// inputs' paths and contents (not their times, which a checkout or a copy changes), kept in
// dist/.build-stamp.json beside what it describes.
//
// Plain JavaScript with no dependency of its own: it runs before anything is compiled.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");
const STAMP = join(DIST, ".build-stamp.json");
const bin = (path) => join(ROOT, "node_modules", path);

/** The library's sources: what tsconfig.build.json compiles (tests and fixtures excluded). */
const librarySource = (path) =>
  path.endsWith(".ts") && !path.endsWith(".test.ts") && !path.endsWith("fixtures.ts");

const PARTS = {
  lib: {
    inputs: () => [
      ...files("src", librarySource),
      "tsconfig.json",
      "tsconfig.build.json",
      "package.json",
      "package-lock.json",
    ],
    outputs: ["dist/index.js", "dist/cli/main.js"],
    build() {
      // A module moved or removed must not linger in dist/ (nor in a packed tarball).
      if (existsSync(DIST))
        for (const name of readdirSync(DIST))
          if (name !== "web" && name !== ".build-stamp.json")
            rmSync(join(DIST, name), { recursive: true, force: true });
      run(bin("typescript/bin/tsc"), ["-p", "tsconfig.build.json"]);
    },
  },
  web: {
    // The pages bundle modules of src/ too (formatters, the report data's types).
    inputs: () => [
      ...files("web", () => true),
      ...files("src", librarySource),
      "tsconfig.json",
      "package-lock.json",
    ],
    outputs: ["dist/web/index.html", "dist/web/serve.html"],
    build() {
      // The report first: it empties dist/web; the UI is added beside it.
      for (const mode of ["production", "serve"])
        run(bin("vite/bin/vite.js"), ["build", "--config", "web/vite.config.ts", "--mode", mode]);
    },
  },
};

/** Files under `dir` (relative to the root, with `/`), sorted, that `keep` accepts. */
function files(dir, keep) {
  const out = [];
  const walk = (abs) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const rel = relative(ROOT, path).split(sep).join("/");
        if (keep(rel)) out.push(rel);
      }
    }
  };
  walk(join(ROOT, dir));
  return out.sort();
}

function hashOf(paths) {
  const hash = createHash("sha256");
  for (const path of paths) {
    hash.update(`${path}\0`);
    hash.update(readFileSync(join(ROOT, path)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function run(script, args) {
  execFileSync(process.execPath, [script, ...args], { cwd: ROOT, stdio: "inherit" });
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, "utf8"));
  } catch {
    return {};
  }
}

const args = process.argv.slice(2);
const force = args.includes("--force");
const unknown = args.filter((a) => a !== "--force" && !(a in PARTS));
if (unknown.length > 0) {
  console.error(`build: unknown part ${unknown.join(", ")} (parts: ${Object.keys(PARTS)})`);
  process.exit(2);
}
const asked = args.filter((a) => a in PARTS);
const parts = asked.length > 0 ? asked : Object.keys(PARTS);

for (const name of parts) {
  const part = PARTS[name];
  const hash = hashOf(part.inputs());
  const fresh =
    !force &&
    readStamp()[name] === hash &&
    part.outputs.every((path) => existsSync(join(ROOT, path)));
  if (fresh) {
    console.log(`build: ${name} is up to date`);
    continue;
  }
  part.build();
  // Written last, so that a build that fails or is stopped leaves the part out of date.
  writeFileSync(STAMP, `${JSON.stringify({ ...readStamp(), [name]: hash }, null, 2)}\n`);
  console.log(`build: ${name} built`);
}
