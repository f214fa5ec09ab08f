/**
 * @module diagram/dot
 * A scene in Graphviz DOT. Every id and label is a quoted string: inside one, DOT gives meaning
 * only to `\"` (and, in labels, to escapes such as `\n` and `\N`), so backslashes are doubled,
 * quotes escaped and line breaks written as `\n`; `<` and `>` need nothing outside HTML labels,
 * which are never used. Clusters are subgraphs whose name starts with `cluster`, as Graphviz asks.
 */
import type { NodeShape, Scene, SceneCluster, SceneNode } from "./scene.js";
import {
  clusterPaintOf,
  EDGE_STYLE,
  edgeColor,
  PLAIN,
  SHAPE_LEGEND,
  STATE_LEGEND,
  STATE_PAINT,
  titleOf,
} from "./style.js";

const SHAPE: Readonly<Record<NodeShape, { shape: string; style: string }>> = {
  component: { shape: "box", style: "rounded,filled" },
  store: { shape: "cylinder", style: "filled" },
  record: { shape: "hexagon", style: "filled" },
  queue: { shape: "cds", style: "filled" },
  workload: { shape: "ellipse", style: "filled" },
  domain: { shape: "tab", style: "filled" },
};

/** A DOT quoted string. */
export function dotString(text: string): string {
  return `"${text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, "\\n")}"`;
}

/** A label of several lines: each line escaped, joined by DOT's centred line break. */
function dotLabel(lines: readonly string[]): string {
  return `"${lines.map((l) => dotString(l).slice(1, -1)).join("\\n")}"`;
}

/** An attribute list; a value given as an array of lines is a multi-line label. */
function attrs(list: readonly (readonly [string, string | number | readonly string[]])[]): string {
  const value = (v: string | number | readonly string[]) =>
    typeof v === "number" ? String(v) : typeof v === "string" ? dotString(v) : dotLabel(v);
  return `[${list.map(([k, v]) => `${k}=${value(v)}`).join(", ")}]`;
}

export function renderDot(scene: Scene, options: { legend?: boolean } = {}): string {
  const out: string[] = [];
  const title = titleOf(
    scene.model,
    scene.highlight?.unit,
    scene.highlight?.wholeComponent ?? false,
  );
  out.push(`digraph ${dotString(scene.model)} {`);
  out.push(
    `  graph ${attrs([
      ["label", title],
      ["labelloc", "t"],
      ["fontname", "Helvetica"],
      ["fontsize", 16],
      ["rankdir", "LR"],
      ["newrank", "true"],
      ["nodesep", 0.3],
      ["ranksep", 0.6],
    ])};`,
  );
  // Node defaults are a plain component; each node states only what differs.
  out.push(
    `  node ${attrs([
      ["fontname", "Helvetica"],
      ["fontsize", 10],
      ["shape", SHAPE.component.shape],
      ["style", SHAPE.component.style],
      ["fillcolor", PLAIN.fill],
      ["color", PLAIN.stroke],
      ["fontcolor", PLAIN.font],
    ])};`,
  );
  out.push(
    `  edge ${attrs([
      ["fontname", "Helvetica"],
      ["fontsize", 9],
      ["arrowsize", 0.7],
    ])};`,
  );

  const node = (n: SceneNode, indent: string) => {
    const s = SHAPE[n.shape];
    const list: [string, string | number | readonly string[]][] = [["label", n.lines]];
    if (n.shape !== "component") list.push(["shape", s.shape], ["style", s.style]);
    if (n.state !== undefined) {
      const paint = STATE_PAINT[n.state];
      list.push(["fillcolor", paint.fill], ["color", paint.stroke], ["fontcolor", paint.font]);
      if (n.state === "unit") list.push(["penwidth", 2]);
    }
    out.push(`${indent}${dotString(n.key)} ${attrs(list)};`);
  };
  const cluster = (c: SceneCluster, indent: string) => {
    const paint = clusterPaintOf(c.state);
    out.push(`${indent}subgraph ${dotString(`cluster_${c.key}`)} {`);
    out.push(
      `${indent}  graph ${attrs([
        ["label", c.lines],
        ["style", "rounded,filled"],
        ["fillcolor", paint.fill],
        ["color", paint.stroke],
        ["fontcolor", paint.font],
        ["fontsize", 12],
        ["penwidth", c.state === "unit" ? 2.5 : 1],
      ])};`,
    );
    for (const inner of c.clusters) cluster(inner, `${indent}  `);
    for (const n of c.nodes) node(n, `${indent}  `);
    out.push(`${indent}}`);
  };
  for (const c of scene.clusters) cluster(c, "  ");
  for (const n of scene.nodes) node(n, "  ");

  for (const e of scene.edges) {
    const style = EDGE_STYLE[e.kind];
    const color = edgeColor(e.kind, e.state);
    out.push(
      `  ${dotString(e.from)} -> ${dotString(e.to)} ${attrs([
        ["color", color],
        ["style", style.stroke],
        ["penwidth", style.width],
        ...(e.label !== undefined
          ? ([
              ["label", e.label],
              ["fontcolor", color],
            ] as const)
          : []),
      ])};`,
    );
  }

  if (options.legend !== false) legend(scene, out);
  out.push("}");
  return `${out.join("\n")}\n`;
}

