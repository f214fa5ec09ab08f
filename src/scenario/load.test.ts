import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { type Diagnostic, formatDiagnostic, ModelError } from "../model/diagnostics.js";
import { FULL_SCENARIO, MODEL } from "./fixtures.js";
import { loadScenario, parseScenario } from "./load.js";
import type { Scenario } from "./types.js";

const FILE = "s.yaml";
const at = (line: number, column: number) => expect.objectContaining({ file: FILE, line, column });

const scenarioOf = (text: string): Scenario => {
  const r = parseScenario(FILE, text, MODEL);
  if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join("\n"));
  return r.scenario;
};

const errorsOf = (text: string): Diagnostic[] => {
  const r = parseScenario(FILE, text, MODEL);
  expect(r.ok).toBe(false);
  return [...r.diagnostics];
};

/** Formatted diagnostics of a scenario whose header (name, duration) is given. */
const problems = (body: string) =>
  errorsOf(`name: x\nduration: 1d\n${body}`).map((d) => formatDiagnostic(d));

describe("a valid scenario", () => {
  it("is normalized: times in seconds, fractions, defaults filled, file order kept", () => {
    expect(scenarioOf(FULL_SCENARIO)).toEqual({
      name: "aws-us-east-1-2025",
      description: "The October 2025 replay.",
      file: FILE,
      duration: 86400,
      startsAt: "2025-10-19T23:48:00-07:00",
      faults: [
        {
          id: "endpoint-emptied",
          kind: "dns-empty",
          target: "dynamodb.us-east-1.amazonaws.com",
          at: 0,
          end: { action: "fix-endpoint" },
          loc: at(8, 3),
        },
        {
          id: "poller-stuck",
          kind: "down",
          target: "lambda-sqs-poller",
          at: 0,
          end: { action: "restore-poller" },
          loc: at(13, 3),
        },
        {
          id: "slow-db",
          kind: "latency",
          target: "db",
          latency: 0.8,
          at: 600,
          end: { at: 2400 },
          loc: at(14, 3),
        },
        {
          id: "errors",
          kind: "error-rate",
          target: "api",
          rate: 0.3,
          at: 0,
          end: { never: true },
          loc: at(15, 3),
        },
        {
          id: "half-gone",
          kind: "capacity-loss",
          target: "api",
          fraction: 0.5,
          at: 0,
          end: { never: true },
          loc: at(16, 3),
        },
        {
          id: "split",
          kind: "partition",
          between: ["us-east-1", "us-west-2"],
          at: 0,
          end: { never: true },
          loc: at(17, 3),
        },
        {
          id: "rush",
          kind: "surge",
          target: "checkout",
          factor: 3,
          at: 0,
          end: { never: true },
          loc: at(18, 3),
        },
        {
          id: "cert",
          kind: "credential-expiry",
          target: "api",
          credential: "client",
          at: 0,
          end: { never: true },
          loc: at(19, 3),
        },
        {
          id: "bad-deploy",
          kind: "bad-change",
          target: "api",
          effect: "down",
          rate: 1,
          rollout: {
            waves: [0.01, 0.1, 0.5, 1],
            bake: 1800,
            rollbackOn: "api-errors",
            rollbackAfter: 300,
          },
          at: 0,
          end: { never: true },
          loc: at(20, 3),
        },
      ],
      actions: [
        {
          id: "fix-endpoint",
          do: "fix-dns",
          target: "dynamodb.us-east-1.amazonaws.com",
          trigger: { on: "time", at: 9420 },
          delay: 0,
          loc: at(26, 3),
        },
        {
          id: "throttle-dwfm",
          do: "throttle",
          target: "ec2-dwfm",
          trigger: { on: "time", at: 15960 },
          delay: 0,
          rate: 200,
          loc: at(27, 3),
        },
        {
          id: "shed",
          do: "shed-load",
          target: "api",
          trigger: { on: "alarm", alarm: "api-errors" },
          delay: 300,
          fraction: 0.5,
          loc: at(28, 3),
        },
      ],
      disabledModelActions: ["repair-endpoint-dns"],
      changes: [],
      expectations: [
        {
          kind: "availability",
          workload: "customer-requests",
          from: 0,
          to: 86400,
          atLeast: 0.8,
          loc: at(31, 5),
        },
        { kind: "impacted", component: "ec2-instances", impacted: false, loc: at(32, 5) },
        { kind: "time-to-impact", component: "iam", from: 0, atMost: 180, loc: at(33, 5) },
        {
          kind: "time-to-recover",
          component: "ec2-launch-api",
          from: { fault: "endpoint-emptied" },
          atLeast: 10800,
          loc: at(34, 5),
        },
        { kind: "drained-by", queue: "customer-events", by: 43200, loc: at(35, 5) },
        { kind: "messages-lost", queue: "customer-events", atMost: 0, loc: at(36, 5) },
      ],
      facts: [],
      timeline: [],
      loc: at(2, 1),
    });
  });

  it("reads public facts with their expectations, and a public timeline on the run's clock", () => {
    const s = scenarioOf(`name: replay
duration: 1d
startsAt: "2025-10-19T23:48:00-07:00"
faults:
  emptied: { kind: dns-empty, target: dynamodb.us-east-1.amazonaws.com, until: 2h37m }
expect:
  - impacted: { component: ec2-instances, is: false }
timeline:
  - { at: "2025-10-20T02:25:00-07:00", event: "record repaired by hand", source: summary }
  - { at: 3h, event: "a later event" }
facts:
  fan-out:
    claim: "identity fails within minutes"
    public: "11:51 PM, 3 min after the trigger"
    source: "summary"
    expect:
      - timeToImpact: { component: iam, atLeast: 0s, atMost: 3m }
      - impacted: { component: api }
  scale:
    claim: "millions of hosts"
    public: "8.5 million"
    notSimulated: "the model has no host count"
`);
    expect(s.expectations).toEqual([
      { kind: "impacted", component: "ec2-instances", impacted: false, loc: at(7, 5) },
      {
        kind: "time-to-impact",
        component: "iam",
        from: 0,
        atLeast: 0,
        atMost: 180,
        fact: "fan-out",
        loc: at(17, 9),
      },
      { kind: "impacted", component: "api", impacted: true, fact: "fan-out", loc: at(18, 9) },
    ]);
    expect(s.facts).toEqual([
      {
        id: "fan-out",
        claim: "identity fails within minutes",
        public: "11:51 PM, 3 min after the trigger",
        source: "summary",
        loc: at(12, 3),
      },
      {
        id: "scale",
        claim: "millions of hosts",
        public: "8.5 million",
        notSimulated: "the model has no host count",
        loc: at(19, 3),
      },
    ]);
    // 02:25 is 2 h 37 min after 23:48 the day before.
    expect(s.timeline).toEqual([
      { at: 9420, event: "record repaired by hand", source: "summary", loc: at(9, 5) },
      { at: 10800, event: "a later event", loc: at(10, 5) },
    ]);
  });

  it("wants each fact checked by expectations or said to be out of reach, not both", () => {
    const errors = problems(`facts:
  a: { claim: x, public: y }
  b: { claim: x, public: y, notSimulated: z, expect: [{ impacted: { component: api } }] }
  c: { claim: x, public: y, expect: [{ impacted: { component: apu } }] }
timeline:
  - { at: "2025-10-20T02:25:00-07:00", event: e }
`);
    expect(errors).toEqual([
      "s.yaml:4:3: error[missing-key] facts.a: fact 'a' needs expect (the expectations that check it) or notSimulated (why none can)",
      "s.yaml:5:3: error[impossible-value] facts.b: fact 'b' has both expect and notSimulated: keep expect if it can be checked, notSimulated if not",
      "s.yaml:6:63: error[unknown-reference] facts.c.expect.0.impacted.component: unknown component 'apu' — did you mean 'api'?",
      "s.yaml:8:11: error[impossible-value] timeline.0.at: 2025-10-20T02:25:00-07:00 is a wall-clock time, and this scenario has no startsAt to count it from — give startsAt, or write a duration from the start",
    ]);
  });

  it("fills every default", () => {
    const s = scenarioOf(`name: quiet
duration: 2h
faults:
  a: { kind: down, target: us-east-1 }
  b: { kind: bad-change, target: api }
  c: { kind: bad-change, target: api, effect: error-rate, rate: 5%, until: never }
actions:
  r: { do: restart, target: api, at: 1h }
expect:
  - availability: { workload: checkout, atMost: 99% }
  - impacted: { component: api }
  - timeToRecover: { component: api, atMost: 30m }
  - messagesLost: { queue: customer-events, atMost: 10k }
`);
    expect(s.disabledModelActions).toEqual([]);
    expect(s).not.toHaveProperty("description");
    expect(s).not.toHaveProperty("startsAt");
    expect(s.faults[0]).toMatchObject({ at: 0, end: { never: true } });
    expect(s.faults[1]).toMatchObject({
      effect: "down",
      rate: 1,
      rollout: { waves: [1], bake: 0, rollbackAfter: 0 },
    });
    expect(s.faults[1]).not.toHaveProperty("rollout.rollbackOn");
    expect(s.faults[2]).toMatchObject({ effect: "error-rate", rate: 0.05, end: { never: true } });
    expect(s.actions[0]).toMatchObject({ delay: 0, trigger: { on: "time", at: 3600 } });
    expect(s.actions[0]).not.toHaveProperty("rate");
    expect(s.expectations).toEqual([
      expect.objectContaining({ kind: "availability", from: 0, to: 7200, atMost: 0.99 }),
      expect.objectContaining({ kind: "impacted", impacted: true }),
      expect.objectContaining({ kind: "time-to-recover", from: 0, atMost: 1800 }),
      expect.objectContaining({ kind: "messages-lost", atMost: 10000 }),
    ]);
    expect(s.expectations[0]).not.toHaveProperty("atLeast");
  });

  it("keeps the file's order of faults and actions, integer-like ids included", () => {
    const s = scenarioOf(`name: x
duration: 1d
faults:
  "2": { kind: down, target: api }
  b: { kind: down, target: db }
  "1": { kind: down, target: iam }
actions:
  z: { do: restart, target: api, at: 1h }
  "10": { do: restart, target: db, at: 2h }
`);
    expect(s.faults.map((f) => f.id)).toEqual(["2", "b", "1"]);
    expect(s.actions.map((a) => a.id)).toEqual(["z", "10"]);
  });

  it("lets a scenario action replace a disabled model action under the same id", () => {
    const s = scenarioOf(`name: x
duration: 1d
disableModelActions: [restore-poller]
actions:
  restore-poller: { do: restart, target: lambda-sqs-poller, at: 5h }
faults:
  stuck: { kind: down, target: lambda-sqs-poller, until: { action: restore-poller } }
`);
    expect(s.actions[0]?.trigger).toEqual({ on: "time", at: 18000 });
    expect(s.faults[0]?.end).toEqual({ action: "restore-poller" });
  });

  it("accepts a bare number for a fraction and a percentage for a fault's share", () => {
    const s = scenarioOf(
      "name: x\nduration: 1d\nfaults:\n  e: { kind: error-rate, target: api, rate: 0.25 }\n",
    );
    expect(s.faults[0]).toMatchObject({ rate: 0.25 });
  });
});

