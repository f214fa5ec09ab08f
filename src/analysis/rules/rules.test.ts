import { describe, expect, it } from "vitest";
import { DOMAINS, modelOf } from "../../../test/helpers/memory.js";
import { analyze } from "../analyze.js";
import type { RuleId } from "../types.js";
import { PATH_SHOWN } from "./recovery.js";

const audit = (body: string, rules: RuleId[], depth: 1 | 2 = 1) =>
  analyze(modelOf(`name: t\n${DOMAINS}\n${body}`), { rules, depth });

describe("cycle", () => {
  it("finds a cycle through identity and a DNS record, critical", () => {
    const r = audit(
      `components:
  dns:
    kind: dns
    placement: global
    records:
      kv.example.com: { targets: [kv], ttl: 60s }
  kv: { kind: kv-store, placement: { zones: [r1-a, r1-b, r1-c] }, needs: [iam] }
  iam: { kind: identity, placement: { region: r1 }, needs: { kv: { via: kv.example.com } } }
`,
      ["cycle"],
    );
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f?.severity).toBe("critical");
    expect(f?.components).toEqual(["iam", "kv"]);
    expect(f?.message).toContain("iam → kv → iam");
    expect(f?.message).toContain("iam needs kv via DNS record kv.example.com");
    expect(f?.location.line).toBe(18);
  });

  it("rates a cycle among ordinary services high, and ignores soft and fallback edges", () => {
    const hard = audit(
      `components:
  a: { kind: api, placement: { region: r1 }, needs: [b] }
  b: { kind: api, placement: { region: r1 }, needs: [a] }
`,
      ["cycle"],
    );
    expect(hard.findings.map((f) => f.severity)).toEqual(["high"]);
    const soft = audit(
      `components:
  a: { kind: api, placement: { region: r1 }, needs: [b] }
  b: { kind: api, placement: { region: r1 }, wants: [a] }
  c: { kind: api, placement: { region: r1 }, needs: { d: { fallback: e } } }
  d: { kind: api, placement: { region: r1 }, needs: [c] }
  e: { kind: api, placement: { region: r2 } }
`,
      ["cycle"],
    );
    expect(soft.findings).toEqual([]);
  });
});

describe("a health checker's probe", () => {
  // Edge DNS servers announced only while their checks reach the data centres over a link: the
  // link's failure withdraws them although they run (the simulation's probe; docs/model.md).
  const model = (options: string, probe = "{ probe: true }") => `components:
  link: { kind: other, placement: { region: r2 } }
  dns: { kind: dns, placement: { zones: [r1-a, r1-b] }, healthCheck: { interval: 10s, threshold: 3${options} } }
  checks: { kind: health-check, placement: { zones: [r1-a, r1-b] }, observes: [dns], needs: { link: ${probe} } }
  app: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [dns] }
workloads:
  users: { entry: app, rate: 10 rps }
`;

  it("takes its targets down with the probe, in the audit as in the engine", () => {
    const r = audit(model(""), ["spof", "cycle"]);
    const spof = r.findings.find((f) => f.rule === "spof" && f.components.includes("link"));
    expect(spof?.message).toMatch(/^link .* is a single point of failure for 1 workload users/);
  });

  it("does not when the failover is manual, limited, or the dependency is not a probe", () => {
    for (const m of [model(", autoFailover: false"), model(", maxRemoved: 50%"), model("", "{}")]) {
      const r = audit(m, ["spof"]);
      expect(r.findings.filter((f) => f.components.includes("link"))).toEqual([]);
    }
  });
});

