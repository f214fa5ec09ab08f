import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildFailureGraph,
  type FailureGraph,
  type GraphNodeSpec,
  NodeType,
  outputsOf,
} from "./failure-graph.js";
import { gate, unit } from "./fixtures.js";
import { FailurePropagator, outputsWithin, propagateFailure } from "./propagate.js";

function downIds(nodes: GraphNodeSpec[], failed: number[]): string[] {
  const g = buildFailureGraph(nodes);
  const down = propagateFailure(g, outputsOf(g), failed);
  return nodes.filter((_, x) => down[x] === 1).map((s) => s.id);
}

describe("propagateFailure", () => {
  it("runs down an AND chain", () => {
    // c needs b needs a.
    const nodes = [unit("a"), unit("b", [0]), unit("c", [1]), unit("d")];
    expect(downIds(nodes, [0])).toEqual(["a", "b", "c"]);
    expect(downIds(nodes, [1])).toEqual(["b", "c"]);
    expect(downIds(nodes, [3])).toEqual(["d"]);
    expect(downIds(nodes, [])).toEqual([]);
  });

  it("fails a 2-of-3 quorum gate only on two failures", () => {
    const nodes = [unit("z1"), unit("z2"), unit("z3"), gate("q", [0, 1, 2], 2), unit("app", [3])];
    expect(downIds(nodes, [0])).toEqual(["z1"]);
    expect(downIds(nodes, [0, 2])).toEqual(["z1", "z3", "q", "app"]);
  });

  it("fails an any-of gate only when all inputs fail", () => {
    const nodes = [unit("z1"), unit("z2"), unit("z3"), gate("any", [0, 1, 2], 3)];
    expect(downIds(nodes, [0, 1])).toEqual(["z1", "z2"]);
    expect(downIds(nodes, [0, 1, 2])).toEqual(["z1", "z2", "z3", "any"]);
  });

  it("keeps a healthy cycle up", () => {
    const nodes = [unit("a", [1]), unit("b", [0]), unit("c")];
    expect(downIds(nodes, [2])).toEqual(["c"]);
  });

  it("fails a cycle that something forces", () => {
    // a <-> b, b also needs c.
    const nodes = [unit("a", [1]), unit("b", [0, 2]), unit("c")];
    expect(downIds(nodes, [2])).toEqual(["a", "b", "c"]);
  });

  it("keeps a cyclic 2-of-2 gate up when one input fails", () => {
    // g = 2-of-{x, y}, x needs g (cycle), y is independent.
    const nodes = [gate("g", [1, 2], 2), unit("x", [0]), unit("y")];
    expect(downIds(nodes, [2])).toEqual(["y"]);
    expect(downIds(nodes, [1, 2])).toEqual(["g", "x", "y"]);
  });

  it("counts duplicated input entries separately", () => {
    const nodes = [unit("a"), gate("g", [0, 0], 2)];
    expect(downIds(nodes, [0])).toEqual(["a", "g"]);
  });

  it("rejects non-units", () => {
    const nodes = [unit("a"), gate("g", [0], 1)];
    const g = buildFailureGraph(nodes);
    expect(() => propagateFailure(g, outputsOf(g), [1])).toThrow(Error);
    expect(() => propagateFailure(g, outputsOf(g), [5])).toThrow(Error);
  });

  it("reuses its buffers across runs without leaking state", () => {
    const nodes = [
      unit("z1"),
      unit("z2"),
      unit("z3"),
      gate("q", [0, 1, 2], 2),
      unit("app", [3]),
      unit("other"),
    ];
    const g = buildFailureGraph(nodes);
    const p = new FailurePropagator(g);
    expect(Array.from(p.run([0]))).toEqual([1, 0, 0, 0, 0, 0]);
    // A stale counter on q would make a single further failure take q down.
    expect(Array.from(p.run([1]))).toEqual([0, 1, 0, 0, 0, 0]);
    expect(Array.from(p.run([1, 2]))).toEqual([0, 1, 1, 1, 1, 0]);
    expect(p.downCount).toBe(4);
    expect(Array.from(p.downNodes()).sort()).toEqual([1, 2, 3, 4]);
    expect(() => p.run([0, 3])).toThrow(Error);
    expect(Array.from(p.run([5]))).toEqual([0, 0, 0, 0, 0, 1]);
    expect(p.failedInputs[3]).toBe(0);
  });
});

