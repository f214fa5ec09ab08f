/**
 * @module reports/findings
 * Small views of a report that several renderers share: severities from the most to the least
 * severe, findings grouped that way, counts, and the cut-down tables people read. Computed
 * from the findings themselves rather than `summary.findings`, so that the counts always
 * agree with the findings a renderer shows.
 */
import type { AuditReport } from "../analysis/analyze.js";
import type { BlastRow } from "../analysis/rules/blast-radius.js";
import type { RecoveryRow } from "../analysis/rules/recovery.js";
import { type Finding, SEVERITIES, type Severity, severityRank } from "../analysis/types.js";

/** Most severe first: critical, high, medium, low, info. */
export const SEVERITIES_DESCENDING: readonly Severity[] = [...SEVERITIES].reverse();

/** How many blast-radius rows the human formats show. */
export const BLAST_TOP = 10;

/** Findings most severe first; within a severity, the report's own order is kept. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.index - b.index,
    )
    .map((x) => x.finding);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** The largest blast radii, leaving out units whose failure takes nothing down. */
export function topBlastRows(report: AuditReport): { rows: BlastRow[]; of: number } {
  const hitting = report.blastRadius.filter((r) => r.components > 0 || r.workloads.length > 0);
  return { rows: hitting.slice(0, BLAST_TOP), of: hitting.length };
}

/** Recovery rows worth showing: those with an RTO to meet, and those that can never start. */
export function notableRecoveryRows(report: AuditReport): RecoveryRow[] {
  return report.recovery.filter((r) => r.rto !== null || r.coldStart === null);
}

/** "over by 5m", "ok", "misses RTO" (no cold start), or "" when there is no RTO to meet. */
export function recoveryStatus(row: RecoveryRow, duration: (s: number) => string): string {
  if (row.rto === null) return "";
  if (row.coldStart === null) return "misses RTO";
  return row.coldStart > row.rto ? `over by ${duration(row.coldStart - row.rto)}` : "ok";
}

/** An availability as a percentage with exactly four decimals, so that a column lines up. */
export function availabilityPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(4)}%`;
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** The model's size in one phrase: "4 components, 4 dependencies, 0 DNS records, …". */
export function modelCounts(report: AuditReport): string {
  const s = report.summary;
  return [
    plural(s.components, "component"),
    plural(s.dependencies, "dependency", "dependencies"),
    plural(s.records, "DNS record"),
    plural(s.domains, "failure domain"),
    plural(s.workloads, "workload"),
  ].join(", ");
}
