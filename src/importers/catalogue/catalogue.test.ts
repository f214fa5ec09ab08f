import { describe, expect, it } from "vitest";
import { edgeKey, type MergedModel } from "../merge.js";
import { applyCatalogue } from "./apply.js";
import { bundledCatalogue, parseCatalogue } from "./load.js";

describe("the bundled catalogue", () => {
  const catalogue = bundledCatalogue();

  it("has AWS, Azure and Google, every entry cited with a source URL", () => {
    expect([...catalogue.keys()].sort()).toEqual(["aws", "azure", "google"]);
    for (const c of catalogue.values()) {
      for (const t of Object.values(c.targets))
        for (const tag of t.cite) expect(c.sources[tag]).toMatch(/^https:\/\//);
      for (const e of c.edges)
        for (const tag of e.cite) expect(c.sources[tag]).toMatch(/^https:\/\//);
    }
  });

  it("homes the AWS global control planes where the fault isolation whitepaper says", () => {
    const aws = catalogue.get("aws");
    const home = (id: string) => aws?.targets[id]?.at;
    expect(home("iam-control")).toEqual({ region: "us-east-1" });
    expect(home("route53-control")).toEqual({ region: "us-east-1" });
    expect(home("cloudfront-control")).toEqual({ region: "us-east-1" });
    expect(home("acm-cloudfront")).toEqual({ region: "us-east-1" });
    expect(home("s3-control")).toEqual({ region: "us-east-1" });
    expect(home("aga-control")).toEqual({ region: "us-west-2" });
    expect(home("iam")).toBe("caller-region");
  });

  it("marks every low-confidence edge uncertain or leaves it unapplied", () => {
    for (const c of catalogue.values())
      for (const e of c.edges)
        if (e.confidence === "low") expect(e.uncertain, `${c.provider} ${e.to}`).toBeDefined();
  });
});

describe("parseCatalogue", () => {
  it("locates what is wrong: a cite with no source, an edge to no target", () => {
    const text = `provider: aws
asOf: 2026-11
sources:
  A1: https://example.com/a1
targets:
  iam: { service: IAM, kind: identity, plane: data, at: caller-region, scope: regional, keepsWorking: yes, cite: [A9], confidence: high }
edges:
  - { when: { services: [lambda] }, to: nothing, edge: runtime, cite: [A1], confidence: high }
`;
    const r = parseCatalogue([{ path: "cat.yaml", text }]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([
      "cat.yaml:6 cite 'A9' names no entry of sources",
      "cat.yaml:8 'nothing' is not a target",
    ]);
  });
});

function model(): MergedModel {
  const source = { file: "tf.json", line: 3, column: 9, address: "aws_lambda_function.fn" };
  return {
    components: new Map([
      [
        "fn",
        {
          id: "fn",
          kind: "serverless",
          placement: { at: "region", provider: "aws", region: "eu-west-1" },
          managed: { provider: "aws", service: "lambda", traits: ["role", "role-managed"] },
          sources: [source],
        },
      ],
      [
        "ghost",
        {
          id: "ghost",
          kind: "serverless",
          managed: { provider: "aws", service: "lambda", traits: [] },
          sources: [{ ...source, line: 20, address: "aws_lambda_function.ghost" }],
        },
      ],
    ]),
    dependencies: new Map(),
    records: new Map(),
    workloads: new Map(),
    diagnostics: [],
  };
}

describe("applyCatalogue", () => {
  it("adds the implicit dependencies with their evidence, located at the resource", () => {
    const m = model();
    const diagnostics = applyCatalogue(m, bundledCatalogue());
    const iamCp = m.dependencies.get(edgeKey("fn", "aws.iam-control@us-east-1"));
    expect(iamCp).toEqual(
      expect.objectContaining({
        hard: false,
        options: { degraded: "IAM role and policy changes fail" },
        implicit: {
          catalogue: "aws.iam-control",
          service: "IAM",
          edge: "provisioning",
          confidence: "high",
          cite: [
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/disaster-recovery-resiliency.html",
          ],
        },
      }),
    );
    expect(iamCp?.sources[0]).toEqual(expect.objectContaining({ file: "tf.json", line: 3 }));
    expect(m.dependencies.get(edgeKey("fn", "aws.sts@eu-west-1"))?.hard).toBe(true);
    expect(m.components.get("aws.iam-control@us-east-1")).toEqual(
      expect.objectContaining({
        kind: "identity",
        plane: "control",
        placement: { at: "region", provider: "aws", region: "us-east-1" },
      }),
    );
    // Uncertain rows are listed, not applied; what needs a region no source gives is said too.
    expect(m.dependencies.has(edgeKey("fn", "aws.logs@eu-west-1"))).toBe(false);
    expect(diagnostics.map((d) => `${d.severity}[${d.code}] ${d.line} ${d.message}`)).toEqual([
      "info[uncertain] 3 2 uncertain implicit dependencies were not added (--uncertain adds them): fn → aws.logs@eu-west-1 (CloudWatch Logs: whether a function fails or only loses its logs when CloudWatch Logs is down is not established), ghost → aws.logs (CloudWatch Logs: whether a function fails or only loses its logs when CloudWatch Logs is down is not established)",
      "warning[uncertain] 20 2 implicit dependencies need the caller's region, which no source gives, and were not added: ghost → aws.iam, ghost → aws.sts",
    ]);
  });

  it("applies the uncertain rows when asked", () => {
    const m = model();
    applyCatalogue(m, bundledCatalogue(), { uncertain: true });
    expect(m.dependencies.get(edgeKey("fn", "aws.logs@eu-west-1"))?.implicit?.confidence).toBe(
      "low",
    );
  });
});
