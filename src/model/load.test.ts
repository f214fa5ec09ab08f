import { describe, expect, it } from "vitest";
import { DOMAINS, modelOf, parseTexts } from "../../test/helpers/memory.js";
import { formatDiagnostic } from "./diagnostics.js";

const errorsOf = (files: Record<string, string>) => {
  const r = parseTexts(files);
  expect(r.ok).toBe(false);
  return r.diagnostics;
};

describe("a valid model", () => {
  it("is normalized: units converted, defaults filled, entries sorted by id", () => {
    const m = modelOf(`name: shop
${DOMAINS}
components:
  zeta: { kind: api, placement: { zones: [r1-a, r1-b], region: r1 }, needs: { alpha: { timeout: 2s, retry: { attempts: 3, backoff: 100ms } } } }
  alpha: { kind: database, placement: { region: r1 }, capacity: 2k rps, availability: 99.9% }
workloads:
  buy: { entry: zeta, rate: 1.5k rps, slo: 99.95% }
`);
    expect(m.components.map((c) => c.id)).toEqual(["alpha", "zeta"]);
    expect(m.components[0]?.capacity).toBe(2000);
    expect(m.components[0]?.availability).toBeCloseTo(0.999, 12);
    expect(m.components[1]?.placement).toEqual({
      scope: "zones",
      domains: ["r1-a", "r1-b"],
      region: "r1",
    });
    expect(m.dependencies).toEqual([
      expect.objectContaining({
        from: "zeta",
        to: "alpha",
        kind: "hard",
        calls: 1,
        timeout: 2,
        retry: { attempts: 3, backoff: 0.1, jitter: "none" },
      }),
    ]);
    expect(m.workloads[0]).toEqual(expect.objectContaining({ rate: 1500, slo: 0.9995 }));
    expect(m.domains.find((d) => d.id === "r1-a")).toEqual(
      expect.objectContaining({ kind: "zone", parent: "r1" }),
    );
    expect(m.domains.find((d) => d.id === "cloud")).toEqual(
      expect.objectContaining({ kind: "provider", parent: null }),
    );
  });

  it("spans several files through include, relative to the including file", () => {
    const r = parseTexts({
      "root/main.yaml": `name: shop\ninclude: [parts/domains.yaml, parts/app.yaml]\n`,
      "root/parts/domains.yaml": DOMAINS,
      "root/parts/app.yaml": `components:\n  api: { kind: api, placement: { region: r1 } }\n`,
    });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.model.files).toEqual([
        "root/main.yaml",
        "root/parts/domains.yaml",
        "root/parts/app.yaml",
      ]);
      expect(r.model.components[0]?.loc).toEqual(
        expect.objectContaining({ file: "root/parts/app.yaml", line: 2, column: 3 }),
      );
    }
  });
});