describe("docs/scenarios.md", () => {
  const doc = readFileSync(new URL("../../docs/scenarios.md", import.meta.url), "utf8");
  const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";

  it("has an example that loads, and the diagnostics it quotes for a broken copy", () => {
    expect(parseScenario("outage.yaml", example, MODEL)).toMatchObject({ ok: true });
    const broken = example
      .replace("target: lambda-sqs-poller", "target: lambda-sqs-poler")
      .replace("until: 40m", "until: 5m");
    const ds = parseScenario("outage.yaml", broken, MODEL).diagnostics;
    expect(ds).toHaveLength(2);
    for (const d of ds) {
      expect(doc).toContain(formatDiagnostic(d));
    }
  });
});

describe("results do not depend on the order of keys", () => {
  /** The scenario without locations, faults and actions by id: what key order must not change. */
  const canonical = (s: Scenario) => {
    const strip = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(strip)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .filter(([k]) => k !== "loc")
                .map(([k, x]) => [k, strip(x)]),
            )
          : v;
    const byId = <T extends { id: string }>(xs: readonly T[]) =>
      [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
    return strip({ ...s, faults: byId(s.faults), actions: byId(s.actions) });
  };

  /** Rewrites the text with every mapping's entries shuffled; lists keep their order. */
  const shuffled = (text: string, seed: number) => {
    let state = seed >>> 0;
    const next = () => {
      state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return state / 2 ** 32;
    };
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === "object") {
        const entries = Object.entries(v);
        for (let i = entries.length - 1; i > 0; i--) {
          const j = Math.floor(next() * (i + 1));
          [entries[i], entries[j]] = [
            entries[j] as [string, unknown],
            entries[i] as [string, unknown],
          ];
        }
        return Object.fromEntries(entries.map(([k, x]) => [k, walk(x)]));
      }
      return v;
    };
    return stringify(walk(parseDocument(text).toJS()));
  };

  it("gives the same scenario for any order of mapping entries", () => {
    const expected = canonical(scenarioOf(FULL_SCENARIO));
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const text = shuffled(FULL_SCENARIO, seed);
      expect(canonical(scenarioOf(text)), text).toEqual(expected);
    }
  });

  it("gives the same diagnostics, in the same order, for the same text", () => {
    const text = `name: x\nduration: 1d\nfaults:\n  a: { kind: down, target: nope }\n  b: { kind: down, target: nada }\n`;
    expect(errorsOf(text)).toEqual(errorsOf(text));
  });
});

