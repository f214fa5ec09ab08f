/**
 * @module reports/sensitivity-html
 * A sensitivity analysis as one standalone HTML page: a tornado chart per outcome that moves
 * (largest swing first), then the tables of the terminal report. It is static — inline SVG and
 * CSS, no script — so it opens from disk, offline, and its content security policy forbids
 * every fetch. Every text from the files is escaped.
 *
 * It is a page of its own rather than a section of `faultline report`: that page plays one or
 * two journals over the dependency graph with a bundled front end, while this one summarises a
 * set of runs, and needs neither the graph nor a script (docs/decisions/010-sensitivity.md).
 */
import type { SensitivityReport } from "../sensitivity/report.js";
import { fmt } from "../sim/format.js";
import { escapeHtml } from "./report-html.js";
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
import { HIGH_COLOUR, LOW_COLOUR, tornadoSvg } from "./tornado-svg.js";

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 2rem auto; max-width: 1040px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
p.lead { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #d0d7de; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.bad { color: #b3261e; font-weight: 600; } .good { color: #1a7f37; font-weight: 600; }
figure { margin: 1rem 0 1.5rem; } figcaption { font-weight: 600; margin-bottom: .25rem; }
svg.tornado text { font: 12px system-ui, sans-serif; fill: #1f2328; }
svg.tornado text.muted { fill: #57606a; } svg.tornado text.value { font-size: 11px; }
.key { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; margin: 0 .3em 0 .8em; }
ul.notes { color: #57606a; }
`;

export function renderSensitivityHtml(
  report: SensitivityReport,
  options: { readonly toolVersion: string },
): string {
  const { model, scenario } = report;
  const title = `Faultline sensitivity — ${scenario.name} on ${model.name}`;
  const body = [
    `<h1>${escapeHtml(`Sensitivity: ${scenario.name} on ${model.name}`)}</h1>`,
    `<p class="lead">${escapeHtml(`Scenario ${scenario.file}, ${fmt(scenario.duration)}; ${designText(report)}: ${variedText(report)}; ${report.runs} runs. Times count from the start of the run.`)}</p>`,
    ...tornadoSection(report),
    ...parameterSection(report),
    ...expectationSection(report),
    ...outcomeSection(report),
    `<p class="lead">${escapeHtml(`Made by faultline ${options.toolVersion}.`)}</p>`,
  ];
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function tornadoSection(report: SensitivityReport): string[] {
  if (report.outcomes.length === 0)
    return [
      "<h2>Tornado</h2>",
      "<p>No outcome moves: within this spread, these numbers do not change this run.</p>",
    ];
  const low = factorLabel(1 - report.design.spread);
  const high = factorLabel(1 + report.design.spread);
  return [
    "<h2>Tornado</h2>",
    `<p>One chart per outcome that moves, the largest swing first; in each, a row per number, measured from the baseline (the vertical line):<span class="key" style="background:${LOW_COLOUR}"></span>${escapeHtml(low)}<span class="key" style="background:${HIGH_COLOUR}"></span>${escapeHtml(high)}. A hatched bar is a move to or from “never” or “not by the end”, which has no length.</p>`,
    ...report.outcomes.map(
      (o, i) =>
        `<figure><figcaption>${escapeHtml(`${outcomeLabel(o)} (baseline ${readingText(o.baseline, o)})`)}</figcaption>${tornadoSvg(o, report.parameters, String(i))}</figure>`,
    ),
  ];
}

function parameterSection(report: SensitivityReport): string[] {
  if (report.parameters.length === 0) return [];
  const low = factorLabel(1 - report.design.spread);
  const high = factorLabel(1 + report.design.spread);
  const notes = sideNotes(report);
  return [
    "<h2>Numbers varied</h2>",
    table(
      ["#", "number", "in", "source", "baseline", low, high],
      [0, 4, 5, 6],
      report.parameters.map((p) => [
        String(p.index),
        `<code>${escapeHtml(p.key)}</code>`,
        escapeHtml(`${p.owner} (${p.file}:${p.loc.line})`),
        escapeHtml([p.source, p.fact ?? p.to ?? p.note].filter((x) => x !== undefined).join(": ")),
        escapeHtml(p.baseline.written),
        escapeHtml(sideCell(p.low)),
        escapeHtml(sideCell(p.high)),
      ]),
    ),
    ...(notes.length > 0
      ? [`<ul class="notes">${notes.map((n) => `<li>* ${escapeHtml(n)}</li>`).join("")}</ul>`]
      : []),
  ];
}

function expectationSection(report: SensitivityReport): string[] {
  const total = report.expectations.length;
  if (total === 0) return ["<h2>Expectations</h2>", "<p>No expectations in the scenario.</p>"];
  const held = report.expectations.filter((x) => x.baseline.ok).length;
  const changed = report.expectations.filter((x) => x.variations.length > 0);
  if (changed.length === 0)
    return [
      "<h2>Expectations</h2>",
      `<p>${held} of ${total} hold in the baseline, and each keeps its verdict and its measure in every run.</p>`,
    ];
  const mark = (ok: boolean, was: boolean) =>
    ok === was ? "" : ok ? '<span class="good">✓</span> ' : '<span class="bad">✗</span> ';
  const rows: string[][] = [];
  for (const x of changed) {
    const cells = new Map<number, { low?: string; high?: string }>();
    for (const v of x.variations) {
      const cell = cells.get(v.parameter) ?? {};
      cell[v.side] = `${mark(v.ok, x.baseline.ok)}${escapeHtml(v.actual)}`;
      cells.set(v.parameter, cell);
    }
    [...cells]
      .sort(([a], [b]) => a - b)
      .forEach(([parameter, cell], i) => {
        rows.push([
          i === 0 ? escapeHtml(`${x.baseline.ok ? "✓" : "✗"} ${expectationLabel(x)}`) : "",
          i === 0 ? escapeHtml(x.expected) : "",
          i === 0 ? escapeHtml(x.baseline.actual) : "",
          String(parameter),
          cell.low ?? "·",
          cell.high ?? "·",
        ]);
      });
  }
  return [
    "<h2>Expectations</h2>",
    `<p>${escapeHtml(expectationSummary(report))}.</p>`,
    table(
      [
        "expectation",
        "expected",
        "baseline",
        "#",
        factorLabel(1 - report.design.spread),
        factorLabel(1 + report.design.spread),
      ],
      [3],
      rows,
    ),
  ];
}

function outcomeSection(report: SensitivityReport): string[] {
  if (report.outcomes.length === 0) return [];
  const rows = report.outcomes.flatMap((o) =>
    o.swings.map((s, i) =>
      [
        i === 0 ? outcomeLabel(o) : "",
        i === 0 ? readingText(o.baseline, o) : "",
        String(s.parameter),
        changeText(s.low, o),
        changeText(s.high, o),
        swingText(s, o.unit),
      ].map(escapeHtml),
    ),
  );
  return [
    "<h2>Outcomes that move</h2>",
    table(
      [
        "outcome",
        "baseline",
        "#",
        factorLabel(1 - report.design.spread),
        factorLabel(1 + report.design.spread),
        "swing",
      ],
      [1, 2, 3, 4, 5],
      rows,
    ),
  ];
}

/** A table of cells already escaped; `numeric` lists the right-aligned columns. */
function table(
  headers: readonly string[],
  numeric: readonly number[],
  rows: readonly (readonly string[])[],
): string {
  const cls = (i: number) => (numeric.includes(i) ? ' class="n"' : "");
  return [
    "<table>",
    `<thead><tr>${headers.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join("")}</tr>`),
    "</tbody>",
    "</table>",
  ].join("\n");
}
