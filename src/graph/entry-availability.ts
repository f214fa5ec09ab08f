/**
 * @module graph/entry-availability
 * The availability of a node from the availabilities of the failure units under it, assumed to
 * fail independently: the kernel of the audit's `availability` rule, over the graph's arrays
 * alone, so that a parallel audit can run it on a worker thread (see `analysis/parallel`).
 *
 * The node is up only if every unit of its order-1 cut set is up, so
 *   A = Π a(u) over the order-1 cut set × P(up | all of them up).
 * The second factor involves only the remaining uncertain units in the node's hard closure
 * (those behind redundancy). With at most `exactLimit` of them it is computed exactly by
 * enumerating their 2^k states; beyond that it is estimated by Monte Carlo with a seeded
 * generator and reported with a 95% Wilson interval, within a deterministic work budget.
 * Units without a declared availability (NaN) count as always up and are counted apart.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { FailureGraph, Outputs } from "./failure-graph.js";
import { type FailurePropagator, outputsWithin } from "./propagate.js";

export interface EstimateOptions {
  /** Above this many uncertain units the availability is estimated, not enumerated. */
  readonly exactLimit: number;
  /** Samples of the Monte Carlo estimate. */
  readonly samples: number;
  /** Dependents examined by the propagations after which the estimate stops (see context). */
  readonly workBudget: number;
  /** Seed of the estimate; each node's stream also depends on its key. */
  readonly seed: number;
}

/** The availability of one node, and how it was found. */
export interface Estimate {
  readonly availability: number;
  readonly method: "exact" | "monte-carlo";
  readonly interval?: readonly [number, number];
  readonly samples?: number;
  readonly undeclared: number;
  readonly declared: number;
}

/** Buffers that the estimates of one graph share. */
export interface EstimateScratch {
  inside?: Outputs;
}

/**
 * Nodes reachable from `start` along inputs whose failure is forced by a single input
 * (threshold-1 nodes): the hard dependency closure, gates with redundancy included as nodes but
 * crossed only with `crossGates`. With `into`, the closure is marked there (it must be all
 * zeros) instead of in a new array.
 */
export function hardClosure(
  g: FailureGraph,
  start: number,
  crossGates = false,
  into?: Uint8Array,
): Uint8Array {
  const seen = into ?? new Uint8Array(g.nodeCount);
  const stack = [start];
  seen[start] = 1;
  while (stack.length > 0) {
    const x = stack.pop() as number;
    if (!crossGates && x !== start && (g.threshold[x] as number) > 1) continue;
    for (let i = g.inputStart[x] as number; i < (g.inputStart[x + 1] as number); i++) {
      const y = g.inputs[i] as number;
      if (!seen[y]) {
        seen[y] = 1;
        stack.push(y);
      }
    }
  }
  return seen;
}

/**
 * The availability of `entry`, whose order-1 cut set is `cut` (unit nodes), from `avail` (per
 * node; NaN when not declared). `key` names the entry in the seed of its Monte Carlo stream.
 */
export function estimateEntry(
  g: FailureGraph,
  out: Outputs,
  propagator: FailurePropagator,
  entry: number,
  key: string,
  cut: ArrayLike<number>,
  avail: Float64Array,
  options: EstimateOptions,
  scratch: EstimateScratch = {},
): Estimate {
  const inCut = new Uint8Array(g.nodeCount);
  for (let i = 0; i < cut.length; i++) inCut[cut[i] as number] = 1;
  const closure = hardClosure(g, entry, true);
  let series = 1;
  let undeclared = 0;
  let declared = 0;
  const uncertain: number[] = [];
  for (let x = 0; x < g.nodeCount; x++) {
    if (!closure[x] || !g.isUnit[x]) continue;
    const a = avail[x] as number;
    if (Number.isNaN(a)) {
      undeclared++;
      continue;
    }
    declared++;
    if (inCut[x]) series *= a;
    else if (a < 1) uncertain.push(x);
  }
  // No uncertain unit is in the entry's order-1 cut set, so with every cut unit up the entry
  // fails only when at least two uncertain units fail: states with fewer are up without a
  // propagation. The others are propagated inside the entry's closure only, stopping as soon as
  // the entry fails.
  // One set of buffers for every entry's (see outputsWithin).
  const inside = uncertain.length >= 2 ? outputsWithin(out, closure, scratch.inside) : undefined;
  if (inside) scratch.inside = inside;
  const failed: number[] = [];
  if (uncertain.length <= options.exactLimit) {
    let conditional = 0;
    const k = uncertain.length;
    for (let state = 0; state < 1 << k; state++) {
      let p = 1;
      failed.length = 0;
      for (let i = 0; i < k; i++) {
        const a = avail[uncertain[i] as number] as number;
        if (state & (1 << i)) {
          p *= 1 - a;
          failed.push(uncertain[i] as number);
        } else p *= a;
      }
      if (p === 0) continue;
      if (failed.length < 2 || !propagator.failsWithin(failed, entry, closure, inside))
        conditional += p;
    }
    return { availability: series * conditional, method: "exact", undeclared, declared };
  }

  // Monte Carlo. Each sample fails each uncertain unit independently with probability 1 − a.
  // Units with the same availability form a group; a group's Bernoulli trials over all samples
  // are one stream (trial s·n + i is unit i in sample s), and the gap to its next failure is
  // drawn directly from the geometric distribution, so the generator is called once per
  // failure instead of once per unit and sample. The samples stop early, deterministically,
  // when the propagations have examined `workBudget` dependents.
  const rng = xoroshiro128plus(hashSeed(options.seed, key));
  const groups = groupByAvailability(uncertain, avail);
  const skip = (logMiss: number): number => Math.floor(Math.log(1 - uniformFloat64(rng)) / logMiss);
  const next = groups.map((grp) => skip(grp.logMiss));
  const budget = options.workBudget;
  let work = 0;
  let up = 0;
  let samples = 0;
  while (samples < options.samples && work < budget) {
    failed.length = 0;
    for (let gi = 0; gi < groups.length; gi++) {
      const grp = groups[gi] as Group;
      const n = grp.units.length;
      const first = samples * n;
      let t = next[gi] as number;
      while (t < first + n) {
        failed.push(grp.units[t - first] as number);
        t += 1 + skip(grp.logMiss);
      }
      next[gi] = t;
    }
    samples++;
    if (failed.length < 2) up++;
    else {
      if (!propagator.failsWithin(failed, entry, closure, inside)) up++;
      work += propagator.work;
    }
  }
  const [lo, hi] = wilson(up, samples);
  return {
    availability: series * (up / samples),
    method: "monte-carlo",
    interval: [series * lo, series * hi],
    samples,
    undeclared,
    declared,
  };
}

interface Group {
  /** Units with this availability, ascending. */
  readonly units: number[];
  /** log(a): the log of the probability that one trial does not fail. */
  readonly logMiss: number;
}

function groupByAvailability(units: readonly number[], avail: Float64Array): Group[] {
  const byValue = new Map<number, Group>();
  for (const u of units) {
    const a = avail[u] as number;
    let grp = byValue.get(a);
    if (!grp) {
      grp = { units: [], logMiss: Math.log(a) };
      byValue.set(a, grp);
    }
    grp.units.push(u);
  }
  return [...byValue.values()];
}

/** 95% Wilson score interval for a binomial proportion. */
export function wilson(successes: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A 32-bit seed from the run's seed and a key, so each entry has its own stream. */
function hashSeed(seed: number, key: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}
