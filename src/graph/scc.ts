/**
 * @module graph/scc
 * Strongly connected components of a directed graph in CSR form (`start[x] .. start[x + 1]`
 * index into `adj`), by Tarjan's algorithm (R. Tarjan, "Depth-first search and linear graph
 * algorithms", SIAM J. Computing 1(2), 1972), run with an explicit stack so that graphs with
 * 100k nodes and long dependency chains cannot overflow the call stack.
 *
 * Numbering: Tarjan completes an SCC only after every SCC reachable from it has been completed,
 * so component ids come out in REVERSE topological order of the condensation. With edges
 * x → adj[i] meaning "x depends on adj[i]" (the failure graph's inputs), component 0 is a sink:
 * its nodes depend on nothing outside it. Processing components by ascending id therefore visits
 * dependencies before their dependents, and for every edge x → y, component[x] >= component[y]
 * (equal exactly when the edge lies inside one SCC).
 *
 * Edge cases: self-loops put a node in a singleton component that is nevertheless a cycle
 * (`cyclicComponents` reports it); duplicated edges are harmless; nodes not reachable from the
 * given roots (rooted variant only) keep component −1.
 *
 * Cost: O(V + E) time, O(V) extra memory in typed arrays.
 */

export interface StronglyConnected {
  /** Component id per node, in reverse topological order (component 0 is a sink). */
  readonly component: Int32Array;
  readonly count: number;
}

export interface Condensation extends StronglyConnected {
  /**
   * Visited nodes grouped by component, components in ascending id order: the members of
   * component c are `order[componentStart[c] .. componentStart[c + 1]]`.
   */
  readonly order: Int32Array;
  readonly componentStart: Int32Array;
}

/** Tarjan SCC over every node. */
export function stronglyConnected(
  n: number,
  start: Int32Array,
  adj: Int32Array,
): StronglyConnected {
  const { component, count } = condense(n, start, adj);
  return { component, count };
}

/**
 * Tarjan SCC restricted to the nodes reachable from `roots` (all nodes when omitted), also
 * returning the members of each component. Unreached nodes get component −1.
 */
export function condense(
  n: number,
  start: Int32Array,
  adj: Int32Array,
  roots?: ArrayLike<number>,
): Condensation {
  const component = new Int32Array(n).fill(-1);
  // index[x] = DFS discovery number + 1 (0 = unvisited); low[x] = lowest index reachable.
  const index = new Int32Array(n);
  const low = new Int32Array(n);
  // Tarjan's node stack; a visited node with component −1 is exactly a node on this stack.
  const stack = new Int32Array(n);
  // The explicit DFS call stack: the node and the next edge to follow from it.
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const order = new Int32Array(n);
  const starts: number[] = [0];
  let sp = 0;
  let counter = 0;
  let count = 0;
  let emitted = 0;

  const rootCount = roots === undefined ? n : roots.length;
  for (let r = 0; r < rootCount; r++) {
    const root = roots === undefined ? r : (roots[r] as number);
    if (!Number.isInteger(root) || root < 0 || root >= n)
      throw new RangeError(`condense: root ${root} out of range`);
    if (index[root] !== 0) continue;

    index[root] = low[root] = ++counter;
    stack[sp++] = root;
    callNode[0] = root;
    callEdge[0] = start[root]!;
    let csp = 1;

    while (csp > 0) {
      const v = callNode[csp - 1]!;
      const e = callEdge[csp - 1]!;
      if (e < start[v + 1]!) {
        callEdge[csp - 1] = e + 1;
        const w = adj[e]!;
        if (index[w] === 0) {
          index[w] = low[w] = ++counter;
          stack[sp++] = w;
          callNode[csp] = w;
          callEdge[csp] = start[w]!;
          csp++;
        } else if (component[w] === -1 && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      // All edges of v explored: return from v.
      csp--;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp]!;
          component[w] = count;
          order[emitted++] = w;
        } while (w !== v);
        count++;
        starts.push(emitted);
      }
      if (csp > 0) {
        const u = callNode[csp - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
    }
  }

  return {
    component,
    count,
    order: emitted === n ? order : order.slice(0, emitted),
    componentStart: Int32Array.from(starts),
  };
}

/**
 * Ids (ascending) of the components that contain a cycle: more than one member, or a single
 * member with an edge to itself.
 */
export function cyclicComponents(
  n: number,
  start: Int32Array,
  adj: Int32Array,
  result: StronglyConnected,
): Int32Array {
  const flags = cyclicFlags(n, start, adj, result);
  let k = 0;
  for (let c = 0; c < result.count; c++) k += flags[c]!;
  const ids = new Int32Array(k);
  k = 0;
  for (let c = 0; c < result.count; c++) if (flags[c] === 1) ids[k++] = c;
  return ids;
}

/** Per component: 1 when it contains a cycle (size > 1 or a self-loop), else 0. */
export function cyclicFlags(
  n: number,
  start: Int32Array,
  adj: Int32Array,
  result: StronglyConnected,
): Uint8Array {
  const { component, count } = result;
  const size = new Int32Array(count);
  const flags = new Uint8Array(count);
  for (let x = 0; x < n; x++) {
    const c = component[x]!;
    if (c >= 0) size[c]!++;
  }
  for (let x = 0; x < n; x++) {
    const c = component[x]!;
    if (c < 0) continue;
    if (size[c]! > 1) {
      flags[c] = 1;
      continue;
    }
    for (let i = start[x]!; i < start[x + 1]!; i++) {
      if (adj[i] === x) {
        flags[c] = 1;
        break;
      }
    }
  }
  return flags;
}
