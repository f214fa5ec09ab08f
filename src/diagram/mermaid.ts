/**
 * @module diagram/mermaid
 * A scene as a Mermaid flowchart. Mermaid ids must be plain words, so every node and subgraph
 * gets one made of its key's letters and digits (`c:ec2-dwfm` → `c_ec2_dwfm`), numbered on a
 * clash; the real name is in the label. Labels are quoted, and the characters Mermaid would read
 * as syntax or HTML (`" # & < > | % \``) are written as its entity codes (`#quot;`, `#35;`, …).
 *
 * Mermaid has three strokes (normal `-->`, thick `==>`, dotted `-.->`): colours, widths and the
 * dotted/dashed difference come from `linkStyle` lines, one per distinct style, listing the
 * edges by their position.
 */

import { appendAll } from "../model/arrays.js";
import type { NodeShape, Scene, SceneCluster, SceneNode } from "./scene.js";
import { allNodes, cmp } from "./scene.js";
import {
  clusterPaintOf,
  EDGE_STYLE,
  edgeColor,
  type Paint,
  PLAIN,
  SHAPE_LEGEND,
  STATE_LEGEND,
  STATE_PAINT,
  type Stroke,
  titleOf,
} from "./style.js";

const ENTITY: Readonly<Record<string, string>> = {
  "#": "#35;",
  '"': "#quot;",
  "&": "#amp;",
  "<": "#lt;",
  ">": "#gt;",
  "|": "#124;",
  "%": "#37;",
  "`": "#96;",
};

