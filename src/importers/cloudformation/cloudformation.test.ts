/**
 * The CloudFormation importer on a template written for these tests
 * (test/fixtures/importers/cloudformation-template.yaml): short-form intrinsics, an ALB with an
 * HTTPS listener in front of an ECS service, a multi-AZ database reached through the task's
 * environment, a Lambda fed by a queue, CloudFront, a Route 53 alias, a nested stack, a custom
 * resource and an import of another stack's export.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDocuments } from "../documents.js";
import type { Fragment } from "../types.js";
import { cloudFormationImporter, intrinsicNames } from "./index.js";

const FILE = "test/fixtures/importers/cloudformation-template.yaml";
const TEXT = readFileSync(FILE, "utf8");
const lineOf = (needle: string) => TEXT.split("\n").findIndex((l) => l.startsWith(needle)) + 1;

function fragmentOf(text: string, file: string, region?: string): Fragment {
  const read = readDocuments({ path: file, text });
  if (!read.ok) throw new Error("does not parse");
  return cloudFormationImporter.run(read.documents, region !== undefined ? { region } : {});
}

const summary = (f: Fragment) => ({
  components: f.components.map((c) => [c.id, c.kind, c.placement, c.managed?.traits]),
  dependencies: f.dependencies.map(
    (d) => `${d.from} → ${d.to}${d.hard === false ? " (soft)" : ""}`,
  ),
  references: f.references.map((r) => `${r.from} → ${r.target}`),
  records: f.records.map((r) => [r.name, r.server, r.ttl, r.targets]),
});

describe("cloudformation importer", () => {
  const f = fragmentOf(TEXT, FILE, "eu-west-1");
  const s = summary(f);

  it("maps resources by type, ids from logical ids, placed by the zones of their subnets", () => {
    expect(s.components).toEqual([
      [
        "api-service",
        "compute",
        { at: "zones", provider: "aws", region: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b"] },
        ["awslogs", "role", "role-managed"],
      ],
      ["jobs-queue", "queue-service", { at: "region", provider: "aws", region: "eu-west-1" }, []],
      [
        "orders-db",
        "database",
        { at: "zones", provider: "aws", region: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b"] },
        [],
      ],
      ["orders-table", "kv-store", { at: "region", provider: "aws", region: "eu-west-1" }, ["kms"]],
      ["site", "cdn", { at: "global", provider: "aws" }, ["custom-cert"]],
      [
        "web-alb",
        "load-balancer",
        { at: "zones", provider: "aws", region: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b"] },
        ["tls"],
      ],
      [
        "worker",
        "serverless",
        { at: "region", provider: "aws", region: "eu-west-1" },
        ["role", "role-managed"],
      ],
      ["zone", "dns", { at: "global", provider: "aws" }, []],
    ]);
  });

  it("follows Ref, GetAtt and Sub through listeners, target groups and task definitions", () => {
    expect(s.dependencies).toEqual([
      "api-service → orders-db",
      "site → web-alb",
      "web-alb → api-service",
      "worker → jobs-queue (soft)",
      "worker → orders-table",
      "worker → web-alb",
    ]);
    expect(s.records).toEqual([["api.shop.example", "zone", "1m", ["web-alb"]]]);
  });

  it("leaves host names and other stacks' exports in the environment to the merge", () => {
    expect(s.references).toEqual([
      "api-service → https://payments.example.net/v2",
      "api-service → platform-events-bus",
    ]);
  });

  it("locates each component at its logical id", () => {
    const worker = f.components.find((c) => c.id === "worker");
    expect(worker?.source).toEqual({
      file: FILE,
      line: lineOf("  Worker:"),
      column: 3,
      address: "Worker",
    });
  });

  it("names nested stacks and lists unknown types", () => {
    expect(f.diagnostics.map((d) => `${d.line} ${d.message}`)).toEqual([
      `${lineOf("  Monitoring:")} 1 nested stack(s) are named, not fetched — import their templates as further sources: Monitoring (https://example.com/monitoring.yaml)`,
    ]);
    expect(f.unknown.map((u) => [u.type, u.addresses.map((a) => a.line)])).toEqual([
      ["Custom::Thing", [lineOf("  Thing:")]],
    ]);
  });

  it("reads the same template written in JSON the same way", () => {
    const read = readDocuments({ path: FILE, text: TEXT });
    if (!read.ok) throw new Error("does not parse");
    const json = JSON.stringify(read.documents[0]?.data, null, 2);
    expect(summary(fragmentOf(json, "template.json", "eu-west-1"))).toEqual(s);
  });

  it("places nothing in a region it cannot know, without --region", () => {
    const g = fragmentOf(TEXT, FILE);
    expect(g.components.find((c) => c.id === "worker")?.placement).toBeUndefined();
  });
});

describe("intrinsicNames", () => {
  it.each([
    [{ Ref: "A" }, ["A"]],
    [{ Ref: "AWS::Region" }, []],
    [{ "Fn::GetAtt": ["B", "Arn"] }, ["B"]],
    [{ "Fn::GetAtt": "C.Endpoint.Address" }, ["C"]],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
    [{ "Fn::Sub": "https://${D.DNSName}/${AWS::Region}/${!Literal}" }, ["D"]],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a template literal
    [{ "Fn::Sub": ["${x}-${E}", { x: { Ref: "F" } }] }, ["x", "E", "F"]],
  ])("%j → %j", (value, names) => expect(intrinsicNames(value)).toEqual(names));
});
