/// <reference lib="dom" />
/**
 * How the HTML report looks in a 1400×900 window, in Debian's chromium: the graph is on the
 * first paint (a plain `chromium --headless --screenshot` shows it), it fits the window, domain
 * titles overlap nothing, labels and counts read right, chart ticks fall on whole minutes and
 * hours, chart legends name their lines beside a swatch of their colour, and with two scenarios
 * each has its own latest changes. Screenshots are kept in test-artifacts/ to look at.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../src/model/load.js";
import type { Model } from "../src/model/types.js";
import { buildReport, renderReportHtml } from "../src/reports/report-html.js";
import { loadScenario } from "../src/scenario/load.js";
import type { Scenario } from "../src/scenario/types.js";
import type { DrawnBox } from "../web/src/view.js";
import { CHROMIUM, launchChromium, SCREENSHOT_ARGS } from "./helpers/browser.js";
import { modelOf } from "./helpers/memory.js";

const ROOT = new URL("..", import.meta.url).pathname;
const ARTIFACTS = join(ROOT, "test-artifacts");
const WINDOW = { width: 1400, height: 900 };

let browser: Browser;
let replayFile: string;
let compareFile: string;
let awsNodes: number;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  const model = loadModel(join(ROOT, "examples/aws-us-east-1.yaml"));
  awsNodes = model.components.length + model.records.length + model.queues.length;
  const scenario = (name: string) =>
    loadScenario(join(ROOT, "examples/scenarios", `${name}.yaml`), model);
  replayFile = write("look-replay.html", model, ["aws-us-east-1-2025"].map(scenario));
  compareFile = write(
    "look-compare.html",
    model,
    ["aws-us-east-1-2025", "aws-us-east-1-2025-lessons"].map(scenario),
  );
});
afterAll(async () => {
  await browser?.close();
});

function write(name: string, model: Model, scenarios: readonly Scenario[]) {
  const file = join(ARTIFACTS, name);
  writeFileSync(
    file,
    renderReportHtml(
      buildReport(
        model,
        scenarios.map((scenario) => ({ scenario })),
      ),
    ),
  );
  return file;
}

async function open(file: string, until: "ready" | "load" = "ready") {
  const page = await browser.newPage({ viewport: WINDOW });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`file://${file}`, { waitUntil: "load" });
  if (until === "ready")
    await page.waitForFunction(() => document.body.dataset.ready === "true", null, {
      timeout: 60_000,
    });
  return { page, errors };
}

const drawn = (page: Page, run = 0) => page.evaluate((r) => window.faultline?.drawn(r) ?? [], run);

const rectOf = async (page: Page, selector: string, n = 0) =>
  (await page.locator(selector).nth(n).boundingBox()) as NonNullable<
    Awaited<ReturnType<ReturnType<Page["locator"]>["boundingBox"]>>
  >;

const intersect = (a: DrawnBox, b: DrawnBox) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Pixels of `png` within `rect` that are `rgb` (±6 per channel), counted in the browser. */
async function pixelsOf(
  png: Buffer,
  rect: { x: number; y: number; width: number; height: number },
  rgb: readonly [number, number, number],
): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ b64, rect, rgb }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
        ctx.drawImage(img, 0, 0);
        const w = Math.min(rect.width, img.width - rect.x);
        const h = Math.min(rect.height, img.height - rect.y);
        const d = ctx.getImageData(rect.x, rect.y, w, h).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4)
          if (
            Math.abs((d[i] as number) - rgb[0]) <= 6 &&
            Math.abs((d[i + 1] as number) - rgb[1]) <= 6 &&
            Math.abs((d[i + 2] as number) - rgb[2]) <= 6
          )
            n++;
        return n;
      },
      {
        b64: png.toString("base64"),
        rect: {
          x: Math.round(rect.x),
          y: Math.round(rect.y),
          width: Math.round(rect.width),
          height: Math.round(rect.height),
        },
        rgb,
      },
    );
  } finally {
    await page.close();
  }
}

/** The fill of a component drawn up (web/src/states.ts). */
const UP_FILL = [0xdf, 0xf3, 0xec] as const;

