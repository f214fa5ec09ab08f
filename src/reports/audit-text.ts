/**
 * @module reports/audit-text
 * The audit for people at a terminal: a header, the findings most severe first (each with
 * where to look, what is wrong and what to do), compact tables of blast radius, recovery and
 * availability, and a closing count by severity. Plain text unless `options.color` asks for
 * ANSI colors; model-supplied text is stripped of control characters either way. Lines stay
 * within 100 columns where the content allows, with messages wrapped at 96.
 */
import pc from "picocolors";
import type { AuditReport } from "../analysis/analyze.js";
import type { Finding, Severity } from "../analysis/types.js";
import { formatDuration, formatPercent } from "../model/units.js";
import type { RenderOptions } from "./audit.js";
import {
  availabilityPercent,
  bySeverity,
  countBySeverity,
  modelCounts,
  notableRecoveryRows,
  plural,
  recoveryStatus,
  SEVERITIES_DESCENDING,
  topBlastRows,
} from "./findings.js";
import { type Column, columns, terminalSafeLine, wrap } from "./layout.js";

type Colors = ReturnType<typeof pc.createColors>;

const LINE_WIDTH = 100;
const MESSAGE_WIDTH = 96;
const INDENT = "  ";
/** Width of the severity label column: "CRITICAL". */
const LABEL_WIDTH = 8;

export function renderAuditText(report: AuditReport, options: RenderOptions): string {
  const c = pc.createColors(options.color ?? false);
  const out: string[] = [];
  out.push(
    ...wrap(
      `Audit of ${terminalSafeLine(report.model.name)}: ${modelCounts(report)}`,
      LINE_WIDTH,
      "",
      INDENT,
    ).map((line, i) => (i === 0 ? c.bold(line) : line)),
  );
  for (const finding of bySeverity(report.findings)) out.push("", ...findingBlock(finding, c));
  out.push(
    ...blastSection(report, c),
    ...recoverySection(report, c),
    ...availabilitySection(report, c),
  );
  out.push("", summaryLine(report.findings, c));
  return `${out.join("\n")}\n`;
}

function findingBlock(f: Finding, c: Colors): string[] {
  const { file, line, column } = f.location;
  const label = severityColor(f.severity, c)(f.severity.toUpperCase().padEnd(LABEL_WIDTH));
  return [
    `${label} ${c.bold(f.rule)}  ${terminalSafeLine(`${file}:${line}:${column}`)}`,
    ...wrap(f.message, MESSAGE_WIDTH, INDENT),
    ...(f.related ?? []).flatMap((r) =>
      wrap(`also ${r.rule}: ${r.message}`, MESSAGE_WIDTH, `${INDENT}+ `, `${INDENT}  `),
    ),
    ...wrap(f.remediation, MESSAGE_WIDTH, `${INDENT}→ `, `${INDENT}  `).map((l, i) =>
      i === 0 ? l.replace("→", c.green("→")) : l,
    ),
  ];
}

function blastSection(report: AuditReport, c: Colors): string[] {
  const { rows, of } = topBlastRows(report);
  if (rows.length === 0) return [];
  const title =
    rows.length < of ? `Blast radius (top ${rows.length} of ${of} units)` : "Blast radius";
  const cols: Column[] = [
    { title: "unit", max: 32 },
    { title: "kind", max: 18 },
    { title: "components", align: "right" },
    { title: "workloads" },
  ];
  const cells = rows.map((r) => [
    r.unit,
    r.kind,
    String(r.components),
    r.workloads.length === 0 ? "—" : r.workloads.join(", "),
  ]);
  return section(title, cols, cells, c);
}

function recoverySection(report: AuditReport, c: Colors): string[] {
  const rows = notableRecoveryRows(report);
  if (rows.length === 0) return [];
  const lowerBound = rows.some((r) => r.undeclared.length > 0 && r.coldStart !== null);
  const cols: Column[] = [
    { title: "component", max: 40 },
    { title: "cold start", align: "right" },
    { title: "RTO", align: "right" },
    { title: "status" },
  ];
  const cells = rows.map((r) => [
    r.component,
    r.coldStart === null
      ? "impossible"
      : `${r.undeclared.length > 0 ? "≥ " : ""}${formatDuration(r.coldStart)}`,
    r.rto === null ? "—" : formatDuration(r.rto),
    recoveryStatus(r, formatDuration),
  ]);
  const out = section("Recovery", cols, cells, c);
  if (lowerBound)
    out.push(
      c.dim(`${INDENT}≥ marks a lower bound: some restart times on the path are not stated`),
    );
  return out;
}

function availabilitySection(report: AuditReport, c: Colors): string[] {
  if (report.availability.length === 0) return [];
  const cols: Column[] = [
    { title: "workload", max: 40 },
    { title: "availability", align: "right" },
    { title: "method" },
    { title: "SLO", align: "right" },
    { title: "down/30d", align: "right" },
  ];
  const cells = report.availability.map((r) => [
    r.workload,
    availabilityPercent(r.availability),
    r.method,
    r.slo === null ? "—" : formatPercent(r.slo, 4),
    formatDuration(r.downtimeMinutesPer30d * 60),
  ]);
  return section("Availability", cols, cells, c);
}

function section(title: string, cols: readonly Column[], cells: string[][], c: Colors): string[] {
  const table = columns(cols, cells, INDENT.length, LINE_WIDTH);
  return ["", c.bold(title), c.dim(table.header), ...table.rows];
}

function summaryLine(findings: readonly Finding[], c: Colors): string {
  const counts = countBySeverity(findings);
  const parts = SEVERITIES_DESCENDING.map((s) => {
    const text = `${counts[s]} ${s}`;
    return counts[s] > 0 ? severityColor(s, c)(text) : c.dim(text);
  });
  return `${c.bold(plural(findings.length, "finding"))}: ${parts.join(", ")}`;
}

function severityColor(s: Severity, c: Colors): (text: string) => string {
  switch (s) {
    case "critical":
      return (t) => c.bold(c.red(t));
    case "high":
      return c.red;
    case "medium":
      return c.yellow;
    case "low":
      return c.cyan;
    case "info":
      return c.blue;
  }
}
