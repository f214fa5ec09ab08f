/// <reference lib="dom" />
/**
 * The HTML report in a real browser (Debian's chromium through playwright-core): the replay of
 * the us-east-1 outage plays over the graph, a click explains a node back to the DNS record,
 * nothing is fetched from anywhere, text from models is shown and never run, and a 2k-component
 * model loads grouped by failure domain. Screenshots at three moments of the replay are kept
 * in test-artifacts/ for people to look at.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../src/model/load.js";
import type { Model } from "../src/model/types.js";
import { buildReport, renderReportHtml } from "../src/reports/report-html.js";
import { loadScenario } from "../src/scenario/load.js";
import { generateModel } from "../src/synthetic/generate.js";
import type {} from "../web/src/view.js";
import { launchChromium } from "./helpers/browser.js";

const ROOT = new URL("..", import.meta.url).pathname;
const ARTIFACTS = join(ROOT, "test-artifacts");
const MODEL = "examples/aws-us-east-1.yaml";
const REPLAY = "examples/scenarios/aws-us-east-1-2025.yaml";
const RECORD = "dynamodb.us-east-1.amazonaws.com";

let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

function writeReport(name: string, html: string): string {
  const file = join(ARTIFACTS, name);
  writeFileSync(file, html);
  return file;
}

interface Opened {
  readonly page: Page;
  /** Every URL the page asked for, itself included. */
  readonly requests: string[];
  readonly errors: string[];
  readonly dialogs: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => document.body.dataset.ready === "true", null, {
    timeout: 30_000,
  });
  return { page, requests, errors, dialogs };
}

