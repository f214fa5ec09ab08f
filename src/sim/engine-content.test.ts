/**
 * Served content going out to its readers (sim/content.ts), against hand computations: a
 * reader's 100 hosts fetch at (h + ½)/100 of its refresh interval, so a version published at
 * T reaches host h at T + (h + ½) × refresh/100 (T a multiple of the interval), and the
 * requests a reader serves while a version spreads are exactly half the interval's worth.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { simulate } from "./engine.js";
import { changes } from "./engine-fixtures.js";
import { modelOf } from "./fixtures.js";
import type { Journal } from "./types.js";

/** One reader, `web`, of `flags` (50 entries), served by `config`; 100 rps enter web. */
const reader = (read: string, serves = "") => `
components:
  config:
    kind: automation
    placement: { region: r1 }
    serves:
      flags: { kind: feature-flags, entries: 50${serves} }
  web:
    kind: web
    placement: { zones: [r1-a, r1-b] }
    reads:
      flags: ${read}
  other: { kind: api, placement: { zones: [r1-a] } }
workloads:
  users: { entry: web, rate: 100 rps }
`;

function scenario(model: ReturnType<typeof modelOf>, body: string): Scenario {
  const r = parseScenario("scenario.yaml", `name: s\n${body}`, model);
  if (!r.ok)
    throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n"));
  return r.scenario;
}

function run(modelBody: string, body: string): Journal {
  const model = modelOf(modelBody);
  return simulate(model, scenario(model, body), { samples: 61 });
}

function problems(modelBody: string, body: string): string[] {
  const model = modelOf(modelBody);
  const r = parseScenario("scenario.yaml", `name: s\n${body}`, model);
  return r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
}

const served = (j: Journal, workload = "users") =>
  j.workloads.find((w) => w.id === workload)?.served ?? Number.NaN;
const component = (j: Journal, id: string) => j.components.find((c) => c.id === id);

const PUSH = `
duration: 30m
faults:
  bad: { kind: bad-config, target: flags, at: 10m }
`;

describe("a bad version of content spreads over each reader's refresh interval", () => {
  it("reaches the hosts one by one, all by T + 5 min, half the requests served meanwhile", () => {
    const j = run(reader("{ refresh: 5m }"), PUSH);
    // Host 0 at 601.5 s fails 1% of the requests, not yet an impact (below 99% is); host 1
    // at 604.5 s makes it 2%.
    expect(component(j, "web")?.firstImpact).toBeCloseTo(604.5, 6);
    // 600 s before, 150 s' worth during the spread (Σ (h + ½) × 3 s / 100), none after.
    expect(served(j)).toBeCloseTo(100 * (600 + 150), 6);
  });

  it("a stated delay moves it all later", () => {
    const j = run(
      reader("{ refresh: 5m }"),
      `${PUSH.replace("at: 10m }", "at: 10m, delay: 2m }")}`,
    );
    // The version can be fetched from 720 s: host 40 first (721.5 s), host 41 at 724.5 s.
    expect(component(j, "web")?.firstImpact).toBeCloseTo(724.5, 6);
  });

  it("harms only the stated share of hosts, and an error rate fails that share of their requests", () => {
    const hosts = run(
      reader("{ refresh: 5m }"),
      `${PUSH.replace("at: 10m }", "at: 10m, hosts: 40% }")}`,
    );
    // The 40 hosts whose rank (63 h mod 100) is below 40 fail, each at its fetch 600 + (h + ½)
    // × 3 s, to the end: Σ (1800 − fetch)/100 over them is lost. They are spread over the
    // whole interval, as a random 40% would be: the first fetches at 601.5 s, the last at 898.5 s.
    const harmed = [...Array(100).keys()].filter((h) => (63 * h) % 100 < 40);
    expect(harmed).toHaveLength(40);
    expect([harmed[0], harmed.at(-1)]).toEqual([0, 99]);
    let lost = 0;
    for (const h of harmed) lost += (1800 - (600 + (h + 0.5) * 3)) / 100;
    expect(served(hosts)).toBeCloseTo(100 * (1800 - lost), 6);
    const errors = run(
      reader("{ refresh: 5m }"),
      `${PUSH.replace("at: 10m }", "at: 10m, effect: error-rate, rate: 30% }")}`,
    );
    // 30% of the requests fail once every host has it: 900–1800 s, and half of that during the spread.
    expect(served(errors)).toBeCloseTo(100 * (1800 - 0.3 * (900 + 150)), 6);
  });

  it("wrong answers are served, counted apart, and bounded by an expectation", () => {
    const j = run(
      reader("{ refresh: 5m }"),
      `${PUSH.replace("at: 10m }", "at: 10m, effect: wrong-answers, rate: 40% }")}expect:
  - wrongAnswers: { component: web, atLeast: 20k, atMost: 30k }
`,
    );
    // Nothing fails; 40% of the requests are answered wrongly once every host has it:
    // 100 rps × 40% × (900 + 150) s = 42,000.
    expect(served(j)).toBeCloseTo(100 * 1800, 6);
    const web = component(j, "web");
    expect(web?.wrongAnswers).toBeCloseTo(100 * 0.4 * (900 + 150), 6);
    expect(web?.wrongSince).toBeCloseTo(601.5, 6);
    expect(j.expectations.map((v) => [v.ok, v.actual])).toEqual([
      [false, "42k requests answered wrongly from 00:10:01.5"],
    ]);
  });

  it("rollback-config sends the previous version, which spreads the same way", () => {
    const j = run(
      reader("{ refresh: 5m }"),
      `${PUSH}actions:\n  back: { do: rollback-config, target: flags, at: 20m }\n`,
    );
    // Bad from 600 s, all hosts by 900 s; good again from 1200 s, all hosts by 1500 s.
    expect(served(j)).toBeCloseTo(100 * (600 + 150 + 150 + 300), 6);
    expect(j.timeline.some((e) => e.subject === "bad" && e.to === "ended")).toBe(true);
  });

  it("invalidating the readers' copies makes every host fetch at once", () => {
    const j = run(
      reader("{ refresh: 1h }"),
      `${PUSH}actions:\n  flush: { do: invalidate-cache, target: flags, at: 11m }\n`,
    );
    // Host 17 fetches at 630 s on its own (17.5 × 36 s): 1%, not yet an impact; the rest at 660 s.
    expect(component(j, "web")?.firstImpact).toBeCloseTo(660, 6);
    expect(served(j)).toBeCloseTo(100 * (630 + 0.99 * 30), 6);
  });
});

