/**
 * @module analysis/rule
 * The shape every audit rule has: metadata (for SARIF and docs) and a pure `run` over the
 * shared context that returns findings and, for rules that rank or estimate, a table.
 */
import type { AuditContext } from "./context.js";
import type { Finding, RuleMeta } from "./types.js";

export interface RuleResult<T = unknown> {
  readonly findings: Finding[];
  readonly table?: T;
}

export interface Rule<T = unknown> {
  readonly meta: RuleMeta;
  /**
   * True when `run` reads the blast-radius table (`ctx.blast()`, or `ctx.singleFailures`, which
   * starts from it): a parallel audit runs the other rules while a worker computes the table.
   */
  readonly readsBlastTable?: boolean;
  /** True when `run` reads the workloads' entry estimates (`ctx.entryEstimate`), likewise. */
  readonly readsEntryEstimates?: boolean;
  run(ctx: AuditContext): RuleResult<T>;
}

export const DOCS_BASE = "https://github.com/faultline-dev/faultline/blob/main/docs/rules.md";

export function helpUri(rule: string): string {
  return `${DOCS_BASE}#${rule}`;
}
