import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelOf } from "../../test/helpers/memory.js";
import { analyze } from "../analysis/analyze.js";
import { loadModel } from "../model/load.js";
import { loadScenario } from "../scenario/load.js";
import { simulate } from "../sim/engine.js";
import { explain } from "./explain.js";
import { reportData, scriptJson, viewGraph } from "./report-data.js";
import { DATA_MARKER, escapeHtml, fillTemplate } from "./report-html.js";

const ROOT = new URL("../..", import.meta.url).pathname;

const SMALL = `
name: small
domains:
  cloud:
    contains:
      r1:
        contains: [r1-a, r1-b]
      r2:
        contains: [r2-a]
components:
  dns:
    kind: dns
    placement: global
    records:
      db.example: {targets: [db], ttl: 60s}
  idp: {kind: identity, placement: {region: r1}}
  api:
    kind: api
    placement: {zones: [r1-a, r1-b]}
    needs:
      db: {via: db.example, auth: idp}
    wants:
      cache: {degraded: no-cache}
    publishes: [jobs]
  db: {kind: database, placement: {zones: [r1-a]}}
  cache: {kind: cache, placement: {zones: [r2-a]}}
  worker: {kind: worker, placement: {zones: [r1-b]}}
queues:
  jobs:
    consumers:
      worker: 10 rps
`;

describe("viewGraph", () => {
  const g = viewGraph(modelOf(SMALL));
  const node = (id: string) => g.nodes.find((n) => n.id === id);

  it("puts each node in the innermost domain holding all its placements", () => {
    expect(node("db")?.domain).toBe("r1-a");
    expect(node("api")?.domain).toBe("r1");
    expect(node("api")?.placement).toBe("2 zones of r1");
    expect(node("idp")?.domain).toBe("r1");
    expect(node("dns")?.placement).toBe("global");
    // A record sits with its server; a queue without a hosting service at the top.
    expect(node("db.example")).toMatchObject({ type: "record", domain: node("dns")?.domain });
    expect(node("jobs")).toMatchObject({ type: "queue", domain: null });
  });

  it("draws every kind of edge, implicit ones included", () => {
    const kinds = (from: string, to: string) =>
      g.edges.filter((e) => e.from === from && e.to === to).map((e) => e.kind);
    expect(kinds("api", "db")).toEqual(["hard"]);
    expect(kinds("api", "cache")).toEqual(["soft"]);
    expect(kinds("api", "db.example")).toEqual(["dns"]);
    expect(kinds("api", "idp")).toEqual(["identity"]);
    expect(kinds("db.example", "dns")).toEqual(["served-by"]);
    expect(kinds("api", "jobs")).toEqual(["async"]);
    expect(kinds("worker", "jobs")).toEqual(["async"]);
    // A lease manager publishing its re-established leases.
    const example = viewGraph(loadModel(join(ROOT, "examples/aws-us-east-1.yaml")));
    expect(
      example.edges
        .filter((e) => e.from === "ec2-dwfm" && e.to === "network-state-propagations")
        .map((e) => e.kind),
    ).toEqual(["async"]);
    expect(g.domains.map((d) => [d.id, d.parent])).toContainEqual(["r1-a", "r1"]);
  });
});

describe("reportData of the replay", () => {
  const model = loadModel(join(ROOT, "examples/aws-us-east-1.yaml"));
  const scenario = loadScenario(join(ROOT, "examples/scenarios/aws-us-east-1-2025.yaml"), model);
  const journal = simulate(model, scenario);
  const data = reportData(model, analyze(model), [{ label: "replay", journal }]);
  const run = data.runs[0];

  it("keeps each node's changes in time order, as the timeline has them", () => {
    const iam = run?.changes.iam ?? [];
    const fromTimeline = journal.timeline
      .filter((e) => e.subject === "iam" && e.kind === "component")
      .map((e) => ({ t: e.t, to: e.to }));
    expect(iam).toEqual(fromTimeline);
    expect(run?.changes["dynamodb.us-east-1.amazonaws.com"]?.[0]).toEqual({ t: 0, to: "empty" });
  });

  it("holds explain's chain for every change of a component away from up", () => {
    for (const [id, chains] of Object.entries(run?.explanations ?? {})) {
      const bad = journal.timeline.filter(
        (e) => e.kind === "component" && e.subject === id && e.to !== "up",
      );
      expect(chains.map((c) => c.t)).toEqual([...new Set(bad.map((e) => e.t))]);
      for (const c of chains) expect(c.steps).toEqual(explain(journal, id, c.t).steps);
    }
    const iamDown = run?.explanations.iam?.find((c) => c.state === "down");
    expect(iamDown?.steps.map((s) => s.subject)).toContain("dynamodb.us-east-1.amazonaws.com");
  });
});

describe("embedding data in the page", () => {
  it("escapes < so no string can close the script element", () => {
    const json = scriptJson({ name: "</script><script>alert(1)</script>", s: "\u2028" });
    expect(json).not.toContain("<");
    expect(json).not.toContain("\u2028");
    expect(JSON.parse(json)).toEqual({ name: "</script><script>alert(1)</script>", s: "\u2028" });
  });

  it("fills the data element and the title, escaped", () => {
    const template = `<title>Faultline</title><script type="application/json">${DATA_MARKER}</script>`;
    const page = fillTemplate({ a: "<b>" }, "x <y>", template);
    expect(page).toBe(
      '<title>x &lt;y&gt;</title><script type="application/json">{"a":"\\u003cb>"}</script>',
    );
    expect(escapeHtml(`a&"<>`)).toBe("a&amp;&quot;&lt;&gt;");
  });

  it("keeps $&, $' and $` in a title as they are written", () => {
    const template = `<head><title>Faultline</title></head><script>${DATA_MARKER}</script>`;
    const page = fillTemplate({}, "a $& b $' c $` d $$", template);
    expect(page).toBe("<head><title>a $&amp; b $' c $` d $$</title></head><script>{}</script>");
  });

  it("refuses a template without its data element", () => {
    expect(() => fillTemplate({}, "t", "<html></html>")).toThrow(/no data element/);
  });
});
