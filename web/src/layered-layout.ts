/**
 * The graph's final layout: ELK's layered algorithm over the nested graph (failure domains as
 * boxes, edges across them), computed in a worker; and the sizes of what it places, from their
 * labels (the canvas cannot size a box to its label).
 */
import type cytoscape from "cytoscape";
import ELK, { type ElkExtendedEdge, type ElkNode } from "elkjs/lib/elk-api.js";
// ELK's layout engine is large; as a string it costs the page nothing to load, and it is
// compiled and run in a worker thread, beside the rest of the page's work.
import elkWorkerSource from "elkjs/lib/elk-worker.min.js?raw";
import { BOX_PADDING, type LayoutItem } from "./quick-layout.js";

let elk: InstanceType<typeof ELK> | undefined;

function layoutEngine(): InstanceType<typeof ELK> {
  elk ??= new ELK({
    workerUrl: URL.createObjectURL(new Blob([elkWorkerSource], { type: "text/javascript" })),
  });
  return elk;
}
const CHAR_WIDTH = 8;
/** Width of a character of a domain's title (12 px, bold). */
const TITLE_CHAR_WIDTH = 7.5;

/** A node's label: its id, and its kind below unless the id says it already ("api"). */
export function nodeLabel(id: string, kind: string): string {
  return id === kind ? id : `${id}\n${kind}`;
}

export function titleWidth(title: string): number {
  return Math.ceil(title.length * TITLE_CHAR_WIDTH) + 2 * BOX_PADDING.side;
}

/** What the quick layout needs of the elements: leaves with their sizes, domains as boxes. */
export function layoutItems(elements: readonly cytoscape.ElementDefinition[]): LayoutItem[] {
  return elements
    .filter((e) => e.group === "nodes")
    .map((e) => ({
      id: e.data.id as string,
      parent: e.data.parent as string | undefined,
      w: e.data.w as number | undefined,
      h: e.data.h as number | undefined,
    }));
}

/** A node's box from its longest label line (the canvas cannot size a box to its label). */
export function nodeSize(label: string, group: boolean): { w: number; h: number } {
  const lines = label.split("\n");
  const longest = Math.max(...lines.map((l) => l.length), 8);
  return group
    ? { w: Math.max(190, longest * CHAR_WIDTH + 40), h: 84 }
    : { w: longest * CHAR_WIDTH + 26, h: 46 };
}

/** Positions (centres) of the leaf nodes, from ELK's layered layout of the nested graph. */
export async function layout(
  elements: readonly cytoscape.ElementDefinition[],
): Promise<Map<string, { x: number; y: number }>> {
  const byId = new Map<string, ElkNode>();
  const roots: ElkNode[] = [];
  const nodes = elements.filter((e) => e.group === "nodes");
  if (nodes.every((e) => e.classes !== "domain") && elements.every((e) => e.group !== "edges"))
    return row(nodes);
  for (const e of nodes) {
    const id = e.data.id as string;
    const isCompound = e.classes === "domain";
    byId.set(id, {
      id,
      ...(!isCompound && { width: e.data.w as number, height: e.data.h as number }),
      children: [],
      ...(isCompound && {
        layoutOptions: {
          "elk.padding": `[top=${BOX_PADDING.top},left=${BOX_PADDING.side},bottom=${BOX_PADDING.bottom},right=${BOX_PADDING.side}]`,
          // Room for the title: a box is at least as wide as it.
          "elk.nodeSize.constraints": "[MINIMUM_SIZE]",
          "elk.nodeSize.minimum": `(${e.data.minW as number}, 0)`,
          "elk.contentAlignment": "[H_CENTER, V_TOP]",
        },
      }),
    });
  }
  for (const e of nodes) {
    const node = byId.get(e.data.id as string) as ElkNode;
    const parent = e.data.parent as string | undefined;
    if (parent !== undefined) byId.get(parent)?.children?.push(node);
    else roots.push(node);
  }
  const edges: ElkExtendedEdge[] = elements
    .filter((e) => e.group === "edges")
    .map((e) => ({
      id: e.data.id as string,
      sources: [e.data.source as string],
      targets: [e.data.target as string],
    }));
  const graph: ElkNode = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "DOWN",
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
      "elk.layered.spacing.nodeNodeBetweenLayers": "46",
      "elk.spacing.nodeNode": "22",
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
      "elk.edgeRouting": "POLYLINE",
    },
    children: roots,
    edges,
  };
  const placed = await layoutEngine().layout(graph);
  const out = new Map<string, { x: number; y: number }>();
  const walk = (n: ElkNode, ox: number, oy: number) => {
    const x = ox + (n.x ?? 0);
    const y = oy + (n.y ?? 0);
    if (n.children === undefined || n.children.length === 0)
      out.set(n.id, { x: x + (n.width ?? 0) / 2, y: y + (n.height ?? 0) / 2 });
    for (const c of n.children ?? []) walk(c, x, y);
  };
  for (const c of placed.children ?? []) walk(c, 0, 0);
  return out;
}

/** Unconnected boxes (a model grouped into its top-level domains) side by side, no engine needed. */
function row(nodes: readonly cytoscape.ElementDefinition[]): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  let x = 0;
  for (const e of nodes) {
    const w = e.data.w as number;
    out.set(e.data.id as string, { x: x + w / 2, y: (e.data.h as number) / 2 });
    x += w + 40;
  }
  return out;
}
