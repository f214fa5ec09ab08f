/**
 * @module graph/failure-graph
 * The failure graph: the model compiled into a threshold network on typed arrays, the one
 * structure every graph kernel reads.
 *
 * Node `x` fails when it is failed directly (it is a failure unit: a component, a DNS record,
 * a failure domain) or when at least `threshold[x]` of its inputs have failed. A plain
 * component has threshold 1 (any hard input failing takes it down); a redundancy gate over n
 * placements with k needed has threshold n − k + 1; a fallback gate over a target and its
 * fallback has threshold 2. Failure is the least fixpoint of that rule, so a healthy cycle stays
 * up and a cycle fails only when something forces it.
 *
 * Inputs are stored in CSR form (`inputStart[x] .. inputStart[x + 1]` index into `inputs`).
 */

export const NodeType = {
  component: 0,
  record: 1,
  domain: 2,
  gate: 3,
  /** A common-cause unit: served content (a bad version) or a fleet (one binary, one limit). */
  shared: 4,
} as const;
export type NodeType = (typeof NodeType)[keyof typeof NodeType];

export interface FailureGraph {
  readonly nodeCount: number;
  /** Human-readable id per node: component id, record name, domain id, or a gate label. */
  readonly ids: readonly string[];
  readonly type: Uint8Array;
  /** 1 when the node can fail on its own (a failure unit). Gates are never units. */
  readonly isUnit: Uint8Array;
  readonly threshold: Int32Array;
  readonly inputStart: Int32Array;
  readonly inputs: Int32Array;
}

/** Dependents of each node (the reverse of `inputs`), in CSR form. */
export interface Outputs {
  readonly outputStart: Int32Array;
  readonly outputs: Int32Array;
}

export function outputsOf(g: FailureGraph): Outputs {
  const n = g.nodeCount;
  const outputStart = new Int32Array(n + 1);
  for (let i = 0; i < g.inputs.length; i++) outputStart[(g.inputs[i] as number) + 1]!++;
  for (let x = 0; x < n; x++) outputStart[x + 1]! += outputStart[x]!;
  const fill = outputStart.slice(0, n);
  const outputs = new Int32Array(g.inputs.length);
  for (let x = 0; x < n; x++) {
    for (let i = g.inputStart[x]!; i < g.inputStart[x + 1]!; i++) {
      const y = g.inputs[i]!;
      outputs[fill[y]!++] = x;
    }
  }
  return { outputStart, outputs };
}

/** Builds a FailureGraph from adjacency lists; used by tests and the model compiler alike. */
export function buildFailureGraph(nodes: readonly GraphNodeSpec[]): FailureGraph {
  const n = nodes.length;
  const inputStart = new Int32Array(n + 1);
  let total = 0;
  for (let x = 0; x < n; x++) {
    inputStart[x] = total;
    total += nodes[x]!.inputs.length;
  }
  inputStart[n] = total;
  const inputs = new Int32Array(total);
  const type = new Uint8Array(n);
  const isUnit = new Uint8Array(n);
  const threshold = new Int32Array(n);
  const ids: string[] = new Array(n);
  for (let x = 0; x < n; x++) {
    const spec = nodes[x]!;
    inputs.set(spec.inputs, inputStart[x]!);
    type[x] = spec.type;
    isUnit[x] = spec.unit ? 1 : 0;
    threshold[x] = Math.max(1, spec.threshold ?? 1);
    ids[x] = spec.id;
  }
  return { nodeCount: n, ids, type, isUnit, threshold, inputStart, inputs };
}

export interface GraphNodeSpec {
  readonly id: string;
  readonly type: NodeType;
  readonly unit: boolean;
  /** Defaults to 1. */
  readonly threshold?: number;
  readonly inputs: readonly number[];
}

/**
 * Builds a FailureGraph edge by edge without a JavaScript array per node: nodes and edges go
 * into growable typed arrays and are sorted into CSR once, by a counting sort that keeps the
 * order edges were added in. A repeated (from, to) edge is kept once, with its first tag. Each
 * edge carries an integer `tag` that the caller uses to remember why the edge exists; the tags
 * come back aligned with the graph's input slots.
 */
export class GraphBuilder {
  private readonly ids: string[] = [];
  private readonly types: number[] = [];
  private readonly units: number[] = [];
  private readonly thresholds: number[] = [];
  private from = new Int32Array(1024);
  private to = new Int32Array(1024);
  private tag = new Int32Array(1024);
  private edges = 0;

  get nodeCount(): number {
    return this.ids.length;
  }

  addNode(id: string, type: NodeType, unit: boolean, threshold = 1): number {
    this.ids.push(id);
    this.types.push(type);
    this.units.push(unit ? 1 : 0);
    this.thresholds.push(Math.max(1, threshold));
    return this.ids.length - 1;
  }

  addEdge(from: number, to: number, tag = 0): void {
    if (this.edges === this.from.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.from = grow(this.from);
      this.to = grow(this.to);
      this.tag = grow(this.tag);
    }
    this.from[this.edges] = from;
    this.to[this.edges] = to;
    this.tag[this.edges] = tag;
    this.edges++;
  }

  build(): { graph: FailureGraph; tags: Int32Array } {
    const n = this.ids.length;
    const m = this.edges;
    // Counting sort by source, then drop repeated targets within each source.
    const start = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) start[this.from[e]! + 1]!++;
    for (let x = 0; x < n; x++) start[x + 1]! += start[x]!;
    const fill = start.slice(0, n);
    const order = new Int32Array(m);
    for (let e = 0; e < m; e++) order[fill[this.from[e]!]!++] = e;
    const seen = new Int32Array(n).fill(-1);
    const inputStart = new Int32Array(n + 1);
    const inputs = new Int32Array(m);
    const tags = new Int32Array(m);
    let k = 0;
    for (let x = 0; x < n; x++) {
      inputStart[x] = k;
      for (let i = start[x]!; i < start[x + 1]!; i++) {
        const e = order[i]!;
        const y = this.to[e]!;
        if (seen[y] === x) continue;
        seen[y] = x;
        inputs[k] = y;
        tags[k] = this.tag[e]!;
        k++;
      }
    }
    inputStart[n] = k;
    const graph: FailureGraph = {
      nodeCount: n,
      ids: this.ids,
      type: Uint8Array.from(this.types),
      isUnit: Uint8Array.from(this.units),
      threshold: Int32Array.from(this.thresholds),
      inputStart,
      inputs: inputs.slice(0, k),
    };
    return { graph, tags: tags.slice(0, k) };
  }
}
