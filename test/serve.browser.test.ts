/// <reference lib="dom" />
/**
 * `faultline serve`'s web UI in a browser (Debian's chromium through playwright-core), on
 * 127.0.0.1 over a copy of the examples: a typo typed into the editor shows as an inline error
 * at its line, a save re-runs the audit and the simulation, a second scenario is drawn beside
 * the first, and the graph is wide enough to read beside the editor. A save over someone else's
 * edit is refused and explained; a token in the address works, and a missing one is explained.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFaultlineServer } from "../src/serve/server.js";
import type {} from "../web/src/view.js";
import { launchChromium } from "./helpers/browser.js";

const ROOT = new URL("..", import.meta.url).pathname;
const ARTIFACTS = join(ROOT, "test-artifacts");
const MODEL = "examples/aws-us-east-1.yaml";
const REPLAY = "examples/scenarios/aws-us-east-1-2025.yaml";
const LESSONS = "examples/scenarios/aws-us-east-1-2025-lessons.yaml";

let project: string;
let server: Server;
let base: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  project = join(mkdtempSync(join(tmpdir(), "faultline-serve-ui-")), "project");
  mkdirSync(project);
  cpSync(join(ROOT, "examples"), join(project, "examples"), { recursive: true });
  server = createFaultlineServer({ root: project, model: MODEL });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
});

/** A request from the server's own page: its Origin, and the version for a save. */
async function call(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(base + path, {
    method,
    headers: { origin: base, ...headers },
    ...(body !== undefined && { body }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const versionOf = async (path: string) =>
  (await call("GET", `/api/file?path=${encodeURIComponent(path)}`)).json.version as string;

describe("the web UI in a browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("gives the graph most of a 1400×900 window beside the editor", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/`);
    await page.waitForFunction(() => document.body.dataset.ready === "true", null, {
      timeout: 60_000,
    });
    await page.screenshot({ path: join(ARTIFACTS, "serve-1400x900.png") });
    const graph = await page.locator(".graph").boundingBox();
    expect(graph?.width).toBeGreaterThan(0.6 * 1400);
    expect((graph?.y ?? 0) + (graph?.height ?? 0)).toBeLessThanOrEqual(900);
    // The details go under the graph, the whole width of the pane.
    const details = await page.locator("#details").boundingBox();
    expect(details?.y).toBeGreaterThan((graph?.y ?? 0) + (graph?.height ?? 0));
    await page.close();
  });

  it("shows a typo in the YAML as an inline error at its line, and re-runs on save", async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.waitForFunction(() => document.body.dataset.ready === "true", null, {
      timeout: 60_000,
    });
    expect(await page.locator("#model").inputValue()).toBe(MODEL);

    // Put the cursor on the `dynamodb:` line under `needs:` and turn it into a typo.
    const text = readFileSync(join(project, MODEL), "utf8");
    const lines = text.split("\n");
    const index = lines.findIndex(
      (l, i) => l === "      dynamodb:" && lines[i - 1] === "    needs:",
    );
    expect(index).toBeGreaterThan(0);
    await page.evaluate(() => {
      const view = document.querySelector(".cm-content");
      (view as HTMLElement).focus();
    });
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+Home");
    for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft"); // before the colon
    await page.keyboard.type("x");
    const line = index + 1;

    const item = page.locator(`#errors li[data-line="${line}"]`);
    await expect.poll(() => item.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await item.first().textContent()).toContain(`line ${line}:`);
    expect(await item.first().textContent()).toContain("did you mean 'dynamodb'?");
    // The editor underlines it on that very line.
    const underlined = await page
      .locator(".cm-line")
      .filter({ has: page.locator(".cm-lintRange-error") })
      .first()
      .textContent();
    expect(underlined).toBe("      dynamodbx:");

    // Fix it and save: the audit and simulation run again.
    await page.keyboard.press("Backspace");
    await expect.poll(() => page.locator("#errors li").count(), { timeout: 20_000 }).toBe(0);
    await page.locator("#scenario").selectOption(REPLAY);
    await expect.poll(() => page.locator("#time-slider").count(), { timeout: 60_000 }).toBe(1);
    await page.locator("#save").click();
    await expect
      .poll(() => page.locator("#status").textContent(), { timeout: 60_000 })
      .toContain("Audited and simulated");

    // A second scenario: two graphs side by side on one clock, both runs in the results.
    await page.locator("#compare").selectOption(LESSONS);
    await expect.poll(() => page.locator(".graph-pane").count(), { timeout: 60_000 }).toBe(2);
    await page.waitForFunction(() => document.body.dataset.ready === "true");
    await page.evaluate(() => window.faultline?.setTime(3600));
    expect(await page.evaluate(() => window.faultline?.stateOf("iam", 0))).toBe("down");
    expect(await page.evaluate(() => window.faultline?.stateOf("iam", 1))).toBe("up");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("refuses a save over someone else's edit, says so, and overwrites on request", async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.goto(`${base}/`);
    await page.waitForFunction(() => document.body.dataset.ready === "true", null, {
      timeout: 60_000,
    });
    // Another tab saves the model after this page loaded it.
    const loaded = readFileSync(join(project, MODEL), "utf8");
    const theirs = `${loaded}# their edit\n`;
    const other = await call("PUT", `/api/file?path=${MODEL}`, theirs, {
      "if-match": `"${await versionOf(MODEL)}"`,
    });
    expect(other.status).toBe(200);

    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("# my edit");
    await page.locator("#save").click();
    await expect
      .poll(() => page.locator("#status").textContent(), { timeout: 20_000 })
      .toContain("changed on disk since you opened it");
    expect(await page.locator("#conflict").isVisible()).toBe(true);
    expect(readFileSync(join(project, MODEL), "utf8")).toBe(theirs);

    await page.locator("#overwrite").click();
    await expect
      .poll(() => readFileSync(join(project, MODEL), "utf8"), { timeout: 20_000 })
      .toBe(`${loaded}# my edit`);
    await expect.poll(() => page.locator("#conflict").isVisible()).toBe(false);
    await page.close();
  });

  it("takes the token from the address, hides it, and explains a missing one", async () => {
    const token = "a-token-printed-at-start";
    const guarded = createFaultlineServer({ root: project, model: MODEL, token });
    await new Promise<void>((ok) => guarded.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}/`;
    try {
      const page = await browser.newPage();
      await page.goto(`${url}?token=${token}`);
      await page.waitForFunction(() => document.body.dataset.ready === "true", null, {
        timeout: 60_000,
      });
      expect(page.url()).toBe(url);
      await page.close();

      const stranger = await browser.newPage();
      await stranger.goto(url);
      await expect
        .poll(() => stranger.locator("#status").textContent(), { timeout: 20_000 })
        .toContain("needs its token");
      await stranger.close();
    } finally {
      await new Promise((ok) => guarded.close(ok));
    }
  });
});
