/**
 * @module reports/sim-markdown
 * A simulation as GitHub-flavoured Markdown, to paste into an incident review or a pull
 * request: the same content as the terminal report — header, timeline, impacted components,
 * workloads, queues, expectations — as tables. Everything that comes from the model or the
 * scenario is escaped as in the audit's Markdown, so an id cannot split a table cell, restyle
 * the page or inject HTML.
 */

import { fmt } from "../sim/format.js";
import type { Journal } from "../sim/types.js";
import { type Align, escapeMarkdown, markdownTable } from "./audit-markdown.js";
import {
  COMPONENT_COLUMNS,
  causeLabel,
  componentCells,
  expectationCount,
  impactedComponents,
  notableQueues,
  QUEUE_COLUMNS,
  queueCells,
  runSummary,
  subjectLabel,
  timeFormat,
  timelineRows,
  WORKLOAD_COLUMNS,
  workloadCells,
} from "./journal.js";

export function renderJournalMarkdown(
  journal: Journal,
  options: { readonly toolVersion: string },
): string {
  const time = timeFormat(journal);
  const blocks = [
    `# Faultline simulation: ${escapeMarkdown(journal.model.name)}`,
    headerText(journal),
    ...timelineSection(journal, time),
    ...componentSection(journal, time),
    ...workloadSection(journal),
    ...queueSection(journal, time),
    ...numbersSection(journal),
    ...expectationSection(journal),
    `_Simulated by faultline ${escapeMarkdown(options.toolVersion)}: ${journal.stats.steps} steps, ${journal.stats.events} events._`,
  ];
  return `${blocks.join("\n\n")}\n`;
}

function headerText(journal: Journal): string {
  const { scenario } = journal;
  const start =
    scenario.startsAt === null
      ? ""
      : ` Starts at ${escapeMarkdown(scenario.startsAt)} (time 0); times below count from there.`;
  return [
    `Scenario **${escapeMarkdown(scenario.name)}** (${escapeMarkdown(scenario.file)}), ${fmt(scenario.duration)}.${start}`,
    `${escapeMarkdown(runSummary(journal))}.`,
  ].join(" ");
}

function titled(columns: readonly string[], align: (i: number) => Align): [string, Align][] {
  return columns.map((c, i) => [c.charAt(0).toUpperCase() + c.slice(1), align(i)]);
}

function timelineSection(journal: Journal, time: (t: number) => string): string[] {
  const rows = timelineRows(journal);
  if (rows.length === 0) return ["## Timeline", "Nothing changed."];
  return [
    "## Timeline",
    markdownTable(
      [
        ["Time", "right"],
        ["Subject", "left"],
        ["Change", "left"],
        ["Cause", "left"],
      ],
      rows.map((r) => [
        time(r.t),
        escapeMarkdown(subjectLabel(r.kind, r.subjects)),
        escapeMarkdown(`${r.from} → ${r.to}`),
        escapeMarkdown(causeLabel(r.cause, r.subjects)),
      ]),
    ),
  ];
}

function componentSection(journal: Journal, time: (t: number) => string): string[] {
  const rows = impactedComponents(journal);
  const title = `## Components (${rows.length} of ${journal.components.length} impacted)`;
  if (rows.length === 0) return [title, "No component was impacted."];
  const last = COMPONENT_COLUMNS.length - 1;
  return [
    title,
    markdownTable(
      titled(COMPONENT_COLUMNS, (i) => (i === 0 || i === last ? "left" : "right")),
      rows.map((r) => componentCells(r, time).map(escapeMarkdown)),
    ),
  ];
}

function workloadSection(journal: Journal): string[] {
  if (journal.workloads.length === 0) return [];
  return [
    "## Workloads",
    markdownTable(
      titled(WORKLOAD_COLUMNS, (i) => (i === 0 ? "left" : "right")),
      journal.workloads.map((w) => workloadCells(w).map(escapeMarkdown)),
    ),
  ];
}

function queueSection(journal: Journal, time: (t: number) => string): string[] {
  const rows = notableQueues(journal);
  if (rows.length === 0) return [];
  return [
    "## Queues",
    markdownTable(
      titled(QUEUE_COLUMNS, (i) => (i === 0 ? "left" : "right")),
      rows.map((q) => queueCells(q, time).map(escapeMarkdown)),
    ),
  ];
}

/** The calibrated and guessed numbers the run rests on, when its files mark any. */
function numbersSection(journal: Journal): string[] {
  const n = journal.numbers;
  if (n === undefined) return [];
  return [
    "## Numbers it rests on",
    `${n.calibrated.length} calibrated; ${n.guessed.length} guessed about the parts it touched${n.otherGuesses > 0 ? ` (${n.otherGuesses} more about parts it left alone)` : ""}; ${n.public} public. \`faultline sensitivity\` shows which move its results.`,
    ...(n.calibrated.length > 0
      ? [
          markdownTable(
            [
              ["Calibrated number", "left"],
              ["Fitted to", "left"],
            ],
            n.calibrated.map((x) => [
              escapeMarkdown(`${x.key} (${x.file})`),
              escapeMarkdown((x.to ?? "").replace(/\s+/g, " ").trim()),
            ]),
          ),
        ]
      : []),
    ...(n.guessed.length > 0
      ? [`Guessed: ${n.guessed.map((x) => `\`${x.key}\``).join(", ")}.`]
      : []),
  ];
}

function expectationSection(journal: Journal): string[] {
  if (journal.expectations.length === 0)
    return ["## Expectations", "No expectations in the scenario."];
  return [
    "## Expectations",
    `${expectationCount(journal)}.`,
    markdownTable(
      [
        ["Met", "left"],
        ["Expectation", "left"],
        ["Expected", "left"],
        ["Actual", "left"],
        ["Where", "left"],
      ],
      journal.expectations.map((v) => [
        v.ok ? "✓" : "✗",
        escapeMarkdown(`${v.kind} ${v.subject}${v.fact === undefined ? "" : ` (fact ${v.fact})`}`),
        escapeMarkdown(v.expected),
        escapeMarkdown(v.actual),
        escapeMarkdown(`${v.loc.file}:${v.loc.line}`),
      ]),
    ),
  ];
}
