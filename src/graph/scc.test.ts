import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { condense, cyclicComponents, stronglyConnected } from "./scc.js";

function csr(n: number, edges: ReadonlyArray<readonly [number, number]>) {
  const start = new Int32Array(n + 1);
  for (const [x] of edges) start[x + 1]!++;
  for (let x = 0; x < n; x++) start[x + 1]! += start[x]!;
  const fill = start.slice(0, n);
  const adj = new Int32Array(edges.length);
  for (const [x, y] of edges) adj[fill[x]!++] = y;
  return { start, adj };
}

/** reach[x][y]: y reachable from x by a path of length >= 0. */
function reachability(n: number, edges: ReadonlyArray<readonly [number, number]>): boolean[][] {
  const reach = Array.from({ length: n }, (_, x) => Array.from({ length: n }, (_, y) => x === y));
  for (const [x, y] of edges) reach[x]![y] = true;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (reach[i]![k] && reach[k]![j]) reach[i]![j] = true;
    }
  }
  return reach;
}

describe("stronglyConnected", () => {
  it("puts a self-loop in its own cyclic singleton", () => {
    const { start, adj } = csr(3, [
      [0, 0],
      [1, 0],
      [2, 1],
    ]);
    const r = stronglyConnected(3, start, adj);
    expect(r.count).toBe(3);
    // Dependencies first: 0 is a sink, then 1, then 2.
    expect(Array.from(r.component)).toEqual([0, 1, 2]);
    expect(Array.from(cyclicComponents(3, start, adj, r))).toEqual([0]);
  });

  it("keeps two joined cycles apart when the join is one-way", () => {
    // Cycle A = {0, 1}, cycle B = {2, 3, 4}; A depends on B.
    const edges = [
      [0, 1],
      [1, 0],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 2],
    ] as const;
    const { start, adj } = csr(5, edges);
    const r = stronglyConnected(5, start, adj);
    expect(r.count).toBe(2);
    expect(r.component[2]).toBe(0);
    expect(r.component[3]).toBe(0);
    expect(r.component[4]).toBe(0);
    expect(r.component[0]).toBe(1);
    expect(r.component[1]).toBe(1);
    expect(Array.from(cyclicComponents(5, start, adj, r))).toEqual([0, 1]);
  });

  it("merges cycles joined both ways", () => {
    const { start, adj } = csr(4, [
      [0, 1],
      [1, 0],
      [1, 2],
      [2, 3],
      [3, 2],
      [3, 0],
    ]);
    const r = stronglyConnected(4, start, adj);
    expect(r.count).toBe(1);
    expect(Array.from(cyclicComponents(4, start, adj, r))).toEqual([0]);
  });

  it("numbers a DAG in reverse topological order, no cycles", () => {
    const edges = [
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
      [4, 0],
    ] as const;
    const { start, adj } = csr(5, edges);
    const r = stronglyConnected(5, start, adj);
    expect(r.count).toBe(5);
    for (const [x, y] of edges) expect(r.component[x]!).toBeGreaterThan(r.component[y]!);
    expect(cyclicComponents(5, start, adj, r).length).toBe(0);
  });

  it("handles a long chain without recursion", () => {
    const n = 200_000;
    const edges: [number, number][] = [];
    for (let x = 0; x + 1 < n; x++) edges.push([x, x + 1]);
    edges.push([n - 1, 0]);
    const { start, adj } = csr(n, edges);
    const r = stronglyConnected(n, start, adj);
    expect(r.count).toBe(1);
  });

  it("restricted to roots, leaves unreached nodes at -1 and groups members", () => {
    const { start, adj } = csr(5, [
      [0, 1],
      [1, 0],
      [1, 2],
      [3, 4],
    ]);
    const r = condense(5, start, adj, [0]);
    expect(r.count).toBe(2);
    expect(Array.from(r.component)).toEqual([1, 1, 0, -1, -1]);
    expect(Array.from(r.componentStart)).toEqual([0, 1, 3]);
    expect(Array.from(r.order.subarray(1, 3)).sort()).toEqual([0, 1]);
  });

  it("agrees with mutual reachability on random graphs", () => {
    const graph = fc
      .integer({ min: 1, max: 12 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
        ),
      );
    fc.assert(
      fc.property(graph, ([n, edges]) => {
        const { start, adj } = csr(n, edges);
        const r = stronglyConnected(n, start, adj);
        const reach = reachability(n, edges);
        for (let x = 0; x < n; x++) {
          expect(r.component[x]!).toBeGreaterThanOrEqual(0);
          expect(r.component[x]!).toBeLessThan(r.count);
          for (let y = 0; y < n; y++) {
            const same = reach[x]![y]! && reach[y]![x]!;
            expect(r.component[x] === r.component[y]).toBe(same);
          }
        }
        // Reverse topological numbering: edges never go to a higher component.
        for (const [x, y] of edges) expect(r.component[x]!).toBeGreaterThanOrEqual(r.component[y]!);
        const expectedCyclic = new Set<number>();
        for (let x = 0; x < n; x++) {
          const selfLoop = edges.some(([a, b]) => a === x && b === x);
          const bigger = Array.from({ length: n }, (_, y) => y).some(
            (y) => y !== x && reach[x]![y] && reach[y]![x],
          );
          if (selfLoop || bigger) expectedCyclic.add(r.component[x]!);
        }
        expect(Array.from(cyclicComponents(n, start, adj, r))).toEqual(
          [...expectedCyclic].sort((a, b) => a - b),
        );
      }),
      { numRuns: 300 },
    );
  });
});