describe("bad input is reported at file:line:column with what was expected", () => {
  it("locates YAML syntax errors, duplicate keys and a file that is not a mapping", () => {
    const syntax = errorsOf("name: x\nduration: 1d\nfaults: { a: { kind: down\n");
    expect(syntax[0]).toEqual(expect.objectContaining({ code: "yaml-syntax", file: FILE }));
    expect(syntax[0]?.line).toBeGreaterThanOrEqual(3);
    expect(errorsOf("name: x\nduration: 1d\nname: y\n")).toEqual([
      expect.objectContaining({ code: "duplicate-key", line: 3, column: 1 }),
    ]);
    expect(
      errorsOf(
        "name: x\nduration: 1d\nfaults:\n  a: { kind: down, target: api }\n  a: { kind: down, target: db }\n",
      ),
    ).toEqual([expect.objectContaining({ code: "duplicate-key", line: 5, column: 3 })]);
    for (const text of ["", "- 1\n", "just text\n"]) {
      expect(errorsOf(text).map(formatDiagnostic)).toEqual([
        "s.yaml:1:1: error[invalid-type] a scenario file is a mapping with keys such as name, duration, faults and expect",
      ]);
    }
  });

  it("suggests the closest key for an unknown one, at every level", () => {
    expect(errorsOf("name: x\nduraton: 1d\n").map(formatDiagnostic)).toEqual([
      "s.yaml:2:1: error[unknown-key] duraton: unknown key 'duraton' — did you mean 'duration'?",
    ]);
    expect(
      problems(
        "faults:\n  a: { kind: latency, target: db, latncy: 5ms }\n  b: { kind: down, target: db, until: { acton: x } }\nexpect:\n  - timeToImpct: { component: api, atMost: 1m }\nactions:\n  c: { do: restart, target: db, at: 1h, delay: 5m }\n",
      ),
    ).toEqual([
      "s.yaml:4:35: error[unknown-key] faults.a.latncy: unknown key 'latncy' — did you mean 'latency'?",
      "s.yaml:5:41: error[unknown-key] faults.b.until.acton: unknown key 'acton' — did you mean 'action'?",
      "s.yaml:7:5: error[unknown-key] expect.0.timeToImpct: unknown key 'timeToImpct' — did you mean 'timeToImpact'?",
      "s.yaml:9:41: error[unknown-key] actions.c.delay: unknown key 'delay' (expected one of: do, target, at, when, after, rate, fraction, capacity, factor, to, over, maxWait, if)",
    ]);
  });

  it("rejects an unknown fault kind with the closest one, and a missing kind with the list", () => {
    const [bad] = errorsOf("name: x\nduration: 1d\nfaults:\n  a: { kind: dwon, target: api }\n");
    expect(bad).toEqual(
      expect.objectContaining({
        code: "invalid-value",
        line: 4,
        column: 14,
        path: "faults.a.kind",
        suggestion: "down",
      }),
    );
    expect(bad?.expected).toMatch(
      /^one of: down, data-loss, dns-empty, .*, bad-change, bad-config, config-oversize, key-removed$/,
    );
    const [missing] = errorsOf("name: x\nduration: 1d\nfaults:\n  a: { target: api }\n");
    expect(missing).toEqual(
      expect.objectContaining({ code: "missing-key", path: "faults.a.kind", line: 4, column: 6 }),
    );
  });

  it("names missing required keys and wrong types", () => {
    expect(errorsOf("description: no name\n").map(formatDiagnostic)).toEqual([
      "s.yaml:1:1: error[missing-key] duration: 'duration' is required (expected a duration such as 250ms, 30s, 5m, 1h30m or 4d)",
      "s.yaml:1:1: error[missing-key] name: 'name' is required (expected text)",
    ]);
    expect(
      problems(
        "description: [a list]\nfaults:\n  a: { kind: latency, target: db }\n  b: { kind: down, target: db, until: [1h] }\nexpect: { impacted: { component: api } }\n",
      ),
    ).toEqual([
      "s.yaml:3:14: error[invalid-type] description: expected text, found a list",
      "s.yaml:5:6: error[missing-key] faults.a.latency: 'latency' is required (expected a duration such as 250ms, 30s, 5m, 1h30m or 4d)",
      "s.yaml:6:39: error[invalid-type] faults.b.until: this value has none of the accepted shapes (expected a mapping or text)",
      "s.yaml:7:9: error[invalid-type] expect: expected a list, found a mapping",
    ]);
    expect(problems("description: 1.5\nfaults:\n  a:\nexpect:\n  - null\n")).toEqual([
      "s.yaml:3:14: error[invalid-type] description: expected text, found number 1.5",
      "s.yaml:5:5: error[invalid-type] faults.a: expected a mapping, found nothing (null)",
      "s.yaml:7:5: error[invalid-type] expect.0: expected a mapping, found nothing (null)",
    ]);
  });

  it("explains bad units and out-of-range values", () => {
    expect(
      problems(
        "description: ok\nstartsAt: 2025-13-01T00:00:00Z\nfaults:\n  a: { kind: latency, target: db, latency: 5, at: -1m, until: 2hrs }\n  b: { kind: surge, target: checkout, factor: 0 }\n  c: { kind: error-rate, target: api, rate: 1.5 }\n  d: { kind: bad-change, target: api, rollout: { waves: [10%, 120%] } }\nactions:\n  e: { do: throttle, target: api, at: 1h, rate: 200 }\n",
      ),
    ).toEqual([
      "s.yaml:4:11: error[invalid-value] startsAt: expected a date and time with an offset, such as 2025-10-19T23:48:00-07:00",
      "s.yaml:6:44: error[invalid-value] faults.a.latency: a duration needs a unit: write 5s, 5m or 5ms",
      "s.yaml:6:51: error[invalid-value] faults.a.at: a duration cannot be negative",
      "s.yaml:6:63: error[invalid-value] faults.a.until: write 2h: durations take short units (ms, s, m, h, d)",
      "s.yaml:7:47: error[invalid-value] faults.b.factor: must be above 0",
      "s.yaml:8:45: error[invalid-value] faults.c.rate: expected a fraction between 0 and 1, or a percentage",
      "s.yaml:9:63: error[invalid-value] faults.d.rollout.waves.1: a percentage cannot exceed 100%",
      "s.yaml:11:49: error[invalid-value] actions.e.rate: a rate needs a unit: write 200 rps",
    ]);
    expect(errorsOf("name: x\nduration: 400d\n").map(formatDiagnostic)).toEqual([
      "s.yaml:2:11: error[invalid-value] duration: a duration longer than a year is not plausible",
    ]);
    expect(errorsOf("name: x\nduration: 0s\n").map(formatDiagnostic)).toEqual([
      "s.yaml:2:11: error[impossible-value] duration: a scenario needs a duration above 0s",
    ]);
    // February 30th is no day, whatever the pattern says.
    expect(errorsOf("name: x\nduration: 1d\nstartsAt: 2025-02-30T00:00:00+01:00\n")).toEqual([
      expect.objectContaining({ code: "invalid-value", path: "startsAt", line: 3, column: 11 }),
    ]);
    expect(scenarioOf("name: x\nduration: 1d\nstartsAt: 2025-10-20T06:48:00Z\n").startsAt).toBe(
      "2025-10-20T06:48:00Z",
    );
  });

  it("rejects impossible times and values in faults", () => {
    expect(
      problems(`faults:
  a: { kind: down, target: api, at: 2h, until: 1h }
  b: { kind: down, target: api, at: 1h, until: 1h }
  c: { kind: down, target: api, at: 1d }
  d: { kind: latency, target: db, latency: 0s }
  e: { kind: error-rate, target: api, rate: 0% }
  f: { kind: capacity-loss, target: api, fraction: 0 }
  g: { kind: bad-change, target: api, effect: error-rate }
  h: { kind: bad-change, target: api, rate: 5% }
  i: { kind: bad-change, target: api, rollout: { waves: [50%, 10%, 10%], rollbackAfter: 5m } }
  j: { kind: bad-change, target: api, rollout: { waves: [0%], bake: 5m } }
`),
    ).toEqual([
      "s.yaml:4:48: error[impossible-value] faults.a.until: this fault would end at 1h, not after it starts at 2h (expected a time after 2h)",
      "s.yaml:5:48: error[impossible-value] faults.b.until: this fault would end at 1h, not after it starts at 1h (expected a time after 1h)",
      "s.yaml:6:37: error[impossible-value] faults.c.at: this fault never starts: the scenario ends at 1d",
      "s.yaml:7:44: error[impossible-value] faults.d.latency: the added latency must be above 0",
      "s.yaml:8:45: error[impossible-value] faults.e.rate: the error rate must be above 0",
      "s.yaml:9:52: error[impossible-value] faults.f.fraction: the capacity lost must be above 0",
      "s.yaml:10:39: error[missing-key] faults.g.effect: 'rate' is required with effect: error-rate (expected a percentage such as 30%)",
      "s.yaml:11:39: error[impossible-value] faults.h.rate: 'rate' goes with effect: error-rate; a change with effect down fails every request where it lands",
      "s.yaml:12:63: error[impossible-value] faults.i.rollout.waves.1: waves are cumulative and must grow: 10% does not exceed 50%",
      "s.yaml:12:68: error[impossible-value] faults.i.rollout.waves.2: waves are cumulative and must grow: 10% does not exceed 10%",
      "s.yaml:12:74: error[impossible-value] faults.i.rollout.rollbackAfter: rollbackAfter counts from the rollbackOn alarm, and there is none",
      "s.yaml:13:58: error[impossible-value] faults.j.rollout.waves.0: the first wave must reach above 0%",
      "s.yaml:13:63: error[impossible-value] faults.j.rollout.bake: bake is the time between waves, and this rollout has one wave; list the waves or drop bake",
    ]);
  });

  it("checks fault targets against the model, by sort, with the closest name", () => {
    expect(
      problems(`faults:
  a: { kind: down, target: us-est-1 }
  b: { kind: dns-nxdomain, target: dynamodb.us-east-1.amazonaws.co }
  c: { kind: dns-wrong, target: api }
  d: { kind: latency, target: dbb, latency: 1s }
  e: { kind: latency, target: us-east-1, latency: 1s }
  f: { kind: surge, target: chekout, factor: 2 }
  g: { kind: surge, target: api, factor: 2 }
  h: { kind: credential-expiry, target: iamm }
  i: { kind: bad-change, target: api, rollout: { rollbackOn: api-eror } }
  j: { kind: partition, between: [us-east-1, use1-az1] }
  k: { kind: partition, between: [us-east-1] }
  l: { kind: partition, between: [us-west-2, us-west-2] }
  m: { kind: partition, between: [us-west-2, us-est-1] }
`),
    ).toEqual([
      "s.yaml:4:28: error[unknown-reference] faults.a.target: unknown component or failure domain 'us-est-1' — did you mean 'us-east-1'?",
      "s.yaml:5:36: error[unknown-reference] faults.b.target: unknown DNS record 'dynamodb.us-east-1.amazonaws.co' — did you mean 'dynamodb.us-east-1.amazonaws.com'?",
      "s.yaml:6:33: error[unknown-reference] faults.c.target: 'api' is a component; dns-wrong acts on a DNS record, and no record points at api (kind: down takes the component itself)",
      "s.yaml:7:31: error[unknown-reference] faults.d.target: unknown component 'dbb' — did you mean 'db'?",
      "s.yaml:8:31: error[unknown-reference] faults.e.target: unknown component 'us-east-1'",
      "s.yaml:9:29: error[unknown-reference] faults.f.target: unknown workload 'chekout' — did you mean 'checkout'?",
      "s.yaml:10:29: error[unknown-reference] faults.g.target: unknown workload 'api'",
      "s.yaml:11:41: error[unknown-reference] faults.h.target: unknown component 'iamm' — did you mean 'iam'?",
      "s.yaml:12:62: error[unknown-reference] faults.i.rollout.rollbackOn: unknown alarm 'api-eror' — did you mean 'api-errors'?",
      "s.yaml:13:46: error[impossible-value] faults.j.between.1: 'use1-az1' lies inside 'us-east-1'; a partition separates two disjoint domains",
      "s.yaml:14:25: error[impossible-value] faults.k.between: a partition is between exactly two failure domains, not 1",
      "s.yaml:15:46: error[impossible-value] faults.l.between.1: a domain cannot be partitioned from itself",
      "s.yaml:16:46: error[unknown-reference] faults.m.between.1: unknown failure domain 'us-est-1' — did you mean 'us-east-1'?",
    ]);
  });

  it("checks actions: one trigger, targets per kind, rate and fraction where they belong, ids", () => {
    expect(
      problems(`actions:
  a: { do: throttle, target: api }
  b: { do: fix-dns, target: api, at: 2h, when: { alarm: api-errors } }
  c: { do: restart, target: api, at: 1h, fraction: 5% }
  repair-endpoint-dns: { do: restart, target: api, at: 25h }
  e: { do: purge-queue, target: customer-event, at: 23h, after: 2h }
  f: { do: shed-load, target: api, when: { alarm: api-eror }, fraction: 0% }
  g: { do: disable-automation, target: dynamodb.us-east-1.amazonaws.com, at: 1h }
disableModelActions: [restore-poller, restore-poller, repair-endpoint]
faults:
  h: { kind: down, target: api, until: { action: restore-poller } }
  i: { kind: down, target: api, until: { action: fix-endpont } }
  j: { kind: down, target: api, until: { action: repair-endpoint-dsn } }
`),
    ).toEqual([
      "s.yaml:4:3: error[missing-key] actions.a: a throttle names the rate it admits (rate: 600 rps), the longest wait it admits work into (maxWait: 5m), or both",
      "s.yaml:4:3: error[missing-key] actions.a: an action needs a trigger: at (a time) or when (an alarm) (expected at: 2h or when: { alarm: id })",
      "s.yaml:5:29: error[unknown-reference] actions.b.target: 'api' is a component; fix-dns acts on a DNS record, and no record points at api",
      "s.yaml:5:42: error[impossible-value] actions.b.when: an action has one trigger: at (a time) or when (an alarm), not both",
      "s.yaml:6:42: error[impossible-value] actions.c.fraction: 'fraction' goes only with do: shed-load, not with restart",
      "s.yaml:7:3: error[duplicate-id] actions.repair-endpoint-dns: 'repair-endpoint-dns' is also an action of the model; give this one another id, or list 'repair-endpoint-dns' under disableModelActions to replace it",
      "s.yaml:7:56: error[impossible-value] actions.repair-endpoint-dns.at: this action never runs: the scenario ends at 1d",
      "s.yaml:8:33: error[unknown-reference] actions.e.target: unknown queue 'customer-event' — did you mean 'customer-events'?",
      "s.yaml:8:65: error[impossible-value] actions.e.after: this action takes effect at 1d1h, but the scenario ends at 1d",
      "s.yaml:9:51: error[unknown-reference] actions.f.when.alarm: unknown alarm 'api-eror' — did you mean 'api-errors'?",
      "s.yaml:9:73: error[impossible-value] actions.f.fraction: shedding load names the fraction it sheds; it must be above 0",
      "s.yaml:10:40: error[unknown-reference] actions.g.target: unknown component 'dynamodb.us-east-1.amazonaws.com'",
      "s.yaml:11:39: error[duplicate-id] disableModelActions.1: 'restore-poller' is listed twice",
      "s.yaml:11:55: error[unknown-reference] disableModelActions.2: unknown model action 'repair-endpoint' — did you mean 'repair-endpoint-dns'?",
      "s.yaml:13:50: error[impossible-value] faults.h.until.action: model action 'restore-poller' is disabled in this scenario (disableModelActions), so it never ends this fault",
      "s.yaml:14:50: error[unknown-reference] faults.i.until.action: unknown action 'fix-endpont'",
      "s.yaml:15:50: error[unknown-reference] faults.j.until.action: unknown action 'repair-endpoint-dsn' — did you mean 'repair-endpoint-dns'?",
    ]);
  });

  it("checks expectations: one kind per entry, subjects, windows and bounds", () => {
    expect(
      problems(`faults:
  forever: { kind: down, target: api }
expect:
  - {}
  - availability: { workload: chekout, from: 2h, to: 1h, atLeast: 20% }
  - availability: { workload: checkout }
  - availability: { workload: checkout, to: 2d, atLeast: 50%, atMost: 40% }
  - timeToImpact: { component: api, atLeast: 1h, atMost: 5m }
  - timeToRecover: { component: apii, from: { fault: nope }, atMost: 1h }
  - timeToRecover: { component: api, from: { fault: forever }, atMost: 1h }
  - timeToRecover: { component: api, from: 1d, atMost: 1h }
  - impacted: { component: api }
    drainedBy: { queue: customer-events, by: 1h }
  - drainedBy: { queue: customer-events, by: 2d }
  - drainedBy: { queue: customer-events, by: 0s }
  - messagesLost: { queue: customer-event, atMost: 0 }
  - impacted: { component: ec2-instance }
  - drainedBy: { queue: customer-events, after: 2h, by: 1h }
`),
    ).toEqual([
      "s.yaml:6:5: error[missing-key] expect.0: an expectation is a mapping with one key naming its kind (expected one of: availability, impacted, timeToImpact, timeToRecover, drainedBy, messagesLost, alarm, peakLoad, dataAtRisk, wrongAnswers, peakLatency)",
      "s.yaml:7:31: error[unknown-reference] expect.1.availability.workload: unknown workload 'chekout' — did you mean 'checkout'?",
      "s.yaml:7:54: error[impossible-value] expect.1.availability.to: the window must end after it starts: from 2h, to 1h",
      "s.yaml:8:5: error[missing-key] expect.2.availability: a bound is required: atLeast, atMost or both (expected atLeast or atMost)",
      "s.yaml:9:45: error[impossible-value] expect.3.availability.to: 2d is past the end: the scenario ends at 1d",
      "s.yaml:9:71: error[impossible-value] expect.3.availability.atMost: atLeast 50% is above atMost 40%; no result meets both",
      "s.yaml:10:58: error[impossible-value] expect.4.timeToImpact.atMost: atLeast 1h is above atMost 5m; no result meets both",
      "s.yaml:11:33: error[unknown-reference] expect.5.timeToRecover.component: unknown component 'apii' — did you mean 'api'?",
      "s.yaml:11:54: error[unknown-reference] expect.5.timeToRecover.from.fault: unknown fault 'nope'",
      "s.yaml:12:53: error[impossible-value] expect.6.timeToRecover.from.fault: fault 'forever' never ends, so there is no end to measure from; give it an until",
      "s.yaml:13:44: error[impossible-value] expect.7.timeToRecover.from: nothing to measure: the scenario ends at 1d",
      "s.yaml:15:5: error[impossible-value] expect.8.drainedBy: one expectation per entry: write 'impacted' and 'drainedBy' as separate entries",
      "s.yaml:16:46: error[impossible-value] expect.9.drainedBy.by: 2d is past the end: the scenario ends at 1d",
      "s.yaml:17:46: error[impossible-value] expect.10.drainedBy.by: by must be a time after the start (0s)",
      "s.yaml:18:28: error[unknown-reference] expect.11.messagesLost.queue: unknown queue 'customer-event' — did you mean 'customer-events'?",
      "s.yaml:19:28: error[unknown-reference] expect.12.impacted.component: unknown component 'ec2-instance' — did you mean 'ec2-instances'?",
      "s.yaml:20:49: error[impossible-value] expect.13.drainedBy.after: after (2h) must be before by (1h) (expected a window: drained after `after` and by `by`)",
    ]);
  });
});

