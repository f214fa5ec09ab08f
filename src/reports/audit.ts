/**
 * @module reports/audit
 * One audit report, many renderers. Each output format is a pure function from the
 * `AuditReport` to a string; this file gathers them in one exhaustive record, so adding a format
 * to `AUDIT_FORMATS` fails to compile until it has a renderer. Renderers never print: the CLI
 * picks the sink (stdout, a file) and decides whether color is wanted.
 */
import type { AuditReport } from "../analysis/analyze.js";
import { renderAuditJson, renderAuditJsonParts } from "./audit-json.js";
import { renderAuditMarkdown } from "./audit-markdown.js";
import { renderAuditSarif } from "./audit-sarif.js";
import { renderAuditText } from "./audit-text.js";

export const AUDIT_FORMATS = ["text", "json", "markdown", "sarif"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface RenderOptions {
  /** ANSI colors in the text format; plain unless asked for. Other formats ignore it. */
  readonly color?: boolean;
  /** Version of faultline that produced the report, written into JSON and SARIF. */
  readonly toolVersion: string;
  /**
   * Directory that SARIF artifact URIs are made relative to (the repository root for GitHub
   * code scanning). Finding files outside it are written as absolute `file:` URIs.
   */
  readonly baseDir?: string;
}

export type Renderer = (report: AuditReport, options: RenderOptions) => string;

export const AUDIT_RENDERERS: Readonly<Record<AuditFormat, Renderer>> = {
  text: renderAuditText,
  json: renderAuditJson,
  markdown: renderAuditMarkdown,
  sarif: renderAuditSarif,
};

/**
 * The text of `AUDIT_RENDERERS[format]` in pieces, to be written one after the other (see
 * `writeFileAtomic`): JSON comes in many, each made when it is asked for, so that a large report
 * is never one string.
 */
export function renderAuditParts(
  format: AuditFormat,
  report: AuditReport,
  options: RenderOptions,
): Iterable<string> {
  return format === "json"
    ? renderAuditJsonParts(report, options)
    : [AUDIT_RENDERERS[format](report, options)];
}
