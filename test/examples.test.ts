/**
 * The bundled examples, end to end: their audits and the us-east-1 scenarios' simulations as
 * reviewed golden files, and the facts about them that the product promises, asserted directly
 * so that a regenerated golden file cannot quietly lose them. Regenerate the golden files with
 * `npm run golden` and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analysis/analyze.js";
import { loadModel } from "../src/model/load.js";
import { AUDIT_RENDERERS } from "../src/reports/audit.js";
import { renderJournalText } from "../src/reports/sim-text.js";
import { loadScenario } from "../src/scenario/load.js";
import { simulate } from "../src/sim/engine.js";

const EXAMPLES = [
  "aws-us-east-1",
  "multi-region-active-active",
  "startup-stack",
  "global-config-push",
  "global-config-push-lessons",
] as const;
const update = process.env.UPDATE_GOLDEN === "1";
const golden = (name: string) => new URL(`golden/${name}`, import.meta.url);

/** Compares text with a reviewed golden file, or writes it when asked to (or when it is missing). */
function expectGolden(name: string, text: string): void {
  const file = golden(name);
  if (update || !existsSync(file)) {
    mkdirSync(new URL("golden/", import.meta.url), { recursive: true });
    writeFileSync(file, text);
    if (!update) throw new Error(`wrote missing golden file ${name}; review it and run again`);
  }
  expect(text).toBe(readFileSync(file, "utf8"));
}

function auditOf(example: string, depth: 1 | 2 = 1, merge = true) {
  return analyze(loadModel(`examples/${example}.yaml`), { depth, merge });
}

describe.each(EXAMPLES)("example %s", (example) => {
  it("matches its reviewed golden audit (JSON and text)", () => {
    const report = auditOf(example);
    for (const [format, ext] of [
      ["json", "json"],
      ["text", "txt"],
    ] as const) {
      const text = AUDIT_RENDERERS[format](report, { toolVersion: "0.0.0-test", color: false });
      expectGolden(`${example}.${ext}`, text);
    }
  });
});

describe.each([
  ["aws-us-east-1-2025", "aws-us-east-1"],
  ["aws-us-east-1-2025-lessons", "aws-us-east-1"],
  ["global-config-push", "global-config-push"],
  ["global-config-push-lessons", "global-config-push-lessons"],
])("scenario %s on the %s model", (scenario, example) => {
  it("matches its reviewed golden simulation: timeline, results and verdicts", () => {
    const model = loadModel(`examples/${example}.yaml`);
    const journal = simulate(model, loadScenario(`examples/scenarios/${scenario}.yaml`, model));
    expectGolden(`${scenario}.simulate.txt`, renderJournalText(journal));
    // Every check of `expect:` holds; a public fact may honestly not be reproduced (cases.md).
    const failing = journal.expectations.filter((v) => !v.ok && v.fact === undefined);
    expect(failing.map((v) => `${v.kind} ${v.subject}`)).toEqual([]);
  });
});

describe("the us-east-1 audit finds the seed's traps", () => {
  // Each rule's own findings, before findings about one cause are merged.
  const report = auditOf("aws-us-east-1", 1, false);
  const by = (rule: string) => report.findings.filter((f) => f.rule === rule);
  const RECORD = "dynamodb.us-east-1.amazonaws.com";

  it("the identity ↔ key-value store cycle, through DNS", () => {
    const [cycle] = by("cycle");
    expect(cycle?.severity).toBe("critical");
    expect(cycle?.components).toEqual(["dynamodb", "iam"]);
    expect(cycle?.message).toContain(RECORD);
  });

  it("the endpoint's DNS record as a single point of failure in spite of three zones", () => {
    const spof = by("spof").find((f) => f.components[0] === RECORD);
    expect(spof?.severity).toBe("high");
    expect(spof?.components).toEqual(
      expect.arrayContaining(["customer-requests", "invoke-function", "launch-instance"]),
    );
    expect(by("dns-spof").map((f) => f.components[0])).toContain(RECORD);
    const dynamodb = loadModel("examples/aws-us-east-1.yaml").components.find(
      (c) => c.id === "dynamodb",
    );
    expect(dynamodb?.placement.domains).toHaveLength(3);
  });

  it("the multi-zone illusion: the key-value store and its callers share identity and DNS", () => {
    for (const unit of ["iam", RECORD, "route53"]) {
      const f = by("shared-failure-domain").find((x) => x.components[0] === unit);
      expect(f?.components, unit).toEqual(expect.arrayContaining(["dynamodb", "lambda"]));
    }
    const region = by("shared-failure-domain").find((x) => x.components[0] === "us-east-1");
    expect(region?.components).toEqual(["us-east-1", "console-signin", "redshift"]);
    expect(region?.message).toContain("console-signin (2 regions)");
  });

  it("monitoring that depends on what it watches", () => {
    const f = by("monitoring-dependence").find(
      (x) => x.components[0] === "cloudwatch" && x.components[1] === "dynamodb",
    );
    expect(f?.severity).toBe("high");
    expect(f?.message).toContain("repair-endpoint-dns");
  });

  it("running instances (the data plane) depend on no control plane", () => {
    expect(report.cutSets.find((c) => c.workload === "running-instances")?.order1).toEqual([
      "aws",
      "us-east-1",
    ]);
  });
});

