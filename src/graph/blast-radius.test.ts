import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blastRadius,
  blastRadiusOf,
  blastRadiusSummary,
  watchedCountOfBoth,
  watchedHit,
  watchedUnits,
  watchedUnitsOfBoth,
} from "./blast-radius.js";
import {
  buildFailureGraph,
  type FailureGraph,
  type GraphNodeSpec,
  NodeType,
  outputsOf,
} from "./failure-graph.js";
import { FailurePropagator } from "./propagate.js";

/** Random threshold graphs: cycles, self-loops, duplicated inputs, unreachable thresholds. */
const thresholdGraph = (maxNodes: number) =>
  fc
    .integer({ min: 1, max: maxNodes })
    .chain((n) =>
      fc.array(
        fc.record({
          unit: fc.boolean(),
          counted: fc.boolean(),
          inputs: fc.array(fc.nat(n - 1), { maxLength: 4 }),
          extra: fc.nat(8),
        }),
        { minLength: n, maxLength: n },
      ),
    )
    .map((specs) => ({
      g: buildFailureGraph(
        specs.map((s, i) => ({
          id: `n${i}`,
          type: s.unit ? NodeType.component : NodeType.gate,
          unit: s.unit,
          threshold: 1 + (s.extra % (s.inputs.length + 1)),
          inputs: s.inputs,
        })),
      ),
      countMask: Uint8Array.from(specs, (s) => (s.counted ? 1 : 0)),
    }));

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mostly-DAG graph with domain chains, quorum / any-of gates, and a few back edges. */
function syntheticGraph(n: number, seed: number): FailureGraph {
  const random = rng(seed);
  const pick = (k: number) => Math.floor(random() * k);
  const nodes: GraphNodeSpec[] = [];
  for (let x = 0; x < n; x++) {
    const inputs: number[] = [];
    let threshold = 1;
    let type: NodeType = NodeType.component;
    if (x > 3 && random() < 0.1) {
      type = NodeType.gate;
      const k = 2 + pick(4);
      for (let i = 0; i < k; i++) inputs.push(pick(x));
      threshold = 1 + pick(k);
    } else if (x > 0) {
      const k = pick(4);
      for (let i = 0; i < k; i++) inputs.push(x - 1 - pick(Math.min(x, 40)));
      if (random() < 0.02) inputs.push(x + pick(n - x)); // occasional back edge or self-loop
    }
    nodes.push({ id: `n${x}`, type, unit: type !== NodeType.gate, threshold, inputs });
  }
  return buildFailureGraph(nodes);
}

function expectAgreesWithPropagation(
  g: FailureGraph,
  watched: readonly number[],
  countMask: Uint8Array,
  blockWords?: number,
): void {
  const out = outputsOf(g);
  // A second mask (odd node ids) checks that masks sharing one propagation stay independent.
  const odd = Uint8Array.from({ length: g.nodeCount }, (_, x) => x & 1);
  const summary = blastRadiusSummary(
    g,
    watched,
    [countMask, odd],
    blockWords === undefined ? {} : { blockWords },
  );
  const units: number[] = [];
  for (let x = 0; x < g.nodeCount; x++) if (g.isUnit[x] === 1) units.push(x);
  expect(Array.from(summary.units)).toEqual(units);
  const propagator = new FailurePropagator(g, out);
  units.forEach((u, i) => {
    const down = propagator.run([u]);
    let count = 0;
    let odds = 0;
    for (let x = 0; x < g.nodeCount; x++) {
      if (down[x] === 1 && countMask[x] === 1) count++;
      if (down[x] === 1 && odd[x] === 1) odds++;
    }
    expect(summary.counts[0]?.[i], `count of unit ${u}`).toBe(count);
    expect(summary.counts[1]?.[i], `odd count of unit ${u}`).toBe(odds);
    watched.forEach((w, j) => {
      expect(watchedHit(summary, i, j), `unit ${u} watched ${w}`).toBe(down[w]);
    });
  });
  watched.forEach((w, j) => {
    const expected = units.filter((u) => propagator.run([u])[w] === 1);
    expect(Array.from(watchedUnits(summary, j)), `units taking ${w} down`).toEqual(expected);
  });
}

