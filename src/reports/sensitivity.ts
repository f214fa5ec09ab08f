/**
 * @module reports/sensitivity
 * One sensitivity report, many renderers, gathered like the audit's and the journal's: adding a
 * format to `SENSITIVITY_FORMATS` fails to compile until it has a renderer. Renderers never print.
 */
import type { SensitivityReport } from "../sensitivity/report.js";
import { renderSensitivityHtml } from "./sensitivity-html.js";
import { renderSensitivityJson } from "./sensitivity-json.js";
import { renderSensitivityMarkdown } from "./sensitivity-markdown.js";
import { renderSensitivityText } from "./sensitivity-text.js";

export const SENSITIVITY_FORMATS = ["text", "json", "markdown", "html"] as const;
export type SensitivityFormat = (typeof SENSITIVITY_FORMATS)[number];

export interface SensitivityRenderOptions {
  /** ANSI colors in the text format; plain unless asked for. Other formats ignore it. */
  readonly color?: boolean;
  /** Version of faultline that made the analysis, written into JSON, Markdown and HTML. */
  readonly toolVersion: string;
}

export type SensitivityRenderer = (
  report: SensitivityReport,
  options: SensitivityRenderOptions,
) => string;

export const SENSITIVITY_RENDERERS: Readonly<Record<SensitivityFormat, SensitivityRenderer>> = {
  text: renderSensitivityText,
  json: renderSensitivityJson,
  markdown: renderSensitivityMarkdown,
  html: renderSensitivityHtml,
};
