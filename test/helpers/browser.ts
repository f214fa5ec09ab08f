/**
 * Debian's chromium driven by playwright-core, for the browser tests. A test tool's own browser
 * download is not used: the tests run the system browser, which `.ci/run` installs when missing.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Starts the browser, or fails with what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), or set FAULTLINE_CHROMIUM`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** The command-line flags a person would give chromium for a headless screenshot. */
export const SCREENSHOT_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"];