describe("spof", () => {
  const threeZones = `components:
  db: { kind: database, placement: { zones: [r1-a, r1-b, r1-c] }, redundancy: any }
  api: { kind: api, placement: { zones: [r1-a, r1-b, r1-c] }, needs: [db, cp] }
  cp: { kind: api, plane: control, placement: { region: r1 } }
workloads:
  w: { entry: api, rate: 10 rps }
`;
  it("respects redundancy: zones are not SPOFs of a 3-zone service, its region-scoped control plane is", () => {
    const r = audit(threeZones, ["spof"]);
    expect(r.cutSets).toEqual([{ workload: "w", order1: ["cloud", "cp", "r1"], order2: [] }]);
    const units = r.findings.map((f) => f.components[0]);
    expect(units).not.toContain("r1-a");
    expect(r.findings.find((f) => f.components[0] === "cp")?.severity).toBe("high");
    expect(r.findings.find((f) => f.components[0] === "cloud")?.severity).toBe("low");
  });

  it("lists order-2 cut sets with depth 2, and a 2-of-3 quorum loses to any pair of zones", () => {
    const r = audit(
      `components:
  db: { kind: database, placement: { zones: [r1-a, r1-b, r1-c] }, redundancy: { quorum: 2 } }
workloads:
  w: { entry: db, rate: 10 rps }
`,
      ["spof"],
      2,
    );
    expect(r.cutSets[0]?.order1).toEqual(["cloud", "r1"]);
    expect(r.cutSets[0]?.order2).toEqual([
      ["r1-a", "r1-b"],
      ["r1-a", "r1-c"],
      ["r1-b", "r1-c"],
    ]);
  });

  it("a fallback through another region removes the SPOF", () => {
    const r = audit(
      `components:
  a: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: { east: { fallback: west } } }
  east: { kind: api, placement: { region: r1 } }
  west: { kind: api, placement: { region: r2 } }
workloads:
  w: { entry: a, rate: 10 rps }
`,
      ["spof"],
    );
    expect(r.cutSets[0]?.order1).toEqual(["cloud", "r1"]);
  });
});

describe("shared-failure-domain", () => {
  it("flags a region-scoped control plane under a multi-zone component", () => {
    const r = audit(
      `components:
  api: { kind: api, placement: { zones: [r1-a, r1-b, r1-c] }, needs: [cp] }
  cp: { kind: identity, plane: control, placement: { region: r1 } }
`,
      ["shared-failure-domain"],
    );
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.key).toBe("shared-failure-domain:cp");
    expect(r.findings[0]?.components).toEqual(["cp", "api"]);
    expect(r.findings[0]?.message).toContain(
      "a control plane, is shared by 1 replicated component",
    );
    expect(r.findings[0]?.message).toContain("api (3 zones)");
    // The region contains all of api's zones: losing it is expected, not an illusion.
    expect(r.sharedUnits).toEqual([{ unit: "cp", replicated: 1 }]);
  });

  it("flags the single region under a multi-region component", () => {
    const r = audit(
      `components:
  api: { kind: api, placement: { regions: [r1, r2] }, needs: [db] }
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
`,
      ["shared-failure-domain"],
    );
    expect(r.findings.map((f) => f.components)).toEqual([["r1", "api"]]);
    expect(r.findings[0]?.message).toContain("in all of its regions at once");
  });

  it("lists the first 200 replicated components and counts them all", () => {
    const ids = Array.from({ length: 203 }, (_, i) => `api-${String(i).padStart(3, "0")}`);
    const r = audit(
      `components:
  cp: { kind: identity, placement: { region: r1 } }
${ids.map((id) => `  ${id}: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [cp] }`).join("\n")}
`,
      ["shared-failure-domain"],
    );
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f?.message).toContain("is shared by 203 replicated components");
    expect(f?.message).toContain("api-007 (2 zones), and 195 more");
    expect(f?.components).toEqual(["cp", ...ids.slice(0, 200)]);
    expect(f?.data?.count).toBe(203);
    const listed = (f?.data?.replicated ?? []) as { id: string }[];
    expect(listed.map((c) => c.id)).toEqual(ids.slice(0, 200));
    expect(r.sharedUnits).toEqual([{ unit: "cp", replicated: 203 }]);
  });

  it("counts each replicated component once per shared unit and ranks by that count", () => {
    const r = audit(
      `components:
  a: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [b, cp] }
  b: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [cp] }
  c: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [dns] }
  cp: { kind: identity, placement: { region: r1 }, needs: [dns] }
  dns: { kind: dns, placement: { region: r1 } }
`,
      ["shared-failure-domain"],
    );
    expect(r.sharedUnits).toEqual([
      { unit: "dns", replicated: 3 },
      { unit: "cp", replicated: 2 },
    ]);
    // Findings come in source order (cp is written before dns); the table is ranked.
    expect(r.findings.map((f) => f.components)).toEqual([
      ["cp", "a", "b"],
      ["dns", "a", "b", "c"],
    ]);
  });

  it("is silent when every dependency is zonal with the same spread", () => {
    const r = audit(
      `components:
  api: { kind: api, placement: { zones: [r1-a, r1-b, r1-c] }, needs: [db] }
  db: { kind: database, placement: { zones: [r1-a, r1-b, r1-c] } }
`,
      ["shared-failure-domain"],
    );
    expect(r.findings).toEqual([]);
    expect(r.sharedUnits).toEqual([]);
  });

  it("reports the twenty most shared units and sums up the rest in one finding", () => {
    const lines = ["components:"];
    for (let i = 0; i < 25; i++) {
      lines.push(`  api${i}: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [cp${i}] }`);
      lines.push(`  cp${i}: { kind: identity, placement: { region: r1 } }`);
    }
    const r = audit(`${lines.join("\n")}\n`, ["shared-failure-domain"]);
    expect(r.sharedUnits).toHaveLength(25);
    expect(r.findings).toHaveLength(21);
    const more = r.findings.find((f) => f.key === "shared-failure-domain:more");
    expect(more?.components).toHaveLength(5);
    expect(more?.message).toContain("5 more shared units");
  });
});

