/**
 * @module reports/report-data
 * What the HTML report and the web UI draw, prepared in one place: the model as a graph of
 * nodes inside nested failure domains, the audit report as `analyze` returns it, and — with a
 * scenario — the simulation journal plus, for every state change of every component, its
 * causal chain as `explain` gives it. The front end adds no analysis of its own: it looks up
 * what is here by time and id.
 */
import type { AuditReport } from "../analysis/analyze.js";
import { innermostDomain } from "../analysis/domains.js";
import type { Finding } from "../analysis/types.js";
import type { Location, Model } from "../model/types.js";
import type { Journal } from "../sim/types.js";
import type { ExplanationStep } from "./explain.js";
import { explain } from "./explain.js";

/** Version of the report data's JSON shape; bumped on breaking changes. */
export const REPORT_DATA_VERSION = 1;

export type NodeType = "component" | "record" | "queue";

export interface ViewNode {
  readonly id: string;
  readonly type: NodeType;
  /** Component kind; "dns-record" and "queue" for the other node types. */
  readonly kind: string;
  readonly plane?: "control" | "data";
  /**
   * The innermost failure domain that holds the node: its zone, or the region (or provider)
   * that contains all its placements. Null for a node placed across providers.
   */
  readonly domain: string | null;
  /** Placement in words ("3 zones of us-east-1", "global"). */
  readonly placement: string;
  readonly description?: string;
  readonly rto?: number;
  readonly capacity?: number;
  readonly loc: Location;
}

/**
 * hard / soft: declared dependencies; async: publishing to or consuming from a queue; dns: the
 * record a dependency is reached through; identity: the service that authenticates a call;
 * served-by: a record's DNS server, a queue's hosting service.
 */
export type EdgeKind = "hard" | "soft" | "async" | "dns" | "identity" | "served-by";

export interface ViewEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface ViewDomain {
  readonly id: string;
  readonly kind: string;
  readonly parent: string | null;
}

export interface ViewChange {
  readonly t: number;
  /** The state entered: a component state, a record's answer, a queue's condition. */
  readonly to: string;
}

/** A component's causal chain from one of its state changes, as `explain` gives it. */
export interface ViewExplanation {
  readonly t: number;
  readonly state: string;
  readonly summary: string;
  readonly steps: readonly ExplanationStep[];
}

export interface ViewRun {
  readonly label: string;
  readonly journal: Journal;
  /** Per node id: its changes of state in time order (components, records, queues). */
  readonly changes: Readonly<Record<string, readonly ViewChange[]>>;
  /** Per component: the chain behind each of its changes away from up. */
  readonly explanations: Readonly<Record<string, readonly ViewExplanation[]>>;
}

/**
 * The part of the audit report the page shows: the findings (without their machine-readable
 * `data`, which the JSON report carries) and the recovery table. The page loads faster for it:
 * the tables behind the findings are most of a large model's audit.
 */
export interface ReportAudit
  extends Pick<AuditReport, "schemaVersion" | "model" | "summary" | "recovery"> {
  readonly findings: readonly Omit<Finding, "data">[];
}

export interface ReportData {
  readonly schemaVersion: number;
  readonly title: string;
  readonly graph: {
    readonly domains: readonly ViewDomain[];
    readonly nodes: readonly ViewNode[];
    readonly edges: readonly ViewEdge[];
  };
  readonly audit: ReportAudit;
  /** One run per scenario; two when a comparison was asked for. */
  readonly runs: readonly ViewRun[];
}

export function reportData(
  model: Model,
  audit: AuditReport,
  runs: readonly { readonly label: string; readonly journal: Journal }[] = [],
): ReportData {
  return {
    schemaVersion: REPORT_DATA_VERSION,
    title: model.name,
    graph: viewGraph(model),
    audit: {
      schemaVersion: audit.schemaVersion,
      model: audit.model,
      summary: audit.summary,
      findings: audit.findings.map(({ data: _data, ...f }) => f),
      recovery: audit.recovery,
    },
    runs: runs.map((r) => viewRun(r.label, r.journal)),
  };
}

