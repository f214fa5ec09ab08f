/** The data the page draws: the shapes `src/reports/report-data.ts` produces (types only). */

export type { Diagnostic } from "../../src/model/diagnostics.js";
export type {
  EdgeKind,
  ReportData,
  ViewChange,
  ViewDomain,
  ViewEdge,
  ViewExplanation,
  ViewNode,
  ViewRun,
} from "../../src/reports/report-data.js";

/** What the page shows a node as at a moment; "idle" outside a simulation. */
export type VisualState = "idle" | "up" | "degraded" | "down" | "recovering";
