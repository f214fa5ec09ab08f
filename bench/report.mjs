// Benchmark of the HTML report: how long a report takes to show its graph in Debian's chromium,
// from navigation start to the graph drawn (in its quick layout, with the page around it) and
// to the graph in its final layout (target: 3 s), for the us-east-1 replay and a synthetic model
// of 2k components, median of several loads in one browser.
//
//   npm run bench                         every benchmark
//   node bench/report.mjs                 after `npm run build`
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { loadModel } from "../dist/model/load.js";
import { buildReport, renderReportHtml } from "../dist/reports/report-html.js";
import { loadScenario } from "../dist/scenario/load.js";
import { generateModel } from "../dist/synthetic/generate.js";

const RUNS = 5;
const root = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "faultline-bench-report-"));

const replayModel = loadModel(root("examples/aws-us-east-1.yaml"));
const cases = [
  {
    label: "us-east-1 replay",
    target: 3,
    data: () =>
      buildReport(replayModel, [
        { scenario: loadScenario(root("examples/scenarios/aws-us-east-1-2025.yaml"), replayModel) },
      ]),
  },
  {
    label: "2k components (audit)",
    target: 3,
    data: () => buildReport(generateModel({ components: 2000, dependencies: 10_000, seed: 1 })),
  },
];

const browser = await chromium.launch({
  executablePath: process.env.FAULTLINE_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  for (const c of cases) {
    const html = renderReportHtml(c.data());
    const file = join(dir, "report.html");
    writeFileSync(file, html);
    const times = [];
    const drawn = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => document.body.dataset.ready === "true", null, {
        timeout: 120_000,
      });
      times.push(Number(await page.evaluate(() => document.body.dataset.readyMs)) / 1000);
      drawn.push(Number(await page.evaluate(() => document.body.dataset.drawnMs)) / 1000);
      await page.close();
    }
    times.sort((a, b) => a - b);
    drawn.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const drawnMedian = drawn[Math.floor(drawn.length / 2)];
    const verdict = median <= c.target ? "ok" : "OVER";
    console.log(
      `report ${c.label.padEnd(24)} ${(html.length / 1e6).toFixed(1)} MB  drawn after ${drawnMedian.toFixed(2)} s, laid out after ${median.toFixed(2)} s median of ${RUNS} (${times[0].toFixed(2)}–${times.at(-1).toFixed(2)})  target ${c.target} s  ${verdict}`,
    );
  }
} finally {
  await browser.close();
}
