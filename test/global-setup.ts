/**
 * Builds the report's front end before the tests when it is missing or older than its sources,
 * so `npm test` never checks a stale page (`npm ci` builds it; editing web/ does not).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const PAGES = ["dist/web/index.html", "dist/web/serve.html"].map((p) => join(ROOT, p));

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const sources = Math.max(newest(join(ROOT, "web")), newest(join(ROOT, "src/report")));
  if (PAGES.every((p) => existsSync(p) && statSync(p).mtimeMs >= sources)) return;
  const vite = join(ROOT, "node_modules/vite/bin/vite.js");
  for (const mode of ["production", "serve"])
    execFileSync(
      process.execPath,
      [vite, "build", "--config", "web/vite.config.ts", "--mode", mode],
      {
        cwd: ROOT,
        stdio: "inherit",
      },
    );
}