describe("blastRadiusSummary", () => {
  it("counts a zonal layout by hand", () => {
    const g = buildFailureGraph([
      { id: "region", type: NodeType.domain, unit: true, inputs: [] },
      { id: "z1", type: NodeType.domain, unit: true, inputs: [0] },
      { id: "z2", type: NodeType.domain, unit: true, inputs: [0] },
      { id: "any", type: NodeType.gate, unit: false, threshold: 2, inputs: [1, 2] },
      { id: "db", type: NodeType.component, unit: true, inputs: [3] },
      { id: "api", type: NodeType.component, unit: true, inputs: [4] },
    ]);
    const countMask = Uint8Array.from(g.type, (t) => (t === NodeType.component ? 1 : 0));
    const s = blastRadiusSummary(g, [5], [countMask]);
    expect(Array.from(s.units)).toEqual([0, 1, 2, 4, 5]);
    expect(s.counts.map((c) => Array.from(c))).toEqual([[2, 0, 0, 2, 1]]);
    expect([0, 1, 2, 3, 4].map((i) => watchedHit(s, i, 0))).toEqual([1, 0, 0, 1, 1]);
    expect(Array.from(watchedUnits(s, 0))).toEqual([0, 4, 5]);
  });

  it("counts and lists the units that take two watched nodes down, the first few if asked", () => {
    const g = buildFailureGraph([
      { id: "region", type: NodeType.domain, unit: true, inputs: [] },
      { id: "z1", type: NodeType.domain, unit: true, inputs: [0] },
      { id: "db", type: NodeType.component, unit: true, inputs: [1] },
      { id: "api", type: NodeType.component, unit: true, inputs: [2] },
      { id: "web", type: NodeType.component, unit: true, inputs: [1] },
    ]);
    const s = blastRadiusSummary(g, [3, 4], [new Uint8Array(5)]);
    expect(watchedCountOfBoth(s, 0, 1)).toBe(2);
    expect(Array.from(watchedUnitsOfBoth(s, 0, 1))).toEqual([0, 1]);
    expect(Array.from(watchedUnitsOfBoth(s, 0, 1, 1))).toEqual([0]);
    expect(Array.from(watchedUnitsOfBoth(s, 0, 0, 3))).toEqual([0, 1, 2]);
  });

  it("agrees with propagation on random graphs (one block)", () => {
    fc.assert(
      fc.property(thresholdGraph(16), fc.array(fc.nat(15), { maxLength: 3 }), (r, w) => {
        const watched = w.map((x) => x % r.g.nodeCount);
        expectAgreesWithPropagation(r.g, watched, r.countMask);
      }),
      { numRuns: 500 },
    );
  });

  it("agrees with propagation on random graphs spanning several blocks", () => {
    fc.assert(
      fc.property(thresholdGraph(90), fc.array(fc.nat(89), { maxLength: 4 }), (r, w) => {
        const watched = w.map((x) => x % r.g.nodeCount);
        expectAgreesWithPropagation(r.g, watched, r.countMask, 1);
      }),
      { numRuns: 200 },
    );
  });

  it("agrees with propagation on a 3000-node graph with several default-size blocks", () => {
    const g = syntheticGraph(3000, 7);
    let units = 0;
    for (let x = 0; x < g.nodeCount; x++) units += g.isUnit[x]!;
    // More than two blocks of the default 32 words (1,024 units each).
    expect(units).toBeGreaterThan(2 * 32 * 32);
    const countMask = Uint8Array.from(g.type, (t) => (t === NodeType.component ? 1 : 0));
    expectAgreesWithPropagation(g, [2999, 1500, 17, 42], countMask);
    expectAgreesWithPropagation(g, [2999, 1], countMask, 3);
  });
});

describe("blastRadius", () => {
  it("lists each unit's down nodes as propagation does", () => {
    fc.assert(
      fc.property(thresholdGraph(70), fc.integer({ min: 1, max: 3 }), (r, blockWords) => {
        const g = r.g;
        const out = outputsOf(g);
        const seen = new Set<number>();
        blastRadius(g, {
          blockWords,
          observe: (u, downNodes) => {
            seen.add(u);
            const down = blastRadiusOf(g, out, u);
            const expected: number[] = [];
            for (let x = 0; x < g.nodeCount; x++) if (down[x] === 1) expected.push(x);
            expect(Array.from(downNodes)).toEqual(expected);
          },
        });
        let units = 0;
        for (let x = 0; x < g.nodeCount; x++) units += g.isUnit[x]!;
        expect(seen.size).toBe(units);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects a bad block size", () => {
    const g = syntheticGraph(10, 1);
    expect(() => blastRadiusSummary(g, [], [new Uint8Array(10)], { blockWords: 0 })).toThrow(
      RangeError,
    );
  });
});
