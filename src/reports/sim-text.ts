/**
 * @module reports/sim-text
 * A simulation for people at a terminal: a header (model, scenario, duration, seed), the
 * timeline, then what it cost — impacted components, workloads, queues — and the scenario's
 * expectations, each ✓ or ✗ with where it is written.
 *
 * The timeline gives each change a line (time, subject: from → to) and its cause an indented
 * line below (← mechanism, source, text), wrapped at 100 columns; the time is written once per
 * instant, and simultaneous changes with the same cause share a line, so a cascade of hundreds
 * of changes stays readable. Plain text unless `options.color` asks for ANSI colors; text from
 * the model is stripped of control characters either way.
 */
import pc from "picocolors";
import { appendAll, maxOf } from "../model/arrays.js";
import { count, fmt } from "../sim/format.js";
import type { Journal, Verdict } from "../sim/types.js";
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
  type TimelineRow,
  timeFormat,
  timelineRows,
  WORKLOAD_COLUMNS,
  workloadCells,
} from "./journal.js";
import { type Column, columns, terminalSafeLine, width, wrap } from "./layout.js";

type Colors = ReturnType<typeof pc.createColors>;

const LINE_WIDTH = 100;
const INDENT = "  ";

export function renderJournalText(
  journal: Journal,
  options: { readonly color?: boolean } = {},
): string {
  const c = pc.createColors(options.color ?? false);
  const time = timeFormat(journal);
  const out: string[] = [...header(journal, c)];
  appendAll(out, timelineSection(journal, time, c));
  appendAll(out, componentSection(journal, time, c));
  appendAll(out, workloadSection(journal, c));
  appendAll(out, queueSection(journal, time, c));
  appendAll(out, dataAtRiskSection(journal, time, c));
  appendAll(out, wrongAnswerSection(journal, time, c));
  appendAll(out, numbersSection(journal, c));
  appendAll(out, expectationSection(journal, c));
  return `${out.join("\n")}\n`;
}

/** The calibrated and guessed numbers the run rests on (`assumptions:`), when its files mark any. */
function numbersSection(journal: Journal, c: Colors): string[] {
  const n = journal.numbers;
  if (n === undefined) return [];
  const out = ["", c.bold("Numbers it rests on")];
  const lead = `${n.calibrated.length} calibrated; ${n.guessed.length} guessed about the parts it touched${n.otherGuesses > 0 ? ` (${n.otherGuesses} more about parts it left alone)` : ""}; ${n.public} public. Which of them move its results: faultline sensitivity.`;
  appendAll(out, wrap(lead, LINE_WIDTH, INDENT));
  for (const x of n.calibrated) {
    appendAll(out, wrap(`calibrated ${x.key} (${x.file})`, LINE_WIDTH, INDENT, `${INDENT}    `));
    if (x.to !== undefined)
      appendAll(
        out,
        wrap(`fitted to ${x.to.replace(/\s+/g, " ").trim()}`, LINE_WIDTH, `${INDENT}    `),
      );
  }
  // Guesses by the part they belong to: `components/iam: retry/attempts, tokens/ttl`.
  const parts = new Map<string, string[]>();
  for (const x of n.guessed) {
    const keys = x.key.split("/");
    const part = keys.slice(0, 2).join("/");
    parts.set(part, [...(parts.get(part) ?? []), keys.slice(2).join("/") || (keys[1] ?? "")]);
  }
  for (const [part, rest] of parts)
    appendAll(
      out,
      wrap(`guessed ${part}: ${rest.join(", ")}`, LINE_WIDTH, INDENT, `${INDENT}    `),
    );
  return out;
}

/** Components that answered wrongly: requests served with a wrong answer are not failures. */
function wrongAnswerSection(journal: Journal, time: (t: number) => string, c: Colors): string[] {
  const list = journal.components.filter((x) => (x.wrongAnswers ?? 0) > 0);
  if (list.length === 0) return [];
  const out = ["", c.bold("Wrong answers")];
  for (const x of list)
    out.push(
      ...wrap(
        `${x.id}: ${count(x.wrongAnswers ?? 0)} requests answered wrongly, from ${time(x.wrongSince ?? 0)} (served, so not in its availability)`,
        LINE_WIDTH,
        INDENT,
        `${INDENT}  `,
      ),
    );
  return out;
}

/** Failovers to replicas and lost state, with the work each put at risk. */
function dataAtRiskSection(journal: Journal, time: (t: number) => string, c: Colors): string[] {
  const list = journal.failovers ?? [];
  const losses = journal.losses ?? [];
  if (list.length === 0 && losses.length === 0) return [];
  const out = ["", c.bold("Data at risk")];
  for (const l of losses)
    out.push(
      ...wrap(
        `${time(l.at)}  ${l.component} lost its state: ${
          l.backup === null
            ? `no backup, so everything it served, about ${Math.round(l.atRisk)} requests, is gone`
            : `about ${Math.round(l.atRisk)} requests served since its backup at ${time(l.backup)} are at risk`
        }`,
        LINE_WIDTH,
        INDENT,
        `${INDENT}  `,
      ),
    );
  for (const f of list)
    out.push(
      ...wrap(
        `${time(f.at)}  ${f.primary} → ${f.replica} (${f.automatic ? "automatic" : "manual"}): the last ${fmt(f.lag)} of its work, about ${Math.round(f.atRisk)} requests, had not reached the replica`,
        LINE_WIDTH,
        INDENT,
        `${INDENT}  `,
      ),
    );
  return out;
}

