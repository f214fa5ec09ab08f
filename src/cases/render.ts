/**
 * @module cases/render
 * A scored case library for a terminal (`text`), a review (`markdown`) or a program (`json`).
 * The text gives each case a table — fact, public value, simulated value, verdict — with cells
 * wrapped rather than cut, then why each fact that is not from mechanisms is not, the case's
 * calibrated numbers with what each was fitted to, and its lessons variant; a table of totals
 * ends it. Text from the files is stripped of control characters.
 */
import pc from "picocolors";
import { appendAll } from "../model/arrays.js";
import { escapeMarkdown, markdownTable } from "../reports/audit-markdown.js";
import { terminalSafeLine, width, wrap } from "../reports/layout.js";
import {
  type CaseScore,
  type FactScore,
  type LibraryScore,
  type Totals,
  totalsOf,
  VERDICT_WORDS,
} from "./score.js";

export const CASES_FORMATS = ["text", "markdown", "json"] as const;
export type CasesFormat = (typeof CASES_FORMATS)[number];

type Colors = ReturnType<typeof pc.createColors>;

const LINE = 100;
const INDENT = "  ";

export function renderCases(
  score: LibraryScore,
  format: CasesFormat,
  options: { readonly color?: boolean } = {},
): string {
  if (format === "json") return `${JSON.stringify(score, null, 2)}\n`;
  if (format === "markdown") return casesMarkdown(score);
  return casesText(score, pc.createColors(options.color ?? false));
}

const fmtFactor = (x: number) => String(Math.round(x * 1000) / 1000);

const percentOf = (n: number, of: number) => (of === 0 ? "—" : `${Math.round((100 * n) / of)}%`);

function headline(score: LibraryScore): string {
  const t = score.totals;
  const spread = Math.round(score.spread * 100);
  return `${score.cases.length} ${score.cases.length === 1 ? "case" : "cases"}, ${t.facts} public facts: ${t.mechanisms} reproduced from mechanisms (${percentOf(t.mechanisms, t.facts)}), ${t.calibrated} ${t.calibrated === 1 ? "depends" : "depend"} on a calibrated number, ${t.notReproduced} not reproduced. A fact is from mechanisms when it holds with each calibrated number at ×${fmtFactor(1 - score.spread)} and ×${fmtFactor(1 + score.spread)} (±${spread}%), one at a time.`;
}

function casesText(score: LibraryScore, c: Colors): string {
  const out: string[] = [c.bold(`Case library ${terminalSafeLine(score.root)}`)];
  appendAll(out, wrap(headline(score), LINE, INDENT));
  for (const s of score.cases) appendAll(out, caseText(s, c));
  appendAll(out, ["", c.bold("Totals"), ...totalsTable(score, c)]);
  return `${out.join("\n")}\n`;
}

function mark(f: FactScore, c: Colors): string {
  if (f.verdict === "mechanisms") return c.green("✓");
  if (f.verdict === "calibrated") return c.yellow("~");
  return c.red("✗");
}

