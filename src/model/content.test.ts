/**
 * Content, fleets, replicas and shards in the model language: normalized values with their
 * defaults, and bad input located with a suggestion.
 */
import { describe, expect, it } from "vitest";
import { DOMAINS, modelOf, parseTexts } from "../../test/helpers/memory.js";
import { formatDiagnostic } from "./diagnostics.js";

const errors = (body: string) => {
  const r = parseTexts({ "m.yaml": `name: x\n${DOMAINS}\n${body}` });
  expect(r.ok).toBe(false);
  return r.diagnostics.map(formatDiagnostic);
};

const BASE = `components:
  config:
    kind: other
    placement: { region: r1 }
    serves:
      rules: { kind: configuration, size: 2MB, entries: 200, rollout: { staged: true, stages: 3, bake: 30m } }
  proxy-a:
    kind: web
    placement: { zones: [r1-a, r1-b] }
    reads:
      rules: { refresh: 30s, ttl: 10m, lastKnownGood: keep, validate: { maxSize: 4MiB, maxEntries: 256 } }
  proxy-b:
    kind: web
    placement: { zones: [r2-a, r2-b] }
    reads: [rules]
    replication: { replica: proxy-a, lag: 2s, failover: automatic }
  sharded:
    kind: database
    placement: { regions: [r1, r2] }
    shards: { by: region }
fleets:
  proxies: { members: [proxy-a, proxy-b], shares: [software-version, host-limit] }
`;

describe("content, fleets, replicas and shards", () => {
  it("are normalized with their units and defaults", () => {
    const m = modelOf(`name: x\n${DOMAINS}\n${BASE}`);
    expect(m.contents).toEqual([
      {
        id: "rules",
        kind: "configuration",
        server: "config",
        size: 2_000_000,
        entries: 200,
        rollout: { staged: true, stages: 3, bake: 1800 },
        loc: expect.objectContaining({ line: 16, column: 7 }),
      },
    ]);
    expect(m.reads?.map(({ loc: _loc, ...r }) => r)).toEqual([
      {
        reader: "proxy-a",
        content: "rules",
        refresh: 30,
        ttl: 600,
        lastKnownGood: "keep",
        validate: { maxSize: 4 * 2 ** 20, maxEntries: 256 },
      },
      // The defaults: refresh every minute, no ttl, fail closed.
      { reader: "proxy-b", content: "rules", refresh: 60, lastKnownGood: "fail-closed" },
    ]);
    expect(m.fleets?.map((f) => [f.id, f.members, f.shares])).toEqual([
      ["proxies", ["proxy-a", "proxy-b"], ["host-limit", "software-version"]],
    ]);
    const byId = new Map(m.components.map((c) => [c.id, c]));
    expect(byId.get("proxy-b")?.replication).toEqual({
      replica: "proxy-a",
      lag: 2,
      failover: "automatic",
      failoverAfter: 0,
    });
    expect(byId.get("sharded")?.shards).toEqual({ by: "region" });
  });

  it("refuse failoverAfter on a manual failover: the action says when", () => {
    expect(
      errors(
        BASE.replace(
          "replication: { replica: proxy-a, lag: 2s, failover: automatic }",
          "replication: { replica: proxy-a, lag: 2s, failoverAfter: 1m }",
        ),
      )[0],
    ).toMatch(/failoverAfter is how long an automatic failover takes/);
  });

  it("locate a read of unknown content, with the closest name", () => {
    expect(errors(BASE.replace("reads: [rules]", "reads: [rulez]"))).toEqual([
      "m.yaml:25:13: error[unknown-reference] components.proxy-b.reads.0: unknown content 'rulez' — did you mean 'rules'?",
    ]);
  });

  it("refuse impossible values where they are written", () => {
    const bad = BASE.replace("ttl: 10m", "ttl: 10s")
      .replace("stages: 3, bake: 30m", "stages: 1")
      .replace("by: region", "by: zone")
      .replace("members: [proxy-a, proxy-b]", "members: [proxy-a, proxy-c]");
    expect(errors(bad)).toEqual([
      "m.yaml:16:95: error[impossible-value] components.config.serves.rules.rollout.stages: a staged rollout has two stages or more",
      "m.yaml:21:35: error[impossible-value] components.proxy-a.reads.rules.ttl: a copy that expires after 10s is gone before the next refresh (every 30s): make ttl at least the refresh interval",
      "m.yaml:30:19: error[impossible-value] components.sharded.shards.by: shards by zone, but the placement's domains are region (r1, r2) — did you mean 'region'?",
      "m.yaml:32:33: error[unknown-reference] fleets.proxies.members.1: unknown component 'proxy-c' — did you mean 'proxy-a'?",
    ]);
  });

  it("refuse a name that is already a component, and an unknown key with the allowed ones", () => {
    expect(
      errors(BASE.replace("rules: { kind: configuration", "proxy-a: { kind: configuration")),
    ).toContain(
      "m.yaml:16:7: error[duplicate-id] components.config.serves.proxy-a: 'proxy-a' names both content and a component; findings need distinct names",
    );
    const typo = errors(BASE.replace("lastKnownGood: keep", "lastKnownGod: keep"));
    expect(typo[0]).toContain("lastKnownGod");
    expect(typo[0]).toContain("lastKnownGood");
  });
});
