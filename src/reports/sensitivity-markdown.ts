/**
 * @module reports/sensitivity-markdown
 * A sensitivity analysis as GitHub-flavoured Markdown, for a review: the same content as the
 * terminal report — the numbers varied, the expectations that change, the outcomes that move,
 * largest swing first — as tables. Text from the files is escaped as in the other Markdown
 * reports, so a key cannot split a cell or inject HTML.
 */
import type { SensitivityReport } from "../sensitivity/report.js";
import { fmt } from "../sim/format.js";
import { escapeMarkdown, markdownTable } from "./audit-markdown.js";
import {
  changeText,
  designText,
  expectationLabel,
  expectationSummary,
  factorLabel,
  outcomeLabel,
  readingText,
  sideCell,
  sideNotes,
  swingText,
  variedText,
} from "./sensitivity-words.js";

export function renderSensitivityMarkdown(
  report: SensitivityReport,
  options: { readonly toolVersion: string },
): string {
  const { model, scenario } = report;
  const low = factorLabel(1 - report.design.spread);
  const high = factorLabel(1 + report.design.spread);
  const blocks = [
    `# Faultline sensitivity: ${escapeMarkdown(scenario.name)} on ${escapeMarkdown(model.name)}`,
    escapeMarkdown(
      `Scenario ${scenario.name} (${scenario.file}), ${fmt(scenario.duration)}; ${designText(report)}: ${variedText(report)}; ${report.runs} runs. Times count from the start of the run.`,
    ),
    ...parameterBlocks(report, low, high),
    ...expectationBlocks(report, low, high),
    ...outcomeBlocks(report, low, high),
    `_Made by faultline ${escapeMarkdown(options.toolVersion)}._`,
  ];
  return `${blocks.join("\n\n")}\n`;
}

function parameterBlocks(report: SensitivityReport, low: string, high: string): string[] {
  if (report.parameters.length === 0) return [];
  const notes = sideNotes(report);
  return [
    "## Numbers varied",
    markdownTable(
      [
        ["#", "right"],
        ["Number", "left"],
        ["In", "left"],
        ["Source", "left"],
        ["Baseline", "right"],
        [low, "right"],
        [high, "right"],
      ],
      report.parameters.map((p) => [
        String(p.index),
        escapeMarkdown(p.key),
        p.owner,
        escapeMarkdown(
          [p.source, p.fact ?? p.to ?? p.note].filter((x) => x !== undefined).join(": "),
        ),
        escapeMarkdown(p.baseline.written),
        escapeMarkdown(sideCell(p.low)),
        escapeMarkdown(sideCell(p.high)),
      ]),
    ),
    ...(notes.length > 0 ? [notes.map((n) => `- \\* ${escapeMarkdown(n)}`).join("\n")] : []),
  ];
}

function expectationBlocks(report: SensitivityReport, low: string, high: string): string[] {
  const total = report.expectations.length;
  if (total === 0) return ["## Expectations", "No expectations in the scenario."];
  const held = report.expectations.filter((x) => x.baseline.ok).length;
  const changed = report.expectations.filter((x) => x.variations.length > 0);
  const summary = `${escapeMarkdown(expectationSummary(report))}.`;
  if (changed.length === 0)
    return [
      "## Expectations",
      `${held} of ${total} hold in the baseline, and each keeps its verdict and its measure in every run.`,
    ];
  const rows: string[][] = [];
  for (const x of changed) {
    const cells = new Map<number, { low?: string; high?: string }>();
    for (const v of x.variations) {
      const cell = cells.get(v.parameter) ?? {};
      cell[v.side] = `${v.ok === x.baseline.ok ? "" : v.ok ? "✓ " : "✗ "}${v.actual}`;
      cells.set(v.parameter, cell);
    }
    [...cells]
      .sort(([a], [b]) => a - b)
      .forEach(([parameter, cell], i) => {
        rows.push([
          i === 0
            ? escapeMarkdown(
                `${x.baseline.ok ? "✓" : "✗"} ${expectationLabel(x)} (${x.loc.file}:${x.loc.line})`,
              )
            : "",
          i === 0 ? escapeMarkdown(x.expected) : "",
          i === 0 ? escapeMarkdown(x.baseline.actual) : "",
          String(parameter),
          escapeMarkdown(cell.low ?? "·"),
          escapeMarkdown(cell.high ?? "·"),
        ]);
      });
  }
  return [
    "## Expectations",
    summary,
    markdownTable(
      [
        ["Expectation", "left"],
        ["Expected", "left"],
        ["Baseline", "left"],
        ["#", "right"],
        [low, "left"],
        [high, "left"],
      ],
      rows,
    ),
  ];
}

function outcomeBlocks(report: SensitivityReport, low: string, high: string): string[] {
  if (report.outcomes.length === 0)
    return [
      "## Outcomes",
      "No outcome moves: within this spread, these numbers do not change this run.",
    ];
  const out: string[] = [];
  for (const [unit, title] of [
    ["time", "## Times that move, largest swing first"],
    ["fraction", "## Availability that moves, largest swing first"],
  ] as const) {
    const outcomes = report.outcomes.filter((o) => o.unit === unit);
    if (outcomes.length === 0) continue;
    const rows = outcomes.flatMap((o) =>
      o.swings.map((s, i) => [
        i === 0 ? escapeMarkdown(outcomeLabel(o)) : "",
        i === 0 ? escapeMarkdown(readingText(o.baseline, o)) : "",
        String(s.parameter),
        escapeMarkdown(changeText(s.low, o)),
        escapeMarkdown(changeText(s.high, o)),
        escapeMarkdown(swingText(s, o.unit)),
      ]),
    );
    out.push(
      title,
      markdownTable(
        [
          ["Outcome", "left"],
          ["Baseline", "right"],
          ["#", "right"],
          [low, "right"],
          [high, "right"],
          ["Swing", "right"],
        ],
        rows,
      ),
    );
  }
  return out;
}