describe("dns-spof", () => {
  const body = (failover: string) => `components:
  dns:
    kind: dns
    placement: global
    records:
      api.example.com: { targets: [api], ttl: 30s, negativeTtl: 5m${failover} }
  api: { kind: api, placement: { zones: [r1-a, r1-b] } }
  api-dr: { kind: api, placement: { zones: [r2-a, r2-b] } }
  web: { kind: web, placement: { zones: [r1-a, r1-b] }, needs: { api: { via: api.example.com } } }
workloads:
  w: { entry: web, rate: 1 rps }
`;
  it("flags a record without failover that every path resolves, with its TTLs", () => {
    const r = audit(body(""), ["dns-spof"]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.message).toContain("TTL of 30s");
    expect(r.findings[0]?.message).toContain("negative TTL of 5m");
    expect(r.findings[0]?.location.line).toBe(16);
  });
  it("is not silenced by failover targets on the same record, and names what does help", () => {
    const r = audit(body(", failover: { targets: [api-dr] }"), ["dns-spof"]);
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f?.message).toContain("failover targets (api-dr), which do not help");
    expect(f?.data?.failover).toBe(true);
    for (const help of ["stale-if-error", "second name", "guard rails"])
      expect(f?.remediation).toContain(help);
    expect(f?.remediation).not.toContain("Add failover");
  });
  it("is silent when a fallback reaches the dependency through another name", () => {
    const withFallback = body("").replace(
      "needs: { api: { via: api.example.com } }",
      "needs: { api: { via: api.example.com, fallback: api-dr } }",
    );
    expect(audit(withFallback, ["dns-spof"]).findings).toEqual([]);
  });
});

