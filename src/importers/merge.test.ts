import { describe, expect, it } from "vitest";
import { hostOf } from "./hosts.js";
import { mergeFragments } from "./merge.js";
import type { ComponentDraft, Fragment, ImportFormat, Provenance } from "./types.js";

const at = (file: string, line: number, address = "x"): Provenance => ({
  file,
  line,
  column: 1,
  address,
});

function fragment(format: ImportFormat, parts: Partial<Omit<Fragment, "format">>): Fragment {
  return {
    format,
    components: [],
    dependencies: [],
    records: [],
    references: [],
    policies: [],
    workloads: [],
    clusters: [],
    unknown: [],
    diagnostics: [],
    ...parts,
  };
}

const comp = (id: string, extra: Partial<ComponentDraft> = {}): ComponentDraft => ({
  id,
  kind: "api",
  source: at(`${id}.src`, 1, id),
  ...extra,
});

describe("mergeFragments", () => {
  it("keeps the higher source's value and reports the other as a conflict at its line", () => {
    const m = mergeFragments([
      fragment("kubernetes", {
        components: [comp("db", { kind: "compute", source: at("k8s.yaml", 7) })],
      }),
      fragment("terraform", {
        components: [comp("db", { kind: "database", source: at("tf.json", 12) })],
      }),
    ]);
    expect(m.components.get("db")?.kind).toBe("database");
    expect(m.components.get("db")?.sources.map((s) => s.file)).toEqual(["tf.json", "k8s.yaml"]);
    expect(m.diagnostics).toEqual([
      expect.objectContaining({
        code: "conflict",
        file: "k8s.yaml",
        line: 7,
        message:
          "components.db.kind: kubernetes says compute, terraform (tf.json:12) says database; kept database (terraform takes precedence)",
      }),
    ]);
  });

  it("lets a weak kind (a trace's guess) give way without a conflict", () => {
    const m = mergeFragments([
      fragment("traces", { components: [comp("db", { kind: "external" })] }),
      fragment("terraform", { components: [comp("db", { kind: "database" })] }),
    ]);
    expect(m.components.get("db")?.kind).toBe("database");
    expect(m.diagnostics).toEqual([]);
  });

  it("resolves references by alias, by host inside a URL, through a DNS record, and reports the rest in one line", () => {
    const m = mergeFragments([
      fragment("terraform", {
        components: [
          comp("shop-db", { aliases: ["shop-db.c9x.eu-west-1.rds.amazonaws.com"] }),
          comp("web"),
          comp("dns", { kind: "dns" }),
        ],
        records: [
          {
            name: "api.shop.example",
            server: "dns",
            ttl: "1m",
            targets: ["web"],
            source: at("tf.json", 30),
          },
        ],
      }),
      fragment("kubernetes", {
        components: [comp("api"), comp("front")],
        references: [
          {
            from: "api",
            target: "postgres://app@shop-db.c9x.eu-west-1.rds.amazonaws.com:5432/shop",
            source: at("k8s.yaml", 20),
          },
          { from: "front", target: "https://api.shop.example/v1", source: at("k8s.yaml", 40) },
          {
            from: "front",
            target: "http://api.shop.svc.cluster.local:8080",
            source: at("k8s.yaml", 41),
          },
          { from: "front", target: "https://payments.example.net", source: at("k8s.yaml", 42) },
          { from: "front", target: "telemetry.internal:4317", source: at("k8s.yaml", 43) },
        ],
      }),
    ]);
    expect([...m.dependencies.values()].map((d) => [d.from, d.to, d.options.via])).toEqual([
      ["api", "shop-db", undefined],
      ["front", "web", "api.shop.example"],
      ["front", "api", undefined],
    ]);
    expect(m.diagnostics).toEqual([
      expect.objectContaining({
        code: "unresolved-reference",
        severity: "info",
        file: "k8s.yaml",
        line: 42,
        message:
          "2 reference(s) in configuration name nothing any source describes, so no dependency was made for them: front → https://payments.example.net, front → telemetry.internal:4317",
      }),
    ]);
  });

  it("applies a policy to every call into its service, over what other sources say", () => {
    const m = mergeFragments([
      fragment("traces", {
        components: [comp("a"), comp("b"), comp("c")],
        dependencies: [
          { from: "a", to: "c", options: { timeout: "5s" }, source: at("t.json", 1) },
          { from: "b", to: "c", source: at("t.json", 2) },
        ],
      }),
      fragment("istio", {
        policies: [
          { to: "c", options: { timeout: "2s", retry: { attempts: 3 } }, source: at("vs.yaml", 9) },
          { to: "nobody", options: { timeout: "1s" }, source: at("vs.yaml", 30) },
        ],
      }),
    ]);
    expect(
      [...m.dependencies.values()].map((d) => [
        d.from,
        d.options.timeout,
        d.options.retry?.attempts,
      ]),
    ).toEqual([
      ["a", "2s", 3],
      ["b", "2s", 3],
    ]);
    expect(m.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([
      "vs.yaml:30 the policy for nobody governs no call that a source declares: nothing to apply it to",
    ]);
  });

  it("places Kubernetes workloads in the zones of the cluster another source creates, a budget of 3 of 4 pods needing both zones", () => {
    const cluster = {
      name: "main",
      provider: "aws",
      region: "eu-west-1",
      zones: ["eu-west-1b", "eu-west-1a"],
      source: at("tf.json", 3),
    };
    const m = mergeFragments([
      fragment("terraform", { clusters: [cluster] }),
      fragment("kubernetes", {
        components: [
          comp("spread", {
            placement: { at: "cluster", spread: true, replicas: 4, minAvailable: 3 },
          }),
          comp("single", { placement: { at: "cluster", spread: false } }),
        ],
      }),
    ]);
    expect(m.components.get("spread")).toEqual(
      expect.objectContaining({
        placement: {
          at: "zones",
          provider: "aws",
          region: "eu-west-1",
          zones: ["eu-west-1a", "eu-west-1b"],
        },
        redundancy: { quorum: 2 },
      }),
    );
    expect(m.components.get("single")?.redundancy).toBe("all");
    const alone = mergeFragments([
      fragment("kubernetes", {
        components: [comp("x", { placement: { at: "cluster", spread: true } })],
      }),
    ]);
    expect(alone.components.get("x")?.placement).toEqual({
      at: "domain",
      domain: "cluster:kubernetes",
      kind: "cluster",
    });
  });

  it("is the same whatever the order of the fragments", () => {
    const a = fragment("kubernetes", {
      components: [comp("x", { kind: "compute", source: at("k.yaml", 2) })],
    });
    const b = fragment("terraform", {
      components: [comp("x", { kind: "database", source: at("t.json", 2) })],
    });
    const one = mergeFragments([a, b]);
    const two = mergeFragments([b, a]);
    expect(JSON.stringify([...two.components], null, 1)).toBe(
      JSON.stringify([...one.components], null, 1),
    );
    expect(two.diagnostics).toEqual(one.diagnostics);
  });
});

describe("hostOf", () => {
  it.each([
    ["postgres://u:p@db.internal:5432/x", "db.internal"],
    ["redis:6379", "redis"],
    ["orders.shop.svc.cluster.local", "orders.shop.svc.cluster.local"],
    ["api.example.com.", "api.example.com"],
    ["not a host", undefined],
    ["true", undefined],
  ])("%s → %s", (value, host) => expect(hostOf(value)).toBe(host));
});