describe("a fault that ends withdraws its versions", () => {
  it("a rollback never brings back the version of a fault that already ended", () => {
    const j = run(
      reader("{ refresh: 5m }"),
      `
duration: 40m
faults:
  a: { kind: bad-config, target: flags, at: 5m, until: 15m }
  b: { kind: bad-config, target: flags, at: 10m }
actions:
  back: { do: rollback-config, target: flags, at: 20m }
`,
    );
    // a spreads over 300–600 s; b takes over at 600 s; from 1200 s, as each host fetches,
    // both are gone: back up by 1500 s, and up to the end.
    expect(component(j, "web")?.recoveredAt).toBeCloseTo(1200 + 295.5, 6);
    expect(component(j, "web")?.finalState).toBe("up");
  });

  it("a delayed version that lands after its fault ended harms no one", () => {
    const j = run(
      reader("{ refresh: 5m }"),
      "duration: 30m\nfaults:\n  bad: { kind: bad-config, target: flags, at: 5m, delay: 2m, until: 6m }\n",
    );
    expect(component(j, "web")?.impacted).toBe(false);
  });

  it("a version still in a staged rollout when its fault ends goes no further, and whoever took it goes back", () => {
    const j = run(
      `
components:
  cfg:
    kind: automation
    placement: { zones: [r1-a] }
    serves:
      conf: { kind: configuration, rollout: { staged: true, stages: 2, bake: 7m }, regenerate: 5m }
  a1: { kind: api, placement: { zones: [r1-a] }, reads: { conf: { refresh: 1m } } }
  a2: { kind: api, placement: { zones: [r1-a] }, reads: { conf: { refresh: 1m } } }
workloads:
  w1: { entry: a1, rate: 100 rps }
  w2: { entry: a2, rate: 100 rps }
`,
      "duration: 1h\nfaults:\n  a: { kind: bad-config, target: conf, at: 7m, until: 19m, generations: 50% }\n",
    );
    // The bad regeneration of 10m reaches a2 at 17m; the fault ends at 19m: a2 is back within
    // a refresh, and both are up at the end.
    expect(component(j, "a2")?.recoveredAt).toBeLessThanOrEqual(1140 + 60);
    expect(j.components.map((c) => c.finalState)).toEqual(["up", "up", "up"]);
  });
});

