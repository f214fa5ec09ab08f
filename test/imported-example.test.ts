/**
 * The imported example (examples/imported/): its imported.yaml is what `faultline import`
 * makes of its sources today, and its audit and diagram show the us-east-1 control planes that
 * none of the sources declares. The text audit is a reviewed golden file
 * (test/golden/imported-shop.txt; regenerate with `npm run golden` and review the diff).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analysis/analyze.js";
import { renderDiagram } from "../src/diagram/render.js";
import { importModel } from "../src/importers/import.js";
import { loadModel } from "../src/model/load.js";
import { AUDIT_RENDERERS } from "../src/reports/audit.js";

const DIR = "examples/imported";
const GOLDEN = new URL("golden/imported-shop.txt", import.meta.url);

function sources(): { path: string; text: string }[] {
  const files: string[] = [];
  for (const sub of ["terraform", "kubernetes", "traces"])
    for (const f of readdirSync(join(DIR, sub)).sort()) files.push(join(DIR, sub, f));
  return files.map((path) => ({ path, text: readFileSync(path, "utf8") }));
}

describe("the imported example", () => {
  const model = loadModel(`${DIR}/model.yaml`);
  const report = analyze(model);
  // Each rule's own findings, before findings about one cause are merged.
  const byRule = analyze(model, { merge: false });

  it("commits the import its sources give today, byte for byte", () => {
    const r = importModel(sources(), { output: `${DIR}/imported.yaml` });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.yaml).toBe(readFileSync(`${DIR}/imported.yaml`, "utf8"));
    expect(r.diagnostics).toEqual([]);
  });

  it("shows in the audit the us-east-1 control planes no source declares, at the source line", () => {
    const f = byRule.findings.find((x) => x.rule === "control-plane");
    expect(f?.key).toBe("control-plane:us-east-1");
    expect(f?.location).toEqual({ file: `${DIR}/kubernetes/web.yaml`, line: 56, column: 1 });
    expect(f?.data?.services).toEqual(["Route 53", "S3", "ACM", "CloudFront", "IAM"]);
    expect(f?.message).toContain("cdn via ACM, CloudFront, Route 53");
    expect(f?.message).toContain("main (eu-west-1) via IAM, Route 53");
  });

  it("finds the regional IAM data plane shared by every replicated service that assumes a role", () => {
    const f = byRule.findings.find((x) => x.key === "shared-failure-domain:aws.iam@eu-west-1");
    const replicated = f?.data?.replicated as { id: string }[] | undefined;
    expect(replicated?.map((r) => r.id)).toEqual(["api", "fulfilment", "orders", "web"]);
  });

  it("draws the implicit edges in their own style", () => {
    const mermaid = renderDiagram(model, { format: "mermaid" });
    expect(mermaid).toContain(
      'c_cdn -.->|"control plane via CloudFront"| c_aws_cloudfront_control_us_east_1',
    );
    expect(mermaid).toContain('c_orders -->|"via STS (credential)"| c_aws_sts_eu_west_1');
  });

  it("matches its reviewed golden audit", () => {
    const text = AUDIT_RENDERERS.text(report, { toolVersion: "0.0.0-test", color: false });
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, "utf8"));
  });
});
