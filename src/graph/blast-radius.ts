/**
 * @module graph/blast-radius
 * Blast radius of every failure unit at once: for each unit u, the nodes that fail when u alone
 * fails (u included), without one traversal per unit.
 *
 * Algorithm: bit-parallel propagation of "which units fail me" over the condensation of the
 * input graph — the word-packed transitive-closure technique, generalised to thresholds.
 * Units are taken in blocks of 32·K (K 32-bit words per node). For a block, bit j of node x
 * is set when the block's j-th unit alone fails x. Nodes are visited in dependency-first order
 * (Tarjan components by ascending id, graph/scc), and only nodes downstream of the block's
 * units are visited at all (a pending bitmap indexed by topological position):
 *  - threshold 1: bits(x) = own bit | OR of the inputs' bits;
 *  - threshold t > 1: bits(x) = own bit | "at least t of the inputs' bitsets", with bit-parallel
 *    saturating counters (atLeast[j] |= atLeast[j − 1] & b, j from t down to 1) over the
 *    inputs that are non-zero; when t exceeds half of them the complement form
 *    ("not at least m − t + 1 of the complements") is used, so a gate costs
 *    O(m · min(t, m − t + 1)) word operations per word;
 *  - cyclic component: all threshold-1 members share one value (own bits of all members | the
 *    outside inputs); otherwise a FIFO worklist iterates members from their own bits until no
 *    word changes — the least fixpoint, so a healthy cycle stays up.
 * Duplicated input entries count as separate inputs, as in graph/propagate.
 *
 * A node's bits are final when it is visited; it then schedules its dependents. Counts of
 * selected nodes are column sums of the block's bit matrix, taken with bit-sliced (vertical)
 * counters fed by Harley–Seal carry-save adders, so a huge blast radius costs no more per node
 * than a small one; watched nodes are read off their bit rows.
 *
 * Memory layout: only nodes with non-zero bits get a row, handed out in the order they are
 * finished (so a node's inputs, finished just before it, tend to sit close by, and a block's
 * rows are one contiguous run to count and clear), and each row records its first and last
 * non-zero word, over which rows are combined. On the 100k-component synthetic graph (285k
 * nodes, 1.44M edges, 46k units, 45 blocks) the pass visits 1.84M nodes and combines 6.2M input
 * rows; their word ranges hold 62% of the words, and rows indexed by node id cost a cache miss
 * per input. Together with a dependents list that skips same-component edges, this took the
 * pass from about 4.1 s to 3.3–3.5 s of CPU time (minimum of five runs each, on a loaded
 * 2-core machine).
 *
 * K defaults to 32 (two 64-byte cache lines per node row). On 100k-node / 1M-edge synthetic
 * graphs, 16 beat 8 clearly; with two count masks and thousands of watched nodes, 32 then beat
 * 16 (about 4 s against 5–6 s of CPU time: half as many passes over the graph); 64 gained
 * nothing measurable, before and after the word ranges, and doubles the memory. At 10k nodes
 * the choice does not matter.
 *
 * Cost: O(V + E) once for the condensation, then per block O((V_b + E_b) · K) word operations,
 * where V_b / E_b are the nodes / edges downstream of the block's units (worst case the whole
 * graph), plus gate and cyclic-component work as above. Worst case O(U/(32K) · (V + E) · K) =
 * O(U · (V + E) / 32). Memory O(V · K) words. `blastRadius` (per-unit node lists) additionally
 * costs the output size.
 */
import { BlockPropagation } from "./block-propagation.js";
import { ColumnCounter } from "./column-counter.js";
import { type FailureGraph, type Outputs, outputsOf } from "./failure-graph.js";
import { FailurePropagator } from "./propagate.js";

/** Words per node and block; a block covers 32 × this many units. */
const DEFAULT_BLOCK_WORDS = 32;

export interface BlastRadiusSummary {
  /** Every unit, ascending node id. */
  readonly units: Int32Array;
  /**
   * One array per count mask: counts[m][i] = nodes x with countMasks[m][x] = 1 that fail when
   * units[i] alone fails.
   */
  readonly counts: readonly Int32Array[];
  /**
   * Which units take each watched node down, one bitset per watched node (column-major, so a
   * watched node's units are one contiguous run): bit i of the words
   * `watchedHits[w · watchedWords .. (w + 1) · watchedWords)` is set when watched[w] fails with
   * units[i]. Read it with `watchedHit` and `watchedUnits`.
   */
  readonly watchedHits: Int32Array;
  /** 32-bit words per watched node: ⌈units / 32⌉. */
  readonly watchedWords: number;
}

/** 1 when watched node number `w` fails with the unit at row `i` of `summary.units`, else 0. */
export function watchedHit(summary: BlastRadiusSummary, i: number, w: number): 0 | 1 {
  const word = summary.watchedHits[w * summary.watchedWords + (i >>> 5)]!;
  return ((word >>> (i & 31)) & 1) as 0 | 1;
}

