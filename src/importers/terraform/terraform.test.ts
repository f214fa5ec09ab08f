/**
 * The Terraform importer on a state written for these tests (test/fixtures/importers/
 * terraform-state.json): an ALB in two zones in front of an ECS service that reads a
 * multi-AZ database and a queue (through its task definition's environment), a Lambda in a
 * module with its table, a CloudFront distribution, a Route 53 alias record, an unknown type
 * and a data source.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDocuments } from "../documents.js";
import type { Fragment } from "../types.js";
import { terraformImporter } from "./index.js";

const FILE = "test/fixtures/importers/terraform-state.json";
const TEXT = readFileSync(FILE, "utf8");

function fragmentOf(text = TEXT, file = FILE): Fragment {
  const read = readDocuments({ path: file, text });
  if (!read.ok) throw new Error("fixture does not parse");
  return terraformImporter.run(read.documents, {});
}

const lineOf = (needle: string) => TEXT.slice(0, TEXT.indexOf(needle)).split("\n").length;

describe("terraform importer", () => {
  const f = fragmentOf();
  const byId = new Map(f.components.map((c) => [c.id, c]));
  const edges = f.dependencies.map(
    (d) => `${d.from} → ${d.to}${d.hard === false ? " (soft)" : ""}`,
  );

  it("detects show -json output, plan or state, and nothing else", () => {
    expect(
      terraformImporter.detect({
        file: "x",
        index: 0,
        data: JSON.parse(TEXT),
        locate: () => ({ line: 1, column: 1 }),
      }),
    ).toBe(true);
    const plan = { format_version: "1.2", planned_values: { root_module: {} } };
    expect(
      terraformImporter.detect({
        file: "x",
        index: 0,
        data: plan,
        locate: () => ({ line: 1, column: 1 }),
      }),
    ).toBe(true);
    const k8s = { apiVersion: "v1", kind: "Service" };
    expect(
      terraformImporter.detect({
        file: "x",
        index: 0,
        data: k8s,
        locate: () => ({ line: 1, column: 1 }),
      }),
    ).toBe(false);
  });

  it("maps resource types to components, flattening modules into ids", () => {
    expect([...byId.keys()].sort()).toEqual([
      "api",
      "orders",
      "orders/orders",
      "orders/orders-dynamodb-table",
      "shop",
      "shop-db",
      "site",
      "web",
    ]);
    expect(byId.get("orders/orders")?.kind).toBe("serverless");
    expect(byId.get("shop-db")?.kind).toBe("database");
  });

  it("places components in the zones of their subnets, and a multi-AZ database in both", () => {
    expect(byId.get("web")?.placement).toEqual({
      at: "zones",
      provider: "aws",
      region: "eu-west-1",
      zones: ["eu-west-1a", "eu-west-1b"],
    });
    expect(byId.get("shop-db")?.placement).toEqual({
      at: "zones",
      provider: "aws",
      region: "eu-west-1",
      zones: ["eu-west-1a", "eu-west-1b"],
    });
    expect(byId.get("orders")?.placement).toEqual({
      at: "region",
      provider: "aws",
      region: "eu-west-1",
    });
    expect(byId.get("site")?.placement).toEqual({ at: "global", provider: "aws" });
  });

  it("follows references through listeners, target groups and task definitions", () => {
    expect(edges).toEqual(
      expect.arrayContaining([
        "web → api",
        "api → shop-db",
        "api → orders",
        "site → web",
        "orders/orders → orders/orders-dynamodb-table",
      ]),
    );
  });

  it("gives each element its provenance: the resource's line in the file and its address", () => {
    expect(byId.get("web")?.source).toEqual({
      file: FILE,
      line: lineOf('"address": "aws_lb.web"') - 1,
      column: 9,
      address: "aws_lb.web",
    });
    const lambda = byId.get("orders/orders");
    expect(lambda?.source.address).toBe("module.orders.aws_lambda_function.orders");
    // The load balancer reaches the service through the target group the service registers with.
    expect(f.dependencies.find((d) => d.from === "web" && d.to === "api")?.source.address).toBe(
      "aws_ecs_service.api",
    );
  });

  it("reads catalogue traits: roles managed in the stack, keys, certificates, logs", () => {
    expect(byId.get("api")?.managed).toEqual(
      expect.objectContaining({
        service: "ecs",
        region: "eu-west-1",
        traits: ["awslogs", "role", "role-managed"],
      }),
    );
    expect(byId.get("orders/orders-dynamodb-table")?.managed?.traits).toEqual(["kms"]);
    expect(byId.get("site")?.managed?.traits).toEqual(["custom-cert"]);
    expect(byId.get("web")?.managed?.traits).toEqual(["tls"]);
  });

  it("imports the alias record under its zone, with the TTL of the load balancer's name", () => {
    expect(f.records).toEqual([
      expect.objectContaining({
        name: "api.shop.example",
        server: "shop",
        ttl: "1m",
        targets: ["shop-web-1234.eu-west-1.elb.amazonaws.com"],
      }),
    ]);
  });

  it("lists unknown types with their addresses, and says what it leaves out", () => {
    expect(f.unknown).toEqual([
      {
        format: "terraform",
        type: "aws_foo_widget",
        addresses: [
          expect.objectContaining({
            address: "aws_foo_widget.x",
            line: lineOf('"aws_foo_widget.x"') - 1,
          }),
        ],
      },
    ]);
    expect(f.diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        "1 data source(s) are read by the configuration, not resources of the system: not imported",
        "1 DNS record(s) of types other than A, AAAA and CNAME carry no call path: not imported",
      ]),
    );
  });

  it("groups count instances into one component placed in all their zones", () => {
    const state = {
      format_version: "1.0",
      terraform_version: "1.9.0",
      values: {
        root_module: {
          resources: ["a", "b", "c"].map((z, i) => ({
            address: `aws_instance.web[${i}]`,
            mode: "managed",
            type: "aws_instance",
            name: "web",
            index: i,
            provider_name: "registry.terraform.io/hashicorp/aws",
            values: {
              id: `i-${i}00`,
              arn: `arn:aws:ec2:eu-west-1:1:instance/i-${i}00`,
              availability_zone: `eu-west-1${z}`,
            },
          })),
        },
      },
    };
    const web = fragmentOf(JSON.stringify(state, null, 1), "s.json").components;
    expect(web).toEqual([
      expect.objectContaining({
        id: "web",
        placement: {
          at: "zones",
          provider: "aws",
          region: "eu-west-1",
          zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        },
        redundancy: "any",
      }),
    ]);
  });

  it("reads a plan: planned values, the configuration's references and the provider's region", () => {
    const plan = {
      format_version: "1.2",
      terraform_version: "1.9.0",
      planned_values: {
        root_module: {
          resources: [
            {
              address: "aws_sqs_queue.jobs",
              mode: "managed",
              type: "aws_sqs_queue",
              name: "jobs",
              provider_name: "registry.terraform.io/hashicorp/aws",
              values: { name: "jobs" },
            },
            {
              address: "aws_lambda_function.worker",
              mode: "managed",
              type: "aws_lambda_function",
              name: "worker",
              provider_name: "registry.terraform.io/hashicorp/aws",
              values: { function_name: "worker" },
            },
          ],
        },
      },
      configuration: {
        provider_config: {
          aws: {
            name: "aws",
            full_name: "registry.terraform.io/hashicorp/aws",
            expressions: { region: { constant_value: "eu-central-1" } },
          },
        },
        root_module: {
          resources: [
            { address: "aws_sqs_queue.jobs", type: "aws_sqs_queue", name: "jobs", expressions: {} },
            {
              address: "aws_lambda_function.worker",
              type: "aws_lambda_function",
              name: "worker",
              expressions: {
                environment: [
                  { variables: { references: ["aws_sqs_queue.jobs.url", "aws_sqs_queue.jobs"] } },
                ],
              },
            },
          ],
        },
      },
    };
    const g = fragmentOf(JSON.stringify(plan, null, 1), "plan.json");
    expect(g.components.map((c) => [c.id, c.placement])).toEqual([
      ["worker", { at: "region", provider: "aws", region: "eu-central-1" }],
      ["jobs", { at: "region", provider: "aws", region: "eu-central-1" }],
    ]);
    expect(g.dependencies.map((d) => `${d.from} → ${d.to}`)).toEqual(["worker → jobs"]);
  });
});
