/**
 * @module diagram/style
 * One palette and one legend for the three diagram languages, so that a hard dependency looks
 * the same in Graphviz, Mermaid and D2: the writers translate these into their own syntax.
 */
import type { EdgeKind, EdgeState, NodeShape, NodeState } from "./scene.js";

export type Stroke = "solid" | "dashed" | "dotted";

export interface EdgeStyle {
  readonly color: string;
  readonly stroke: Stroke;
  /** Line width in points (px for Mermaid). */
  readonly width: number;
  /** What the legend says about the kind. */
  readonly legend: string;
}

export const EDGE_STYLE: Readonly<Record<EdgeKind, EdgeStyle>> = {
  hard: { color: "#24292f", stroke: "solid", width: 2.5, legend: "hard dependency (needs)" },
  fallback: {
    color: "#24292f",
    stroke: "solid",
    width: 1,
    legend: "fallback of a hard dependency",
  },
  soft: {
    color: "#57606a",
    stroke: "dashed",
    width: 1.2,
    legend: "soft dependency (wants), labelled with its degraded mode",
  },
  async: {
    color: "#0969da",
    stroke: "dotted",
    width: 1.5,
    legend: "asynchronous: publishes, consumes, queue host, dead letter",
  },
  dns: {
    color: "#1a7f64",
    stroke: "solid",
    width: 1.5,
    legend: "implicit DNS: call resolved through a record, record served by",
  },
  "dns-record": {
    color: "#1a7f64",
    stroke: "dashed",
    width: 1,
    legend: "DNS record: resolves to, failover, written by",
  },
  auth: {
    color: "#8250df",
    stroke: "solid",
    width: 1.5,
    legend: "implicit identity: call authenticated by (auth)",
  },
  implicit: {
    color: "#bc4c00",
    stroke: "solid",
    width: 1.5,
    legend: "implicit, from the provider catalogue: needed to serve",
  },
  "control-plane": {
    color: "#bc4c00",
    stroke: "dashed",
    width: 1.2,
    legend:
      "implicit, from the provider catalogue: control plane needed to create, change or fail over",
  },
  observes: { color: "#8c959f", stroke: "dotted", width: 1, legend: "monitor observes" },
  entry: { color: "#9a6700", stroke: "solid", width: 1, legend: "workload enters at" },
};

/** Highlighted edges keep their kind's stroke and take the colour of what they carry. */
export const EDGE_STATE_COLOR: Readonly<Record<EdgeState, string>> = {
  down: "#cf222e",
  degraded: "#bf8700",
  dim: "#d0d7de",
};

export interface Paint {
  readonly fill: string;
  readonly stroke: string;
  readonly font: string;
}

/** Nodes and clusters with no highlight. */
export const PLAIN: Paint = { fill: "#ffffff", stroke: "#57606a", font: "#24292f" };
export const CLUSTER: Paint = { fill: "#f6f8fa", stroke: "#8c959f", font: "#24292f" };

export const STATE_PAINT: Readonly<Record<NodeState, Paint>> = {
  unit: { fill: "#cf222e", stroke: "#82071e", font: "#ffffff" },
  down: { fill: "#ffcecb", stroke: "#cf222e", font: "#24292f" },
  degraded: { fill: "#fff1b8", stroke: "#bf8700", font: "#24292f" },
  dim: { fill: "#ffffff", stroke: "#d8dee4", font: "#8c959f" },
};

/** Clusters under a highlight: lighter than nodes, so that the nodes inside stay readable. */
export const CLUSTER_STATE_PAINT: Readonly<Record<NodeState, Paint>> = {
  unit: { fill: "#ffebe9", stroke: "#cf222e", font: "#82071e" },
  down: { fill: "#fff5f4", stroke: "#cf222e", font: "#82071e" },
  degraded: { fill: "#fff8c5", stroke: "#bf8700", font: "#24292f" },
  dim: { fill: "#ffffff", stroke: "#d8dee4", font: "#8c959f" },
};

export const STATE_LEGEND: Readonly<Record<NodeState, string>> = {
  unit: "failed unit",
  down: "down with it",
  degraded: "degraded (soft dependency down)",
  dim: "unaffected",
};

export const SHAPE_LEGEND: Readonly<Record<NodeShape, string>> = {
  component: "component",
  store: "data store",
  record: "DNS record",
  queue: "queue",
  workload: "workload",
  domain: "failure domain with nothing placed in it",
};

export function paintOf(state: NodeState | undefined): Paint {
  return state === undefined ? PLAIN : STATE_PAINT[state];
}

export function clusterPaintOf(state: NodeState | undefined): Paint {
  return state === undefined ? CLUSTER : CLUSTER_STATE_PAINT[state];
}

export function edgeColor(kind: EdgeKind, state: EdgeState | undefined): string {
  return state === undefined ? EDGE_STYLE[kind].color : EDGE_STATE_COLOR[state];
}

/** The title line: the model, and the unit when one is highlighted. */
export function titleOf(model: string, unit: string | undefined, whole: boolean): string {
  if (unit === undefined) return `faultline: ${model}`;
  return `faultline: ${model} — blast radius of ${unit}${whole ? " (every replica)" : ""}`;
}