export function viewGraph(model: Model): ReportData["graph"] {
  const nodes: ViewNode[] = [];
  const domainOf = new Map<string, string | null>();
  for (const c of model.components) {
    const domain = innermostDomain(model, c.placement.domains);
    domainOf.set(c.id, domain);
    nodes.push({
      id: c.id,
      type: "component",
      kind: c.kind,
      plane: c.plane,
      domain,
      placement: placementWords(c.placement.scope, c.placement.domains, domain),
      ...(c.description !== undefined && { description: c.description }),
      ...(c.rto !== undefined && { rto: c.rto }),
      ...(c.capacity !== undefined && { capacity: c.capacity }),
      loc: c.loc,
    });
  }
  for (const r of model.records) {
    const domain = domainOf.get(r.server) ?? null;
    nodes.push({
      id: r.name,
      type: "record",
      kind: "dns-record",
      domain,
      placement: `served by ${r.server}`,
      loc: r.loc,
    });
  }
  for (const q of model.queues) {
    const domain = q.service !== undefined ? (domainOf.get(q.service) ?? null) : null;
    nodes.push({
      id: q.id,
      type: "queue",
      kind: "queue",
      domain,
      placement: q.service !== undefined ? `hosted by ${q.service}` : "unhosted",
      loc: q.loc,
    });
  }

  const edges: ViewEdge[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string, kind: EdgeKind) => {
    const key = `${from}\u0000${to}\u0000${kind}`;
    if (from === to || seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, kind });
  };
  for (const d of model.dependencies) {
    add(d.from, d.to, d.kind);
    if (d.via !== undefined) add(d.from, d.via, "dns");
    if (d.auth !== undefined) add(d.from, d.auth, "identity");
    if (d.fallback !== undefined) {
      add(d.from, d.fallback.to, "soft");
      if (d.fallback.via !== undefined) add(d.from, d.fallback.via, "dns");
      if (d.fallback.auth !== undefined) add(d.from, d.fallback.auth, "identity");
    }
  }
  for (const r of model.records) add(r.name, r.server, "served-by");
  for (const c of model.components) {
    for (const q of c.publishes) add(c.id, q, "async");
    // A lease manager's re-established leases are messages too.
    if (c.leases?.publishes !== undefined) add(c.id, c.leases.publishes, "async");
  }
  for (const q of model.queues) {
    if (q.service !== undefined) add(q.id, q.service, "served-by");
    for (const c of q.consumers) add(c.component, q.id, "async");
  }

  return {
    domains: model.domains.map((d) => ({ id: d.id, kind: d.kind, parent: d.parent })),
    nodes,
    edges,
  };
}

function placementWords(scope: string, domains: readonly string[], common: string | null): string {
  if (scope === "global") return "global";
  if (domains.length === 1) return domains[0] as string;
  const unit = scope === "zones" ? "zones" : scope === "regions" ? "regions" : "domains";
  return common !== null ? `${domains.length} ${unit} of ${common}` : `${domains.length} ${unit}`;
}

export function viewRun(label: string, journal: Journal): ViewRun {
  const changes: Record<string, ViewChange[]> = {};
  const explanations: Record<string, ViewExplanation[]> = {};
  for (const e of journal.timeline) {
    if (e.kind !== "component" && e.kind !== "record" && e.kind !== "queue") continue;
    const list = changes[e.subject] ?? [];
    list.push({ t: e.t, to: e.to });
    changes[e.subject] = list;
    if (e.kind !== "component" || e.to === "up") continue;
    const x = explain(journal, e.subject, e.t);
    const chains = explanations[e.subject] ?? [];
    // Several changes at one instant (a sweep through a cycle) keep the last, as `explain` does.
    if (chains.at(-1)?.t === e.t) chains.pop();
    chains.push({ t: e.t, state: e.to, summary: x.summary, steps: x.steps });
    explanations[e.subject] = chains;
  }
  return { label, journal, changes, explanations };
}

/**
 * The data as JSON that is safe inside an HTML `<script>` element: `<` is escaped everywhere,
 * so no string in a model (a component named `</script><script>…`) can end the element, and
 * U+2028/U+2029 are escaped for old script parsers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
