/**
 * @module reports/fixtures
 * Hand-built audit reports that every renderer is tested against: a small model with one
 * finding of each severity and every table filled, a clean model with nothing to report, and
 * a model whose names try to break out of their context (HTML, Markdown table pipes, line
 * breaks, terminal escapes). Built by hand rather than by `analyze` so that renderer tests do
 * not move when a rule's wording does.
 *
 * Simulation journals, on the other hand, are made by the engine on a tiny model so that they
 * are real: a DNS record emptied and fixed by hand, a caller, a queue whose consumer depends on
 * the same record and later goes down by itself, a workload with an SLO and two expectations,
 * one met and one not. The hostile variant renames components to the names above, which a
 * model file cannot declare but a renderer must survive all the same.
 */
import { AUDIT_SCHEMA_VERSION, type AuditReport } from "../analysis/analyze.js";
import { RULES } from "../analysis/rules/index.js";
import { type Finding, RULE_IDS, SEVERITIES, type Severity } from "../analysis/types.js";
import { simulate } from "../sim/engine.js";
import { modelOf, scenarioOf } from "../sim/fixtures.js";
import type { Journal } from "../sim/types.js";

const ALL_RULES = RULE_IDS.map((id) => RULES[id].meta);

function counts(findings: readonly Finding[]): Record<Severity, number> {
  const c = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) c[f.severity]++;
  return c;
}

const shopFindings: Finding[] = [
  {
    rule: "recovery",
    key: "recovery:fixture-1",
    severity: "critical",
    message:
      "cold start is impossible for web, auth: their restart paths run into the cycle auth ↔ db, whose members each need another one up first",
    components: ["web", "auth", "db"],
    remediation:
      "Break the cycle: let one member start standalone from cached state, and rehearse the start order.",
    location: { file: "models/shop.yaml", line: 11, column: 3, endLine: 11, endColumn: 6 },
  },
  {
    rule: "spof",
    key: "spof:fixture-2",
    severity: "high",
    message:
      "db (database, zone use1-az1) is a single point of failure for 1 workload checkout: its failure alone takes it down",
    components: ["db", "checkout"],
    remediation:
      "Replicate db over several zones or regions (redundancy any or a quorum), or make the dependencies on it soft with a fallback.",
    location: { file: "models/shop.yaml", line: 26, column: 3, endLine: 26, endColumn: 5 },
    data: { unit: "db", workloads: ["checkout"] },
  },
  {
    rule: "dns-spof",
    key: "dns-spof:fixture-3",
    severity: "medium",
    message: "DNS record api.shop.example has no failover targets and web resolves it",
    components: ["api.shop.example", "web"],
    remediation: "Add failover targets to api.shop.example with health checks.",
    location: { file: "models/dns.yaml", line: 4, column: 5 },
  },
  {
    rule: "spof",
    key: "spof:fixture-4",
    severity: "low",
    message: "provider aws is a single point of failure for 1 workload checkout",
    components: ["aws", "checkout"],
    remediation: "Spread the components this domain hosts over more than one provider.",
    location: { file: "models/shop.yaml", line: 4, column: 3 },
  },
  {
    rule: "availability",
    key: "availability:fixture-5",
    severity: "info",
    message: "workload browse: composite availability 99.95% (exact) meets its SLO of 99.9%",
    components: ["browse", "web"],
    remediation: "Nothing to do; keep the declared availabilities current.",
    location: { file: "models/shop.yaml", line: 40, column: 3 },
  },
];