describe("the report of the us-east-1 replay", () => {
  let opened: Opened;
  let file: string;

  beforeAll(async () => {
    const model = loadModel(join(ROOT, MODEL));
    const data = buildReport(model, [{ scenario: loadScenario(join(ROOT, REPLAY), model) }]);
    file = writeReport("report-replay.html", renderReportHtml(data));
    opened = await open(file);
  });
  afterAll(async () => {
    await opened?.page.close();
  });

  it("opens from disk with no network request and no error", () => {
    // The page itself, and the layout engine's worker started from a blob the page made.
    const [page, ...others] = opened.requests;
    expect(page).toBe(`file://${file}`);
    expect(others.every((u) => u.startsWith("blob:file://") || u.startsWith("blob:null/"))).toBe(
      true,
    );
    expect(others.length).toBeLessThanOrEqual(1);
    expect(opened.errors).toEqual([]);
  });

  it("the slider moves the cascade: IAM is drawn down an hour in, up before the fault", async () => {
    const { page } = opened;
    const slider = page.locator("#time-slider");
    const max = Number(await slider.getAttribute("max"));
    // One hour into the day of the replay: IAM went down at T+0:30 and came back after the
    // DNS record was repaired, at T+2:37.
    await slider.fill(String(Math.round((3600 / 86400) * max)));
    const t = await page.evaluate(() => window.faultline?.time() ?? -1);
    expect(t).toBeGreaterThan(3550);
    expect(t).toBeLessThan(3650);
    expect(await page.evaluate(() => window.faultline?.stateOf("iam"))).toBe("down");
    expect(await page.locator("#time-label").textContent()).toContain("00:59:46");
    // Before anything happened (T+0), everything is up.
    await slider.fill("0");
    expect(await page.evaluate(() => window.faultline?.stateOf("iam"))).toBe("up");
    expect(await page.evaluate(() => window.faultline?.stateOf("route53"))).toBe("up");
    // Late in the day, after the repair and the backlogs, IAM is up again.
    await slider.fill(String(max));
    expect(await page.evaluate(() => window.faultline?.stateOf("iam"))).toBe("up");
  });

  it("a click on IAM shows it down and its causal chain back to the emptied DNS record", async () => {
    const { page } = opened;
    const max = Number(await page.locator("#time-slider").getAttribute("max"));
    await page.locator("#time-slider").fill(String(Math.round((3600 / 86400) * max)));
    const at = await page.evaluate(() => window.faultline?.nodePosition("iam"));
    expect(at).not.toBeNull();
    await page.mouse.click((at as { x: number }).x, (at as { y: number }).y);
    const details = page.locator("#details");
    await expect.poll(() => details.locator("h3").textContent()).toBe("iam");
    expect(await details.locator(".state-badge").getAttribute("data-state")).toBe("down");
    const subjects = await details
      .locator("ol.chain li")
      .evaluateAll((items) => items.map((li) => li.getAttribute("data-subject")));
    expect(subjects[0]).toBe("iam");
    expect(subjects).toContain(RECORD);
    expect(await details.locator("ol.chain").textContent()).toContain(RECORD);
    // Its metrics at that moment: it serves nothing.
    expect(await details.locator(".metrics").first().textContent()).toContain("success 0%");
  });

  it("keeps screenshots of three moments of the replay", async () => {
    const { page } = opened;
    const max = Number(await page.locator("#time-slider").getAttribute("max"));
    // The fault and its first victims; the whole cascade with a customer-facing service's
    // chain; after the DNS repair, EC2's lease manager still down (the outage's second act).
    const moments = [
      ["1-dns-emptied-t0m45", 45, null],
      ["2-cascade-t1h", 3600, "customer-app"],
      ["3-after-dns-repair-t3h", 3 * 3600, "ec2-dwfm"],
    ] as const;
    for (const [name, t, chosen] of moments) {
      await page.locator("#time-slider").fill(String(Math.round((t / 86400) * max)));
      await page.evaluate(() => window.faultline?.select(null));
      if (chosen !== null) {
        const at = await page.evaluate((id) => window.faultline?.nodePosition(id), chosen);
        expect(at).not.toBeNull();
        await page.mouse.click((at as { x: number }).x, (at as { y: number }).y);
        await expect.poll(() => page.locator("#details h3").textContent()).toBe(chosen);
      }
      const shot = await page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`) });
      expect(shot.length).toBeGreaterThan(10_000);
    }
    expect(opened.errors).toEqual([]);
  });

  it("plays: the clock advances on its own and pause stops it", async () => {
    const { page } = opened;
    await page.locator("#time-slider").fill("0");
    await page.locator("#speed").selectOption("3600");
    await page.locator("#play").click();
    await expect
      .poll(() => page.evaluate(() => window.faultline?.time() ?? 0), { timeout: 10_000 })
      .toBeGreaterThan(600);
    await page.locator("#play").click();
    const paused = await page.evaluate(() => window.faultline?.time() ?? 0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.faultline?.time() ?? 0)).toBe(paused);
  });

  it("has the audit findings with their remediations and the recovery table", async () => {
    const { page } = opened;
    const text = (await page.locator("body").textContent()) ?? "";
    expect(text).toContain("hard dependency cycle through iam");
    expect(text).toContain("Recovery time per component against its target");
    expect(text).toContain("Offered load against capacity");
    expect(text).toContain("Workload availability");
  });

  it("shows the case: facts marked, both timelines on one clock, a row moves the clock", async () => {
    const { page } = opened;
    const view = page.locator("section.case");
    const facts = view.locator("table").first();
    await expect(facts.locator("caption").textContent()).resolves.toContain(
      "4 of 8 reproduced in this run",
    );
    const row = (id: string) => facts.locator("tr", { hasText: id });
    await expect(row("fan-out").locator(".verdict").textContent()).resolves.toBe("reproduced");
    await expect(row("redshift-tail").locator(".verdict").textContent()).resolves.toBe(
      "not simulated",
    );
    // The public repair at 2:25 AM (2 h 37 min in) sits among the simulated changes around it.
    const clockRows = view.locator("table").nth(1).locator("tbody tr");
    const repair = clockRows.filter({ hasText: "DNS state restored by hand" });
    await expect(repair.locator("button").textContent()).resolves.toBe(
      "02:37:00 (2025-10-20 02:25:00)",
    );
    const simulated = clockRows.filter({ hasText: "record dynamodb.us-east-1.amazonaws.com" });
    expect(await simulated.count()).toBeGreaterThan(0);
    await repair.locator("button").click();
    await expect(page.locator("#time-label").textContent()).resolves.toContain("02:37:00");
  });

  it("lists the calibrated and guessed numbers the run rests on", async () => {
    const { page } = opened;
    const numbers = page.locator("table.data", {
      has: page.locator("caption", { hasText: "Numbers it rests on" }),
    });
    await expect(numbers.locator("caption").textContent()).resolves.toContain("4 calibrated");
    const row = numbers.locator("tr", { hasText: "leases/establishRate" });
    await expect(row.locator("td").first().textContent()).resolves.toBe("calibrated");
    await expect(row.textContent()).resolves.toContain("all leases re-established at 5:28 AM");
  });
});

/** The example model with one component renamed and given hostile text everywhere text goes. */
function hostileModel(): Model {
  const model = loadModel(join(ROOT, MODEL));
  const evil = "<script>alert(1)</script>";
  const rename = (id: string) => (id === "sqs" ? evil : id);
  return {
    ...model,
    name: `</script><script>alert(2)</script>`,
    components: model.components.map((c) =>
      c.id === "sqs" ? { ...c, id: evil, description: `<img src=x onerror=alert(3)>` } : c,
    ),
    dependencies: model.dependencies.map((d) => ({ ...d, from: rename(d.from), to: rename(d.to) })),
    queues: model.queues.map((q) =>
      q.service !== undefined ? { ...q, service: rename(q.service) } : q,
    ),
  };
}

describe("text from models", () => {
  it("is shown, never run: a component named <script>alert(1)</script>", async () => {
    const html = renderReportHtml(buildReport(hostileModel()));
    // The embedded JSON cannot close its element.
    const data = html.slice(html.indexOf('id="faultline-data">'));
    expect(data.slice(0, data.indexOf("</script>"))).not.toContain("<");
    const opened = await open(writeReport("report-hostile.html", html));
    const { page } = opened;
    try {
      const at = await page.evaluate(() =>
        window.faultline?.nodePosition("<script>alert(1)</script>"),
      );
      expect(at).not.toBeNull();
      await page.mouse.click((at as { x: number }).x, (at as { y: number }).y);
      await expect
        .poll(() => page.locator("#details h3").textContent())
        .toBe("<script>alert(1)</script>");
      expect(await page.locator("h1").textContent()).toBe("</script><script>alert(2)</script>");
      expect(await page.locator("#details").textContent()).toContain(
        "<img src=x onerror=alert(3)>",
      );
      expect(await page.locator("#details img").count()).toBe(0);
      expect(await page.title()).toContain("</script><script>alert(2)</script>");
      expect(opened.dialogs).toEqual([]);
      expect(opened.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("a large model", () => {
  // How fast it loads is measured by bench/report.mjs, not asserted here.
  it("of 2k components loads grouped by failure domain, and a group expands", async () => {
    const model = generateModel({ components: 2000, dependencies: 10_000, seed: 1 });
    const file = writeReport("report-2k.html", renderReportHtml(buildReport(model)));
    const { page, errors } = await open(file);
    try {
      expect(errors).toEqual([]);
      const someone = model.components[0]?.id as string;
      const group = await page.evaluate((id) => window.faultline?.groupOf(id) ?? null, someone);
      expect(group).not.toBeNull();
      // Expanding the group shows what is directly inside it.
      await page.evaluate((d) => window.faultline?.expand(d), group as string);
      const after = await page.evaluate((id) => window.faultline?.groupOf(id) ?? null, someone);
      expect(after).not.toBe(group);
    } finally {
      await page.close();
    }
  });
});
