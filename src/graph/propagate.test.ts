import { describe, expect, it } from "vitest";
import { buildFailureGraph, type GraphNodeSpec, outputsOf } from "./failure-graph.js";
import { gate, unit } from "./fixtures.js";
import { FailurePropagator, propagateFailure } from "./propagate.js";

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