/** The units (ascending node ids) that take watched node number `w` down. */
export function watchedUnits(summary: BlastRadiusSummary, w: number): Int32Array {
  const words = summary.watchedWords;
  const hits = summary.watchedHits;
  const base = w * words;
  let count = 0;
  for (let k = 0; k < words; k++) count += popcount(hits[base + k]!);
  const out = new Int32Array(count);
  let o = 0;
  for (let k = 0; k < words; k++) {
    let word = hits[base + k]!;
    while (word !== 0) {
      const low = word & -word;
      word ^= low;
      out[o++] = summary.units[(k << 5) + 31 - Math.clz32(low)]!;
    }
  }
  return out;
}

/**
 * The units (ascending node ids) that take down both watched node number `a` and number `b`:
 * the intersection of their bitsets, without listing either one. With `limit`, only the first
 * `limit` of them.
 */
export function watchedUnitsOfBoth(
  summary: BlastRadiusSummary,
  a: number,
  b: number,
  limit = Number.POSITIVE_INFINITY,
): Int32Array {
  const words = summary.watchedWords;
  const hits = summary.watchedHits;
  const baseA = a * words;
  const baseB = b * words;
  const out = new Int32Array(Math.min(watchedCountOfBoth(summary, a, b), limit));
  let o = 0;
  for (let k = 0; k < words && o < out.length; k++) {
    let word = hits[baseA + k]! & hits[baseB + k]!;
    while (word !== 0 && o < out.length) {
      const low = word & -word;
      word ^= low;
      out[o++] = summary.units[(k << 5) + 31 - Math.clz32(low)]!;
    }
  }
  return out;
}

/** How many units take down both watched node number `a` and number `b`. */
export function watchedCountOfBoth(summary: BlastRadiusSummary, a: number, b: number): number {
  const words = summary.watchedWords;
  const hits = summary.watchedHits;
  const baseA = a * words;
  const baseB = b * words;
  let count = 0;
  for (let k = 0; k < words; k++) count += popcount(hits[baseA + k]! & hits[baseB + k]!);
  return count;
}

function popcount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

export interface BlastRadiusTuning {
  /** K, the 32-bit words per node in one block (1..64). */
  readonly blockWords?: number;
}

export interface BlastRadiusOptions extends BlastRadiusTuning {
  /**
   * Called once per unit (in no particular unit order) with the nodes that fail when it alone
   * fails, ascending. `downNodes` is a view reused after the call returns.
   */
  readonly observe: (unit: number, downNodes: Int32Array) => void;
}

/**
 * Per unit: how many nodes of each count mask it takes down, and which watched nodes. Several
 * masks share one propagation; each costs only its column counters.
 */
export function blastRadiusSummary(
  g: FailureGraph,
  watched: readonly number[],
  countMasks: readonly Uint8Array[],
  tuning: BlastRadiusTuning = {},
  /** The graph's dependents, when the caller has them already. */
  out: Outputs = outputsOf(g),
): BlastRadiusSummary {
  const pass = new SummaryPass(g, watched, countMasks, tuning, out);
  for (let b = 0; b < pass.blocks; b++) pass.run(b);
  return pass.summary;
}

/**
 * `blastRadiusSummary` block by block, so that threads can share the blocks: each block writes
 * the counts and watched bits of its own units only, so passes over the same arguments that ran
 * different blocks add up to the whole summary (`mergeSummaries`), whoever ran which block.
 */
export class SummaryPass {
  /** Blocks of 32·K units, in dependency-first order of their units. */
  readonly blocks: number;
  /** What the blocks run so far found; zeros for the units of the others. */
  readonly summary: BlastRadiusSummary;
  private readonly engine: BlockPropagation;
  private readonly watched: readonly number[];
  private readonly masks: readonly Uint8Array[];
  private readonly counters: ColumnCounter[];

  constructor(
    g: FailureGraph,
    watched: readonly number[],
    countMasks: readonly Uint8Array[],
    tuning: BlastRadiusTuning = {},
    out: Outputs = outputsOf(g),
  ) {
    const n = g.nodeCount;
    for (const mask of countMasks) {
      if (mask.length < n) throw new RangeError("blastRadiusSummary: count mask too short");
    }
    for (const w of watched) {
      if (!Number.isInteger(w) || w < 0 || w >= n) {
        throw new RangeError(`blastRadiusSummary: watched node ${w} out of range`);
      }
    }
    const engine = new BlockPropagation(g, tuning.blockWords ?? DEFAULT_BLOCK_WORDS, out);
    this.engine = engine;
    this.watched = watched;
    this.masks = countMasks;
    const units = engine.unitsById;
    const watchedWords = (units.length + 31) >>> 5;
    this.summary = {
      units,
      counts: countMasks.map(() => new Int32Array(units.length)),
      watchedHits: new Int32Array(watchedWords * watched.length),
      watchedWords,
    };
    this.counters = countMasks.map((mask) => {
      let masked = 0;
      for (let x = 0; x < n; x++) if (mask[x] === 1) masked++;
      return new ColumnCounter(engine.words, masked);
    });
    this.blocks = Math.ceil(units.length / (32 * engine.words));
  }