describe("the first paint", () => {
  it("a plain `chromium --headless --screenshot` shows the graph", async () => {
    const shot = join(ARTIFACTS, "look-plain-screenshot.png");
    execFileSync(
      CHROMIUM,
      [
        ...SCREENSHOT_ARGS,
        `--window-size=${WINDOW.width},${WINDOW.height}`,
        `--screenshot=${shot}`,
        `file://${replayFile}`,
      ],
      { stdio: "ignore", timeout: 60_000 },
    );
    const { page } = await open(replayFile);
    const graph = await rectOf(page, ".graph");
    await page.close();
    // Two dozen boxes drawn up, thousands of pixels of their fill.
    expect(await pixelsOf(readFileSync(shot), graph, UP_FILL)).toBeGreaterThan(5000);
  });

  it("draws every node by the load event, before the final layout is ready", async () => {
    const { page, errors } = await open(replayFile, "load");
    const nodes = (await drawn(page)).filter((d) => d.type === "node");
    expect(nodes.length).toBe(awsNodes);
    const graph = await rectOf(page, ".graph");
    for (const n of nodes) {
      expect(n.left, n.id).toBeGreaterThanOrEqual(graph.x);
      expect(n.right, n.id).toBeLessThanOrEqual(graph.x + graph.width);
    }
    // The latest changes are there too, not an empty box.
    expect(await page.locator("#events li").count()).toBeGreaterThan(0);
    await page.waitForFunction(() => document.body.dataset.ready === "true");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the replay's report in a 1400×900 window", () => {
  let page: Page;
  beforeAll(async () => {
    ({ page } = await open(replayFile));
    await page.evaluate(() => window.faultline?.setTime(3600));
  });
  afterAll(async () => {
    await page?.close();
  });

  it("fits: no sideways scrolling, the graph within the window and every node within it", async () => {
    await page.screenshot({ path: join(ARTIFACTS, "look-replay-1400x900.png") });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      WINDOW.width,
    );
    const graph = await rectOf(page, ".graph");
    expect(graph.y + graph.height).toBeLessThanOrEqual(WINDOW.height);
    const nodes = (await drawn(page)).filter((d) => d.type === "node");
    expect(nodes.length).toBe(awsNodes);
    for (const n of nodes) {
      expect(n.left, n.id).toBeGreaterThanOrEqual(graph.x);
      expect(n.top, n.id).toBeGreaterThanOrEqual(graph.y);
      expect(n.right, n.id).toBeLessThanOrEqual(graph.x + graph.width);
      expect(n.bottom, n.id).toBeLessThanOrEqual(graph.y + graph.height);
    }
  });

  it("draws domain titles clear of the nodes and of each other", async () => {
    const boxes = await drawn(page);
    const titles = boxes.filter((d) => d.type === "title");
    expect(titles.map((t) => t.label).sort()).toEqual([
      "aws (provider)",
      "us-east-1 (region)",
      "us-west-2 (region)",
    ]);
    for (const t of titles)
      for (const other of boxes)
        if (other !== t && other.type !== "group")
          expect(intersect(t, other), `${t.label} and ${other.label}`).toBe(false);
  });

  it("says a node's kind under its id, and counts and severities in order", async () => {
    const labels = new Map((await drawn(page)).map((d) => [d.id, d.label]));
    expect(labels.get("iam")).toBe("✖ iam\nidentity");
    expect(labels.get("route53")).toBe("route53\ndns");
    expect(await page.locator("#model-summary").textContent()).toBe(
      "24 components · 33 dependencies · 2 DNS records · 9 failure domains · 5 workloads",
    );
    const audit = (await page.locator("#audit-summary").textContent()) ?? "";
    // Most severe first, and a severity with no finding left out (the replay's audit has
    // none of medium or low: one finding per cause).
    const inOrder =
      /^(\d+ critical)?(, )?(\d+ high)?(, )?(\d+ medium)?(, )?(\d+ low)?(, )?(\d+ info)?$/;
    expect(audit).toBe("Audit: 2 critical, 9 high, 8 info");
    const caption =
      (await page.locator("table.data caption", { hasText: "Audit findings" }).textContent()) ?? "";
    const counts = caption.match(/\(([^()]*)\)$/)?.[1] ?? "";
    expect(counts).toMatch(/^\d+ critical, /);
    expect(counts).toMatch(inOrder);
  });

  it("puts chart ticks on whole hours", async () => {
    const ticks = await page
      .locator(".chart")
      .evaluateAll((charts) => charts.map((c) => (c as HTMLElement).dataset.ticks));
    // Availability, backlogs, load against capacity, and the time a request takes.
    expect(ticks.length).toBe(4);
    const hours = Array.from({ length: 12 }, (_, i) => `${String(2 * i).padStart(2, "0")}:00`);
    for (const t of ticks) expect(t).toBe([...hours, "1d 00:00"].join(","));
  });

  it("names each chart's lines beside a swatch of their colour", async () => {
    await page.locator(".charts").screenshot({ path: join(ARTIFACTS, "look-charts.png") });
    const legends = await page.locator(".u-legend").evaluateAll((tables) =>
      tables.map((t) =>
        Array.from(t.querySelectorAll(".u-series"), (row) => ({
          label: row.querySelector(".u-label")?.textContent ?? "",
          swatch: getComputedStyle(row.querySelector(".u-marker") as Element).backgroundColor,
          values: row.querySelectorAll(".u-value").length,
        })),
      ),
    );
    expect(legends[0]?.map((s) => s.label)).toEqual([
      "customer-requests",
      "invoke-function",
      "launch-instance",
      "running-instances",
      "sign-in",
    ]);
    for (const series of legends.flat()) {
      expect(series.swatch, series.label).not.toBe("rgba(0, 0, 0, 0)");
      expect(series.values, series.label).toBe(0);
    }
  });
});

describe("two scenarios compared in a 1400×900 window", () => {
  it("fits, and shows each run's latest changes", async () => {
    const { page, errors } = await open(compareFile);
    await page.evaluate(() => window.faultline?.setTime(3600));
    await page.screenshot({ path: join(ARTIFACTS, "look-compare-1400x900.png") });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      WINDOW.width,
    );
    for (const run of [0, 1]) {
      const graph = await rectOf(page, ".graph", run);
      expect(graph.y + graph.height).toBeLessThanOrEqual(WINDOW.height);
      for (const n of (await drawn(page, run)).filter((d) => d.type === "node")) {
        expect(n.left, n.id).toBeGreaterThanOrEqual(graph.x);
        expect(n.right, n.id).toBeLessThanOrEqual(graph.x + graph.width);
      }
    }
    const lists = await page
      .locator("ol.events")
      .evaluateAll((ols) =>
        ols.map((ol) => ({ name: ol.getAttribute("aria-label"), text: ol.textContent ?? "" })),
      );
    expect(lists.map((l) => l.name)).toEqual([
      "latest changes — aws-us-east-1-2025",
      "latest changes — aws-us-east-1-2025-lessons",
    ]);
    // With the lessons applied, customer-app only degrades; in the replay it never does alone.
    expect(lists[1]?.text).toContain("customer-app → degraded");
    expect(lists[0]?.text).not.toContain("customer-app → degraded");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("a small model", () => {
  it("writes a kind named as its component once, counts in the singular, and $& as it is", async () => {
    const name = "shop $& $' $` $$";
    const model = modelOf(
      [
        `name: ${JSON.stringify(name)}`,
        "components:",
        "  route53:",
        "    kind: dns",
        "    placement: global",
        "    records:",
        "      db.internal: { targets: [db], ttl: 60s }",
        "  api:",
        "    kind: api",
        "    placement: global",
        "    needs:",
        "      db: { via: db.internal }",
        "  db: { kind: database, placement: global }",
        "",
      ].join("\n"),
    );
    const { page, errors } = await open(write("look-small.html", model, []));
    const labels = new Map((await drawn(page)).map((d) => [d.id, d.label]));
    expect(labels.get("api")).toBe("api");
    expect(labels.get("db")).toBe("db\ndatabase");
    expect(await page.locator("#model-summary").textContent()).toBe(
      "3 components · 1 dependency · 1 DNS record · 0 failure domains · 0 workloads",
    );
    expect(await page.title()).toBe(`Faultline — ${name}`);
    expect(await page.locator("h1").textContent()).toBe(name);
    await page.screenshot({ path: join(ARTIFACTS, "look-small.png") });
    expect(errors).toEqual([]);
    await page.close();
  });
});