describe("mutated scenario text", () => {
  it("always yields a scenario or located errors, never an exception", () => {
    const lines = FULL_SCENARIO.split("\n");
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 1, max: 30 }),
        fc.oneof(
          fc.string({ maxLength: 10 }),
          fc.constantFrom(":", "- ", "{", "]", "\n  ", "-5m", "1e309", "never", "0%", "[]"),
        ),
        (pos, cut, insert) => {
          const at = pos % (FULL_SCENARIO.length + 1);
          const text = FULL_SCENARIO.slice(0, at) + insert + FULL_SCENARIO.slice(at + cut);
          const r = parseScenario(FILE, text, MODEL);
          if (r.ok) return;
          expect(r.diagnostics.length).toBeGreaterThan(0);
          for (const d of r.diagnostics) {
            expect(d.file).toBe(FILE);
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.line).toBeLessThanOrEqual(lines.length + 2);
            expect(d.column).toBeGreaterThanOrEqual(1);
            expect(d.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 400, seed: 20251020 },
    );
  });
});

describe("loadScenario", () => {
  const dir = mkdtempSync(join(tmpdir(), "faultline-scenario-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a scenario from disk, named relative to the working directory", () => {
    writeFileSync(join(dir, "ok.yaml"), FULL_SCENARIO);
    const s = loadScenario("ok.yaml", MODEL, { cwd: dir });
    expect(s.file).toBe("ok.yaml");
    expect(s.faults).toHaveLength(9);
  });

  it("throws the model's ModelError, carrying every diagnostic", () => {
    writeFileSync(join(dir, "bad.yaml"), "name: x\nduration: 1d\nfaults:\n  a: { kind: dwon }\n");
    let error: unknown;
    try {
      loadScenario("bad.yaml", MODEL, { cwd: dir });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).diagnostics).toEqual([
      expect.objectContaining({ file: "bad.yaml", line: 4, column: 14, suggestion: "down" }),
    ]);
    expect((error as ModelError).message).toBe(
      formatDiagnostic((error as ModelError).diagnostics[0] as Diagnostic),
    );
  });

  it("reports a missing file as one located error", () => {
    expect(() => loadScenario("nope.yaml", MODEL, { cwd: dir })).toThrow(
      "nope.yaml:1:1: error[missing-file] cannot read 'nope.yaml': no such file",
    );
  });
});