describe("monitoring-dependence", () => {
  it("flags a monitor that depends on what it observes, with the alarms it will miss", () => {
    const r = audit(
      `components:
  db: { kind: database, placement: { region: r1 } }
  mon: { kind: monitoring, placement: { region: r1 }, observes: [db], needs: [db] }
alarms:
  db-errors: { monitor: mon, target: db, signal: error-rate, threshold: 5% }
actions:
  page: { do: restart, target: db, when: { alarm: db-errors } }
`,
      ["monitoring-dependence"],
    );
    expect(r.findings.map((f) => f.severity)).toEqual(["high"]);
    expect(r.findings[0]?.message).toContain("Alarm db-errors and the action page");
  });
  it("rates a shared failure unit medium, and is silent for an independent monitor", () => {
    const shared = audit(
      `components:
  db: { kind: database, placement: { region: r1 } }
  mon: { kind: monitoring, placement: { region: r1 }, observes: [db] }
`,
      ["monitoring-dependence"],
    );
    expect(shared.findings.map((f) => [f.severity, f.components])).toEqual([
      ["medium", ["mon", "db", "r1"]],
    ]);
    const independent = audit(
      `components:
  db: { kind: database, placement: { region: r1 } }
  mon: { kind: monitoring, placement: { region: r2 }, observes: [db] }
`,
      ["monitoring-dependence"],
    );
    expect(independent.findings).toEqual([]);
  });
  /** A monitor and what it watches, both needing every one of `shared` (and so their regions). */
  const sharedByMonitorAndTarget = (shared: readonly string[]) => `components:
${shared.map((s) => `  ${s}: { kind: api, placement: { region: r1 } }`).join("\n")}
  db: { kind: database, placement: { region: r2 }, needs: [${shared.join(", ")}] }
  mon: { kind: monitoring, placement: { region: r2 }, observes: [db], needs: [${shared.join(", ")}] }
`;
  it("names the first eight shared units and keeps all of them in the data", () => {
    const shared = Array.from({ length: 11 }, (_, i) => `s${String(i).padStart(2, "0")}`);
    const r = audit(sharedByMonitorAndTarget(shared), ["monitoring-dependence"]);
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    // Domains first (r1, r2), then components in model order.
    const all = ["r1", "r2", ...shared];
    expect(f?.data?.shared).toEqual(all);
    expect(f?.components).toEqual(["mon", "db", ...all.slice(0, 8)]);
    expect(f?.message).toContain("s05 (api, region r1); and 5 more.");
    expect(f?.message).not.toContain("s06");
    expect(f?.remediation).toContain("and the 5 other shared units");
    expect(f?.remediation).not.toContain("lists the first");
    expect(f?.data?.sharedCount).toBeUndefined();
  });
  it("lists the first 200 shared units in the data and counts them all", () => {
    const shared = Array.from({ length: 210 }, (_, i) => `s${String(i).padStart(3, "0")}`);
    const r = audit(sharedByMonitorAndTarget(shared), ["monitoring-dependence"]);
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    const all = ["r1", "r2", ...shared];
    expect(f?.data?.shared).toEqual(all.slice(0, 200));
    expect(f?.data?.sharedCount).toBe(212);
    expect(f?.message).toContain("and 204 more.");
    expect(f?.remediation).toContain(
      "and the 204 other shared units (the finding's data lists the first 200 of all 212).",
    );
  });
});

describe("blast-radius", () => {
  it("ranks every unit by the workloads and components it takes down", () => {
    const r = audit(
      `components:
  db: { kind: database, placement: { zones: [r1-a] } }
  api: { kind: api, placement: { zones: [r1-a, r1-b] }, needs: [db] }
  batch: { kind: worker, placement: { zones: [r1-b] }, wants: [api] }
workloads:
  w: { entry: api, rate: 1 rps }
`,
      ["blast-radius"],
    );
    expect(r.blastRadius.slice(0, 4)).toEqual([
      { unit: "cloud", kind: "provider", components: 3, workloads: ["w"] },
      { unit: "r1", kind: "region", components: 3, workloads: ["w"] },
      { unit: "db", kind: "database", components: 2, workloads: ["w"] },
      { unit: "r1-a", kind: "zone", components: 2, workloads: ["w"] },
    ]);
    const db = r.findings.find((f) => f.components[0] === "db");
    expect(db?.message).toContain("1 more component degrades");
    expect(db?.data).toEqual(expect.objectContaining({ degraded: ["batch"] }));
  });
});

