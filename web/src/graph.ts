/**
 * The dependency graph: Cytoscape.js draws it, ELK's layered algorithm places it, with failure
 * domains as nested boxes (provider > region > zone). An arrow A → B reads "A needs B", and
 * dependencies sit below their dependents, so a failure climbs the picture.
 *
 * Large models start grouped: domains are collapsed into one box each, from the deepest level
 * up, until at most `GROUP_LIMIT` items are visible; a click on a group expands it. Edges into a
 * group are merged per kind.
 *
 * The first drawing uses a quick layout computed at once (see quick-layout.ts), so the graph is
 * on the page's first paint; ELK's layout replaces it when its worker has computed it.
 */
import cytoscape from "cytoscape";
import { layout, layoutItems, nodeLabel, nodeSize, titleWidth } from "./layered-layout.js";
import { quickLayout } from "./quick-layout.js";
import { GLYPH, PALETTE, SEVERITY, SHAPE, stateAt } from "./states.js";
import type { EdgeKind, ReportData, ViewNode, ViewRun, VisualState } from "./types.js";
import type { DrawnBox } from "./view.js";

/** Visible items above which the graph starts grouped by failure domain. */
export const GROUP_LIMIT = 150;

const EDGE_STYLE: Readonly<
  Record<EdgeKind, { color: string; line: "solid" | "dashed" | "dotted"; width: number }>
> = {
  hard: { color: "#374151", line: "solid", width: 2 },
  soft: { color: "#6b7280", line: "dashed", width: 1.5 },
  async: { color: "#0072B2", line: "dotted", width: 2 },
  dns: { color: "#CC79A7", line: "solid", width: 2 },
  identity: { color: "#7c3aed", line: "dashed", width: 2 },
  "served-by": { color: "#9ca3af", line: "solid", width: 1 },
};

/** Which kind a merged edge shows: the one that propagates failure most directly. */
const EDGE_RANK: Readonly<Record<EdgeKind, number>> = {
  hard: 5,
  identity: 4,
  dns: 3,
  async: 2,
  soft: 1,
  "served-by": 0,
};

export const EDGE_KINDS = Object.keys(EDGE_STYLE) as EdgeKind[];
export function edgeStyle(kind: EdgeKind) {
  return EDGE_STYLE[kind];
}

export type Selection = { readonly type: "node" | "domain"; readonly id: string } | null;

interface Options {
  readonly container: HTMLElement;
  readonly data: ReportData;
  readonly onSelect: (selection: Selection) => void;
}

const NODE = "n:";
const DOMAIN = "d:";

