import { describe, expect, it } from "vitest";
import { analyze } from "../analysis/analyze.js";
import { loadModel, parseModel } from "../model/load.js";
import type { Model } from "../model/types.js";
import { generateModel } from "../synthetic/generate.js";
import { d2String } from "./d2.js";
import { blastRadiusOf, UnknownUnitError } from "./highlight.js";
import { DIAGRAM_FORMATS, renderDiagram } from "./render.js";
import { allNodes, buildScene, EDGE_KINDS, type SceneCluster } from "./scene.js";
import { EDGE_STYLE } from "./style.js";

const example = loadModel("examples/aws-us-east-1.yaml");
const hostile = loadModel("test/fixtures/diagram-hostile.yaml");
const RECORD = "dynamodb.us-east-1.amazonaws.com";

function parse(yaml: string): Model {
  const r = parseModel("model.yaml", (p) => (p === "model.yaml" ? yaml : undefined));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.model;
}

/** One edge of every kind, a fallback and a DNS failover among them. */
const everyKind = parse(`
name: kinds
domains:
  cloud:
    contains:
      r1: [z1, z2]
components:
  dns: { kind: dns, placement: global, records: { db.internal: { targets: [db], ttl: 30s, failover: { targets: [replica] }, managedBy: writer } } }
  writer: { kind: automation, placement: { zones: [z1] } }
  idp: { kind: identity, placement: { region: r1 } }
  db: { kind: database, placement: { zones: [z1] } }
  replica: { kind: database, placement: { zones: [z2] } }
  backup: { kind: database, placement: { zones: [z2] } }
  mq: { kind: queue-service, placement: { zones: [z1, z2], region: r1 } }
  cache: { kind: cache, placement: { zones: [z2] } }
  sts: { kind: token-service, placement: { region: r1 } }
  cp: { kind: api, plane: control, placement: { region: r1 } }
  api:
    kind: api
    placement: { zones: [z1, z2], region: r1 }
    needs:
      db: { via: db.internal, auth: idp, fallback: { to: backup } }
      sts: { implicit: { catalogue: c.sts, service: STS, edge: credential, confidence: high, cite: [https://example.com/sts] } }
    wants:
      cache: { degraded: slow }
      cp: { degraded: changes fail, implicit: { catalogue: c.cp, service: CP, edge: provisioning, confidence: high, cite: [https://example.com/cp] } }
    publishes: [jobs]
  worker: { kind: worker, placement: { zones: [z2] } }
  mon: { kind: monitoring, placement: { zones: [z1] }, observes: [api] }
queues:
  jobs: { service: mq, consumers: { worker: { rate: 5 rps } }, maxReceives: 3, deadLetter: dead }
  dead: { service: mq }
workloads:
  browse: { entry: api, rate: 10 rps }
`);

function clusterByKey(list: readonly SceneCluster[], key: string): SceneCluster | undefined {
  for (const c of list) {
    if (c.key === key) return c;
    const inner = clusterByKey(c.clusters, key);
    if (inner) return inner;
  }
  return undefined;
}

/** The text of a DOT quoted string written by `dotString` (without its quotes). */
function undot(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

/** DOT: the cluster keys enclosing each node statement, read back from the text. */
function dotPaths(text: string): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const stack: string[] = [];
  for (const line of text.split("\n")) {
    const open = /^\s*subgraph "cluster_((?:[^"\\]|\\.)*)" \{$/.exec(line);
    if (open) {
      stack.push(undot(open[1] as string));
      continue;
    }
    if (/^\s*\}$/.test(line)) {
      stack.pop();
      continue;
    }
    const node = /^\s*"((?:[^"\\]|\\.)*)" \[/.exec(line);
    if (node && stack[0] !== "legend") paths.set(undot(node[1] as string), [...stack]);
  }
  return paths;
}