/**
 * The legend: a cluster with one sample edge per edge kind drawn, labelled, then a sample of each
 * node shape and, under a highlight, each state. Sample edges start in one column and end in
 * another (`rank=same`), so they lie side by side instead of wandering across the layout.
 */
function legend(scene: Scene, out: string[]): void {
  out.push(`  subgraph "cluster_legend" {`);
  out.push(
    `    graph ${attrs([
      ["label", "Legend"],
      ["style", "rounded"],
      ["color", "#8c959f"],
      ["fontsize", 12],
    ])};`,
  );
  const starts: string[] = [];
  const ends: string[] = [];
  for (const kind of scene.edgeKinds) {
    const style = EDGE_STYLE[kind];
    const a = dotString(`legend:${kind}:from`);
    const b = dotString(`legend:${kind}:to`);
    starts.push(a);
    ends.push(b);
    for (const point of [a, b])
      out.push(
        `    ${point} ${attrs([
          ["shape", "point"],
          ["width", 0.06],
          ["label", ""],
        ])};`,
      );
    out.push(
      `    ${a} -> ${b} ${attrs([
        ["color", style.color],
        ["style", style.stroke],
        ["penwidth", style.width],
        ["label", style.legend],
        ["fontcolor", style.color],
        ["minlen", 3],
      ])};`,
    );
  }
  type Attr = [string, string | number | readonly string[]];
  const samples: { id: string; attrs: Attr[] }[] = scene.shapes.map((shape) => ({
    id: `legend:shape:${shape}`,
    attrs: [
      ["label", SHAPE_LEGEND[shape]],
      ["shape", SHAPE[shape].shape],
      ["style", SHAPE[shape].style],
    ],
  }));
  if (scene.highlight) {
    for (const state of ["unit", "down", "degraded", "dim"] as const) {
      const paint = STATE_PAINT[state];
      samples.push({
        id: `legend:state:${state}`,
        attrs: [
          ["label", STATE_LEGEND[state]],
          ["fillcolor", paint.fill],
          ["color", paint.stroke],
          ["fontcolor", paint.font],
        ],
      });
    }
  }
  for (const sample of samples) {
    const name = dotString(sample.id);
    starts.push(name);
    out.push(`    ${name} ${attrs([...sample.attrs, ["fontsize", 9]])};`);
  }
  if (starts.length > 0) out.push(`    { rank=same; ${starts.join("; ")}; }`);
  if (ends.length > 0) out.push(`    { rank=same; ${ends.join("; ")}; }`);
  out.push("  }");
}
