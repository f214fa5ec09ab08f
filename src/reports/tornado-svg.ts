/**
 * @module reports/tornado-svg
 * A tornado chart of one outcome as inline SVG: a row per varied number, largest swing at the
 * top, each with two bars measured from the baseline (the vertical line) — the outcome with the
 * number × (1 − spread), then × (1 + spread). Both sides share one symmetric scale, so bars
 * compare across rows. A side that turns the outcome into "never" or "not by the end" (or back)
 * has no length: it is drawn hatched to the edge and says so.
 *
 * The colours are the Okabe–Ito blue and orange, told apart with any colour vision; every text
 * comes escaped from `escapeHtml`.
 */
import { maxOf } from "../model/arrays.js";
import type { OutcomeResult, ParameterResult, Swing } from "../sensitivity/report.js";
import { escapeHtml } from "./report-html.js";
import { changeText, readingText, signed } from "./sensitivity-words.js";

const WIDTH = 760;
const LABEL = 250;
const ROW = 34;
const TOP = 26;
const BOTTOM = 34;
const PLOT_LEFT = LABEL + 70;
/** Room on the right for the words of a hatched bar ("not by the end"). */
const PLOT_RIGHT = WIDTH - 110;
const CENTER = (PLOT_LEFT + PLOT_RIGHT) / 2;
const HALF = (PLOT_RIGHT - PLOT_LEFT) / 2;

export const LOW_COLOUR = "#0072b2";
export const HIGH_COLOUR = "#e69f00";

/** The chart of `outcome`; `id` makes its pattern's id unique in the page. */
export function tornadoSvg(
  outcome: OutcomeResult,
  parameters: readonly ParameterResult[],
  id: string,
): string {
  const base = outcome.baseline;
  const deltas = outcome.swings.flatMap((s) =>
    [s.low, s.high].filter((r): r is number => typeof r === "number" && typeof base === "number"),
  );
  const reach = maxOf(
    deltas.map((r) => Math.abs(r - (base as number))),
    0,
  );
  const scale = reach > 0 ? HALF / reach : 0;
  const height = TOP + outcome.swings.length * ROW + BOTTOM;
  const hatch = `hatch-${id}`;
  const rows = outcome.swings.map((s, i) =>
    row(outcome, s, parameters, TOP + i * ROW, scale, hatch),
  );
  const axis =
    typeof base === "number" && reach > 0
      ? [
          tick(PLOT_LEFT, signed(-reach, outcome.unit), height),
          tick(PLOT_RIGHT, signed(reach, outcome.unit), height),
        ].join("")
      : "";
  return [
    `<svg class="tornado" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(`Tornado chart of ${outcome.id}`)}">`,
    `<defs><pattern id="${hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#57606a" stroke-width="3"/></pattern></defs>`,
    `<text x="${CENTER}" y="14" text-anchor="middle" class="muted">baseline ${escapeHtml(readingText(base, outcome))}</text>`,
    ...rows,
    `<line x1="${CENTER}" y1="${TOP - 4}" x2="${CENTER}" y2="${height - BOTTOM + 4}" stroke="#24292f" stroke-width="1.5"/>`,
    axis,
    "</svg>",
  ].join("");
}

function row(
  o: OutcomeResult,
  s: Swing,
  parameters: readonly ParameterResult[],
  y: number,
  scale: number,
  hatch: string,
): string {
  const p = parameters.find((x) => x.index === s.parameter);
  const label = p === undefined ? `#${s.parameter}` : `#${p.index} ${shortKey(p.key)}`;
  const title = p === undefined ? label : `#${p.index} ${p.key} (${p.owner}, ${p.source})`;
  return [
    `<g><title>${escapeHtml(title)}</title>`,
    `<text x="${LABEL}" y="${y + ROW / 2 + 4}" text-anchor="end">${escapeHtml(label)}</text>`,
    bar(o, s.low, y + 5, LOW_COLOUR, scale, hatch),
    bar(o, s.high, y + ROW / 2 + 1, HIGH_COLOUR, scale, hatch),
    "</g>",
  ].join("");
}

/** One side's bar, from the baseline to its reading, labelled with its change. */
function bar(
  o: OutcomeResult,
  r: Swing["low"],
  y: number,
  colour: string,
  scale: number,
  hatch: string,
): string {
  const h = ROW / 2 - 6;
  const text = changeText(r, o);
  const label = (x: number, anchor: "start" | "end") =>
    `<text x="${x}" y="${y + h - 2}" text-anchor="${anchor}" class="value">${escapeHtml(text)}</text>`;
  if (r === undefined || text === "·")
    return `<circle cx="${CENTER}" cy="${y + h / 2}" r="2.5" fill="${colour}"/>${r === undefined ? label(CENTER + 6, "start") : ""}`;
  if (typeof r !== "number" || typeof o.baseline !== "number")
    return `<rect x="${CENTER}" y="${y}" width="${HALF}" height="${h}" fill="url(#${hatch})" stroke="${colour}" stroke-width="2"/>${label(PLOT_RIGHT + 4, "start")}`;
  const length = Math.max(1, Math.abs(r - o.baseline) * scale);
  const right = r >= o.baseline;
  const x = right ? CENTER : CENTER - length;
  return `<rect x="${x.toFixed(1)}" y="${y}" width="${length.toFixed(1)}" height="${h}" fill="${colour}"/>${right ? label(CENTER + length + 4, "start") : label(CENTER - length - 4, "end")}`;
}

function tick(x: number, text: string, height: number): string {
  const y = height - BOTTOM + 4;
  return `<line x1="${x}" y1="${TOP - 4}" x2="${x}" y2="${y}" stroke="#d0d7de" stroke-dasharray="3 3"/><text x="${x}" y="${y + 16}" text-anchor="middle" class="muted">${escapeHtml(text)}</text>`;
}

/** The last two parts of a long path: `consumers/ec2-network-manager/rate` → `…/ec2-network-manager/rate`. */
function shortKey(key: string): string {
  if (key.length <= 34) return key;
  const parts = key.split("/");
  const tail = parts.slice(-2).join("/");
  return `…/${tail.length > 32 ? `${tail.slice(0, 31)}…` : tail}`;
}