/** Mermaid: the subgraph ids enclosing each node statement. */
function mermaidPaths(text: string): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const stack: string[] = [];
  for (const line of text.split("\n")) {
    const open = /^\s*subgraph (\w+) \[/.exec(line);
    if (open) {
      stack.push(open[1] as string);
      continue;
    }
    if (/^\s*end$/.test(line)) {
      stack.pop();
      continue;
    }
    const node = /^\s+(\w+)(?:\(|\[\(|\(\[|\[\[|\{\{|>)"/.exec(line);
    if (node && stack[0] !== "legend") paths.set(node[1] as string, [...stack]);
  }
  return paths;
}

/** D2: containers and nodes as full key paths, and the endpoints of every top-level edge. */
function d2Structure(text: string) {
  const declared = new Map<string, string[]>();
  const edges: [string, string][] = [];
  const stack: string[] = [];
  const quoted = /"(?:[^"\\]|\\.)*"/g;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    if (/^\s*\}$/.test(line)) {
      stack.pop();
      continue;
    }
    const edge = /^((?:"(?:[^"\\]|\\.)*"\.?)+) -> ((?:"(?:[^"\\]|\\.)*"\.?)+)[: ]/.exec(line);
    if (edge && stack.length === 0) {
      edges.push([edge[1] as string, edge[2] as string]);
      continue;
    }
    const decl = /^\s*("(?:[^"\\]|\\.)*"): "(?:[^"\\]|\\.)*" \{(.*)$/.exec(line);
    if (decl) {
      const key = decl[1] as string;
      const path = [...stack, key].join(".");
      declared.set(path, [...stack]);
      if (decl[2] === "") stack.push(key);
    }
    expect(line.replace(quoted, "").includes('"'), line).toBe(false);
  }
  expect(stack).toEqual([]);
  return { declared, edges };
}

const q = (k: string) => JSON.stringify(k);

describe("clusters", () => {
  const scene = buildScene(example);

  it("nest as the failure domains do, with multi-zone components in their region", () => {
    expect(scene.clusters.map((c) => c.key)).toEqual(["d:aws"]);
    const aws = clusterByKey(scene.clusters, "d:aws") as SceneCluster;
    expect(aws.clusters.map((c) => c.key)).toEqual(["d:us-east-1", "d:us-west-2"]);
    const use1 = clusterByKey(scene.clusters, "d:us-east-1") as SceneCluster;
    // Nothing runs in one zone only: the zones are drawn as nodes of their region.
    expect(use1.clusters).toEqual([]);
    expect(use1.nodes.filter((n) => n.shape === "domain").map((n) => n.key)).toEqual([
      "d:use1-az1",
      "d:use1-az2",
      "d:use1-az4",
    ]);
    const dynamodb = use1.nodes.find((n) => n.key === "c:dynamodb");
    expect(dynamodb?.lines).toEqual(["dynamodb", "kv-store · 3 zones"]);
    expect(dynamodb?.shape).toBe("store");
    // Two regions share the provider; a global component sits in its provider; its records with it.
    expect(aws.nodes.map((n) => n.key)).toEqual([
      "c:console-signin",
      "c:redshift",
      "c:route53",
      `r:${RECORD}`,
      "r:sts.us-east-1.amazonaws.com",
    ]);
    expect(aws.nodes.find((n) => n.key === "c:console-signin")?.lines[1]).toBe("web · 2 regions");
    expect(aws.nodes.find((n) => n.key === "c:route53")?.lines[1]).toBe("dns · global on aws");
    // Queues with the component that hosts them; workloads at the top.
    expect(use1.nodes.filter((n) => n.shape === "queue").map((n) => n.key)).toEqual([
      "q:customer-events",
      "q:customer-events-dlq",
    ]);
    // The lease manager publishes its re-established leases.
    expect(
      scene.edges
        .filter((e) => e.from === "c:ec2-dwfm" && e.to === "q:network-state-propagations")
        .map((e) => e.kind),
    ).toEqual(["async"]);
    // At the top: the workloads, and a queue no component hosts.
    expect(scene.nodes.filter((n) => n.shape !== "workload").map((n) => n.key)).toEqual([
      "q:network-state-propagations",
    ]);
    expect(scene.nodes).toHaveLength(example.workloads.length + 1);
  });

  it("put a single-zone component in its zone's cluster, inside the region", () => {
    const s = buildScene(everyKind);
    expect(s.path.get("c:db")).toEqual(["d:cloud", "d:r1", "d:z1"]);
    expect(s.path.get("c:api")).toEqual(["d:cloud", "d:r1"]);
    expect(s.path.get("c:dns")).toEqual([]);
    expect(s.path.get("r:db.internal")).toEqual([]);
    expect(s.path.get("q:jobs")).toEqual(["d:cloud", "d:r1"]);
  });

  it.each([everyKind, example, hostile])("are nested the same way in every language (%#)", (m) => {
    const s = buildScene(m);
    const nodes = [...allNodes(s.nodes, s.clusters)];
    const dot = dotPaths(renderDiagram(m, { format: "dot" }));
    for (const n of nodes) expect(dot.get(n.key), n.key).toEqual(s.path.get(n.key));

    const mermaid = mermaidPaths(renderDiagram(m, { format: "mermaid" }));
    expect(mermaid.size).toBe(nodes.length);
    for (const n of nodes) {
      const depth = (s.path.get(n.key) ?? []).length;
      const found = [...mermaid.values()].filter((p) => p.length === depth).length;
      expect(found).toBeGreaterThan(0);
    }

    const d2 = d2Structure(renderDiagram(m, { format: "d2" }));
    for (const n of nodes) {
      const path = [...(s.path.get(n.key) ?? []), n.key].map(d2String).join(".");
      expect(d2.declared.get(path), n.key).toEqual((s.path.get(n.key) ?? []).map(d2String));
    }
    // Every edge names declared nodes by their full path.
    expect(d2.edges.length).toBe(s.edges.length);
    for (const [from, to] of d2.edges) {
      expect(d2.declared.has(from), from).toBe(true);
      expect(d2.declared.has(to), to).toBe(true);
    }
  });

  it("in Mermaid, under the subgraph of their domain", () => {
    const mermaid = mermaidPaths(renderDiagram(example, { format: "mermaid" }));
    expect(mermaid.get("c_dynamodb")).toEqual(["d_aws", "d_us_east_1"]);
    expect(mermaid.get("d_use1_az1")).toEqual(["d_aws", "d_us_east_1"]);
    expect(mermaid.get("c_route53")).toEqual(["d_aws"]);
    expect(mermaid.get("w_sign_in")).toEqual([]);
  });
});

describe("edges", () => {
  const scene = buildScene(everyKind);
  const kindsOf = (from: string, to: string) =>
    scene.edges.filter((e) => e.from === from && e.to === to).map((e) => e.kind);

  it("come in every kind, implicit DNS and identity edges read from the failure graph", () => {
    expect(scene.edgeKinds).toEqual(EDGE_KINDS);
    expect(kindsOf("c:api", "c:db")).toEqual(["hard"]);
    expect(kindsOf("c:api", "c:backup")).toEqual(["fallback"]);
    expect(kindsOf("c:api", "r:db.internal")).toEqual(["dns"]);
    expect(kindsOf("r:db.internal", "c:dns")).toEqual(["dns"]);
    expect(kindsOf("c:api", "c:idp")).toEqual(["auth"]);
    expect(kindsOf("c:api", "c:cache")).toEqual(["soft"]);
    expect(kindsOf("c:api", "c:sts")).toEqual(["implicit"]);
    expect(kindsOf("c:api", "c:cp")).toEqual(["control-plane"]);
    expect(scene.edges.find((e) => e.kind === "implicit")?.label).toBe("via STS (credential)");
    expect(scene.edges.find((e) => e.kind === "control-plane")?.label).toBe("control plane via CP");
    expect(kindsOf("c:api", "q:jobs")).toEqual(["async"]);
    expect(kindsOf("c:worker", "q:jobs")).toEqual(["async"]);
    expect(kindsOf("q:jobs", "c:mq")).toEqual(["async"]);
    expect(kindsOf("q:jobs", "q:dead")).toEqual(["async"]);
    expect(kindsOf("r:db.internal", "c:db")).toEqual(["dns-record"]);
    expect(kindsOf("r:db.internal", "c:replica")).toEqual(["dns-record"]);
    expect(kindsOf("c:writer", "r:db.internal")).toEqual(["dns-record"]);
    expect(kindsOf("c:mon", "c:api")).toEqual(["observes"]);
    expect(kindsOf("w:browse", "c:api")).toEqual(["entry"]);
    // The failover target is reached through the record, not drawn as a second call.
    expect(kindsOf("c:api", "c:replica")).toEqual([]);
    expect(scene.edges.find((e) => e.kind === "soft")?.label).toBe("slow");
  });

  it("are styled by kind in DOT", () => {
    const dot = renderDiagram(everyKind, { format: "dot" });
    for (const e of scene.edges) {
      const s = EDGE_STYLE[e.kind];
      const line = dot.split("\n").find((l) => l.startsWith(`  ${q(e.from)} -> ${q(e.to)} [`));
      expect(line, `${e.from} -> ${e.to}`).toContain(
        `color="${s.color}", style="${s.stroke}", penwidth=${s.width}`,
      );
    }
    // The legend shows each kind once, in its style.
    for (const kind of EDGE_KINDS)
      expect(dot).toContain(`"legend:${kind}:from" -> "legend:${kind}:to"`);
  });

  it("are styled by kind in Mermaid: arrow, then a linkStyle that lists the edge", () => {
    const text = renderDiagram(everyKind, { format: "mermaid", legend: false });
    const lines = text.split("\n");
    const edgeLines = lines.filter((l) => /^ {2}\w+ (-->|==>|-\.->)/.test(l));
    expect(edgeLines).toHaveLength(scene.edges.length);
    const styleOf = new Map<number, string>();
    for (const l of lines) {
      const m = /^ {2}linkStyle ([\d,]+) (.*)$/.exec(l);
      if (m) for (const i of (m[1] as string).split(",")) styleOf.set(Number(i), m[2] as string);
    }
    scene.edges.forEach((e, i) => {
      const s = EDGE_STYLE[e.kind];
      const arrow = e.kind === "hard" ? "==>" : s.stroke === "solid" ? "-->" : "-.->";
      expect(edgeLines[i]).toContain(` ${arrow}`);
      expect(styleOf.get(i)).toBe(
        `stroke:${s.color},stroke-width:${s.width}px${s.stroke === "dotted" ? ",stroke-dasharray:1 3" : ""},color:${s.color}`,
      );
    });
  });

  it("are styled by kind in D2: a class per kind, declared once", () => {
    const text = renderDiagram(everyKind, { format: "d2", legend: false });
    expect(text).toContain(
      'hard: {style: {stroke: "#24292f"; font-color: "#24292f"; stroke-width: 3}}',
    );
    expect(text).toContain(
      'soft: {style: {stroke: "#57606a"; font-color: "#57606a"; stroke-width: 1; stroke-dash: 5}}',
    );
    expect(text).toContain(
      'async: {style: {stroke: "#0969da"; font-color: "#0969da"; stroke-width: 2; stroke-dash: 2}}',
    );
    expect(text).toContain(
      '"d:cloud"."d:r1"."c:api" -> "d:cloud"."d:r1"."d:z1"."c:db" {class: hard}',
    );
    expect(text).toContain(
      '"d:cloud"."d:r1"."c:api" -> "d:cloud"."d:r1"."d:z2"."c:cache": "slow" {class: soft}',
    );
    expect(text).toContain('"r:db.internal": "db.internal\\nDNS record · TTL 30s" {class: record}');
    expect(text).toContain('"q:jobs": "jobs\\nqueue" {class: queue}');
    expect(text).toContain("  queue: {shape: queue;");
    expect(text).toContain("  record: {shape: hexagon;");
  });
});

describe("--highlight", () => {
  const report = analyze(example, { merge: false });
  const reported = report.findings.filter((f) => f.rule === "blast-radius");

  it("colours exactly the audit's blast radius of each unit it reports", () => {
    expect(reported.length).toBeGreaterThan(3);
    for (const f of reported) {
      const unit = f.data?.unit as string;
      const scene = buildScene(example, { highlight: unit });
      const nodes = [...allNodes(scene.nodes, scene.clusters)];
      const components = nodes.filter((n) => n.key.startsWith("c:"));
      const down = components
        .filter((n) => n.state === "down" || n.state === "unit")
        .map((n) => n.key.slice(2));
      // The finding lists the unit first (whatever it is), then the components it takes down.
      const expected = f.components.filter((id) => example.components.some((c) => c.id === id));
      expect(down.sort(), unit).toEqual(expected.sort());
      expect(down.length, unit).toBe(f.data?.components as number);
      expect(
        components.filter((n) => n.state === "degraded").map((n) => n.key.slice(2)),
        unit,
      ).toEqual(f.data?.degraded);
      const highlighted = nodes.filter((n) => n.state === "unit");
      const clusterUnit = scene.clusters.some(function has(c: SceneCluster): boolean {
        return c.state === "unit" || c.clusters.some(has);
      });
      expect(highlighted.length + (clusterUnit ? 1 : 0), unit).toBe(1);
      expect(components.every((n) => n.state !== undefined)).toBe(true);
    }
  });

  it("fails a replicated component as a whole", () => {
    const blast = blastRadiusOf(example, "dynamodb");
    expect(blast.wholeComponent).toBe(true);
    expect(blast.down).toContain("iam");
    expect(blast.down).toContain("customer-app");
    expect(blast.down).not.toContain("ec2-instances");
    expect(renderDiagram(example, { format: "dot", highlight: "dynamodb" })).toContain(
      "blast radius of dynamodb (every replica)",
    );
  });

  it("colours a failed region's cluster, its zones and what ran there", () => {
    const scene = buildScene(example, { highlight: "us-east-1" });
    const use1 = clusterByKey(scene.clusters, "d:us-east-1");
    expect(use1?.state).toBe("unit");
    expect(use1?.nodes.find((n) => n.key === "d:use1-az1")?.state).toBe("down");
    expect(clusterByKey(scene.clusters, "d:us-west-2")?.state).toBe("dim");
    expect(clusterByKey(scene.clusters, "d:aws")?.state).toBe("dim");
    // Edges that carry the failure are coloured, monitoring edges are not.
    const edge = (from: string, to: string) =>
      scene.edges.find((e) => e.from === from && e.to === to);
    expect(edge("c:lambda", "c:iam")?.state).toBe("down");
    expect(edge("c:cloudwatch", "c:lambda")?.state).toBe("dim");
    expect(edge(`r:${RECORD}`, "c:dynamodb")?.state).toBe("dim");
  });

  it("shows degraded components between the down and the unaffected", () => {
    const scene = buildScene(everyKind, { highlight: "cache" });
    const state = (k: string) =>
      [...allNodes(scene.nodes, scene.clusters)].find((n) => n.key === k)?.state;
    expect(state("c:cache")).toBe("unit");
    expect(state("c:api")).toBe("degraded");
    expect(state("w:browse")).toBe("degraded");
    expect(scene.edges.find((e) => e.kind === "soft")?.state).toBe("degraded");
    expect(state("c:db")).toBe("dim");
  });

  it("rejects an unknown unit with the closest one, and says what a queue or workload is", () => {
    expect(() => blastRadiusOf(example, "dynamodbb")).toThrow(
      new UnknownUnitError("dynamodbb", "unknown unit 'dynamodbb'", "dynamodb"),
    );
    expect(() => blastRadiusOf(example, "use1-az3")).toThrow(/did you mean 'use1-az1'\?/);
    expect(() => blastRadiusOf(example, "zzzzzzzzzzzz")).toThrow(/^unknown unit 'zzzzzzzzzzzz'$/);
    expect(() => blastRadiusOf(example, "customer-events")).toThrow(
      "'customer-events' is a queue, not a failure unit: highlight the component that hosts it, 'sqs'",
    );
    expect(() => blastRadiusOf(example, "sign-in")).toThrow(/is a workload.*'console-signin'/);
  });
});

describe("escaping", () => {
  const texts = Object.fromEntries(
    DIAGRAM_FORMATS.map((f) => [f, renderDiagram(hostile, { format: f, highlight: 'a"b' })]),
  );

  it("keeps hostile names inside DOT strings", () => {
    const dot = texts.dot as string;
    expect(dot).toContain(
      '"r:<script>alert(1)</script>" [label="<script>alert(1)</script>\\nDNS record · TTL 1m"',
    );
    expect(dot).toContain('"r:a\\"b" [label="a\\"b\\nDNS record · TTL 1m"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the hostile names hold a literal ${
    expect(dot).toContain('"r:tab\tback\\\\slash ${y} end\\\\"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the hostile names hold a literal ${
    expect(dot).toContain('digraph "<script>alert(1)</script> a\\"b \\\\ ${x} %% #35; `md`" {');
  });

  it("writes Mermaid's entity codes for anything it would read as syntax or HTML", () => {
    const mermaid = texts.mermaid as string;
    expect(mermaid).not.toContain("<script");
    expect(mermaid).not.toMatch(/<(?!br>)/);
    expect(mermaid).toContain('r_a_b{{"a#quot;b<br>DNS record · TTL 1m"}}');
    expect(mermaid).toContain(
      '-.->|"a#quot;b #lt;i#gt;#124;x#124;#lt;/i#gt; #37;#37; end; --#gt;"| c_style',
    );
    // Ids are words; keywords (`end`, `graph`, `style`) and arrow-like ids get a kind prefix.
    expect(mermaid).toContain("subgraph d_end [");
    expect(mermaid).toContain("c_o_x ==> c_graph");
    for (const line of mermaid.split("\n")) expect(line.split('"').length % 2, line).toBe(1);
  });

  it("escapes quotes, backslashes and ${ in D2 strings", () => {
    const d2 = texts.d2 as string;
    expect(d2).toContain('"r:a\\"b": "a\\"b\\nDNS record · TTL 1m" {class: record;');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the hostile names hold a literal ${
    expect(d2).toContain('"r:tab\tback\\\\slash \\${y} end\\\\"');
    // Outside the title comment, every `${` is escaped.
    expect(d2.replace(/^#.*\n/, "")).not.toMatch(/[^\\]\$\{/);
    d2Structure(d2);
  });
});

describe("output", () => {
  it.each(DIAGRAM_FORMATS)("is the same bytes whatever the order of the model (%s)", (format) => {
    const reversed: Model = {
      ...example,
      domains: [...example.domains].reverse(),
      components: [...example.components].reverse(),
      records: [...example.records].reverse(),
      queues: [...example.queues].reverse(),
      workloads: [...example.workloads].reverse(),
    };
    const first = renderDiagram(example, { format, highlight: RECORD });
    expect(renderDiagram(example, { format, highlight: RECORD })).toBe(first);
    expect(renderDiagram(reversed, { format, highlight: RECORD })).toBe(first);
  });

  it("leaves the legend out on request", () => {
    expect(renderDiagram(example, { format: "dot", legend: false })).not.toContain("legend");
    expect(renderDiagram(example, { format: "mermaid", legend: false })).not.toContain("legend");
    expect(renderDiagram(example, { format: "d2", legend: false })).not.toContain("legend");
  });

  it("draws a model of 2,000 components whole, with its highlight", () => {
    // How long it takes belongs to a benchmark, not to a test; here, that nothing is dropped.
    const model = generateModel({ components: 2000, dependencies: 8000, seed: 5 });
    const unit = model.domains.find((d) => d.kind === "zone")?.id as string;
    for (const format of DIAGRAM_FORMATS) {
      const text = renderDiagram(model, { format, highlight: unit });
      for (const c of model.components.slice(0, 50)) expect(text, format).toContain(c.id);
    }
  });
});
