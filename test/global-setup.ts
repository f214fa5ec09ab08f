/**
 * Builds the report's front end before the tests when its sources changed since it was built,
 * so no test checks a stale page (`npm ci` builds it; editing web/ does not). The build script
 * decides from its stamp, and does nothing when the pages are fresh.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

export default function setup(): void {
  execFileSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "web"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