describe("recovery", () => {
  it("adds restart times along the critical path and compares them with the RTO", () => {
    const r = audit(
      `components:
  db: { kind: database, placement: { region: r1 }, recovery: { restart: 20m } }
  cache: { kind: cache, placement: { region: r1 }, recovery: { restart: 5m } }
  api: { kind: api, placement: { region: r1 }, needs: [db, cache], recovery: { restart: 15m }, rto: 30m }
`,
      ["recovery"],
    );
    expect(r.recovery.find((x) => x.component === "api")).toEqual({
      component: "api",
      coldStart: 2100,
      rto: 1800,
      path: ["api", "db"],
      pathLength: 2,
      undeclared: [],
      undeclaredCount: 0,
    });
    expect(r.findings.map((f) => f.severity)).toEqual(["high"]);
    expect(r.findings[0]?.message).toContain("at least 35m");
  });
  it("lists the start of a long restart path and counts the rest, so the report stays linear", () => {
    const n = 300;
    const lines = Array.from(
      { length: n },
      (_, i) =>
        `  c${i}: { kind: api, placement: { region: r1 }${i % 2 === 0 ? ", recovery: { restart: 1m }" : ""}${i + 1 < n ? `, needs: [c${i + 1}]` : ""}, rto: 1m }`,
    );
    const r = audit(`components:\n${lines.join("\n")}\n`, ["recovery"]);
    const first = r.recovery.find((x) => x.component === "c0");
    expect(first?.path).toEqual(Array.from({ length: PATH_SHOWN }, (_, i) => `c${i}`));
    expect(first?.pathLength).toBe(n);
    expect(first?.undeclared).toEqual(
      Array.from({ length: PATH_SHOWN }, (_, i) => `c${2 * i + 1}`),
    );
    expect(first?.undeclaredCount).toBe(n / 2);
    expect(r.recovery.find((x) => x.component === "c297")).toEqual(
      expect.objectContaining({
        path: ["c297", "c298", "c299"],
        pathLength: 3,
        undeclaredCount: 2,
      }),
    );
    const message = r.findings.find((f) => f.key === "recovery:component:c0")?.message ?? "";
    expect(message).toContain(`c11 → … (${n} components in all)`);
    expect(message).toContain("c23 and 138 more)");
    // Every row and finding is bounded, whatever the depth.
    for (const f of r.findings) expect(f.message.length).toBeLessThan(600);
  });
  it("reports a cold start blocked by a cycle once, and a standalone member unblocks it", () => {
    const cyc = audit(
      `components:
  kv: { kind: kv-store, placement: { region: r1 }, needs: [iam], rto: 15m }
  iam: { kind: identity, placement: { region: r1 }, needs: [kv], rto: 15m }
`,
      ["recovery"],
    );
    expect(cyc.findings.map((f) => f.severity)).toEqual(["critical"]);
    expect(cyc.findings[0]?.message).toContain("iam ↔ kv");
    const broken = audit(
      `components:
  kv: { kind: kv-store, placement: { region: r1 }, needs: [iam], rto: 15m, recovery: { restart: 5m, coldStart: standalone } }
  iam: { kind: identity, placement: { region: r1 }, needs: [kv], rto: 15m, recovery: { restart: 5m } }
`,
      ["recovery"],
    );
    expect(broken.findings).toEqual([]);
    expect(broken.recovery.map((x) => x.coldStart)).toEqual([600, 300]);
  });
});

