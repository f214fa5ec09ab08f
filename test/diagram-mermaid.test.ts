/**
 * Mermaid output checked by Mermaid itself: its `parse` needs a DOM, so it runs in Debian's
 * chromium with the bundled `mermaid.min.js`. One browser for the whole file.
 */
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDiagram } from "../src/diagram/render.js";
import { loadModel } from "../src/model/load.js";
import { generateModel } from "../src/synthetic/generate.js";
import { launchChromium } from "./helpers/browser.js";

const MERMAID = fileURLToPath(
  new URL("../node_modules/mermaid/dist/mermaid.min.js", import.meta.url),
);

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent("<html><body></body></html>");
  await page.addScriptTag({ path: MERMAID });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Mermaid's verdict: "ok", or the parser's message. */
async function parse(text: string): Promise<string> {
  return page.evaluate(async (src) => {
    try {
      // biome-ignore lint/suspicious/noExplicitAny: the page's global, loaded by the script tag
      await (globalThis as any).mermaid.parse(src);
      return "ok";
    } catch (err) {
      return String((err as Error).message ?? err);
    }
  }, text);
}

const example = loadModel("examples/aws-us-east-1.yaml");
const hostile = loadModel("test/fixtures/diagram-hostile.yaml");

describe("Mermaid output parses with mermaid 11", () => {
  it("rejects a broken diagram, so the check can fail", async () => {
    const good = renderDiagram(example, { format: "mermaid" });
    expect(await parse(good)).toBe("ok");
    // An unclosed subgraph and a dangling arrow.
    expect(await parse(good.replace(/\n {2}end\n/, "\n").replace("==>", "==> ==>"))).not.toBe("ok");
  });

  it.each([
    ["the bundled example", example, undefined],
    ["the example with a DNS record highlighted", example, "dynamodb.us-east-1.amazonaws.com"],
    ["the example with a zone highlighted", example, "use1-az1"],
    ["the example with a replicated component highlighted", example, "dynamodb"],
    ["hostile names", hostile, undefined],
    ["hostile names, highlighted", hostile, 'a"b'],
  ] as const)("%s", async (_name, model, highlight) => {
    const text = renderDiagram(model, {
      format: "mermaid",
      ...(highlight !== undefined ? { highlight } : {}),
    });
    expect(await parse(text)).toBe("ok");
    expect(await parse(renderDiagram(model, { format: "mermaid", legend: false }))).toBe("ok");
  });

  it("a synthetic model of 300 components, once Mermaid's size limits are raised", async () => {
    const model = generateModel({ components: 300, dependencies: 900, seed: 3 });
    const text = renderDiagram(model, { format: "mermaid" });
    // By default Mermaid draws at most 500 edges (docs/diagrams.md says so); the syntax is checked
    // with the limits raised the way a page embedding a large diagram raises them.
    expect(await parse(text)).toMatch(/Edge limit exceeded/);
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the page's global, loaded by the script tag
      (globalThis as any).mermaid.initialize({ maxEdges: 1_000_000, maxTextSize: 100_000_000 });
    });
    expect(await parse(text)).toBe("ok");
  });
});