describe("what a reader does with a version its validation rejects", () => {
  const OVERSIZE = `
duration: 30m
faults:
  grown: { kind: config-oversize, target: flags, at: 10m, entries: 300 }
`;
  it("keep: the last good version, no impact", () => {
    const j = run(
      reader("{ refresh: 5m, lastKnownGood: keep, validate: { maxEntries: 200 } }"),
      OVERSIZE,
    );
    expect(component(j, "web")?.impacted).toBe(false);
    expect(served(j)).toBeCloseTo(100 * 1800, 6);
  });

  it("fail-closed: each host fails as it rejects it", () => {
    const j = run(reader("{ refresh: 5m, validate: { maxEntries: 200 } }"), OVERSIZE);
    expect(served(j)).toBeCloseTo(100 * 750, 6);
  });

  it("fail-open: carries on without it", () => {
    const j = run(
      reader("{ refresh: 5m, lastKnownGood: fail-open, validate: { maxEntries: 200 } }"),
      OVERSIZE,
    );
    expect(served(j)).toBeCloseTo(100 * 1800, 6);
  });

  it("a version past the reader's hard limits fails it, unchecked", () => {
    const j = run(reader("{ refresh: 5m, limits: { maxEntries: 200 } }"), OVERSIZE);
    expect(served(j)).toBeCloseTo(100 * 750, 6);
    expect(j.timeline.find((e) => e.subject === "web")?.cause.detail).toMatchObject({
      what: "content-version",
      how: "over-limit",
    });
  });

  it("the last known good version may itself be bad: latent until its trigger starts", () => {
    const body = `
duration: 40m
faults:
  latent: { kind: bad-config, target: flags, at: 5m, trigger: tenant }
  grown: { kind: config-oversize, target: flags, at: 10m, entries: 300 }
  tenant: { kind: down, target: other, at: 25m }
`;
    // The reader keeps `latent` (valid, harmless) when it rejects `grown`; at 1500 s the
    // trigger makes every host holding it fail at once.
    const kept = run(
      reader("{ refresh: 5m, lastKnownGood: keep, validate: { maxEntries: 200 } }"),
      body,
    );
    expect(changes(kept, "web").map((c) => [c.t, c.to])).toEqual([[1500, "down"]]);
    // Without validation, `grown` crashes the hosts past their limit; the rollback sends the
    // version before it — `latent` — and the trigger takes them down again.
    const back = run(
      reader("{ refresh: 5m, limits: { maxEntries: 200 } }"),
      `${body}actions:\n  back: { do: rollback-config, target: flags, at: 20m }\n`,
    );
    // Good to 600 s, spreading 600–900 s, back 1200–1500 s, down again from 1500 s.
    expect(served(back)).toBeCloseTo(100 * (600 + 150 + 150), 6);
    expect(changes(back, "web").at(-1)).toMatchObject({ t: 1500, to: "down" });
  });
});

describe("a copy that expires while its server is down", () => {
  const SERVER_DOWN = `
duration: 30m
faults:
  config-down: { kind: down, target: config, at: 10m, until: 20m }
`;
  it("fail-closed: each host fails ttl after its last good fetch, and recovers at its next fetch", () => {
    const j = run(reader("{ refresh: 1m, ttl: 5m }"), SERVER_DOWN);
    // Last good fetches at 540 + (h + ½) × 0.6 s, so copies expire over 840–900 s; fetches
    // succeed again from 1200 s, over 1200–1260 s. 30 s served in each spread.
    expect(served(j)).toBeCloseTo(100 * (840 + 30 + 30 + 540), 6);
    expect(j.timeline.find((e) => e.subject === "web")?.cause).toMatchObject({
      from: "config",
      detail: { what: "content-expired", server: "config" },
    });
  });

  it("keep serves the stale copy, and without a ttl the copy never expires", () => {
    const keep = run(reader("{ refresh: 1m, ttl: 5m, lastKnownGood: keep }"), SERVER_DOWN);
    expect(served(keep)).toBeCloseTo(100 * 1800, 6);
    const forever = run(reader("{ refresh: 1m }"), SERVER_DOWN);
    expect(served(forever)).toBeCloseTo(100 * 1800, 6);
  });

  it("a version published while the server is down is fetched once it is back", () => {
    const j = run(
      reader("{ refresh: 1m }"),
      `
duration: 30m
faults:
  config-down: { kind: down, target: config, at: 10m, until: 20m }
  bad: { kind: bad-config, target: flags, at: 15m }
`,
    );
    // No fetch succeeds from 600 s to 1200 s; the bad version spreads over 1200–1260 s.
    expect(served(j)).toBeCloseTo(100 * (1200 + 30), 6);
  });
});