describe("availability", () => {
  it("multiplies a series path exactly", () => {
    const r = audit(
      `components:
  db: { kind: database, placement: { region: r1 }, availability: 99.9% }
  api: { kind: api, placement: { region: r1 }, needs: [db], availability: 99.9% }
workloads:
  w: { entry: api, rate: 1 rps, slo: 99.9% }
`,
      ["availability"],
    );
    expect(r.availability[0]?.availability).toBeCloseTo(0.999 * 0.999, 12);
    expect(r.availability[0]?.undeclared).toBe(2); // the region and the provider
    expect(r.findings[0]?.severity).toBe("high");
  });
  it("says an SLO cannot be checked when no unit declares an availability", () => {
    const r = audit(
      `components:
  api: { kind: api, placement: { region: r1 } }
workloads:
  w: { entry: api, rate: 1 rps, slo: 99.9% }
`,
      ["availability"],
    );
    expect(r.findings.map((f) => [f.severity, f.message])).toEqual([
      [
        "low",
        "workload w: its SLO of 99.9% cannot be checked, because none of the 3 failure units it depends on declares an availability",
      ],
    ]);
  });

  it("computes redundancy exactly: 1 − (1 − a)² for two zones of 99%", () => {
    const r = modelOf(`name: t
domains:
  p:
    contains:
      r:
        contains:
          a: { availability: 99% }
          b: { availability: 99% }
components:
  api: { kind: api, placement: { zones: [a, b] } }
workloads:
  w: { entry: api, rate: 1 rps, slo: 99.99% }
`);
    const report = analyze(r, { rules: ["availability"] });
    expect(report.availability[0]?.availability).toBeCloseTo(1 - 0.01 * 0.01, 12);
    expect(report.findings[0]?.severity).toBe("info");
    // Monte Carlo agrees within its interval when enumeration is turned off.
    const mc = analyze(r, { rules: ["availability"], exactLimit: 0, samples: 50_000, seed: 7 });
    const row = mc.availability[0];
    expect(row?.method).toBe("monte-carlo");
    expect(row?.interval?.[0]).toBeLessThanOrEqual(0.9999);
    expect(row?.interval?.[1]).toBeGreaterThanOrEqual(0.9999);
  });

  // Nine uncertain units behind a quorum, an any-of placement and a fallback, with four
  // different availabilities: enumeration gives the exact value, and the estimate (geometric
  // gaps per availability, propagation only when two or more units fail) must bracket it.
  const mixed = modelOf(`name: t
domains:
  p:
    contains:
      r:
        contains:
          a: { availability: 99% }
          b: { availability: 98% }
          c: { availability: 97% }
      s:
        contains:
          d: { availability: 99% }
          e: { availability: 98% }
components:
  db: { kind: database, placement: { zones: [a, b, c] }, redundancy: { quorum: 2 } }
  cache: { kind: cache, placement: { zones: [d, e] }, redundancy: any }
  api:
    kind: api
    placement: { zones: [a, b, c] }
    needs: { db: {}, cache: { fallback: db-ro } }
  db-ro: { kind: database, placement: { zones: [d] }, availability: 95% }
  lb: { kind: load-balancer, placement: { zones: [a, e] }, needs: [api], availability: 99.5% }
workloads:
  w: { entry: lb, rate: 1 rps, slo: 99% }
`);

  it("brackets the exact value with its Monte Carlo interval, for several seeds", () => {
    const exact = analyze(mixed, { rules: ["availability"] }).availability[0];
    expect(exact?.method).toBe("exact");
    const a = exact?.availability as number;
    expect(a).toBeGreaterThan(0.99);
    expect(a).toBeLessThan(0.9999);
    for (const seed of [1, 2, 3]) {
      const row = analyze(mixed, { rules: ["availability"], exactLimit: 0, samples: 100_000, seed })
        .availability[0];
      expect(row?.method).toBe("monte-carlo");
      expect(row?.samples).toBe(100_000);
      expect(row?.interval?.[0]).toBeLessThanOrEqual(a);
      expect(row?.interval?.[1]).toBeGreaterThanOrEqual(a);
      // 100k samples: the interval is narrow, and the estimate close to the exact value.
      const [lo, hi] = row?.interval ?? [0, 1];
      expect(hi - lo).toBeLessThan(0.002);
      expect(Math.abs((row?.availability as number) - a)).toBeLessThan(0.001);
    }
  });

  it("stops at its work budget, says so, and stays deterministic", () => {
    const options = {
      rules: ["availability" as const],
      exactLimit: 0,
      samples: 100_000,
      workBudget: 2_000,
    };
    const row = analyze(mixed, options).availability[0];
    const used = row?.samples as number;
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThan(100_000);
    expect(JSON.stringify(analyze(mixed, options))).toBe(JSON.stringify(analyze(mixed, options)));
    const finding = analyze(mixed, options).findings[0];
    expect(finding?.message).toContain(
      `Monte Carlo, ${used} of 100000 samples (work budget reached)`,
    );
    // Fewer samples, a wider interval, still around the exact value.
    const [lo, hi] = row?.interval ?? [0, 1];
    const { workBudget: _, ...unbounded } = options;
    const full = analyze(mixed, unbounded).availability[0];
    const [flo, fhi] = full?.interval ?? [0, 1];
    expect(hi - lo).toBeGreaterThan(fhi - flo);
  });
});
