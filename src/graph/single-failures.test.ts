import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bruteForceDoubleFailures, bruteForceSingleFailures } from "./brute-force.js";
import {
  buildFailureGraph,
  type FailureGraph,
  type GraphNodeSpec,
  NodeType,
  outputsOf,
} from "./failure-graph.js";
import { gate, unit } from "./fixtures.js";
import {
  doubleFailureSets,
  doubleFailureSetsDetailed,
  singleFailureSets,
} from "./single-failures.js";

/** provider 0 ← region 1 ← zones 2, 3, 4; gate 5 over the zones; component 6 on the gate. */
function zonal(threshold: number): FailureGraph {
  return buildFailureGraph([
    { id: "provider", type: NodeType.domain, unit: true, inputs: [] },
    { id: "region", type: NodeType.domain, unit: true, inputs: [0] },
    { id: "z1", type: NodeType.domain, unit: true, inputs: [1] },
    { id: "z2", type: NodeType.domain, unit: true, inputs: [1] },
    { id: "z3", type: NodeType.domain, unit: true, inputs: [1] },
    gate("placements", [2, 3, 4], threshold),
    unit("app", [5]),
  ]);
}

const list = (a: Int32Array | undefined) => Array.from(a ?? []);

/** Random threshold graphs: cycles, self-loops, duplicated inputs, unreachable thresholds. */
const thresholdGraph = (maxNodes: number) =>
  fc
    .integer({ min: 1, max: maxNodes })
    .chain((n) =>
      fc.array(
        fc.record({
          unit: fc.boolean(),
          inputs: fc.array(fc.nat(n - 1), { maxLength: 4 }),
          extra: fc.nat(8),
        }),
        { minLength: n, maxLength: n },
      ),
    )
    .map((specs) =>
      buildFailureGraph(
        specs.map((s, i) => ({
          id: `n${i}`,
          type: s.unit ? NodeType.component : NodeType.gate,
          unit: s.unit,
          threshold: 1 + (s.extra % (s.inputs.length + 1)),
          inputs: s.inputs,
        })),
      ),
    );

const allNodes = (g: FailureGraph) => Array.from({ length: g.nodeCount }, (_, x) => x);