/** Nodes the target depends on: reachable from it along inputs, itself included. */
function closureOf(g: FailureGraph, target: number): Uint8Array {
  const seen = new Uint8Array(g.nodeCount);
  const stack = [target];
  seen[target] = 1;
  while (stack.length > 0) {
    const x = stack.pop() as number;
    for (let i = g.inputStart[x]!; i < g.inputStart[x + 1]!; i++) {
      const y = g.inputs[i]!;
      if (!seen[y]) {
        seen[y] = 1;
        stack.push(y);
      }
    }
  }
  return seen;
}

describe("FailurePropagator.failsWithin", () => {
  const graphs = fc
    .integer({ min: 1, max: 40 })
    .chain((n) =>
      fc.record({
        specs: fc.array(
          fc.record({
            unit: fc.boolean(),
            inputs: fc.array(fc.nat(n - 1), { maxLength: 4 }),
            extra: fc.nat(8),
          }),
          { minLength: n, maxLength: n },
        ),
        target: fc.nat(n - 1),
        picks: fc.array(fc.nat(n - 1), { maxLength: 8 }),
      }),
    )
    .map(({ specs, target, picks }) => {
      const g = buildFailureGraph(
        specs.map((s, i) => ({
          id: `n${i}`,
          type: s.unit ? NodeType.component : NodeType.gate,
          unit: s.unit,
          threshold: 1 + (s.extra % (s.inputs.length + 1)),
          inputs: s.inputs,
        })),
      );
      return { g, target, failed: picks.filter((x) => g.isUnit[x] === 1) };
    });

  it("agrees with a full propagation, inside the target's closure or the whole graph", () => {
    fc.assert(
      fc.property(graphs, ({ g, target, failed }) => {
        const expected = propagateFailure(g, outputsOf(g), failed)[target] === 1;
        const p = new FailurePropagator(g);
        const within = closureOf(g, target);
        expect(p.failsWithin(failed, target, within)).toBe(expected);
        const work = p.work;
        // With the dependents inside the closure listed ahead: the same answer, the same work.
        const inside = outputsWithin(outputsOf(g), within);
        expect(p.failsWithin(failed, target, within, inside)).toBe(expected);
        expect(p.work).toBe(work);
        expect(p.failsWithin(failed, target, new Uint8Array(g.nodeCount).fill(1))).toBe(expected);
        // Stopping early leaves no stale counters behind.
        expect(Array.from(p.run(failed))).toEqual(
          Array.from(propagateFailure(g, outputsOf(g), failed)),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("stops at the target and counts the dependents it examined", () => {
    // a -> b -> c, and a -> d -> e (e is outside c's closure).
    const nodes = [unit("a"), unit("b", [0]), unit("c", [1]), unit("d", [0]), unit("e", [3])];
    const g = buildFailureGraph(nodes);
    const p = new FailurePropagator(g);
    const within = closureOf(g, 2);
    expect(Array.from(within)).toEqual([1, 1, 1, 0, 0]);
    expect(p.failsWithin([0], 2, within)).toBe(true);
    // a's dependents (b, d) and b's (c); d was skipped, so e was never examined.
    expect(p.work).toBe(3);
    expect(p.down[3]).toBe(0);
    expect(p.failsWithin([3, 4], 2, within)).toBe(false);
    expect(p.failsWithin([2], 2, within)).toBe(true);
    expect(p.work).toBe(0);
  });
});