describe("invalid input is reported with file, line and column", () => {
  it("locates an unknown key and suggests the closest one", () => {
    const [d] = errorsOf({
      "m.yaml": `name: x\ncomponents:\n  api:\n    kind: api\n    placment: { region: r1 }\n`,
    }).filter((x) => x.code === "unknown-key");
    expect(d).toEqual(
      expect.objectContaining({
        file: "m.yaml",
        line: 5,
        column: 5,
        path: "components.api.placment",
        suggestion: "placement",
      }),
    );
    expect(formatDiagnostic(d as never)).toBe(
      "m.yaml:5:5: error[unknown-key] components.api.placment: unknown key 'placment' — did you mean 'placement'?",
    );
  });

  it("reports a misspelt required key once, as the misspelling", () => {
    const ds = errorsOf({
      "m.yaml": `name: x\ncomponents:\n  api: { kind: api, placment: global }\n`,
    });
    expect(ds.map((d) => [d.code, d.path, d.suggestion])).toEqual([
      ["unknown-key", "components.api.placment", "placement"],
    ]);
  });

  it("names a dangling reference and the closest valid name", () => {
    const ds = errorsOf({
      "m.yaml": `name: x\n${DOMAINS}\ncomponents:\n  dynamodb: { kind: kv-store, placement: { region: r1 } }\n  iam:\n    kind: identity\n    placement: { region: r1 }\n    needs:\n      dynamo-db: {}\n`,
    });
    expect(ds).toHaveLength(1);
    expect(formatDiagnostic(ds[0] as never)).toBe(
      "m.yaml:17:7: error[unknown-reference] components.iam.needs.dynamo-db: unknown component 'dynamo-db' — did you mean 'dynamodb'?",
    );
  });

  it("names a lease manager's unknown queue, with the closest one", () => {
    const ds = errorsOf({
      "m.yaml": `name: x\n${DOMAINS}\ncomponents:\n  dwfm:\n    kind: lease-manager\n    placement: { region: r1 }\n    leases: { duration: 30m, renewEvery: 5m, count: 10, publishes: net-state }\nqueues:\n  network-state: {}\n`,
    });
    expect(ds.map((d) => [d.code, d.path, d.suggestion])).toEqual([
      ["unknown-reference", "components.dwfm.leases.publishes", "network-state"],
    ]);
  });

  it("refuses a lease attempt that nobody awaits (attemptTimeout: 0s)", () => {
    const ds = errorsOf({
      "m.yaml": `name: x\n${DOMAINS}\ncomponents:\n  dwfm:\n    kind: lease-manager\n    placement: { region: r1 }\n    leases: { duration: 30m, renewEvery: 5m, count: 10, attemptTimeout: 0s }\n`,
    });
    expect(ds.map((d) => [d.code, d.path])).toEqual([
      ["impossible-value", "components.dwfm.leases.attemptTimeout"],
    ]);
  });

  it("reads users who come back, and refuses returns that are unbounded or half said", () => {
    const base = `name: x\n${DOMAINS}\ncomponents:\n  api: { kind: api, placement: { region: r1 } }\nworkloads:\n  users: { entry: api, rate: 10 rps, `;
    const m = modelOf(`${base}returnRate: 40%, returnAfter: 2m }\n`);
    expect(m.workloads[0]).toMatchObject({ returnRate: 0.4, returnAfter: 120 });
    const cases: [string, string, string][] = [
      ["returnRate: 100%, returnAfter: 1m", "impossible-value", "below 100%"],
      ["returnRate: 0%, returnAfter: 1m", "impossible-value", "nobody comes back"],
      ["returnRate: 50%", "missing-key", "returnRate needs returnAfter"],
      ["returnAfter: 1m", "missing-key", "returnAfter needs returnRate"],
      ["returnRate: 50%, returnAfter: 0s", "impossible-value", "above 0s"],
    ];
    for (const [keys, code, text] of cases) {
      const ds = errorsOf({ "m.yaml": `${base}${keys} }\n` });
      expect(ds.map((d) => [d.code, d.line])).toEqual([[code, 14]]);
      expect(ds[0]?.message).toContain(text);
    }
  });

  it("reads a warm-up after restarts, and refuses one that changes nothing or cannot be", () => {
    const base = `name: x\n${DOMAINS}\ncomponents:\n  api:\n    kind: api\n    placement: { region: r1 }\n    recovery: { restart: 1m, warmup: `;
    const m = modelOf(`${base}{ over: 10m, capacity: 25%, calls: 3 } }\n`);
    expect(m.components[0]?.recovery).toEqual({
      restart: 60,
      coldStart: "needs-dependencies",
      warmup: { over: 600, capacity: 0.25, calls: 3 },
    });
    expect(modelOf(`${base}{ over: 5m, calls: 2 } }\n`).components[0]?.recovery.warmup).toEqual({
      over: 300,
      capacity: 1,
      calls: 2,
    });
    const cases: [string, string, string][] = [
      ["{ over: 10m }", "components.api.recovery.warmup", "changes nothing"],
      ["{ over: 0s, capacity: 50% }", "components.api.recovery.warmup.over", "takes some time"],
      ["{ over: 1m, capacity: 0% }", "components.api.recovery.warmup.capacity", "above 0%"],
      ["{ over: 1m, calls: 0.5 }", "components.api.recovery.warmup.calls", "at least 1"],
    ];
    for (const [warmup, path, text] of cases) {
      const ds = errorsOf({ "m.yaml": `${base}${warmup} }\n` }).filter(
        (d) => d.severity === "error",
      );
      expect(ds.map((d) => [d.code, d.path])).toEqual([["impossible-value", path]]);
      expect(ds[0]?.message).toContain(text);
    }
    // A share of no capacity changes nothing: said, at the key, as a warning.
    const r = parseTexts({ "m.yaml": `${base}{ over: 10m, capacity: 25% } }\n` });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.severity, d.path, d.line])).toEqual([
      ["warning", "components.api.recovery.warmup.capacity", 15],
    ]);
    expect(r.diagnostics[0]?.message).toContain("give it a capacity");
  });

  it("names the unknown queue whose state a component needs fresh, with the closest one", () => {
    const ds = errorsOf({
      "m.yaml": `name: x\n${DOMAINS}\ncomponents:\n  lb:\n    kind: load-balancer\n    placement: { region: r1 }\n    needsFresh: { net-state: { maxStaleness: 1m, share: 10% } }\nqueues:\n  network-state: {}\n`,
    });
    expect(ds.map((d) => [d.code, d.path, d.suggestion, d.line, d.column])).toEqual([
      ["unknown-reference", "components.lb.needsFresh.net-state", "network-state", 15, 19],
    ]);
  });

  it("reports every problem, not just the first", () => {
    const ds = errorsOf({
      "m.yaml": `name: x
${DOMAINS}
components:
  dns:
    kind: dns
    placement: global
    records:
      db.example.com: { targets: [db], ttl: 60s, negativeTtl: -5m }
  db:
    kind: database
    placement: { zones: [r1-a, r2-a], region: r1 }
    redundancy: { quorum: 3 }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b, r1-c] }
    redundancy: { quorum: 4 }
    needs:
      db: { via: db.example.com }
`,
    });
    expect(ds.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(["16:63 invalid-value"]);
    expect(ds[0]?.message).toMatch(/cannot be negative/);
    // Once the shapes are right, the whole-model checks all report together.
    const fixed = errorsOf({
      "m.yaml": `name: x
${DOMAINS}
components:
  dns:
    kind: dns
    placement: global
    records:
      db.example.com: { targets: [db], ttl: 60s, negativeTtl: 5m }
  db:
    kind: database
    placement: { zones: [r1-a, r2-a], region: r1 }
    redundancy: { quorum: 3 }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b, r1-c] }
    redundancy: { quorum: 4 }
    needs:
      db: { via: db.example.com }
`,
    });
    expect(fixed.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      "19:32 impossible-value zone 'r2-a' lies in region 'r2', not in 'r1'",
      "24:27 impossible-value a quorum of 4 cannot be met by 3 placement(s)",
    ]);
  });

  it("rejects impossible combinations", () => {
    const ds = errorsOf({
      "m.yaml": `name: x
${DOMAINS}
components:
  iam: { kind: identity, placement: { region: r1 }, tokens: { ttl: 5m, refreshBefore: 10m } }
  db: { kind: database, placement: { region: r1 }, tokens: { ttl: 1h } }
  api:
    kind: api
    placement: { region: r1 }
    needs:
      db: { auth: db, degraded: read-only }
      api2: {}
queues:
  q: { deadLetter: q }
`,
    });
    const messages = ds.map((d) => d.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "tokens must be refreshed before they expire: refreshBefore must be shorter than ttl",
        "only identity and token-service components issue tokens ('db' is database)",
        "'db' is a database; auth takes an identity or token-service component",
        "a degraded mode belongs to soft dependencies: move this dependency under wants",
        "unknown component 'api2'",
        "a queue cannot be its own dead-letter queue",
        "a dead-letter queue needs maxReceives: how many receives send a message there",
      ]),
    );
    for (const d of ds) {
      expect(d.line).toBeGreaterThan(1);
      expect(d.column).toBeGreaterThan(0);
    }
  });

  it("locates YAML syntax errors and duplicate keys", () => {
    const syntax = errorsOf({ "m.yaml": `name: x\ncomponents:\n  api: { kind: api\n  db: 1\n` });
    expect(syntax[0]).toEqual(expect.objectContaining({ code: "yaml-syntax", file: "m.yaml" }));
    expect(syntax[0]?.line).toBeGreaterThanOrEqual(3);
    const dup = errorsOf({
      "m.yaml": `name: x\ncomponents:\n  api: { kind: api, placement: global }\n  api: { kind: web, placement: global }\n`,
    });
    expect(dup).toEqual([expect.objectContaining({ code: "duplicate-key", line: 4, column: 3 })]);
  });

  it("reports ids declared twice across files, a missing include and an include cycle", () => {
    const ds = errorsOf({
      "a.yaml": `name: x\ninclude: [b.yaml, missing.yaml]\ncomponents:\n  api: { kind: api, placement: global }\n`,
      "b.yaml": `include: [a.yaml]\ncomponents:\n  api: { kind: web, placement: global }\n`,
    });
    expect(ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      "a.yaml:2:19 missing-file",
      "b.yaml:1:11 include-cycle",
    ]);
    const dup = errorsOf({
      "a.yaml": `name: x\ninclude: [b.yaml]\ncomponents:\n  api: { kind: api, placement: global }\n`,
      "b.yaml": `components:\n  api: { kind: web, placement: global }\n`,
    });
    expect(dup).toEqual([
      expect.objectContaining({
        code: "duplicate-id",
        file: "b.yaml",
        line: 2,
        column: 3,
        message: "'api' is already declared at a.yaml:4",
      }),
    ]);
  });

  it("treats a missing root file as one error", () => {
    const r = parseTexts({}, "nope.yaml");
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: "missing-file",
        message: "cannot read 'nope.yaml': no such file",
      }),
    ]);
  });

  it("warns that availability on a replicated component is not used, and checks placement forms", () => {
    const r = parseTexts({
      "m.yaml": `name: x\n${DOMAINS}\ncomponents:\n  api: { kind: api, placement: { zones: [r1-a, r1-b] }, availability: 99.9% }\n`,
    });
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        line: 12,
        column: 57,
        path: "components.api.availability",
      }),
    ]);
    const ds = errorsOf({
      "m.yaml": `name: x\n${DOMAINS}\ncomponents:\n  a: { kind: api, placement: { region: r1, provider: cloud } }\n  b: { kind: api, placement: { global: true, provider: r1 } }\n  c: { kind: api, placement: global, redundancy: { quorum: 1 } }\n  dns: { kind: dns, placement: global, records: { r2: { targets: [a], ttl: 1m } } }\n`,
    });
    expect(ds.map((d) => d.message)).toEqual([
      "provider goes with global: true (a global component that fails with its provider)",
      "'r1' is a region, not a provider",
      "a quorum needs a placement in several domains (zones, regions or domains)",
      "'r2' names both a DNS record and a failure domain; findings need distinct names",
    ]);
  });

  it("reports a required value with a unit as missing, and an exclusive bound as such", () => {
    const ds = errorsOf({
      "m.yaml": `name: x\ncomponents:\n  dns: { kind: dns, placement: global, records: { a.example: { targets: [api] } } }\n  api: { kind: api, placement: global, needs: { dns: { calls: 0 } } }\n`,
    });
    expect(ds.map((d) => [d.code, d.path, d.message, d.expected])).toEqual([
      [
        "missing-key",
        "components.dns.records.a.example.ttl",
        "'ttl' is required",
        "a duration such as 250ms, 30s, 5m, 1h30m or 4d",
      ],
      ["invalid-value", "components.api.needs.dns.calls", "must be above 0", undefined],
    ]);
  });

  it("names types as YAML does: a mapping, a list, text", () => {
    const ds = errorsOf({ "m.yaml": `name: [x]\ncomponents: [api]\n` });
    expect(ds.map((d) => d.message)).toEqual([
      "expected text, found a list",
      "expected a mapping, found a list",
    ]);
  });

  it("suggests enum values and explains units", () => {
    const ds = errorsOf({
      "m.yaml": `name: x\ncomponents:\n  db: { kind: kv-stor, placement: global, capacity: 1M }\n`,
    });
    expect(ds.map((d) => [d.path, d.suggestion ?? d.message])).toEqual([
      ["components.db.kind", "kv-store"],
      ["components.db.capacity", "a rate needs a unit: write 1M rps"],
    ]);
  });
});
