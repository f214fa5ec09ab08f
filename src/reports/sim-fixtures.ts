/**
 * @module reports/sim-fixtures
 * Journals the simulation renderers are tested against, made by the engine on a tiny model so
 * they are real: a DNS record emptied and fixed by hand, a caller, a queue whose consumer
 * depends on the same record and later goes down by itself, a workload with an SLO and two
 * expectations, one met and one not. The hostile variant renames components to names that try to break out of their context
 * (table pipes, HTML, line breaks, terminal escapes), which a model file cannot declare but a
 * renderer must survive all the same.
 */
import { simulate } from "../sim/engine.js";
import { modelOf, scenarioOf } from "../sim/fixtures.js";
import type { Journal } from "../sim/types.js";

const MODEL = `
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
    modelOf(MODEL),
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

export const PIPE = "pipe|name";
export const SCRIPT = "<script>alert(1)</script>";
export const MULTILINE = "line one\nline two";
export const ANSI = "\u001b[31mred\u001b[0m";

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
