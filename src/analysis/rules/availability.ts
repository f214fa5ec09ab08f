/**
 * @module analysis/rules/availability
 * Rule `availability`: the composite availability of each workload from the declared
 * availabilities of its failure units, assumed to fail independently, against its SLO.
 *
 * The workload is up only if every unit of its order-1 cut set is up, so
 *   A = Π a(u) over the order-1 cut set × P(up | all of them up).
 * The second factor involves only the remaining uncertain units in the workload's closure
 * (those behind redundancy). With at most `exactLimit` of them it is computed exactly by
 * enumerating their 2^k states; beyond that it is estimated by Monte Carlo with a seeded
 * generator and reported with a 95% Wilson interval, within a deterministic work budget (the
 * kernel is `graph/entry-availability`). Units without a declared availability count as always
 * up, and the finding says how many there were. Workloads with the same entry share one
 * computation (`AuditContext.entryEstimate`).
 */
import type { Estimate } from "../../graph/entry-availability.js";
import { formatAvailability, formatPercent } from "../../model/units.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

export interface AvailabilityRow {
  readonly workload: string;
  readonly availability: number;
  readonly method: "exact" | "monte-carlo";
  /** 95% interval for Monte Carlo estimates. */
  readonly interval?: readonly [number, number];
  readonly samples?: number;
  readonly slo: number | null;
  /** Units in the workload's closure with no declared availability (counted as always up). */
  readonly undeclared: number;
  /** Units in the workload's closure with a declared availability. */
  readonly declared: number;
  /** Expected downtime per 30 days, in minutes. */
  readonly downtimeMinutesPer30d: number;
}

export const availabilityRule: Rule<AvailabilityRow[]> = {
  readsBlastTable: true,
  readsEntryEstimates: true,
  meta: {
    id: "availability",
    title: "Composite availability against SLO",
    description:
      "The availability of each workload computed from its failure units' availabilities over its cut-set structure, compared with its SLO.",
    helpUri: helpUri("availability"),
  },
  run(ctx) {
    const rows: AvailabilityRow[] = [];
    const findings: Finding[] = [];
    for (const w of ctx.model.workloads) {
      const row = rowOf(w.id, ctx.entryEstimate(ctx.nodeOf(w.entry)), w.slo ?? null);
      rows.push(row);
      if (w.slo === undefined) continue;
      if (row.declared === 0) {
        findings.push({
          rule: "availability",
          key: `availability:${w.id}`,
          severity: "low",
          message: `workload ${w.id}: its SLO of ${formatPercent(w.slo, 4)} cannot be checked, because none of the ${row.undeclared} failure units it depends on declares an availability`,
          components: [w.id, w.entry],
          remediation:
            "Declare availability on the failure domains, DNS records and unreplicated components the workload depends on (the spof findings list them).",
          location: w.loc,
          data: { ...row },
        });
        continue;
      }
      const shown = formatAvailability(row.availability);
      const detail =
        row.method === "exact"
          ? "exact"
          : `Monte Carlo, ${samplesText(row.samples ?? 0, ctx.options.samples)}, 95% interval ${formatAvailability(row.interval?.[0] ?? 0)}–${formatAvailability(row.interval?.[1] ?? 1)}`;
      const caveat =
        row.undeclared > 0
          ? `; ${row.undeclared} unit(s) without a declared availability were counted as always up`
          : "";
      const below =
        row.method === "exact" ? row.availability < w.slo : (row.interval?.[1] ?? 1) < w.slo;
      const unsure = row.method === "monte-carlo" && !below && (row.interval?.[0] ?? 0) < w.slo;
      findings.push({
        rule: "availability",
        key: `availability:${w.id}`,
        severity: below ? "high" : unsure ? "medium" : "info",
        message: `workload ${w.id}: composite availability ${shown} (${detail}) ${below ? "is below" : unsure ? "may be below" : "meets"} its SLO of ${formatPercent(w.slo, 4)} — about ${formatMinutes(row.downtimeMinutesPer30d)} down per 30 days${caveat}`,
        components: [w.id, w.entry],
        remediation:
          below || unsure
            ? "Remove units from the workload's order-1 cut set (see the spof findings) or raise their availability; each one multiplies into the total."
            : "Nothing to do; keep the declared availabilities current.",
        location: w.loc,
        data: { ...row },
      });
    }
    return { findings, table: rows };
  },
};

function rowOf(workload: string, e: Estimate, slo: number | null): AvailabilityRow {
  return {
    workload,
    availability: e.availability,
    method: e.method,
    ...(e.interval ? { interval: e.interval } : {}),
    ...(e.samples !== undefined ? { samples: e.samples } : {}),
    slo,
    undeclared: e.undeclared,
    declared: e.declared,
    downtimeMinutesPer30d: (1 - e.availability) * 30 * 24 * 60,
  };
}

function samplesText(used: number, requested: number): string {
  return used < requested
    ? `${used} of ${requested} samples (work budget reached)`
    : `${used} samples`;
}

function formatMinutes(m: number): string {
  if (m >= 1) return `${m.toFixed(1)} minutes`;
  return `${(m * 60).toFixed(1)} seconds`;
}