describe("content its server regenerates", () => {
  it("oscillates with the share of bad regenerations: every other one at 50%, period two regenerations", () => {
    const j = run(
      reader("{ refresh: 1m }", ", regenerate: 10m"),
      `
duration: 70m
faults:
  flaky: { kind: bad-config, target: flags, at: 0s, generations: 50% }
`,
    );
    const downs = changes(j, "web")
      .filter((c) => c.to === "down")
      .map((c) => c.t);
    // Bad at 600, 1800, 3000 s; each spread takes 30.6 s to pass half the hosts.
    expect(downs.length).toBe(3);
    expect((downs[1] as number) - (downs[0] as number)).toBeCloseTo(1200, 6);
    expect((downs[2] as number) - (downs[1] as number)).toBeCloseTo(1200, 6);
    // 600 s good, then three periods of 1200 s, each half served (the spreads in and out
    // of the bad version cancel: 30 s served in each).
    expect(served(j)).toBeCloseTo(100 * (600 + 3 * 600), 6);
  });

  it("a rollback while a good regeneration is current ends the fault: no bad regeneration after it", () => {
    const j = run(
      reader("{ refresh: 1m }", ", regenerate: 10m"),
      `
duration: 70m
faults:
  flaky: { kind: bad-config, target: flags, at: 0s, generations: 50% }
actions:
  back: { do: rollback-config, target: flags, at: 25m }
`,
    );
    // Bad from the regeneration at 600 s, good from the one at 1200 s, and never bad again:
    // 30 s served in each spread, all of 1260–4200 s.
    expect(served(j)).toBeCloseTo(100 * (600 + 30 + 30 + 2940), 6);
    expect(changes(j, "web").filter((c) => c.to === "down")).toHaveLength(1);
  });

  it("a loader error when a share of regenerations is given for content that is not regenerated", () => {
    // A relying party reads the key set without saying so: api is called with auth: idp.
    const implicit = run(
      `
components:
  idp:
    kind: identity
    placement: { region: r1 }
    serves:
      jwks: { kind: signing-keys }
  web:
    kind: web
    placement: { zones: [r1-a] }
    needs:
      api: { auth: idp }
  api: { kind: api, placement: { zones: [r1-b] } }
workloads:
  users: { entry: web, rate: 100 rps }
`,
      "duration: 1h\nfaults:\n  rotated: { kind: key-removed, target: jwks, at: 10m, rate: 30% }\n",
    );
    // Its default refresh (1m): 30% fail from 660 s, half of that during 600–660 s.
    expect(served(implicit)).toBeCloseTo(100 * (3600 - 0.3 * (2940 + 30)), 6);
    expect(
      problems(
        reader("{ refresh: 1m }"),
        "duration: 1h\nfaults:\n  f: { kind: bad-config, target: flags, generations: 50% }\n",
      ).join("\n"),
    ).toMatch(/flags is not regenerated/);
  });
});

describe("a staged rollout's health gates", () => {
  const STAGED = `
components:
  config:
    kind: automation
    placement: { region: r1 }
    serves:
      flags: { kind: feature-flags, rollout: { staged: true, stages: 3, bake: 20m } }
  web-a: { kind: web, placement: { zones: [r1-a] }, reads: { flags: { refresh: 1m } } }
  web-b: { kind: web, placement: { zones: [r1-b] }, reads: { flags: { refresh: 1m } } }
  web-c: { kind: web, placement: { zones: [r1-c] }, reads: { flags: { refresh: 1m } } }
workloads:
  a: { entry: web-a, rate: 10 rps }
  b: { entry: web-b, rate: 10 rps }
  c: { entry: web-c, rate: 10 rps }
`;
  const body = (after: string) => `
duration: 2h
faults:
  bad: { kind: bad-config, target: flags, at: 0s${after} }
`;
  const impacted = (j: Journal) => j.components.filter((c) => c.impacted).map((c) => c.id);

  it("stop a version that harms at once at the first stage", () => {
    const j = run(STAGED, body(""));
    expect(impacted(j)).toEqual(["web-a"]);
    expect(j.timeline.some((e) => e.subject === "bad" && e.to === "halted")).toBe(true);
  });

  it("pass a version whose harm lands later than the stages bake: every stage takes it", () => {
    // 50 min after a host takes it, past the 2 × 20 min the two gates wait.
    const j = run(STAGED, body(", after: 50m"));
    expect(impacted(j)).toEqual(["web-a", "web-b", "web-c"]);
    // Stage k gets it at k × 1200 s; the harm lands 3000 s after each host's fetch (host 1,
    // the second to fetch, at 0.9 s).
    expect(component(j, "web-c")?.firstImpact).toBeCloseTo(2400 + 0.9 + 3000, 6);
  });
});

