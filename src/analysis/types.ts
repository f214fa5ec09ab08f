/**
 * @module analysis/types
 * What the audit produces: findings (problems as data, rendered elsewhere) and the tables
 * behind them. Every value here is plain JSON so that reports, the web UI and CI read the
 * same thing the CLI prints.
 */
import type { Location } from "../model/types.js";

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_IDS = [
  "cycle",
  "spof",
  "shared-failure-domain",
  "dns-spof",
  "monitoring-dependence",
  "blast-radius",
  "recovery",
  "availability",
  "control-plane",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Finding {
  readonly rule: RuleId;
  /**
   * Stable identity of the finding: the rule and its subject (a unit, a cycle's members, a
   * monitor and its target). It does not change when unrelated parts of the model change, so
   * CI can track a finding across runs (SARIF fingerprints hash it).
   */
  readonly key: string;
  readonly severity: Severity;
  readonly message: string;
  /** Ids of the components, DNS records, failure domains or workloads involved. */
  readonly components: readonly string[];
  readonly remediation: string;
  readonly location: Location;
  /** Rule-specific, machine-readable detail (cut sets, estimates, paths). */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface RuleMeta {
  readonly id: RuleId;
  readonly title: string;
  readonly description: string;
  readonly helpUri: string;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