function caseText(s: CaseScore, c: Colors): string[] {
  const out = ["", c.bold(terminalSafeLine(`${s.id} — ${s.title}`))];
  appendAll(out, wrap(flat(s.summary), LINE, INDENT));
  appendAll(
    out,
    wrap(
      `model ${s.model.files[0] ?? ""}, scenario ${s.scenario.file}; ${s.calibrated.length} calibrated, ${s.guessed} guessed and ${s.public} public numbers; ${s.runs} runs`,
      LINE,
      INDENT,
    ).map((l) => c.dim(l)),
  );
  if (s.facts.length === 0) out.push(`${INDENT}No facts in the scenario.`);
  else {
    const rows = s.facts.map((f) => [
      f.id,
      flat(f.public),
      simulatedText(f),
      VERDICT_WORDS[f.verdict],
    ]);
    const idWidth = Math.min(28, Math.max(4, ...s.facts.map((f) => width(f.id))));
    const rest = LINE - INDENT.length - 2 - idWidth - 6 - 16;
    const table = wrappedTable(
      [
        { title: "fact", width: idWidth },
        { title: "public", width: Math.floor(rest / 2) },
        { title: "simulated", width: Math.ceil(rest / 2) },
        { title: "verdict", width: 16 },
      ],
      rows,
      INDENT.length + 2,
    );
    out.push(c.dim(table.header));
    s.facts.forEach((f, i) => {
      const lines = table.rows[i] ?? [];
      lines.forEach((l, j) => {
        out.push(j === 0 ? `${INDENT}${mark(f, c)} ${l.slice(INDENT.length + 2)}` : l);
      });
    });
  }
  const notes = s.facts.filter((f) => f.verdict !== "mechanisms");
  if (notes.length > 0) out.push("", `${INDENT}Why not from mechanisms`);
  for (const f of notes) {
    for (const line of whyNot(f)) appendAll(out, wrap(line, LINE, `${INDENT}  `, `${INDENT}    `));
  }
  if (s.calibrated.length > 0) {
    out.push("", `${INDENT}Calibrated numbers`);
    for (const n of s.calibrated)
      appendAll(
        out,
        wrap(
          `${n.key} = ${n.written} (${n.file}): fitted to ${n.to}`,
          LINE,
          `${INDENT}  `,
          `${INDENT}    `,
        ),
      );
  }
  if (s.lessons !== undefined) {
    const l = s.lessons;
    out.push("");
    appendAll(
      out,
      wrap(
        `Lessons (${l.file}): ${l.met} of ${l.total} expectations met${l.total === 0 ? "" : l.met === l.total ? "" : "; not met:"}`,
        LINE,
        INDENT,
      ),
    );
    for (const v of l.verdicts.filter((x) => !x.ok))
      appendAll(
        out,
        wrap(
          `✗ ${v.kind} ${v.subject}: expected ${v.expected}; actual ${v.actual}`,
          LINE,
          `${INDENT}  `,
          `${INDENT}    `,
        ),
      );
  }
  return out;
}

/** Text from a file on one line: folded YAML keeps a final line break. */
const flat = (text: string) => text.replace(/\s+/g, " ").trim();

/** What the run shows for a fact: each check's reading, with its subject when there are several. */
function simulatedText(f: FactScore): string {
  if (f.checks.length === 0) return "—";
  if (f.checks.length === 1) return f.checks[0]?.actual ?? "";
  return f.checks.map((x) => `${x.subject} ${x.actual}`).join("; ");
}

/** Why a fact is not reproduced from mechanisms, a line each. */
function whyNot(f: FactScore): string[] {
  if (f.notSimulated !== undefined) return [`${f.id}: not simulated — ${flat(f.notSimulated)}`];
  if (f.verdict === "not-reproduced")
    return f.checks
      .filter((x) => !x.ok)
      .map(
        (x) =>
          `${f.id}: ${x.kind} ${x.subject} expected ${x.expected}; actual ${x.actual} (${x.loc.file}:${x.loc.line})`,
      );
  return f.breaks.map(
    (b) =>
      `${f.id}: breaks with ${b.key} ×${fmtFactor(b.factor)}${b.written !== undefined ? ` (${b.written})` : ""}: ${b.actual}`,
  );
}

interface WrappedColumn {
  readonly title: string;
  readonly width: number;
}

/** A table whose cells wrap within their column instead of being cut. */
function wrappedTable(
  cols: readonly WrappedColumn[],
  rows: readonly (readonly string[])[],
  indent: number,
): { header: string; rows: string[][] } {
  const pad = (text: string, w: number) => text + " ".repeat(Math.max(0, w - width(text)));
  const line = (cells: readonly string[]) =>
    (
      " ".repeat(indent) + cells.map((cell, i) => pad(cell, cols[i]?.width ?? 0)).join("  ")
    ).trimEnd();
  return {
    header: line(cols.map((c) => c.title)),
    rows: rows.map((r) => {
      const cells = cols.map((col, i) =>
        wrap(terminalSafeLine(r[i] ?? ""), col.width, "").map((l) => l.trimEnd()),
      );
      const height = Math.max(...cells.map((x) => x.length));
      return Array.from({ length: height }, (_, k) => line(cells.map((x) => x[k] ?? "")));
    }),
  };
}

