/**
 * The content faults and actions as the scenario loader checks them: each mistake reported
 * where it is written, with what would fix it.
 */
import { describe, expect, it } from "vitest";
import { DOMAINS, modelOf } from "../../test/helpers/memory.js";
import { parseScenario } from "./load.js";

const MODEL = modelOf(`name: m
${DOMAINS}
components:
  config:
    kind: automation
    placement: { region: r1 }
    serves:
      flags: { kind: feature-flags }
      unread: { kind: policy }
  web:
    kind: web
    placement: { zones: [r1-a] }
    reads:
      flags: { refresh: 1m, validate: { maxEntries: 100 } }
  other: { kind: api, placement: { zones: [r1-b] } }
fleets:
  all: { members: [web, other], shares: [software-version] }
workloads:
  users: { entry: web, rate: 10 rps }
`);

function problems(faults: string, actions = ""): string[] {
  const r = parseScenario(
    "s.yaml",
    `name: s\nduration: 1h\nfaults:\n${faults}${actions ? `actions:\n${actions}` : ""}`,
    MODEL,
  );
  return r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
}

describe("content faults, checked against the model", () => {
  it("accept what is right: each kind, a fleet for bad-change, rollback-config and invalidate-cache on content", () => {
    expect(
      problems(
        "  a: { kind: bad-config, target: flags, effect: error-rate, rate: 10%, hosts: 50%, after: 5m, trigger: b }\n" +
          "  b: { kind: config-oversize, target: flags, entries: 500, at: 10m }\n" +
          "  c: { kind: bad-change, target: all }\n",
        "  back: { do: rollback-config, target: flags, at: 20m }\n" +
          "  flush: { do: invalidate-cache, target: flags, at: 25m }\n",
      ),
    ).toEqual([]);
  });

  it("a component named as the target: name the content it serves", () => {
    expect(problems("  a: { kind: bad-config, target: config }\n")).toEqual([
      "4:34 'config' is a component; bad-config acts on the content it serves: flags, unread",
    ]);
  });

  it("content nobody reads, a misspelt name", () => {
    expect(problems("  a: { kind: bad-config, target: unread }\n")[0]).toMatch(
      /nothing reads unread/,
    );
    expect(problems("  a: { kind: bad-config, target: flag }\n")[0]).toMatch(
      /unknown content 'flag'/,
    );
  });

  it("config-oversize: says how large, and past some reader's limit", () => {
    expect(problems("  a: { kind: config-oversize, target: flags }\n")[0]).toMatch(
      /give size, entries or both/,
    );
    expect(problems("  a: { kind: config-oversize, target: flags, entries: 50 }\n")[0]).toMatch(
      /^4:55 no reader of flags validates or limits it below this/,
    );
  });

  it("rate with effect down, error-rate without rate, a trigger that is not a fault", () => {
    expect(problems("  a: { kind: bad-config, target: flags, rate: 5% }\n")[0]).toMatch(
      /'rate' goes with effect: error-rate/,
    );
    expect(problems("  a: { kind: bad-config, target: flags, effect: error-rate }\n")[0]).toMatch(
      /'rate' is required with effect: error-rate/,
    );
    expect(problems("  a: { kind: bad-config, target: flags, trigger: a }\n")[0]).toMatch(
      /cannot be its own trigger/,
    );
    expect(problems("  a: { kind: bad-config, target: flags, trigger: nope }\n")[0]).toMatch(
      /unknown fault 'nope'/,
    );
  });

  it("rollback-config aims at content, bad-change at a component or fleet", () => {
    expect(
      problems(
        "  a: { kind: down, target: web }\n",
        "  back: { do: rollback-config, target: web, at: 1m }\n",
      )[0],
    ).toMatch(/unknown content 'web'/);
    expect(problems("  a: { kind: bad-change, target: fleet }\n")[0]).toMatch(
      /unknown component or fleet 'fleet'/,
    );
  });

  it("dataAtRisk needs a primary with a replica", () => {
    const r = parseScenario(
      "s.yaml",
      "name: s\nduration: 1h\nexpect:\n  - dataAtRisk: { component: web, atMost: 10 }\n",
      MODEL,
    );
    expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([
      "web has no replica (replication: in the model) and no data-loss fault in this scenario, so it puts nothing at risk",
    ]);
  });
});