/** A small shop: one finding of each severity, every table filled. */
export const shopReport: AuditReport = {
  schemaVersion: AUDIT_SCHEMA_VERSION,
  model: { name: "shop", files: ["models/shop.yaml", "models/dns.yaml"] },
  summary: {
    components: 4,
    dependencies: 5,
    records: 1,
    domains: 5,
    workloads: 2,
    findings: counts(shopFindings),
  },
  rules: ALL_RULES,
  findings: shopFindings,
  cutSets: [
    { workload: "browse", order1: [], order2: [["use1-az1", "use1-az2"]] },
    { workload: "checkout", order1: ["aws", "db"], order2: [] },
  ],
  blastRadius: [
    { unit: "aws", kind: "provider", components: 4, workloads: ["browse", "checkout"] },
    { unit: "db", kind: "database", components: 3, workloads: ["checkout"] },
    { unit: "metrics", kind: "monitoring", components: 1, workloads: [] },
    { unit: "use1-az3", kind: "zone", components: 0, workloads: [] },
  ],
  sharedUnits: [{ unit: "db", replicated: 1 }],
  recovery: [
    {
      component: "auth",
      coldStart: null,
      rto: null,
      path: ["auth", "db"],
      pathLength: null,
      undeclared: [],
      undeclaredCount: 0,
    },
    {
      component: "db",
      coldStart: 900,
      rto: 600,
      path: ["db"],
      pathLength: 1,
      undeclared: [],
      undeclaredCount: 0,
    },
    {
      component: "metrics",
      coldStart: 0,
      rto: null,
      path: ["metrics"],
      pathLength: 1,
      undeclared: ["metrics"],
      undeclaredCount: 1,
    },
    {
      component: "search",
      coldStart: 90,
      rto: 300,
      path: ["search", "index"],
      pathLength: 2,
      undeclared: ["index"],
      undeclaredCount: 1,
    },
    {
      component: "web",
      coldStart: null,
      rto: 600,
      path: ["web", "auth", "db"],
      pathLength: null,
      undeclared: [],
      undeclaredCount: 0,
    },
  ],
  availability: [
    {
      workload: "browse",
      availability: 0.99952,
      method: "exact",
      slo: 0.999,
      undeclared: 0,
      declared: 3,
      downtimeMinutesPer30d: (1 - 0.99952) * 30 * 24 * 60,
    },
    {
      workload: "checkout",
      availability: 0.998713,
      method: "monte-carlo",
      interval: [0.99862, 0.99881],
      samples: 100000,
      slo: null,
      undeclared: 2,
      declared: 1,
      downtimeMinutesPer30d: (1 - 0.998713) * 30 * 24 * 60,
    },
  ],
};

/** A model with nothing wrong and nothing to tabulate. */
export const cleanReport: AuditReport = {
  schemaVersion: AUDIT_SCHEMA_VERSION,
  model: { name: "empty", files: ["empty.yaml"] },
  summary: {
    components: 0,
    dependencies: 0,
    records: 0,
    domains: 0,
    workloads: 0,
    findings: counts([]),
  },
  rules: ALL_RULES,
  findings: [],
  cutSets: [],
  blastRadius: [],
  sharedUnits: [],
  recovery: [],
  availability: [],
};

/** Names that try to escape: HTML, a table pipe, line breaks, a terminal escape sequence. */
export const SCRIPT = "<script>alert(1)</script>";
export const PIPE = "a|b";
export const MULTILINE = "line one\nline two\r\nline three";
export const ANSI = "evil\u001b[2J\u001b[31mred";

const hostileFindings: Finding[] = [
  {
    rule: "cycle",
    key: "cycle:fixture-6",
    severity: "critical",
    message: `${SCRIPT} and ${PIPE} hard-depend on each other: ${SCRIPT} → ${PIPE} → ${SCRIPT}`,
    components: [SCRIPT, PIPE],
    remediation: `Let ${SCRIPT} start standalone. **Bold** _claims_ and [links](javascript:alert(1)) stay text.`,
    location: { file: "models/evil.yaml", line: 3, column: 1, endLine: 5, endColumn: 2 },
  },
  {
    rule: "monitoring-dependence",
    key: "monitoring-dependence:fixture-7",
    severity: "high",
    message: `monitor ${MULTILINE} observes ${ANSI} but depends on it`,
    components: [MULTILINE, ANSI],
    remediation: `Run ${MULTILINE} elsewhere.\nSecond line | with a pipe.`,
    location: { file: "models/with space/evil #2.yaml", line: 7, column: 9 },
  },
  {
    // Same rule, components and message as the next one, at another place: a distinct finding.
    rule: "dns-spof",
    key: "dns-spof:fixture-8",
    severity: "medium",
    message: `DNS record ${PIPE}.example has no failover targets`,
    components: [`${PIPE}.example`],
    remediation: "Add failover targets.",
    location: { file: "models/evil.yaml", line: 20, column: 3 },
  },
  {
    rule: "dns-spof",
    key: "dns-spof:fixture-8",
    severity: "medium",
    message: `DNS record ${PIPE}.example has no failover targets`,
    components: [`${PIPE}.example`],
    remediation: "Add failover targets.",
    location: { file: "models/evil.yaml", line: 31, column: 3 },
  },
];