function header(journal: Journal, c: Colors): string[] {
  const { model, scenario, stats } = journal;
  const lines = wrap(
    `Simulation of ${model.name}: scenario ${scenario.name} (${scenario.file}), ${fmt(scenario.duration)}`,
    LINE_WIDTH,
    "",
    INDENT,
  ).map((line, i) => (i === 0 ? c.bold(line) : line));
  if (scenario.startsAt !== null) {
    lines.push(
      ...wrap(
        `Starts at ${scenario.startsAt} (time 0); times below count from there.`,
        LINE_WIDTH,
        INDENT,
      ),
    );
  }
  lines.push(...wrap(`${runSummary(journal)}.`, LINE_WIDTH, INDENT));
  lines.push(c.dim(`${INDENT}Engine: ${stats.steps} steps, ${stats.events} events.`));
  return lines;
}

function timelineSection(journal: Journal, time: (t: number) => string, c: Colors): string[] {
  const rows = timelineRows(journal);
  if (rows.length === 0) return ["", c.bold("Timeline"), `${INDENT}Nothing changed.`];
  const stamps = rows.map((r) => time(r.t));
  const stampWidth = maxOf(stamps.map(width));
  const out = ["", c.bold("Timeline")];
  rows.forEach((row, i) => {
    const stamp = stamps[i] ?? "";
    const shown =
      i > 0 && stamps[i - 1] === stamp ? " ".repeat(stampWidth) : stamp.padEnd(stampWidth);
    const first = `${INDENT}${shown}  `;
    const rest = " ".repeat(width(first));
    appendAll(out, changeLines(row, first, rest, c));
    out.push(
      ...wrap(`← ${causeLabel(row.cause, row.subjects)}`, LINE_WIDTH, `${rest}  `, `${rest}    `),
    );
  });
  return out;
}

function changeLines(row: TimelineRow, first: string, rest: string, c: Colors): string[] {
  const transition = `${row.from} → ${row.to}`;
  const lines = wrap(
    `${subjectLabel(row.kind, row.subjects)}: ${transition}`,
    LINE_WIDTH,
    first,
    `${rest}  `,
  );
  // Color the change at the end of the last line by what it does to the subject.
  const last = lines.length - 1;
  const line = lines[last] ?? "";
  if (line.endsWith(transition)) {
    lines[last] =
      line.slice(0, line.length - transition.length) + stateColor(row.to, c)(transition);
  }
  return lines;
}

function stateColor(state: string, c: Colors): (text: string) => string {
  switch (state) {
    case "down":
    case "empty":
    case "wrong":
    case "nxdomain":
    case "servfail":
    case "alarm":
    case "active":
      return c.red;
    case "degraded":
    case "recovering":
    case "backlogged":
    case "failover":
    case "insufficient-data":
    case "skipped":
      return c.yellow;
    case "up":
    case "ok":
    case "normal":
    case "ended":
    case "done":
      return c.green;
    default:
      return (text) => text;
  }
}

function componentSection(journal: Journal, time: (t: number) => string, c: Colors): string[] {
  const rows = impactedComponents(journal);
  const title = `Components (${rows.length} of ${journal.components.length} impacted)`;
  if (rows.length === 0) return ["", c.bold(title)];
  const cols: Column[] = COMPONENT_COLUMNS.map((title, i) => ({
    title,
    ...(i === 0
      ? { max: 40 }
      : i < COMPONENT_COLUMNS.length - 1
        ? { align: "right" as const }
        : {}),
  }));
  return section(
    title,
    cols,
    rows.map((r) => componentCells(r, time)),
    c,
  );
}

function workloadSection(journal: Journal, c: Colors): string[] {
  if (journal.workloads.length === 0) return [];
  const cols: Column[] = WORKLOAD_COLUMNS.map((title, i) => ({
    title,
    ...(i === 0 ? { max: 40 } : { align: "right" as const }),
  }));
  return section("Workloads", cols, journal.workloads.map(workloadCells), c);
}

function queueSection(journal: Journal, time: (t: number) => string, c: Colors): string[] {
  const rows = notableQueues(journal);
  if (rows.length === 0) return [];
  const cols: Column[] = QUEUE_COLUMNS.map((title, i) => ({
    title,
    ...(i === 0 ? { max: 40 } : { align: "right" as const }),
  }));
  const title =
    rows.length < journal.queues.length
      ? `Queues (${rows.length} of ${journal.queues.length} backed up or lost messages)`
      : "Queues";
  return section(
    title,
    cols,
    rows.map((q) => queueCells(q, time)),
    c,
  );
}

function expectationSection(journal: Journal, c: Colors): string[] {
  if (journal.expectations.length === 0) return ["", c.dim("No expectations in the scenario.")];
  const failed = journal.expectations.some((v) => !v.ok);
  const out = ["", c.bold("Expectations")];
  for (const v of journal.expectations) out.push(...verdictLines(v, c));
  const summary = `${expectationCount(journal)}.`;
  out.push("", failed ? c.bold(c.red(summary)) : c.bold(c.green(summary)));
  return out;
}

function verdictLines(v: Verdict, c: Colors): string[] {
  const mark = v.ok ? c.green("✓") : c.red("✗");
  const where = terminalSafeLine(`${v.loc.file}:${v.loc.line}`);
  const fact = v.fact === undefined ? "" : ` ${c.dim(terminalSafeLine(`(fact ${v.fact})`))}`;
  return [
    `${INDENT}${mark} ${c.bold(terminalSafeLine(`${v.kind} ${v.subject}`))}${fact}  ${c.dim(where)}`,
    ...wrap(`expected ${v.expected}; actual ${v.actual}`, LINE_WIDTH, `${INDENT}    `),
  ];
}

function section(title: string, cols: readonly Column[], cells: string[][], c: Colors): string[] {
  const table = columns(cols, cells, INDENT.length, LINE_WIDTH);
  return ["", c.bold(title), c.dim(table.header), ...table.rows];
}
