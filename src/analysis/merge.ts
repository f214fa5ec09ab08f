/**
 * @module analysis/merge
 * One finding per cause. Several rules look at the same failure unit from different sides — a
 * DNS record is a single point of failure (`spof`), a DNS trap (`dns-spof`), shared by
 * replicated components (`shared-failure-domain`) and has a blast radius (`blast-radius`) — and
 * reporting each made the same unit appear three or four times. Here the findings about one
 * subject are folded into one: the most specific rule's finding leads (its remediation is the
 * one that fits the unit), takes the highest severity of the group, and lists the others as
 * `related` consequences. A monitor that depends on several of the things it observes is one
 * cause too (where it runs), reported once with each observed component as a consequence.
 *
 * Findings without a subject (cycles, recovery, availability, order-2 cut sets) are kept as
 * they are. The order of rules in `LEAD_ORDER` decides which finding leads.
 */
import { type Finding, type RelatedFinding, type RuleId, severityRank } from "./types.js";

/** Which rule's finding leads when several are about one unit: the most specific first. */
const LEAD_ORDER: readonly RuleId[] = [
  "dns-spof",
  "common-cause",
  "config-blast-radius",
  "spof",
  "shared-failure-domain",
  "blast-radius",
];

/** The cause a finding is about, when it shares one with findings of other rules. */
function subjectOf(f: Finding): string | undefined {
  const d = f.data ?? {};
  switch (f.rule) {
    case "spof":
    case "shared-failure-domain":
    case "blast-radius":
    case "common-cause":
    case "config-blast-radius":
      return typeof d.unit === "string" ? `unit:${d.unit}` : undefined;
    case "dns-spof":
      return typeof d.record === "string" ? `unit:${d.record}` : undefined;
    case "monitoring-dependence":
      return typeof d.monitor === "string" ? `monitor:${d.monitor}` : undefined;
    default:
      return undefined;
  }
}

export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const out: (Finding | string)[] = [];
  for (const f of findings) {
    const subject = subjectOf(f);
    if (subject === undefined) {
      out.push(f);
      continue;
    }
    const group = groups.get(subject);
    if (group) group.push(f);
    else {
      groups.set(subject, [f]);
      out.push(subject);
    }
  }
  return out.map((x) => (typeof x === "string" ? fold(groups.get(x) as Finding[]) : x));
}

function leadRank(f: Finding): number {
  const i = LEAD_ORDER.indexOf(f.rule);
  return i < 0 ? LEAD_ORDER.length : i;
}

function fold(group: Finding[]): Finding {
  if (group.length === 1) return group[0] as Finding;
  const sorted = [...group].sort(
    (a, b) =>
      leadRank(a) - leadRank(b) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const [lead, ...rest] = sorted as [Finding, ...Finding[]];
  const severity = sorted.reduce(
    (s, f) => (severityRank(f.severity) > severityRank(s) ? f.severity : s),
    lead.severity,
  );
  const components = [...new Set(sorted.flatMap((f) => f.components))];
  const related: RelatedFinding[] = [
    ...(lead.related ?? []),
    ...rest.flatMap((f) => [
      {
        rule: f.rule,
        key: f.key,
        severity: f.severity,
        message: f.message,
        ...(f.data !== undefined ? { data: f.data } : {}),
      },
      ...(f.related ?? []),
    ]),
  ];
  return { ...lead, severity, components, related, remediation: remediationOf(lead, sorted) };
}

/**
 * The lead's remediation, but for a monitor: its findings each name one observed component,
 * and the cause they share is where the monitor runs, so the remediation names them all.
 */
function remediationOf(lead: Finding, group: readonly Finding[]): string {
  if (lead.rule !== "monitoring-dependence") return lead.remediation;
  const observed = [
    ...new Set(group.map((f) => f.data?.observed).filter((o) => typeof o === "string")),
  ];
  return `Run ${String(lead.data?.monitor)} (or independent canaries for ${observed.join(", ")}) on infrastructure that none of what it observes depends on and that shares no failure unit with them: another region, another provider, or a path without their identity and DNS.`;
}