describe("singleFailureSets", () => {
  it("does not flag zones under an any-of-3 placement; region and provider are", () => {
    const g = zonal(3);
    const out = outputsOf(g);
    const [app, gateSet] = singleFailureSets(g, out, [6, 5]);
    expect(list(app)).toEqual([0, 1, 6]);
    expect(list(gateSet)).toEqual([0, 1]);
    expect(doubleFailureSets(g, out, 6, app!)).toEqual([]);
  });

  it("makes every pair of zones an order-2 cut of a 2-of-3 quorum", () => {
    const g = zonal(2);
    const out = outputsOf(g);
    const [app] = singleFailureSets(g, out, [6]);
    expect(list(app)).toEqual([0, 1, 6]);
    expect(doubleFailureSets(g, out, 6, app!)).toEqual([
      [2, 3],
      [2, 4],
      [3, 4],
    ]);
  });

  it("solves a cycle through a gate to its least fixpoint", () => {
    // g = 2-of-{x, y}; x needs g, a, s; y needs g, b, s. Only s takes down both x and y.
    const g = buildFailureGraph([
      gate("g", [1, 2], 2),
      unit("x", [0, 3, 5]),
      unit("y", [0, 4, 5]),
      unit("a"),
      unit("b"),
      unit("s"),
      unit("top", [0]),
    ]);
    const out = outputsOf(g);
    const sets = singleFailureSets(g, out, [0, 1, 2, 6]);
    expect(sets.map(list)).toEqual([[5], [1, 3, 5], [2, 4, 5], [5, 6]]);
    expect(sets.map(list)).toEqual(bruteForceSingleFailures(g, out, [0, 1, 2, 6]).map(list));
    expect(doubleFailureSets(g, out, 6, sets[3]!)).toEqual(bruteForceDoubleFailures(g, out, 6));
    expect(doubleFailureSets(g, out, 6, sets[3]!)).toContainEqual([1, 2]);
  });

  it("keeps a healthy threshold-1 cycle out of the sets of its inputs", () => {
    // a <-> b, both need c; d needs a.
    const g = buildFailureGraph([unit("a", [1, 2]), unit("b", [0, 2]), unit("c"), unit("d", [0])]);
    const out = outputsOf(g);
    expect(singleFailureSets(g, out, [3, 2]).map(list)).toEqual([[0, 1, 2, 3], [2]]);
  });

  it("rejects targets out of range", () => {
    const g = zonal(2);
    expect(() => singleFailureSets(g, outputsOf(g), [7])).toThrow(RangeError);
  });

  it("equals the brute-force oracle on random threshold graphs", () => {
    fc.assert(
      fc.property(thresholdGraph(14), (g) => {
        const out = outputsOf(g);
        const targets = allNodes(g);
        const fast = singleFailureSets(g, out, targets).map(list);
        const slow = bruteForceSingleFailures(g, out, targets).map(list);
        expect(fast).toEqual(slow);
      }),
      { numRuns: 1000 },
    );
  });

  it("equals the oracle on a 400-node graph with gates and cycles (small and large sets)", () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const pick = (k: number) => Math.floor(random() * k);
    const n = 400;
    const specs: GraphNodeSpec[] = [];
    for (let x = 0; x < n; x++) {
      const inputs: number[] = [];
      const isGate = x > 5 && random() < 0.15;
      const k = isGate ? 2 + pick(3) : pick(3);
      for (let i = 0; i < k && x > 0; i++) inputs.push(x - 1 - pick(Math.min(x, 30)));
      if (random() < 0.05) inputs.push(pick(n));
      specs.push(isGate ? gate(`g${x}`, inputs, 1 + pick(inputs.length)) : unit(`c${x}`, inputs));
    }
    const g = buildFailureGraph(specs);
    const out = outputsOf(g);
    const targets = allNodes(g);
    const fast = singleFailureSets(g, out, targets).map(list);
    expect(fast).toEqual(bruteForceSingleFailures(g, out, targets).map(list));
    const sizes = fast.map((s) => s.length);
    expect(Math.min(...sizes)).toBeLessThan(n / 16);
    expect(Math.max(...sizes)).toBeGreaterThan(n / 16);
  });

  it("gives the same answer per target as for all targets at once", () => {
    fc.assert(
      fc.property(thresholdGraph(14), fc.nat(13), (g, pick) => {
        const out = outputsOf(g);
        const t = pick % g.nodeCount;
        expect(list(singleFailureSets(g, out, [t])[0])).toEqual(
          list(singleFailureSets(g, out, allNodes(g))[t]),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("doubleFailureSets", () => {
  it("equals brute-force pair enumeration on random threshold graphs", () => {
    fc.assert(
      fc.property(thresholdGraph(14), (g) => {
        const out = outputsOf(g);
        const targets = allNodes(g);
        const order1 = singleFailureSets(g, out, targets);
        for (const t of targets) {
          expect(doubleFailureSets(g, out, t, order1[t]!)).toEqual(
            bruteForceDoubleFailures(g, out, t),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it("with a candidate limit, lists exactly the pairs touching an examined unit", () => {
    fc.assert(
      fc.property(thresholdGraph(14), fc.nat(6), (g, limit) => {
        const out = outputsOf(g);
        for (const t of allNodes(g)) {
          const [order1] = singleFailureSets(g, out, [t]);
          const inOrder1 = new Set(order1);
          // Candidates: units upstream of t (along inputs) that are not single failures.
          const seen = new Set([t]);
          const stack = [t];
          while (stack.length > 0) {
            const x = stack.pop()!;
            for (let i = g.inputStart[x]!; i < g.inputStart[x + 1]!; i++) {
              const y = g.inputs[i]!;
              if (!seen.has(y)) {
                seen.add(y);
                stack.push(y);
              }
            }
          }
          const candidates = [...seen]
            .filter((x) => g.isUnit[x] === 1 && !inOrder1.has(x))
            .sort((a, b) => a - b);
          const examined = new Set(candidates.slice(0, limit));
          const full = bruteForceDoubleFailures(g, out, t);
          const cut = doubleFailureSetsDetailed(g, out, t, order1!, limit);
          expect(cut.candidates).toBe(candidates.length);
          expect(cut.examined).toBe(examined.size);
          expect(cut.truncated).toBe(examined.size < candidates.length);
          expect(cut.pairs).toEqual(full.filter(([a, b]) => examined.has(a) || examined.has(b)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
