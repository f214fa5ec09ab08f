/**
 * @module reports/sim
 * One simulation journal, many renderers, gathered like the audit's: adding a format to
 * `SIM_FORMATS` fails to compile until it has a renderer. Renderers never print.
 */
import type { Journal } from "../sim/types.js";
import { renderJournalJson } from "./sim-json.js";
import { renderJournalMarkdown } from "./sim-markdown.js";
import { renderJournalText } from "./sim-text.js";

export const SIM_FORMATS = ["text", "json", "markdown"] as const;
export type SimFormat = (typeof SIM_FORMATS)[number];

export interface SimRenderOptions {
  /** ANSI colors in the text format; plain unless asked for. Other formats ignore it. */
  readonly color?: boolean;
  /** Version of faultline that ran the simulation, written into JSON and Markdown. */
  readonly toolVersion: string;
}

export type SimRenderer = (journal: Journal, options: SimRenderOptions) => string;

export const SIM_RENDERERS: Readonly<Record<SimFormat, SimRenderer>> = {
  text: renderJournalText,
  json: renderJournalJson,
  markdown: renderJournalMarkdown,
};