export const hostileReport: AuditReport = {
  schemaVersion: AUDIT_SCHEMA_VERSION,
  model: {
    name: `${SCRIPT} | ${MULTILINE}`,
    files: ["models/evil.yaml", "models/with space/evil #2.yaml"],
  },
  summary: {
    components: 3,
    dependencies: 3,
    records: 1,
    domains: 0,
    workloads: 1,
    findings: counts(hostileFindings),
  },
  rules: ALL_RULES,
  findings: hostileFindings,
  cutSets: [{ workload: SCRIPT, order1: [PIPE, MULTILINE], order2: [[SCRIPT, ANSI]] }],
  blastRadius: [{ unit: SCRIPT, kind: "api", components: 3, workloads: [PIPE, MULTILINE] }],
  sharedUnits: [{ unit: SCRIPT, replicated: 2 }],
  recovery: [
    {
      component: MULTILINE,
      coldStart: null,
      rto: 60,
      path: [MULTILINE, SCRIPT],
      pathLength: null,
      undeclared: [],
      undeclaredCount: 0,
    },
  ],
  availability: [
    {
      workload: SCRIPT,
      availability: 0.5,
      method: "exact",
      slo: 0.99,
      undeclared: 0,
      declared: 1,
      downtimeMinutesPer30d: 0.5 * 30 * 24 * 60,
    },
  ],
};

export const FIXTURES: Readonly<Record<string, AuditReport>> = {
  shop: shopReport,
  clean: cleanReport,
  hostile: hostileReport,
};

const SIM_MODEL = `
components:
  dns: { kind: dns, placement: { region: r1 }, records: { db.example: { targets: [db], ttl: 60s, negativeTtl: 5m } } }
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  sqs: { kind: queue-service, placement: { zones: [r1-a, r1-b] } }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b] }
    needs: { db: { via: db.example } }
    publishes: [jobs]
  worker: { kind: worker, placement: { zones: [r1-a, r1-b] }, needs: { db: { via: db.example } } }
queues:
  jobs: { service: sqs, consumers: { worker: { rate: 150 rps } }, retention: 4d }
workloads:
  orders: { entry: api, rate: 100 rps, slo: 99.9% }
`;

export function dnsJournal(): Journal {
  return simulate(
    modelOf(SIM_MODEL),
    scenarioOf({
      duration: 3600,
      faults: [
        { id: "emptied", kind: "dns-empty", target: "db.example", at: 60, end: { action: "fix" } },
        { id: "worker-down", kind: "down", target: "worker", at: 1500, end: { at: 1800 } },
      ],
      actions: [
        { id: "fix", do: "fix-dns", target: "db.example", trigger: { on: "time", at: 900 } },
      ],
      expect: [
        { kind: "time-to-recover", component: "api", from: { fault: "emptied" }, atMost: 600 },
        { kind: "impacted", component: "db", impacted: true },
      ],
    }),
  );
}

/** `dnsJournal` with api, worker, jobs and the record renamed, everywhere they appear. */
export function hostileJournal(): Journal {
  const names: [string, string][] = [
    ["api", PIPE],
    ["worker", SCRIPT],
    ["jobs", MULTILINE],
    ["db.example", ANSI],
  ];
  const rename = (s: string) =>
    names.reduce(
      (acc, [from, to]) =>
        acc.replace(new RegExp(`(?<![\\w.-])${from.replace(/\./g, "\\.")}(?![\\w-])`, "g"), to),
      s,
    );
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return rename(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [rename(k), walk(x)]));
    return v;
  };
  return walk(dnsJournal()) as Journal;
}