  /** Runs block `b` (0 ≤ b < blocks). */
  run(b: number): void {
    const engine = this.engine;
    const K = engine.words;
    const rowOf = engine.rowOf;
    const bits = engine.bits;
    const blockUnits = engine.unitsByPosition;
    const from = b * 32 * K;
    const to = Math.min(from + 32 * K, blockUnits.length);
    const { counts, watchedHits, watchedWords } = this.summary;
    engine.runBlock(from, to);

    const touched = engine.touched;
    for (let m = 0; m < this.masks.length; m++) {
      const mask = this.masks[m]!;
      const counter = this.counters[m]!;
      const out = counts[m]!;
      counter.reset();
      for (let r = 0; r < engine.touchedCount; r++) {
        if (mask[touched[r]!] === 1) counter.add(bits, r * K);
      }
      counter.flush();
      for (let j = 0; j < to - from; j++) out[rowOf[blockUnits[from + j]!]!] = counter.count(j);
    }

    const slot = engine.slot;
    const watched = this.watched;
    for (let w = 0; w < watched.length; w++) {
      const r = slot[watched[w]!]!;
      if (r < 0) continue;
      const base = r * K;
      const column = w * watchedWords;
      for (let k = engine.low[r]!; k <= engine.high[r]!; k++) {
        let word = bits[base + k]!;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          const row = rowOf[blockUnits[from + (k << 5) + 31 - Math.clz32(low)]!]!;
          watchedHits[column + (row >>> 5)]! |= 1 << (row & 31);
        }
      }
    }
    engine.endBlock();
  }

  /** Runs the blocks `claim` hands out, until it hands out one past the last. */
  runClaimed(claim: () => number): void {
    for (let b = claim(); b < this.blocks; b = claim()) this.run(b);
  }
}

/**
 * Adds the blocks of `from` to `into`: two passes over the same arguments that ran disjoint
 * sets of blocks (each unit's count is zero in the pass that did not run its block).
 */
export function mergeSummaries(into: BlastRadiusSummary, from: BlastRadiusSummary): void {
  if (into.units.length !== from.units.length || into.counts.length !== from.counts.length)
    throw new RangeError("mergeSummaries: summaries of different passes");
  into.counts.forEach((counts, m) => {
    const other = from.counts[m] as Int32Array;
    for (let i = 0; i < counts.length; i++) counts[i]! += other[i]!;
  });
  const hits = into.watchedHits;
  for (let i = 0; i < hits.length; i++) hits[i]! |= from.watchedHits[i]!;
}

/** Calls `observe` for every unit with the full list of nodes its failure takes down. */
export function blastRadius(g: FailureGraph, options: BlastRadiusOptions): void {
  // Small blocks by default: the transposed lists of one block hold up to 32·K·V entries.
  const engine = new BlockPropagation(g, options.blockWords ?? 2, outputsOf(g));
  const K = engine.words;
  const bits = engine.bits;
  const blockUnits = engine.unitsByPosition;
  const blockSize = 32 * K;
  const offset = new Int32Array(blockSize + 1);
  let lists = new Int32Array(1024);
  for (let from = 0; from < blockUnits.length; from += blockSize) {
    const to = Math.min(from + blockSize, blockUnits.length);
    engine.runBlock(from, to);
    const touched = engine.touched;
    const touchedCount = engine.touchedCount;
    // Transpose the block's bit matrix into one node list per unit.
    offset.fill(0);
    for (let r = 0; r < touchedCount; r++) {
      const base = r * K;
      for (let k = 0; k < K; k++) {
        let word = bits[base + k]!;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          offset[(k << 5) + 32 - Math.clz32(low)]!++;
        }
      }
    }
    for (let j = 0; j < blockSize; j++) offset[j + 1]! += offset[j]!;
    const total = offset[blockSize]!;
    if (lists.length < total) lists = new Int32Array(Math.max(total, lists.length * 2));
    const fill = offset.slice(0, blockSize);
    for (let r = 0; r < touchedCount; r++) {
      const x = touched[r]!;
      const base = r * K;
      for (let k = 0; k < K; k++) {
        let word = bits[base + k]!;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          lists[fill[(k << 5) + 31 - Math.clz32(low)]!++] = x;
        }
      }
    }
    engine.endBlock();
    for (let j = 0; j < to - from; j++) {
      const view = lists.subarray(offset[j]!, offset[j + 1]!).sort();
      options.observe(blockUnits[from + j]!, view);
    }
  }
}

/** The nodes that fail when `unit` alone fails (a single propagation). */
export function blastRadiusOf(g: FailureGraph, out: Outputs, unit: number): Uint8Array {
  return new FailurePropagator(g, out).run([unit]);
}
