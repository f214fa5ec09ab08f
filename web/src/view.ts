/**
 * What the report page exposes as `window.faultline`: the view's controls, for automation (the
 * browser tests drive the timeline and read node states through it).
 */
import type { VisualState } from "./types.js";

/** Something the graph draws, with its box in page coordinates. */
export interface DrawnBox {
  /** A node or a collapsed group (its label inside it), or an open domain's title. */
  readonly type: "node" | "group" | "title";
  readonly id: string;
  readonly label: string;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface ReportView {
  /** Resolves when the graph is laid out and drawn. */
  readonly ready: Promise<void>;
  readonly time: () => number;
  setTime(t: number): void;
  select(id: string | null): void;
  /** The state drawn for a node in run `run` (0 = the first). */
  stateOf(id: string, run?: number): VisualState;
  /** A node's position in page coordinates, for pointing at it. */
  nodePosition(id: string, run?: number): { x: number; y: number } | null;
  /** The collapsed domain a node is drawn inside of (null: drawn itself). */
  groupOf(id: string, run?: number): string | null;
  expand(domain: string, run?: number): Promise<void>;
  /** What the graph of run `run` draws now: nodes, groups and domain titles, with their boxes. */
  drawn(run?: number): DrawnBox[];
  destroy(): void;
}

declare global {
  interface Window {
    faultline?: ReportView;
  }
}
