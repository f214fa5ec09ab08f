/**
 * @module graph/brute-force
 * Test oracles: order-1 and order-2 cut sets by exhaustive propagation. They follow the
 * definitions literally — fail each unit (or each pair of units) and propagate with
 * graph/propagate — and exist only to check the fast kernels in graph/single-failures.
 *
 * Cost: O(U·(V + E)) for single failures and O(U²·(V + E)) for pairs, with U units. Not for
 * production graphs.
 */
import type { FailureGraph, Outputs } from "./failure-graph.js";
import { FailurePropagator } from "./propagate.js";

/** For each target, the sorted units whose failure alone fails it (exhaustive oracle). */
export function bruteForceSingleFailures(
  g: FailureGraph,
  out: Outputs,
  targets: readonly number[],
): Int32Array[] {
  const propagator = new FailurePropagator(g, out);
  const sets: number[][] = targets.map(() => []);
  const single = new Int32Array(1);
  for (let u = 0; u < g.nodeCount; u++) {
    if (g.isUnit[u] !== 1) continue;
    single[0] = u;
    const down = propagator.run(single);
    for (let i = 0; i < targets.length; i++) {
      if (down[targets[i]!] === 1) sets[i]!.push(u);
    }
  }
  return sets.map((s) => Int32Array.from(s));
}

/**
 * Minimal order-2 cut sets of `target` (exhaustive oracle): pairs [a, b], a < b, of units not in
 * the target's order-1 set whose joint failure fails the target. Sorted.
 */
export function bruteForceDoubleFailures(
  g: FailureGraph,
  out: Outputs,
  target: number,
): Array<[number, number]> {
  const propagator = new FailurePropagator(g, out);
  const [order1] = bruteForceSingleFailures(g, out, [target]);
  const inOrder1 = new Set(order1);
  const units: number[] = [];
  for (let u = 0; u < g.nodeCount; u++) {
    if (g.isUnit[u] === 1 && !inOrder1.has(u)) units.push(u);
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < units.length; i++) {
    for (let j = i + 1; j < units.length; j++) {
      const a = units[i]!;
      const b = units[j]!;
      if (propagator.run([a, b])[target] === 1) pairs.push([a, b]);
    }
  }
  return pairs;
}
