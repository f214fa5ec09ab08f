/**
 * @module reports/audit-json
 * The audit as JSON for programs: the report itself plus the tool that produced it, keys in a
 * fixed order and nothing that changes from run to run (no timestamps), so two runs over the
 * same model can be diffed byte for byte. `schemaVersion` comes first so a reader can check it
 * before anything else.
 */
import type { AuditReport } from "../analysis/analyze.js";
import { type Finding, SEVERITIES } from "../analysis/types.js";
import type { RenderOptions } from "./audit.js";

export function renderAuditJson(report: AuditReport, options: RenderOptions): string {
  // NOTE: rebuilt key by key rather than serialized as is, so the order of keys does not depend
  // on how the report object happened to be assembled. Fields this file does not know yet are
  // kept, after the known ones.
  const {
    schemaVersion,
    model,
    summary,
    rules,
    findings,
    cutSets,
    blastRadius,
    sharedUnits,
    recovery,
    availability,
    ...rest
  } = report;
  const {
    components,
    dependencies,
    records,
    domains,
    workloads,
    findings: counts,
    ...summaryRest
  } = summary;
  const document = {
    schemaVersion,
    tool: { name: "faultline", version: options.toolVersion },
    model: { name: model.name, files: model.files },
    summary: {
      components,
      dependencies,
      records,
      domains,
      workloads,
      findings: Object.fromEntries(SEVERITIES.map((s) => [s, counts[s]])),
      ...summaryRest,
    },
    rules: rules.map(({ id, title, description, helpUri, ...more }) => ({
      id,
      title,
      description,
      helpUri,
      ...more,
    })),
    findings: findings.map(orderedFinding),
    cutSets,
    blastRadius,
    sharedUnits,
    recovery,
    availability,
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function orderedFinding(finding: Finding) {
  const { rule, key, severity, message, components, remediation, location, data, ...more } =
    finding;
  const { file, line, column, endLine, endColumn } = location;
  return {
    rule,
    key,
    severity,
    message,
    components,
    remediation,
    location: {
      file,
      line,
      column,
      ...(endLine !== undefined ? { endLine } : {}),
      ...(endColumn !== undefined ? { endColumn } : {}),
    },
    ...(data !== undefined ? { data } : {}),
    ...more,
  };
}