describe("fleets and keys", () => {
  it("a bad change aimed at a fleet reaches every member", () => {
    const j = run(
      `
components:
  web-a: { kind: web, placement: { zones: [r1-a] } }
  web-b: { kind: web, placement: { zones: [r2-a] } }
fleets:
  webs: { members: [web-a, web-b], shares: [software-version] }
workloads:
  a: { entry: web-a, rate: 10 rps }
  b: { entry: web-b, rate: 10 rps }
`,
      "duration: 1h\nfaults:\n  push: { kind: bad-change, target: webs, at: 10m }\n",
    );
    expect(changes(j, "web-a").map((c) => [c.t, c.to])).toEqual([[600, "down"]]);
    expect(changes(j, "web-b").map((c) => [c.t, c.to])).toEqual([[600, "down"]]);
  });

  it("a bad change aimed at a staged fleet goes stage by stage, and its gate stops it", () => {
    const fleet = (rollout: string) => `
components:
  web-a: { kind: web, placement: { zones: [r1-a] } }
  web-b: { kind: web, placement: { zones: [r1-b] } }
  web-c: { kind: web, placement: { zones: [r2-a] } }
fleets:
  webs: { members: [web-a, web-b, web-c], shares: [software-version]${rollout} }
workloads:
  a: { entry: web-a, rate: 10 rps }
  b: { entry: web-b, rate: 10 rps }
  c: { entry: web-c, rate: 10 rps }
`;
    const body = "duration: 2h\nfaults:\n  push: { kind: bad-change, target: webs, at: 10m }\n";
    const staged = run(fleet(", rollout: { staged: true, stages: 3, bake: 20m }"), body);
    expect(staged.components.filter((c) => c.impacted).map((c) => [c.id, c.firstImpact])).toEqual([
      ["web-a", 600],
    ]);
    expect(staged.timeline.find((e) => e.subject === "push" && e.to === "halted")).toMatchObject({
      t: 1800,
      cause: { detail: { what: "rollout-halted", subject: "webs", stage: 1, impaired: "web-a" } },
    });
    // Without stages, all three at once.
    const all = run(fleet(""), body);
    expect(all.components.filter((c) => c.impacted).map((c) => c.id)).toEqual([
      "web-a",
      "web-b",
      "web-c",
    ]);
  });

  it("a removed key fails the share of requests it signed, on the readers of the key set", () => {
    const keys = `
components:
  idp:
    kind: identity
    placement: { region: r1 }
    serves:
      jwks: { kind: signing-keys }
  api:
    kind: api
    placement: { zones: [r1-a] }
    reads:
      jwks: { refresh: 10m }
workloads:
  users: { entry: api, rate: 100 rps }
`;
    const j = run(
      keys,
      "duration: 1h\nfaults:\n  rotated: { kind: key-removed, target: jwks, at: 10m, rate: 30% }\n",
    );
    // 30% of the requests fail once every host has the new key set: 1200–3600 s, half of
    // that during the spread 600–1200 s.
    expect(served(j)).toBeCloseTo(100 * (3600 - 0.3 * (2400 + 300)), 6);
    expect(
      problems(
        reader("{ refresh: 1m }"),
        "duration: 1h\nfaults:\n  k: { kind: key-removed, target: flags }\n",
      ).join("\n"),
    ).toMatch(/flags is feature-flags, not signing-keys/);
  });
});

describe("fetches off the microsecond", () => {
  it("harm each host at its own time: served = 50 × refresh + 100 × after, by hand", () => {
    // Host h fetches at (h + ½)/100 × R and fails A later, R = 1.0000013 s and A = 2.0000004 s
    // falling between microseconds; each host carries 1 rps of the 100, so what is served is
    // Σ_h ((h + ½)/100 × R + A) = 50 R + 100 A = 250.0001 requests. Evaluations rounded down to
    // the microsecond came before the harm they were for and missed one host in turn (250.47).
    const j = run(
      reader("{ refresh: 1.0000013s }"),
      "duration: 10s\nfaults:\n  bad: { kind: bad-config, target: flags, after: 2.0000004s }\n",
    );
    expect(served(j)).toBeCloseTo(50 * 1.0000013 + 100 * 2.0000004, 2);
  });
});
