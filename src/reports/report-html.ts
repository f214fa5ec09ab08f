/**
 * @module reports/report-html
 * `faultline report`: the report data poured into the front end's single HTML file (built by
 * Vite into dist/web/index.html, scripts and styles inlined). The result opens from disk with
 * no network request; the page's content security policy forbids any.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type AuditReport, analyze } from "../analysis/analyze.js";
import type { Model } from "../model/types.js";
import type { Scenario } from "../scenario/types.js";
import { simulate } from "../sim/engine.js";
import { type ReportData, reportData, scriptJson } from "./report-data.js";

/** What the template's data element holds until it is filled. */
export const DATA_MARKER = '"@@FAULTLINE_DATA@@"';

/** The built pages: beside this module once compiled, under dist/ when run from the sources. */
const PAGE_DIRS = ["../web/", "../../dist/web/"];

/** index.html: the report; serve.html: the web UI. */
export type Page = "index.html" | "serve.html";

export function templatePath(page: Page = "index.html"): string {
  for (const dir of PAGE_DIRS) {
    const path = fileURLToPath(new URL(dir + page, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(
    `the front end's ${page} is not built: run \`npm run build\` (it is built on \`npm ci\`)`,
  );
}

let cached: string | undefined;

export function reportTemplate(): string {
  cached ??= readFileSync(templatePath(), "utf8");
  return cached;
}

/** The report page with `data` in it. */
export function fillTemplate(data: unknown, title: string, template = reportTemplate()): string {
  const at = template.indexOf(DATA_MARKER);
  if (at < 0) throw new Error("the report template has no data element");
  // NOTE: the replacement is a function so that its text is taken as it is: a string would
  // have `$&`, `$'` and `` $` `` in a model's name expanded into parts of the template.
  const head = template
    .slice(0, at)
    .replace("<title>Faultline</title>", () => `<title>${escapeHtml(title)}</title>`);
  return head + scriptJson(data) + template.slice(at + DATA_MARKER.length);
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

export interface ReportRun {
  readonly scenario: Scenario;
}

/**
 * Audits the model (unless given its audit, such as `analyzeInParallel`'s) and plays each
 * scenario against it: everything a report shows.
 */
export function buildReport(
  model: Model,
  runs: readonly ReportRun[] = [],
  audit: AuditReport = analyze(model),
): ReportData {
  const names = runs.map((r) => r.scenario.name);
  // Two runs of scenarios with one name still need two labels.
  const labels =
    names.length === 2 && names[0] === names[1] ? names.map((n, i) => `${n} (${"AB"[i]})`) : names;
  const journals = runs.map((r, i) => ({
    label: labels[i] as string,
    journal: simulate(model, r.scenario),
  }));
  return reportData(model, audit, journals);
}

export function renderReportHtml(data: ReportData): string {
  return fillTemplate(data, `Faultline — ${data.title}`);
}
