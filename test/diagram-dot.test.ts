/**
 * DOT output checked by Graphviz itself: `dot -Tsvg` must accept it without a single warning.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderDiagram } from "../src/diagram/render.js";
import { loadModel } from "../src/model/load.js";

const DOT = process.env.FAULTLINE_DOT ?? "/usr/bin/dot";

function graphviz(text: string) {
  if (!existsSync(DOT))
    throw new Error(`no Graphviz at ${DOT}: install Debian's graphviz, or set FAULTLINE_DOT`);
  const r = spawnSync(DOT, ["-Tsvg"], { input: text, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const example = loadModel("examples/aws-us-east-1.yaml");
const hostile = loadModel("test/fixtures/diagram-hostile.yaml");

describe("DOT output renders with Graphviz", () => {
  it("rejects a broken graph, so the check can fail", () => {
    const broken = renderDiagram(example, { format: "dot" }).replace(/\}\n$/, "");
    const r = graphviz(broken);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/syntax error/);
  });

  it.each([
    ["the bundled example", example, undefined],
    ["the example with a DNS record highlighted", example, "dynamodb.us-east-1.amazonaws.com"],
    ["the example with a region highlighted", example, "us-east-1"],
    ["hostile names", hostile, undefined],
    ["hostile names, highlighted", hostile, 'a"b'],
  ] as const)("%s: exit 0 and nothing on stderr", (_name, model, highlight) => {
    const r = graphviz(
      renderDiagram(model, { format: "dot", ...(highlight !== undefined ? { highlight } : {}) }),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("<svg");
  });

  it("writes hostile names as text in the SVG, never as markup", () => {
    const svg = graphviz(renderDiagram(hostile, { format: "dot" })).stdout;
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
