/**
 * What the report page exposes as `window.faultline`: the view's controls, for automation (the
 * browser tests drive the timeline and read node states through it).
 */
import type { VisualState } from "./types.js";

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
  destroy(): void;
}

declare global {
  interface Window {
    faultline?: ReportView;
  }
}
