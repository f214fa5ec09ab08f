/**
 * @module diagram/d2
 * A scene in D2. Clusters are containers; a node inside one is addressed by the path of keys
 * from the top (`"d:aws"."d:us-east-1"."c:dynamodb"`), so edges are written at the top with
 * full paths. Every key and label is a double-quoted string: a quoted key is one segment even
 * when it holds `.`, `:` or `->`, and inside the quotes `\` and `"` are escaped, `$` too (D2
 * would read `${…}` as a variable), and line breaks are written as `\n`.
 *
 * Shapes and edge styles are D2 classes, declared once at the top; a highlight adds inline
 * styles, which D2 applies over the class.
 */
import type { EdgeKind, NodeShape, Scene, SceneCluster, SceneNode } from "./scene.js";
import {
  clusterPaintOf,
  EDGE_STATE_COLOR,
  EDGE_STYLE,
  type Paint,
  PLAIN,
  SHAPE_LEGEND,
  STATE_LEGEND,
  STATE_PAINT,
  type Stroke,
  titleOf,
} from "./style.js";

/** A D2 double-quoted string. */
export function d2String(text: string): string {
  return `"${text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\$/g, "\\$")
    .replace(/\r\n|\r|\n/g, "\\n")}"`;
}

function label(lines: readonly string[]): string {
  return d2String(lines.join("\n"));
}

const SHAPE: Readonly<Record<NodeShape, string>> = {
  component: "rectangle",
  store: "cylinder",
  record: "hexagon",
  queue: "queue",
  workload: "oval",
  domain: "package",
};

/** D2's `stroke-dash` is the dash length; 0 is solid. */
const DASH: Readonly<Record<Stroke, number>> = { solid: 0, dashed: 5, dotted: 2 };

function widthOf(points: number): number {
  return Math.max(1, Math.round(points));
}

function paint(p: Paint, width?: number): string {
  return `style: {fill: "${p.fill}"; stroke: "${p.stroke}"; font-color: "${p.font}"${width !== undefined ? `; stroke-width: ${width}` : ""}}`;
}

export function renderD2(scene: Scene, options: { legend?: boolean } = {}): string {
  const title = titleOf(
    scene.model,
    scene.highlight?.unit,
    scene.highlight?.wholeComponent ?? false,
  );
  const out: string[] = [
    `# ${title.replace(/\r\n|\r|\n/g, " ")}`,
    "direction: right",
    "",
    "classes: {",
  ];
  for (const shape of scene.shapes) {
    const rounded = shape === "component" ? "; border-radius: 6" : "";
    out.push(
      `  ${shape}: {shape: ${SHAPE[shape]}; style: {fill: "${PLAIN.fill}"; stroke: "${PLAIN.stroke}"${rounded}}}`,
    );
  }
  for (const kind of scene.edgeKinds) out.push(`  ${kind}: {${edgeStyle(kind)}}`);
  out.push("}", "");

  const node = (n: SceneNode, indent: string) => {
    const state =
      n.state === undefined
        ? ""
        : `; ${paint(STATE_PAINT[n.state], n.state === "unit" ? 3 : undefined)}`;
    out.push(`${indent}${d2String(n.key)}: ${label(n.lines)} {class: ${n.shape}${state}}`);
  };
  const cluster = (c: SceneCluster, indent: string) => {
    out.push(
      `${indent}${d2String(c.key)}: ${label(c.lines)} {`,
      `${indent}  ${paint(clusterPaintOf(c.state), c.state === "unit" ? 3 : undefined)}`,
    );
    for (const inner of c.clusters) cluster(inner, `${indent}  `);
    for (const n of c.nodes) node(n, `${indent}  `);
    out.push(`${indent}}`);
  };
  for (const c of scene.clusters) cluster(c, "");
  for (const n of scene.nodes) node(n, "");
  out.push("");

  const at = (k: string) => [...(scene.path.get(k) ?? []), k].map(d2String).join(".");
  for (const e of scene.edges) {
    const text = e.label !== undefined ? `: ${d2String(e.label)}` : "";
    const state =
      e.state === undefined
        ? ""
        : `; style.stroke: "${EDGE_STATE_COLOR[e.state]}"; style.font-color: "${EDGE_STATE_COLOR[e.state]}"`;
    out.push(`${at(e.from)} -> ${at(e.to)}${text} {class: ${e.kind}${state}}`);
  }

  if (options.legend !== false) {
    out.push("", `legend: "Legend" {`, `  style: {fill: "#ffffff"; stroke: "#8c959f"}`);
    for (const kind of scene.edgeKinds) {
      out.push(`  ${d2String(`${kind}:from`)}: "" {shape: circle; width: 8; height: 8}`);
      out.push(`  ${d2String(`${kind}:to`)}: "" {shape: circle; width: 8; height: 8}`);
      out.push(
        `  ${d2String(`${kind}:from`)} -> ${d2String(`${kind}:to`)}: ${d2String(EDGE_STYLE[kind].legend)} {class: ${kind}}`,
      );
    }
    for (const shape of scene.shapes)
      out.push(
        `  ${d2String(`shape:${shape}`)}: ${d2String(SHAPE_LEGEND[shape])} {class: ${shape}}`,
      );
    if (scene.highlight) {
      for (const state of ["unit", "down", "degraded", "dim"] as const)
        out.push(
          `  ${d2String(`state:${state}`)}: ${d2String(STATE_LEGEND[state])} {${paint(STATE_PAINT[state])}}`,
        );
    }
    out.push("}");
  }
  return `${out.join("\n")}\n`;
}

function edgeStyle(kind: EdgeKind): string {
  const s = EDGE_STYLE[kind];
  const dash = DASH[s.stroke];
  return `style: {stroke: "${s.color}"; font-color: "${s.color}"; stroke-width: ${widthOf(s.width)}${dash > 0 ? `; stroke-dash: ${dash}` : ""}}`;
}
