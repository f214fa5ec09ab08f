/**
 * The Kubernetes importer on manifests written for these tests
 * (test/fixtures/importers/kubernetes/shop.yaml): Deployments spread over zones by a
 * topology constraint and by anti-affinity, a one-replica StatefulSet, an autoscaler and a
 * disruption budget, an ALB Ingress, a role for service accounts (IRSA), a DaemonSet and a
 * custom resource.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDocuments } from "../documents.js";
import { mergeFragments } from "../merge.js";
import type { Fragment } from "../types.js";
import { kubernetesImporter } from "./index.js";

const FILE = "test/fixtures/importers/kubernetes/shop.yaml";
const TEXT = readFileSync(FILE, "utf8");

function fragmentOf(text = TEXT, file = FILE): Fragment {
  const read = readDocuments({ path: file, text });
  if (!read.ok) throw new Error(read.diagnostics.map((d) => d.message).join("; "));
  return kubernetesImporter.run(read.documents, {});
}

describe("kubernetes importer", () => {
  const f = fragmentOf();
  const byId = new Map(f.components.map((c) => [c.id, c]));

  it("makes workloads, Ingresses and nothing else components, with kinds from images and Services", () => {
    expect(f.components.map((c) => [c.id, c.kind])).toEqual([
      ["log-shipper", "monitoring"],
      ["api", "api"],
      ["orders", "api"],
      ["redis", "cache"],
      ["shop", "load-balancer"],
    ]);
  });

  it("reads spread, replicas (the autoscaler's minimum) and the disruption budget", () => {
    expect(byId.get("api")?.placement).toEqual({
      at: "cluster",
      spread: true,
      replicas: 4,
      minAvailable: 3,
    });
    expect(byId.get("orders")?.placement).toEqual({ at: "cluster", spread: true, replicas: 2 });
    expect(byId.get("redis")?.placement).toEqual({ at: "cluster", spread: false, replicas: 1 });
    expect(byId.get("log-shipper")?.placement).toEqual({
      at: "cluster",
      spread: true,
      replicas: 1,
    });
    expect(byId.get("api")?.restart).toBe("10s");
  });

  it("gets names from Services and Ingress hosts, and references from the environment and ConfigMaps, not Secrets", () => {
    expect(byId.get("api")?.aliases).toEqual([
      "api",
      "api.shop",
      "api.shop.svc",
      "api.shop.svc.cluster.local",
    ]);
    expect(byId.get("shop")?.aliases).toEqual(["shop.example.com"]);
    expect(f.references.map((r) => `${r.from} → ${r.target}${r.exact ? " (exact)" : ""}`)).toEqual([
      "api → http://orders.shop.svc.cluster.local:8080",
      "api → https://payments.example.net/v2",
      "api → info (exact)",
      "api → postgres://app@shop-db.c9x.eu-west-1.rds.amazonaws.com:5432/shop",
      "orders → redis:6379",
      "orders → shop-orders-table (exact)",
    ]);
    expect(f.dependencies.map((d) => `${d.from} → ${d.to}`)).toEqual(["shop → api"]);
  });

  it("marks the ALB Ingress and the pods with an AWS role for the catalogue", () => {
    expect(byId.get("shop")?.managed).toEqual({ provider: "aws", service: "elb", traits: [] });
    expect(byId.get("orders")?.managed).toEqual({
      provider: "aws",
      service: "eks-pod",
      traits: ["role"],
    });
    expect(byId.get("api")?.managed).toBeUndefined();
  });

  it("locates each object at its document and names it kind/namespace/name", () => {
    const line = TEXT.split("\n").findIndex(
      (l, i, all) => l === "kind: Deployment" && all[i + 2] === "  name: orders",
    );
    expect(byId.get("orders")?.source).toEqual({
      file: FILE,
      line,
      column: 1,
      address: "Deployment/shop/orders",
    });
  });

  it("lists kinds it does not read", () => {
    expect(f.unknown.map((u) => u.type)).toEqual(["cert-manager.io/v1/Certificate"]);
  });

  it("places the workloads in the zones of the cluster, needing as many zones as the budget does", () => {
    const m = mergeFragments([
      f,
      {
        ...fragmentOf("apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n", "ns.yaml"),
        format: "terraform",
        clusters: [
          {
            name: "main",
            provider: "aws",
            region: "eu-west-1",
            zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
            source: { file: "tf.json", address: "aws_eks_cluster.main" },
          },
        ],
      },
    ]);
    const zones = {
      at: "zones",
      provider: "aws",
      region: "eu-west-1",
      zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    };
    // 4 pods over 3 zones: losing one zone leaves fewer than the 3 the budget keeps.
    expect(m.components.get("api")).toEqual(
      expect.objectContaining({ placement: zones, redundancy: { quorum: 3 } }),
    );
    expect(m.components.get("orders")?.redundancy).toBeUndefined();
    expect(m.components.get("redis")?.redundancy).toBe("all");
    expect([...m.dependencies.keys()].map((k) => k.replace("\u0000", " → ")).sort()).toEqual([
      "api → orders",
      "orders → redis",
      "shop → api",
    ]);
  });

  it("names workloads of the same name in two namespaces by namespace, and unrolls lists", () => {
    const text = `apiVersion: v1
kind: List
items:
  - { apiVersion: apps/v1, kind: Deployment, metadata: { name: web, namespace: a }, spec: { template: { spec: { containers: [{ name: w, image: web:1 }] } } } }
  - { apiVersion: apps/v1, kind: Deployment, metadata: { name: web, namespace: b }, spec: { template: { spec: { containers: [{ name: w, image: web:1 }] } } } }
`;
    expect(fragmentOf(text, "list.yaml").components.map((c) => c.id)).toEqual(["a/web", "b/web"]);
  });

  it("reports an object without a name at its place", () => {
    const g = fragmentOf("apiVersion: v1\nkind: Service\nmetadata: {}\n", "bad.yaml");
    expect(g.diagnostics).toEqual([
      expect.objectContaining({
        code: "invalid-input",
        severity: "error",
        line: 1,
        message: "a Kubernetes object needs apiVersion, kind and metadata.name",
      }),
    ]);
  });
});
