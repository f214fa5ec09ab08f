/**
 * @module analysis/analyze
 * `analyze(model, options)`: the static resilience audit. Pure — no file system, no clock, no
 * environment — and deterministic: findings are sorted by severity, rule, location and text,
 * and every table is sorted, so the same model gives the same bytes whatever the order of its
 * YAML entries.
 */

import { appendAll } from "../model/arrays.js";
import type { Model } from "../model/types.js";
import { type AnalysisOptions, AuditContext } from "./context.js";
import { mergeFindings } from "./merge.js";
import type { RuleResult } from "./rule.js";
import type { AvailabilityRow } from "./rules/availability.js";
import type { BlastRow } from "./rules/blast-radius.js";
import { RULES } from "./rules/index.js";
import type { RecoveryRow } from "./rules/recovery.js";
import type { SharedUnitRow } from "./rules/shared-failure-domain.js";
import type { CutSetRow } from "./rules/spof.js";
import {
  type Finding,
  RULE_IDS,
  type RuleId,
  type RuleMeta,
  SEVERITIES,
  type Severity,
  severityRank,
} from "./types.js";

/** Version of the JSON shape of an audit report; bumped on breaking changes. */
export const AUDIT_SCHEMA_VERSION = 1;

export interface AuditOptions extends AnalysisOptions {
  /** Run only these rules (all by default). */
  readonly rules?: readonly RuleId[];
  /**
   * Fold findings of several rules about one cause into one (see `analysis/merge.ts`); true by
   * default. False reports every rule's findings apart, as a rule's own tests want them.
   */
  readonly merge?: boolean;
}

export interface AuditReport {
  readonly schemaVersion: number;
  readonly model: { readonly name: string; readonly files: readonly string[] };
  readonly summary: {
    readonly components: number;
    readonly dependencies: number;
    readonly records: number;
    readonly domains: number;
    readonly workloads: number;
    readonly findings: Readonly<Record<Severity, number>>;
  };
  readonly rules: readonly RuleMeta[];
  readonly findings: readonly Finding[];
  readonly cutSets: readonly CutSetRow[];
  readonly blastRadius: readonly BlastRow[];
  /** Units under replicated components, most shared first (the multi-zone illusion). */
  readonly sharedUnits: readonly SharedUnitRow[];
  readonly recovery: readonly RecoveryRow[];
  readonly availability: readonly AvailabilityRow[];
}

export function analyze(model: Model, options: AuditOptions = {}): AuditReport {
  const ctx = new AuditContext(model, options);
  const selected = selectedRules(options);
  return auditReport(ctx, selected, runRules(ctx, selected), options);
}

/** The rules an audit runs, in the order their findings are reported. */
export function selectedRules(options: AuditOptions): RuleId[] {
  return RULE_IDS.filter((id) => options.rules?.includes(id) ?? true);
}

/** Runs these rules over the context, in the order given. */
export function runRules(ctx: AuditContext, ids: readonly RuleId[]): Map<RuleId, RuleResult> {
  const results = new Map<RuleId, RuleResult>();
  for (const id of ids) results.set(id, RULES[id].run(ctx));
  return results;
}

/**
 * The report of the rules' results. Findings are gathered in `selected` order whatever order
 * the rules ran in, so a parallel audit gives the same bytes as this one.
 */
export function auditReport(
  ctx: AuditContext,
  selected: readonly RuleId[],
  results: ReadonlyMap<RuleId, RuleResult>,
  options: AuditOptions,
): AuditReport {
  const model = ctx.model;
  let findings: Finding[] = [];
  const tables: Partial<Record<RuleId, unknown>> = {};
  for (const id of selected) {
    const result = results.get(id);
    if (!result) throw new Error(`auditReport: rule '${id}' did not run`);
    appendAll(findings, result.findings);
    if (result.table !== undefined) tables[id] = result.table;
  }
  if (options.merge !== false) findings = mergeFindings(findings);
  findings.sort(compareFindings);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    model: { name: model.name, files: model.files },
    summary: {
      components: model.components.length,
      dependencies: model.dependencies.length,
      records: model.records.length,
      domains: model.domains.length,
      workloads: model.workloads.length,
      findings: counts,
    },
    rules: selected.map((id) => RULES[id].meta),
    findings,
    cutSets: (tables.spof as CutSetRow[] | undefined) ?? [],
    blastRadius: (tables["blast-radius"] as BlastRow[] | undefined) ?? [],
    sharedUnits: (tables["shared-failure-domain"] as SharedUnitRow[] | undefined) ?? [],
    recovery: (tables.recovery as RecoveryRow[] | undefined) ?? [],
    availability: (tables.availability as AvailabilityRow[] | undefined) ?? [],
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule) ||
    cmp(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when some finding is at or above `threshold`. */
export function failsAt(report: AuditReport, threshold: Severity): boolean {
  return report.findings.some((f) => severityRank(f.severity) >= severityRank(threshold));
}
