/**
 * @module reports/sensitivity-text
 * A sensitivity analysis for people at a terminal: the numbers varied and what each side wrote,
 * the expectations whose verdict or measure changes (✗ where one breaks, ✓ where one newly
 * holds), then the outcomes that move, largest swing first — times, then availabilities — each
 * side as its change from the baseline. Plain text unless `options.color` asks for ANSI colors;
 * text from the files is stripped of control characters either way.
 */
import pc from "picocolors";
import type { SensitivityReport } from "../sensitivity/report.js";
import { fmt } from "../sim/format.js";
import { type Column, columns, wrap } from "./layout.js";
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

type Colors = ReturnType<typeof pc.createColors>;

const LINE_WIDTH = 100;
/** For a table whose last column holds names: never cut them. */
const WHOLE = 1000;
const INDENT = "  ";

export function renderSensitivityText(
  report: SensitivityReport,
  options: { readonly color?: boolean } = {},
): string {
  const c = pc.createColors(options.color ?? false);
  const out = [
    ...header(report, c),
    ...parameterSection(report, c),
    ...expectationSection(report, c),
    ...outcomeSections(report, c),
  ];
  return `${out.join("\n")}\n`;
}

function header(report: SensitivityReport, c: Colors): string[] {
  const { model, scenario } = report;
  return [
    ...wrap(
      `Sensitivity of ${model.name}: scenario ${scenario.name} (${scenario.file}), ${fmt(scenario.duration)}`,
      LINE_WIDTH,
      "",
      INDENT,
    ).map((line, i) => (i === 0 ? c.bold(line) : line)),
    ...wrap(
      `${capitalized(designText(report))}: ${variedText(report)}; ${report.runs} runs. Times count from the start of the run.`,
      LINE_WIDTH,
      INDENT,
    ),
  ];
}

function parameterSection(report: SensitivityReport, c: Colors): string[] {
  const first = report.parameters[0];
  if (first === undefined) return [];
  // The path last, whole: it is what names the number.
  const cols: Column[] = [
    { title: "#", align: "right" },
    { title: "source" },
    { title: "baseline", align: "right" },
    { title: factorLabel(first.low.factor), align: "right" },
    { title: factorLabel(first.high.factor), align: "right" },
    { title: "number (in the model or the scenario)" },
  ];
  const rows = report.parameters.map((p) => [
    String(p.index),
    p.source,
    p.baseline.written,
    sideCell(p.low),
    sideCell(p.high),
    `${p.key} (${p.owner})`,
  ]);
  const table = columns(cols, rows, INDENT.length, WHOLE);
  const notes = sideNotes(report);
  return [
    "",
    c.bold("Numbers varied"),
    c.dim(table.header),
    ...table.rows,
    ...notes.flatMap((n) => wrap(`* ${n}`, LINE_WIDTH, INDENT, `${INDENT}  `)),
  ];
}

function expectationSection(report: SensitivityReport, c: Colors): string[] {
  const total = report.expectations.length;
  if (total === 0) return ["", c.dim("No expectations in the scenario.")];
  const changed = report.expectations.filter((x) => x.variations.length > 0);
  const title = `Expectations: ${expectationSummary(report)}`;
  const out = ["", ...wrap(title, LINE_WIDTH, "", INDENT).map((l) => c.bold(l))];
  const first = report.parameters[0];
  const cols: Column[] = [
    { title: "#", align: "right" },
    { title: factorLabel(first?.low.factor ?? 0.5), max: 40 },
    { title: factorLabel(first?.high.factor ?? 1.5) },
  ];
  for (const x of changed) {
    const mark = x.baseline.ok ? c.green("✓") : c.red("✗");
    out.push(
      ...wrap(
        `${expectationLabel(x)}: expected ${x.expected}; baseline ${x.baseline.actual}  ${x.loc.file}:${x.loc.line}`,
        LINE_WIDTH,
        `${INDENT}${mark} `,
        `${INDENT}    `,
      ),
    );
    const byParameter = new Map<number, { low?: string; high?: string }>();
    for (const v of x.variations) {
      const flip = v.ok === x.baseline.ok ? "" : v.ok ? "✓ " : "✗ ";
      const cell = byParameter.get(v.parameter) ?? {};
      cell[v.side] = `${flip}${brief(v.actual)}`;
      byParameter.set(v.parameter, cell);
    }
    const rows = [...byParameter]
      .sort(([a], [b]) => a - b)
      .map(([parameter, cell]) => [String(parameter), cell.low ?? "·", cell.high ?? "·"]);
    const table = columns(cols, rows, INDENT.length + 4, LINE_WIDTH);
    out.push(
      c.dim(table.header),
      ...table.rows.map((line) => line.replace(/✗/g, c.red("✗")).replace(/✓/g, c.green("✓"))),
    );
  }
  return out;
}

/** A verdict's words without their parenthesis: `542.55M lost (0 expired, …)` → `542.55M lost`. */
function brief(actual: string): string {
  const at = actual.indexOf(" (");
  return at > 0 ? actual.slice(0, at) : actual;
}

function outcomeSections(report: SensitivityReport, c: Colors): string[] {
  if (report.outcomes.length === 0)
    return [
      "",
      c.bold("Outcomes"),
      `${INDENT}No outcome moves: within this spread, these numbers do not change this run.`,
    ];
  const out: string[] = [];
  for (const [unit, title] of [
    ["time", "Times that move, largest swing first"],
    ["fraction", "Availability that moves, largest swing first"],
  ] as const) {
    const outcomes = report.outcomes.filter((o) => o.unit === unit);
    if (outcomes.length === 0) continue;
    const first = report.parameters[0];
    const cols: Column[] = [
      { title: "outcome", max: 44 },
      { title: "baseline", align: "right" },
      { title: "#", align: "right" },
      { title: factorLabel(first?.low.factor ?? 0.5), align: "right" },
      { title: factorLabel(first?.high.factor ?? 1.5), align: "right" },
      { title: "swing", align: "right" },
    ];
    const rows: string[][] = [];
    for (const o of outcomes)
      o.swings.forEach((s, i) => {
        rows.push([
          i === 0 ? outcomeLabel(o) : "",
          i === 0 ? readingText(o.baseline, o) : "",
          String(s.parameter),
          changeText(s.low, o),
          changeText(s.high, o),
          swingText(s, o.unit),
        ]);
      });
    const table = columns(cols, rows, INDENT.length, LINE_WIDTH);
    out.push("", c.bold(title), c.dim(table.header), ...table.rows);
  }
  return out;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
