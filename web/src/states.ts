/**
 * The state of each node at a moment, read from the run's recorded changes (binary search: the
 * latest change at or before the moment). Records and queues have states of their own; they are
 * drawn with the component palette: a record not answering correctly as down, a queue that is
 * not normal as degraded.
 */
import type { ViewChange, ViewRun, VisualState } from "./types.js";

export const STATES: readonly VisualState[] = ["up", "degraded", "down", "recovering"];

/** Okabe–Ito colours, readable with the common colour-vision deficiencies. */
export const PALETTE: Readonly<
  Record<VisualState, { fill: string; border: string; text: string }>
> = {
  idle: { fill: "#ffffff", border: "#6b7280", text: "#111827" },
  up: { fill: "#dff3ec", border: "#009E73", text: "#0b3d2e" },
  degraded: { fill: "#fbe6b8", border: "#b87a00", text: "#3d2a00" },
  down: { fill: "#D55E00", border: "#7a2f00", text: "#ffffff" },
  recovering: { fill: "#d3e8f7", border: "#0072B2", text: "#06304d" },
};

/** The second channel besides colour: a glyph before the label and a node shape. */
export const GLYPH: Readonly<Record<VisualState, string>> = {
  idle: "",
  up: "",
  degraded: "◐ ",
  down: "✖ ",
  recovering: "↻ ",
};

export const SHAPE: Readonly<Record<VisualState, string>> = {
  idle: "round-rectangle",
  up: "round-rectangle",
  degraded: "cut-rectangle",
  down: "octagon",
  recovering: "barrel",
};

export function visualState(raw: string | undefined): VisualState {
  if (raw === undefined) return "up";
  switch (raw) {
    case "up":
    case "ok":
    case "normal":
      return "up";
    case "degraded":
    case "recovering":
    case "down":
      return raw;
    default:
      // A queue backlogged; a record answering empty, wrong, nxdomain or servfail.
      return raw === "backlogged" ? "degraded" : "down";
  }
}

/** The raw state recorded for `id` at `t` (undefined: never changed by then). */
export function rawStateAt(
  changes: readonly ViewChange[] | undefined,
  t: number,
): ViewChange | undefined {
  if (changes === undefined || changes.length === 0) return undefined;
  let lo = 0;
  let hi = changes.length - 1;
  if ((changes[0] as ViewChange).t > t) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((changes[mid] as ViewChange).t <= t) lo = mid;
    else hi = mid - 1;
  }
  return changes[lo];
}

export function stateAt(run: ViewRun, id: string, t: number): VisualState {
  return visualState(rawStateAt(run.changes[id], t)?.to);
}

/** Worst first: how a collapsed group shows the states inside it. */
export const SEVERITY: Readonly<Record<VisualState, number>> = {
  idle: 0,
  up: 1,
  recovering: 2,
  degraded: 3,
  down: 4,
};