describe("the active-active example does not cry wolf", () => {
  it("has no order-1 cut set and no finding above low", () => {
    const report = auditOf("multi-region-active-active", 2);
    expect(report.cutSets[0]?.order1).toEqual([]);
    expect(report.cutSets[0]?.order2.length).toBeGreaterThan(0);
    expect(report.findings.filter((f) => f.severity !== "low" && f.severity !== "info")).toEqual(
      [],
    );
  });
});

describe("the startup stack", () => {
  it("shows where the second zone buys nothing, and the SLO it misses", () => {
    const report = auditOf("startup-stack", 1, false);
    const illusion = report.findings.filter((f) => f.rule === "shared-failure-domain");
    for (const unit of ["postgres", "euc1-az1"]) {
      expect(illusion.find((f) => f.components[0] === unit)?.components).toEqual([unit, "web"]);
    }
    const availability = report.findings.find((f) => f.rule === "availability");
    expect(availability?.severity).toBe("high");
  });
});

describe("the global configuration push", () => {
  it("flags the feature file and the proxy fleet as single failure units before any run", () => {
    const report = auditOf("global-config-push");
    for (const w of ["traffic-us", "traffic-eu", "traffic-ap"]) {
      const cut = report.cutSets.find((c) => c.workload === w)?.order1;
      expect(cut, w).toEqual(expect.arrayContaining(["bot-features", "edge-proxies"]));
    }
    const push = report.findings.find((f) => f.key === "config-blast-radius:bot-features");
    expect(push?.severity).toBe("high");
    expect(push?.data?.readers).toEqual(["edge-ap", "edge-eu", "edge-us"]);
    expect(push?.related?.map((r) => r.rule)).toContain("spof");
    expect(report.findings.find((f) => f.key === "common-cause:edge-proxies")?.severity).toBe(
      "high",
    );
  });

  it("reports them in SARIF and Markdown like every rule, consequences included", () => {
    const report = auditOf("global-config-push");
    const sarif = JSON.parse(
      AUDIT_RENDERERS.sarif(report, { toolVersion: "0.0.0-test", color: false }),
    ) as {
      runs: {
        tool: { driver: { rules: { id: string; fullDescription?: { text: string } }[] } };
        results: { ruleId: string; level: string; message: { text: string } }[];
      }[];
    };
    const run = sarif.runs[0];
    const rules = run?.tool.driver.rules.map((r) => r.id) ?? [];
    expect(rules).toEqual(expect.arrayContaining(["config-blast-radius", "common-cause"]));
    const push = run?.results.find(
      (r) => r.ruleId === "config-blast-radius" && r.message.text.includes("bot-features"),
    );
    expect(push?.level).toBe("error");
    // The folded spof finding about the same unit is carried in the message.
    expect(push?.message.text).toMatch(/spof/);
    expect(run?.results.some((r) => r.ruleId === "common-cause")).toBe(true);
    const md = AUDIT_RENDERERS.markdown(report, { toolVersion: "0.0.0-test", color: false });
    expect(md).toContain("config-blast-radius");
    expect(md).toContain("common-cause");
    expect(md).toMatch(/edge-proxies/);
  });

  it("with staged rollouts and last-known-good readers, no longer does", () => {
    const report = auditOf("global-config-push-lessons");
    for (const row of report.cutSets) {
      expect(row.order1, row.workload).not.toContain("bot-features");
      expect(row.order1, row.workload).not.toContain("edge-proxies");
    }
    expect(
      report.findings.filter((f) => f.rule === "config-blast-radius" || f.rule === "common-cause"),
    ).toEqual([]);
  });
});
