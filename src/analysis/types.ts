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
  "capacity-fit",
  "retry-amplification",
  "config-blast-radius",
  "common-cause",
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
  /**
   * Consequences of the same cause that other rules found (the unit's blast radius, the
   * replicated components it takes down): merged into this finding instead of reported again.
   * See `analysis/merge.ts`.
   */
  readonly related?: readonly RelatedFinding[];
}

/** A finding folded into another one about the same cause. */
export interface RelatedFinding {
  readonly rule: RuleId;
  readonly key: string;
  readonly severity: Severity;
  readonly message: string;
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

/** A finding's message with the consequences merged into it, for one-line renderers. */
export function withRelated(f: Finding): string {
  if (!f.related || f.related.length === 0) return f.message;
  return `${f.message}. Also: ${f.related.map((r) => `${r.message} (${r.rule})`).join("; ")}.`;
}