/** One line of label text, safe inside Mermaid's double quotes. */
export function mermaidText(text: string): string {
  return text.replace(/\r\n|\r|\n/g, " ").replace(/[#"&<>|%`]/g, (ch) => ENTITY[ch] as string);
}

function label(lines: readonly string[]): string {
  return `"${lines.map(mermaidText).join("<br>")}"`;
}

const SHAPE: Readonly<Record<NodeShape, readonly [string, string]>> = {
  component: ["(", ")"],
  store: ["[(", ")]"],
  record: ["{{", "}}"],
  queue: [">", "]"],
  workload: ["([", "])"],
  domain: ["[[", "]]"],
};

const ARROW: Readonly<Record<Stroke, string>> = { solid: "-->", dashed: "-.->", dotted: "-.->" };

/** Mermaid's dotted arrow is drawn dashed; a dotted kind gets short dashes instead. */
const DASH: Readonly<Record<Stroke, string>> = {
  solid: "",
  dashed: "",
  dotted: ",stroke-dasharray:1 3",
};

/** Mermaid ids for every key: word characters only, unique, assigned in key order. */
function idsFor(keys: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const k of [...keys].sort(cmp)) {
    const base = k.replace(/[^A-Za-z0-9_]/g, "_");
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(k, id);
  }
  return ids;
}

function paintStyle(p: Paint, width?: number): string {
  return `fill:${p.fill},stroke:${p.stroke},color:${p.font}${width !== undefined ? `,stroke-width:${width}px` : ""}`;
}

export function renderMermaid(scene: Scene, options: { legend?: boolean } = {}): string {
  const clusterKeys: string[] = [];
  const collect = (list: readonly SceneCluster[]) => {
    for (const c of list) {
      clusterKeys.push(c.key);
      collect(c.clusters);
    }
  };
  collect(scene.clusters);
  // A domain is drawn either as a cluster or, with nothing placed in it, as a small node: one key.
  const nodes = [...allNodes(scene.nodes, scene.clusters)];
  const ids = idsFor([...clusterKeys, ...nodes.map((n) => n.key)]);
  const id = (k: string) => ids.get(k) as string;

  const title = titleOf(
    scene.model,
    scene.highlight?.unit,
    scene.highlight?.wholeComponent ?? false,
  );
  const out: string[] = [`%% ${mermaidText(title)}`, "flowchart LR"];
  const styles: string[] = [];
  const node = (n: SceneNode, indent: string) => {
    const [open, close] = SHAPE[n.shape];
    out.push(`${indent}${id(n.key)}${open}${label(n.lines)}${close}`);
  };
  const cluster = (c: SceneCluster, indent: string) => {
    out.push(`${indent}subgraph ${id(c.key)} [${label(c.lines)}]`);
    for (const inner of c.clusters) cluster(inner, `${indent}  `);
    for (const n of c.nodes) node(n, `${indent}  `);
    out.push(`${indent}end`);
    styles.push(
      `  style ${id(c.key)} ${paintStyle(clusterPaintOf(c.state), c.state === "unit" ? 3 : 1)}`,
    );
  };
  for (const c of scene.clusters) cluster(c, "  ");
  for (const n of scene.nodes) node(n, "  ");

  // Edges, then one linkStyle per distinct look, listing edge positions.
  const byLook = new Map<string, number[]>();
  let position = 0;
  const edge = (
    from: string,
    to: string,
    stroke: Stroke,
    width: number,
    look: string,
    text?: string,
  ) => {
    const arrow = width >= 2 && stroke === "solid" ? "==>" : ARROW[stroke];
    out.push(`  ${from} ${arrow}${text !== undefined ? `|"${mermaidText(text)}"|` : ""} ${to}`);
    const list = byLook.get(look) ?? [];
    list.push(position++);
    byLook.set(look, list);
  };
  for (const e of scene.edges) {
    const s = EDGE_STYLE[e.kind];
    const color = edgeColor(e.kind, e.state);
    edge(
      id(e.from),
      id(e.to),
      s.stroke,
      s.width,
      `stroke:${color},stroke-width:${s.width}px${DASH[s.stroke]},color:${color}`,
      e.label,
    );
  }

  const classes = new Map<string, string[]>();
  const classOf = (name: string, nodeId: string) => {
    const list = classes.get(name) ?? [];
    list.push(nodeId);
    classes.set(name, list);
  };
  for (const n of nodes) classOf(n.state ?? "plain", id(n.key));

  if (options.legend !== false) {
    out.push(`  subgraph legend ["Legend"]`);
    for (const kind of scene.edgeKinds) {
      const k = kind.replace(/-/g, "_");
      out.push(`    legend_${k}_from[" "]`, `    legend_${k}_to[" "]`);
      classOf("legendpoint", `legend_${k}_from`);
      classOf("legendpoint", `legend_${k}_to`);
    }
    for (const shape of scene.shapes) {
      const [open, close] = SHAPE[shape];
      out.push(`    legend_shape_${shape}${open}${label([SHAPE_LEGEND[shape]])}${close}`);
      classOf("plain", `legend_shape_${shape}`);
    }
    if (scene.highlight) {
      for (const state of ["unit", "down", "degraded", "dim"] as const) {
        out.push(`    legend_state_${state}(${label([STATE_LEGEND[state]])})`);
        classOf(state, `legend_state_${state}`);
      }
    }
    out.push("  end");
    styles.push("  style legend fill:#ffffff,stroke:#8c959f,color:#24292f");
    for (const kind of scene.edgeKinds) {
      const s = EDGE_STYLE[kind];
      const k = kind.replace(/-/g, "_");
      edge(
        `legend_${k}_from`,
        `legend_${k}_to`,
        s.stroke,
        s.width,
        `stroke:${s.color},stroke-width:${s.width}px${DASH[s.stroke]},color:${s.color}`,
        s.legend,
      );
    }
  }

  appendAll(out, styles);
  for (const [look, positions] of [...byLook].sort((a, b) => cmp(a[0], b[0])))
    out.push(`  linkStyle ${positions.join(",")} ${look}`);
  const defs: [string, string][] = [
    ["plain", paintStyle(PLAIN)],
    ...(["unit", "down", "degraded", "dim"] as const).map(
      (s) => [s, paintStyle(STATE_PAINT[s], s === "unit" ? 2 : undefined)] as [string, string],
    ),
    ["legendpoint", "fill:#ffffff,stroke:#ffffff,color:#ffffff"],
  ];
  for (const [name, style] of defs) {
    if (classes.has(name)) out.push(`  classDef ${name} ${style}`);
  }
  for (const [name] of defs) {
    const members = classes.get(name);
    if (members) out.push(`  class ${members.join(",")} ${name}`);
  }
  return `${out.join("\n")}\n`;
}