function totalsRows(score: LibraryScore): { id: string; t: Totals }[] {
  return [
    ...score.cases.map((s) => ({ id: s.id, t: totalsOf(s.facts) })),
    { id: "all", t: score.totals },
  ];
}

function totalsTable(score: LibraryScore, c: Colors): string[] {
  const rows = totalsRows(score).map(({ id, t }) => [
    id,
    String(t.facts),
    `${t.mechanisms} (${percentOf(t.mechanisms, t.facts)})`,
    `${t.calibrated} (${percentOf(t.calibrated, t.facts)})`,
    `${t.notReproduced} (${percentOf(t.notReproduced, t.facts)})`,
  ]);
  const titles = ["case", "facts", "from mechanisms", "on a calibrated number", "not reproduced"];
  const widths = titles.map((t, i) => Math.max(width(t), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    (
      INDENT +
      cells
        .map((cell, i) => {
          const p = " ".repeat((widths[i] ?? 0) - width(cell));
          return i === 0 ? cell + p : p + cell;
        })
        .join("  ")
    ).trimEnd();
  return [
    c.dim(line(titles)),
    ...rows.map((r, i) => (i === rows.length - 1 ? c.bold(line(r)) : line(r))),
  ];
}

function casesMarkdown(score: LibraryScore): string {
  const out: string[] = [
    `# Case library ${escapeMarkdown(score.root)}`,
    "",
    escapeMarkdown(headline(score)),
  ];
  for (const s of score.cases) {
    out.push(
      "",
      `## ${escapeMarkdown(`${s.id} — ${s.title}`)}`,
      "",
      escapeMarkdown(flat(s.summary)),
      "",
    );
    out.push(
      markdownTable(
        [
          ["Fact", "left"],
          ["Public", "left"],
          ["Simulated", "left"],
          ["Verdict", "left"],
        ],
        s.facts.map((f) => [
          escapeMarkdown(`${f.id}: ${flat(f.claim)}`),
          escapeMarkdown(flat(f.public)),
          escapeMarkdown(simulatedText(f)),
          escapeMarkdown(VERDICT_WORDS[f.verdict]),
        ]),
      ),
    );
    const notes = s.facts.filter((f) => f.verdict !== "mechanisms").flatMap(whyNot);
    if (notes.length > 0) out.push("", ...notes.map((n) => `- ${escapeMarkdown(n)}`));
    if (s.calibrated.length > 0)
      out.push(
        "",
        "Calibrated numbers:",
        "",
        ...s.calibrated.map(
          (n) =>
            `- \`${n.key}\` = ${escapeMarkdown(n.written)}: fitted to ${escapeMarkdown(flat(n.to))}`,
        ),
      );
    if (s.lessons !== undefined)
      out.push(
        "",
        `Lessons (\`${s.lessons.file}\`): ${s.lessons.met} of ${s.lessons.total} expectations met.`,
      );
  }
  out.push(
    "",
    "## Totals",
    "",
    markdownTable(
      [
        ["Case", "left"],
        ["Facts", "right"],
        ["From mechanisms", "right"],
        ["On a calibrated number", "right"],
        ["Not reproduced", "right"],
      ],
      totalsRows(score).map(({ id, t }) => [
        id,
        String(t.facts),
        `${t.mechanisms} (${percentOf(t.mechanisms, t.facts)})`,
        `${t.calibrated} (${percentOf(t.calibrated, t.facts)})`,
        `${t.notReproduced} (${percentOf(t.notReproduced, t.facts)})`,
      ]),
    ),
  );
  return `${out.join("\n")}\n`;
}