export class GraphView {
  readonly cy: cytoscape.Core;
  private readonly data: ReportData;
  private readonly nodeById = new Map<string, ViewNode>();
  private readonly domainParent = new Map<string, string | null>();
  private readonly domainKind = new Map<string, string>();
  /** Nodes in each domain's subtree. */
  private readonly inside = new Map<string, string[]>();
  private readonly collapsed = new Set<string>();
  private run: ViewRun | null = null;
  private time = 0;
  private chain = new Set<string>();
  private layoutRound = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly options: Options) {
    this.data = options.data;
    for (const n of this.data.graph.nodes) this.nodeById.set(n.id, n);
    for (const d of this.data.graph.domains) {
      this.domainParent.set(d.id, d.parent);
      this.domainKind.set(d.id, d.kind);
    }
    for (const n of this.data.graph.nodes)
      for (const d of this.ancestors(n.domain)) {
        const list = this.inside.get(d) ?? [];
        list.push(n.id);
        this.inside.set(d, list);
      }
    this.cy = cytoscape({
      container: options.container,
      layout: { name: "preset" },
      style: STYLE,
      minZoom: 0.05,
      maxZoom: 3,
      boxSelectionEnabled: false,
      autoungrabify: false,
    });
    this.cy.on("tap", "node", (e) => {
      const id = e.target.id() as string;
      if (id.startsWith(DOMAIN)) {
        const domain = id.slice(DOMAIN.length);
        if (this.collapsed.has(domain)) void this.expand(domain);
        else this.options.onSelect({ type: "domain", id: domain });
      } else this.options.onSelect({ type: "node", id: id.slice(NODE.length) });
    });
    // Cytoscape caches where its container is on the page; anything that moves the container
    // (a panel above growing, the window resizing) must refresh it, or clicks land off target.
    this.resizeObserver = new ResizeObserver(() => this.cy.resize());
    this.resizeObserver.observe(document.body);
    this.resizeObserver.observe(options.container);
    this.cy.on("tap", (e) => {
      if (e.target === this.cy) this.options.onSelect(null);
    });
    this.collapseToLimit();
  }

  /** Domains from the outermost to `domain` itself. */
  private ancestors(domain: string | null): string[] {
    const chain: string[] = [];
    for (let d = domain; d !== null && d !== undefined; d = this.domainParent.get(d) ?? null)
      chain.push(d);
    return chain.reverse();
  }

  private depth(domain: string): number {
    return this.ancestors(domain).length;
  }

  /** Collapses domains from the deepest level up until few enough items are visible. */
  private collapseToLimit(): void {
    const withNodes = [...this.inside.keys()];
    const maxDepth = Math.max(0, ...withNodes.map((d) => this.depth(d)));
    for (let level = maxDepth; level >= 1; level--) {
      if (this.visibleCount() <= GROUP_LIMIT) return;
      for (const d of withNodes) if (this.depth(d) === level) this.collapsed.add(d);
      // Collapsing a level hides the collapsed domains inside it: only the outermost counts.
    }
  }

  private visibleCount(): number {
    const reps = new Set<string>();
    for (const n of this.data.graph.nodes) reps.add(this.representative(n.id));
    return reps.size;
  }

  /** The outermost collapsed domain holding `domain` (or the node), if any. */
  private collapsedAncestor(domain: string | null): string | null {
    for (const d of this.ancestors(domain)) if (this.collapsed.has(d)) return d;
    return null;
  }

  /** The element that stands for a node: itself, or the collapsed group that holds it. */
  representative(id: string): string {
    const node = this.nodeById.get(id);
    if (node === undefined) return NODE + id;
    const group = this.collapsedAncestor(node.domain);
    return group === null ? NODE + id : DOMAIN + group;
  }

  /** The collapsed domain a node is drawn inside of, or null when it is drawn itself. */
  groupOf(id: string): string | null {
    const rep = this.representative(id);
    return rep.startsWith(DOMAIN) ? rep.slice(DOMAIN.length) : null;
  }

  async expand(domain: string): Promise<void> {
    // Expanding a group shows what is directly inside it; groups inside stay grouped.
    this.collapsed.delete(domain);
    // (`inside` holds only the domains with something in them.)
    for (const d of this.inside.keys())
      if (this.domainParent.get(d) === domain) this.collapsed.add(d);
    await this.render();
  }

  async collapse(domain: string): Promise<void> {
    this.collapsed.add(domain);
    await this.render();
  }

  async expandAll(): Promise<void> {
    this.collapsed.clear();
    await this.render();
  }

  async collapseAll(): Promise<void> {
    for (const d of this.inside.keys())
      if (this.domainParent.get(d) === null) this.collapsed.add(d);
    await this.render();
  }

  /** Rebuilds the elements for the current grouping, lays them out, and fits the view. */
  async render(): Promise<void> {
    const round = ++this.layoutRound;
    const elements: cytoscape.ElementDefinition[] = [];
    const shownDomains = new Set<string>();
    const showDomain = (d: string) => {
      if (shownDomains.has(d)) return;
      shownDomains.add(d);
      const parent = this.domainParent.get(d) ?? null;
      if (parent !== null) showDomain(parent);
      const collapsed = this.collapsed.has(d);
      const title = `${d} (${this.domainKind.get(d) ?? "domain"})`;
      elements.push({
        group: "nodes",
        data: {
          id: DOMAIN + d,
          ...(parent !== null && { parent: DOMAIN + parent }),
          label: collapsed ? "" : title,
          display: d,
          group: collapsed ? 1 : 0,
          // An open domain's box is at least as wide as its title.
          ...(collapsed ? nodeSize(`✖ ${title}`, true) : { minW: titleWidth(title) }),
        },
        classes: collapsed ? "group" : "domain",
      });
    };
    for (const n of this.data.graph.nodes) {
      const rep = this.representative(n.id);
      if (rep.startsWith(DOMAIN)) {
        showDomain(rep.slice(DOMAIN.length));
        continue;
      }
      if (n.domain !== null) showDomain(n.domain);
      elements.push({
        group: "nodes",
        data: {
          id: rep,
          ...(n.domain !== null && { parent: DOMAIN + n.domain }),
          label: n.id,
          kind: n.kind,
          display: n.id,
          ...nodeSize(`✖ ${nodeLabel(n.id, n.kind)}`, false),
        },
        classes: n.type,
      });
    }
    const merged = new Map<string, { from: string; to: string; kind: EdgeKind; n: number }>();
    for (const e of this.data.graph.edges) {
      const from = this.representative(e.from);
      const to = this.representative(e.to);
      if (from === to) continue;
      const key = `${from}\u0000${to}`;
      const m = merged.get(key);
      if (m === undefined) merged.set(key, { from, to, kind: e.kind, n: 1 });
      else {
        m.n++;
        if (EDGE_RANK[e.kind] > EDGE_RANK[m.kind]) m.kind = e.kind;
      }
    }
    let i = 0;
    for (const m of merged.values())
      elements.push({
        group: "edges",
        data: {
          id: `e:${i++}`,
          source: m.from,
          target: m.to,
          kind: m.kind,
          label: m.n > 1 ? `×${m.n}` : "",
        },
        classes: m.kind,
      });

    // Nothing drawn yet: draw at once in a quick layout, then move to ELK's when it is ready.
    // Later renders (a group expanded) keep the current drawing until ELK's layout is ready.
    const first = this.cy.elements().empty();
    if (first) this.draw(elements, quickLayout(layoutItems(elements)));
    const positions = await layout(elements);
    if (round !== this.layoutRound) return;
    if (first) this.cy.batch(() => this.place(positions));
    else this.draw(elements, positions);
    this.cy.fit(undefined, 24);
  }

  private draw(
    elements: readonly cytoscape.ElementDefinition[],
    positions: ReadonlyMap<string, { x: number; y: number }>,
  ): void {
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add([...elements]);
      this.place(positions);
      this.restyle();
    });
    this.cy.fit(undefined, 24);
  }

  private place(positions: ReadonlyMap<string, { x: number; y: number }>): void {
    for (const [id, p] of positions) {
      const node = this.cy.getElementById(id);
      if (node.nonempty() && node.isChildless()) node.position(p);
    }
  }

  setRun(run: ViewRun | null): void {
    this.run = run;
    this.restyle();
  }

  setTime(t: number): void {
    this.time = t;
    this.restyle();
  }

  /** Marks the subjects of a causal chain; the rest of the graph fades. */
  setChain(ids: readonly string[]): void {
    this.chain = new Set(ids.map((id) => this.representative(id)));
    this.restyle();
  }

  /** The state drawn for a node now (its group's when grouped). */
  stateOf(id: string): VisualState {
    const el = this.cy.getElementById(this.representative(id));
    return (el.data("state") as VisualState | undefined) ?? "idle";
  }

  /** Where a node is on screen, relative to the container (for pointing at it). */
  renderedPosition(id: string): { x: number; y: number } | null {
    const el = this.cy.getElementById(this.representative(id));
    return el.nonempty() ? el.renderedPosition() : null;
  }

  /** Nodes, groups and domain titles as drawn, relative to the container. */
  drawn(): DrawnBox[] {
    const out: DrawnBox[] = [];
    this.cy.nodes().forEach((el) => {
      const id = el.id();
      const title = el.data("group") === 0;
      const box = title
        ? el.renderedBoundingBox({ includeNodes: false, includeLabels: true, includeEdges: false })
        : el.renderedBoundingBox({ includeLabels: false, includeEdges: false });
      out.push({
        type: title ? "title" : id.startsWith(DOMAIN) ? "group" : "node",
        id: id.slice(id.startsWith(DOMAIN) ? DOMAIN.length : NODE.length),
        label: (title ? el.data("label") : el.data("display")) as string,
        left: box.x1,
        top: box.y1,
        right: box.x2,
        bottom: box.y2,
      });
    });
    return out;
  }

  private nodeState(id: string): VisualState {
    return this.run === null ? "idle" : stateAt(this.run, id, this.time);
  }

  private restyle(): void {
    const chainOn = this.chain.size > 0;
    this.cy.batch(() => {
      this.cy.nodes().forEach((el) => {
        const id = el.id();
        if (id.startsWith(NODE)) {
          const state = this.nodeState(id.slice(NODE.length));
          const p = PALETTE[state];
          const label = `${GLYPH[state]}${nodeLabel(id.slice(NODE.length), el.data("kind") as string)}`;
          el.data({
            state,
            fill: p.fill,
            border: p.border,
            text: p.text,
            shape: SHAPE[state],
            display: label,
          });
        } else if (el.data("group") === 1) {
          const domain = id.slice(DOMAIN.length);
          const members = this.inside.get(domain) ?? [];
          const tally: Record<VisualState, number> = {
            idle: 0,
            up: 0,
            degraded: 0,
            down: 0,
            recovering: 0,
          };
          let worst: VisualState = this.run === null ? "idle" : "up";
          for (const m of members) {
            const s = this.nodeState(m);
            tally[s]++;
            if (SEVERITY[s] > SEVERITY[worst]) worst = s;
          }
          const p = PALETTE[worst];
          const bad = (["down", "degraded", "recovering"] as const)
            .filter((s) => tally[s] > 0)
            .map((s) => `${tally[s]} ${s}`)
            .join(" · ");
          const kind = this.domainKind.get(domain) ?? "domain";
          el.data({
            state: worst,
            fill: p.fill,
            border: p.border,
            text: p.text,
            shape: SHAPE[worst],
            display: `${GLYPH[worst]}${domain} (${kind})\n${members.length} inside${bad ? `\n${bad}` : ""}\n(click to expand)`,
          });
        }
        el.toggleClass("chain", chainOn && this.chain.has(id));
        el.toggleClass("faded", chainOn && !this.chain.has(id) && el.isChildless());
      });
      this.cy.edges().forEach((e) => {
        const inChain = this.chain.has(e.source().id()) && this.chain.has(e.target().id());
        e.toggleClass("chain", chainOn && inChain);
        e.toggleClass("faded", chainOn && !inChain);
      });
    });
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.cy.destroy();
  }
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(display)",
      "text-wrap": "wrap",
      "text-valign": "center",
      "text-halign": "center",
      "font-family": "ui-sans-serif, system-ui, sans-serif",
      "font-size": 13,
      "border-width": 2,
    },
  },
  { selector: "node[w]", style: { width: "data(w)", height: "data(h)" } },
  {
    selector: "node[fill]",
    style: {
      shape: "data(shape)" as unknown as cytoscape.Css.NodeShape,
      "background-color": "data(fill)",
      "border-color": "data(border)",
      color: "data(text)",
    },
  },
  { selector: "node.record", style: { "border-style": "double", "border-width": 4 } },
  { selector: "node.queue", style: { "border-style": "dashed" } },
  {
    selector: "node.domain",
    style: {
      label: "data(label)",
      shape: "round-rectangle",
      // The title sits just above the box's edge, in the strip the layouts keep free for it
      // (BOX_PADDING.top is more than the box's own padding and the title's height).
      "text-valign": "top",
      "text-halign": "center",
      "text-margin-y": 0,
      "min-width": "data(minW)",
      "min-width-bias-left": "50%",
      "min-width-bias-right": "50%",
      "font-size": 12,
      "font-weight": "bold",
      color: "#374151",
      "background-color": "#f3f4f6",
      "background-opacity": 0.55,
      "border-color": "#9ca3af",
      "border-width": 1.5,
      "border-style": "solid",
      padding: "14px",
    },
  },
  { selector: "node.group", style: { "border-width": 3, "font-size": 12 } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "curve-style": "bezier",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.9,
      label: "data(label)",
      "font-size": 10,
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.8,
    },
  },
  ...EDGE_KINDS.map((kind) => ({
    selector: `edge.${kind}`,
    style: {
      "line-color": EDGE_STYLE[kind].color,
      "target-arrow-color": EDGE_STYLE[kind].color,
      "line-style": EDGE_STYLE[kind].line,
      width: EDGE_STYLE[kind].width,
    },
  })),
  { selector: ".faded", style: { opacity: 0.22 } },
  { selector: "node.chain", style: { "border-width": 5, "border-color": "#111827" } },
  {
    selector: "edge.chain",
    style: { width: 4, "line-color": "#111827", "target-arrow-color": "#111827", opacity: 1 },
  },
  { selector: "node:selected", style: { "overlay-color": "#0072B2", "overlay-opacity": 0.18 } },
];