describe("what-if changes", () => {
  it("normalize: a response cache with stale-if-error, a private endpoint, a call without auth", () => {
    const s = scenarioOf(`name: x
duration: 1d
changes:
  - dependency: { from: api, to: dynamodb, cache: { ttl: 5m, staleIfError: 6h }, via: none }
  - dependency: { from: api, to: dynamodb, auth: none }
  - dependency: { from: api, to: db, cache: { ttl: 1m } }
`);
    expect(s.changes).toEqual([
      {
        kind: "dependency",
        from: "api",
        to: "dynamodb",
        cache: { ttl: 300, staleIfError: 21600, hitRatio: 1, latency: 0 },
        via: null,
        loc: at(4, 5),
      },
      { kind: "dependency", from: "api", to: "dynamodb", auth: null, loc: at(5, 5) },
      {
        kind: "dependency",
        from: "api",
        to: "db",
        cache: { ttl: 60, staleIfError: 0, hitRatio: 1, latency: 0 },
        loc: at(6, 5),
      },
    ]);
  });

  it("name a dependency the model has, and records and identities it knows", () => {
    expect(
      problems(`changes:
  - dependency: { from: api, to: dynamodbb, via: none }
  - dependency: { from: api, to: ec2-dwfm }
  - dependency: { from: api, to: db, via: dynamodb.us-east-1.amazonaws.com }
  - dependency: { from: api, to: dynamodb, via: dynamo.example, auth: iamm }
`),
    ).toEqual([
      "s.yaml:4:34: error[unknown-reference] changes.0.dependency.to: unknown component 'dynamodbb' — did you mean 'dynamodb'?",
      "s.yaml:5:34: error[unknown-reference] changes.1.dependency.to: api has no dependency on 'ec2-dwfm' to change (it depends on db, dynamodb)",
      "s.yaml:6:43: error[impossible-value] changes.2.dependency.via: DNS record dynamodb.us-east-1.amazonaws.com does not answer with db",
      "s.yaml:7:49: error[unknown-reference] changes.3.dependency.via: unknown DNS record 'dynamo.example'",
      "s.yaml:7:71: error[unknown-reference] changes.3.dependency.auth: unknown component 'iamm' — did you mean 'iam'?",
    ]);
  });

  it("take effect at a time, and may stop a call and make it again", () => {
    const s = scenarioOf(`name: x
duration: 1d
changes:
  - dependency: { from: api, to: db, disable: true, at: 2h }
  - dependency: { from: api, to: db, disable: false, via: none, at: 4h }
`);
    expect(s.changes).toEqual([
      { kind: "dependency", from: "api", to: "db", disable: true, at: 7200, loc: at(4, 5) },
      {
        kind: "dependency",
        from: "api",
        to: "db",
        via: null,
        disable: false,
        at: 14400,
        loc: at(5, 5),
      },
    ]);
  });

  it("say what is wrong with a change that cannot be made", () => {
    expect(
      problems(`changes:
  - dependency: { from: api, to: db, disable: true, via: none }
  - dependency: { from: api, to: dynamodb }
  - dependency: { from: api, to: dynamodb, disable: false, at: 2d }
  - dependency: { from: api, to: dynamodb, disable: false, at: 1h }
  - dependency: { from: api, to: dynamodb, disable: true, at: 2h }
  - dependency: { from: api, to: dynamodb, disable: false, at: 3h }
  - dependency: { from: api, to: dynamodb, disable: true, at: 5h }
  - dependency: { from: api, to: dynamodb, via: none, at: 6h }
  - dependency: { from: api, to: dynamodb, disable: true, at: 7h }
`),
    ).toEqual([
      "s.yaml:4:58: error[impossible-value] changes.0.dependency.via: a call that is disabled has no via to change — drop via, or make the call again with disable: false",
      "s.yaml:5:5: error[impossible-value] changes.1.dependency: this change changes nothing — give cache, via, auth or disable",
      "s.yaml:6:64: error[impossible-value] changes.2.dependency.at: this change never takes effect: the scenario ends at 1d",
      "s.yaml:7:53: error[impossible-value] changes.3.dependency.disable: api already calls dynamodb: disable: false makes a disabled call again — disable it by an earlier change, or drop this one",
      "s.yaml:11:5: error[impossible-value] changes.7.dependency: api no longer calls dynamodb by then (an earlier change disabled it) — make it again with disable: false and these options",
      "s.yaml:12:53: error[impossible-value] changes.8.dependency.disable: api no longer calls dynamodb by then (an earlier change disabled it) — make it again with disable: false, or drop this one",
    ]);
  });

  it("accept only the options they can change", () => {
    expect(problems("changes:\n  - dependency: { from: api, to: db, ttl: 5m }\n")).toEqual([
      expect.stringContaining(
        "s.yaml:4:38: error[unknown-key] changes.0.dependency.ttl: unknown key 'ttl'",
      ),
    ]);
  });
});

describe("the removed seed", () => {
  it("is refused where it is written, saying why", () => {
    expect(problems("seed: 7\n")).toEqual([
      "s.yaml:3:1: error[unknown-key] seed: 'seed' has no effect: the engine follows expected values and draws nothing at random, so every run of a scenario gives the same result — remove it",
    ]);
  });
});
