/**
 * @module graph/block-propagation
 * The block engine of `graph/blast-radius`: the condensation of the failure graph, topological
 * positions, and the propagation of one block of 32·K units at once as bit rows (see that
 * module's header for the algorithm, the memory layout and the measurements behind them).
 */
import type { FailureGraph, Outputs } from "./failure-graph.js";
import { condense, cyclicFlags } from "./scc.js";

/**
 * The block engine: condensation, topological positions and the per-block bit propagation.
 * After `runBlock`, `touched[0 .. touchedCount)` lists exactly the nodes with non-zero bits, and
 * the bits of `touched[r]` are the K words at `bits[r · K ..]` (`slot[x]` is that row r, or −1
 * for a node whose bits are zero). Rows are handed out in the order nodes get their bits, which
 * follows the dependency order: a node's inputs were finished shortly before it, so their rows
 * tend to be close in memory, and one block's rows are one contiguous run to count and to clear
 * (indexing rows by node id spread them over the whole array, a cache miss per input at 100k
 * nodes). `endBlock` clears them.
 */
export class BlockPropagation {
  readonly words: number;
  readonly bits: Int32Array;
  readonly touched: Int32Array;
  touchedCount = 0;
  /** Row of each node's bits in the current block, −1 when they are zero. */
  readonly slot: Int32Array;
  /**
   * Bit x set when x has a row: most inputs of a visited node have none, and this bitmap
   * (36 KB at 285k nodes) answers that from cache where `slot` (1.1 MB) missed it.
   */
  private readonly lit: Int32Array;
  /**
   * Per row: its first and last non-zero word. A block's units are consecutive in dependency
   * order, and a node is usually reached by a few runs of them, so most rows have non-zero
   * words in a narrow range (on the 100k-component synthetic graph the inputs' ranges hold 62%
   * of their words): rows are combined over those ranges only.
   */
  readonly low: Uint8Array;
  readonly high: Uint8Array;
  /** Units ascending by id, and each unit's row in that list. */
  readonly unitsById: Int32Array;
  readonly rowOf: Int32Array;
  /** Units in dependency-first order, so that a block's units tend to share dependents. */
  readonly unitsByPosition: Int32Array;

  private readonly threshold: Int32Array;
  private readonly inputStart: Int32Array;
  private readonly inputs: Int32Array;
  private readonly outputStart: Int32Array;
  private readonly outputs: Int32Array;
  /**
   * Per node, the schedule positions of its dependents outside its own component (CSR), so that
   * finishing a node marks them pending without looking up their components.
   */
  private readonly emitStart: Int32Array;
  private readonly emitPosition: Int32Array;
  private readonly component: Int32Array;
  private readonly componentStart: Int32Array;
  private readonly order: Int32Array;
  /** Per component: 0 acyclic, 1 cyclic with only threshold-1 members, 2 cyclic with gates. */
  private readonly cyclicKind: Uint8Array;
  private readonly pending: Int32Array;
  /** Schedule position of `unitsByPosition[i]`. */
  private readonly unitSchedule: Int32Array;
  /** Scratch: rows of the non-zero inputs of a gate, saturating counters, values, a worklist. */
  private readonly live: Int32Array;
  private counters: Int32Array;
  private readonly value: Int32Array;
  private readonly gateValue: Int32Array;
  /** Word range of the last `gate` result. */
  private gateLow = 0;
  private gateHigh = -1;
  private readonly worklist: Int32Array;
  private readonly queued: Uint8Array;

  constructor(g: FailureGraph, blockWords: number, out: Outputs) {
    if (!Number.isInteger(blockWords) || blockWords < 1 || blockWords > 64) {
      throw new RangeError(`blastRadius: blockWords must be an integer in 1..64`);
    }
    const n = g.nodeCount;
    const K = blockWords;
    this.words = K;
    this.inputStart = g.inputStart;
    this.inputs = g.inputs;
    this.outputStart = out.outputStart;
    this.outputs = out.outputs;
    this.threshold = new Int32Array(n);
    for (let x = 0; x < n; x++) this.threshold[x] = Math.max(1, g.threshold[x]!);

    const cond = condense(n, g.inputStart, g.inputs);
    this.component = cond.component;
    this.componentStart = cond.componentStart;
    this.order = cond.order;
    const cyclic = cyclicFlags(n, g.inputStart, g.inputs, cond);
    this.cyclicKind = new Uint8Array(cond.count);
    for (let c = 0; c < cond.count; c++) {
      if (cyclic[c] === 0) continue;
      let kind = 1;
      for (let i = cond.componentStart[c]!; i < cond.componentStart[c + 1]!; i++) {
        if (this.threshold[cond.order[i]!]! > 1) kind = 2;
      }
      this.cyclicKind[c] = kind;
    }
    const position = new Int32Array(n);
    for (let p = 0; p < n; p++) position[cond.order[p]!] = p;
    // Position at which a node's component is scheduled (its own position when acyclic).
    const schedule = new Int32Array(n);
    let maxInputs = 0;
    for (let x = 0; x < n; x++) {
      const c = cond.component[x]!;
      const acyclic = this.cyclicKind[c] === 0;
      schedule[x] = acyclic ? position[x]! : cond.componentStart[c]!;
      maxInputs = Math.max(maxInputs, g.inputStart[x + 1]! - g.inputStart[x]!);
    }
    this.emitStart = new Int32Array(n + 1);
    let emits = 0;
    for (let x = 0; x < n; x++) {
      this.emitStart[x] = emits;
      for (let e = out.outputStart[x]!; e < out.outputStart[x + 1]!; e++) {
        if (cond.component[out.outputs[e]!] !== cond.component[x]) emits++;
      }
    }
    this.emitStart[n] = emits;
    this.emitPosition = new Int32Array(emits);
    emits = 0;
    for (let x = 0; x < n; x++) {
      for (let e = out.outputStart[x]!; e < out.outputStart[x + 1]!; e++) {
        const z = out.outputs[e]!;
        if (cond.component[z] !== cond.component[x]) this.emitPosition[emits++] = schedule[z]!;
      }
    }

    let unitCount = 0;
    for (let x = 0; x < n; x++) unitCount += g.isUnit[x]!;
    this.unitsById = new Int32Array(unitCount);
    this.unitsByPosition = new Int32Array(unitCount);
    this.rowOf = new Int32Array(n).fill(-1);
    let r = 0;
    for (let x = 0; x < n; x++) {
      if (g.isUnit[x] !== 1) continue;
      this.rowOf[x] = r;
      this.unitsById[r++] = x;
    }
    r = 0;
    for (let p = 0; p < n; p++) {
      const x = cond.order[p]!;
      if (g.isUnit[x] === 1) this.unitsByPosition[r++] = x;
    }

    this.bits = new Int32Array(n * K);
    this.touched = new Int32Array(n);
    this.slot = new Int32Array(n).fill(-1);
    this.lit = new Int32Array((n + 31) >>> 5);
    this.low = new Uint8Array(n);
    this.high = new Uint8Array(n);
    this.pending = new Int32Array((n + 31) >>> 5);
    this.live = new Int32Array(maxInputs);
    this.counters = new Int32Array(2 * K);
    this.value = new Int32Array(K);
    this.gateValue = new Int32Array(K);
    this.worklist = new Int32Array(n);
    this.queued = new Uint8Array(n);
    this.unitSchedule = new Int32Array(unitCount);
    for (let i = 0; i < unitCount; i++) this.unitSchedule[i] = schedule[this.unitsByPosition[i]!]!;
  }

  /** Propagates the units `unitsByPosition[from .. to)` (at most 32·K of them). */
  runBlock(from: number, to: number): void {
    const K = this.words;
    const bits = this.bits;
    const pending = this.pending;
    const units = this.unitsByPosition;
    let firstWord = pending.length;
    for (let j = 0; j < to - from; j++) {
      const u = units[from + j]!;
      const r = this.rowFor(u);
      const w = j >>> 5;
      bits[r * K + w]! |= 1 << (j & 31);
      if (w < this.low[r]!) this.low[r] = w;
      if (w > this.high[r]!) this.high[r] = w;
      const p = this.unitSchedule[from + j]!;
      pending[p >>> 5]! |= 1 << (p & 31);
      if (p >>> 5 < firstWord) firstWord = p >>> 5;
    }

    const order = this.order;
    const component = this.component;
    const cyclicKind = this.cyclicKind;
    for (let w = firstWord; w < pending.length; w++) {
      let word = pending[w]!;
      while (word !== 0) {
        const low = word & -word;
        pending[w] = word ^ low;
        const x = order[(w << 5) + 31 - Math.clz32(low)]!;
        const c = component[x]!;
        if (cyclicKind[c] === 0) this.finishNode(x);
        else this.finishComponent(c);
        word = pending[w]!;
      }
    }
  }

  /** Clears the bits of every node the last block touched. */
  endBlock(): void {
    const slot = this.slot;
    const touched = this.touched;
    this.bits.fill(0, 0, this.touchedCount * this.words);
    for (let r = 0; r < this.touchedCount; r++) slot[touched[r]!] = -1;
    this.lit.fill(0);
    this.touchedCount = 0;
  }

  /**
   * x's row, handed out (all zeros, an empty word range) if x has none yet in this block; the
   * caller writes non-zero bits into it and widens its range.
   */
  private rowFor(x: number): number {
    let r = this.slot[x]!;
    if (r < 0) {
      r = this.touchedCount++;
      this.slot[x] = r;
      this.lit[x >>> 5]! |= 1 << (x & 31);
      this.touched[r] = x;
      this.low[r] = this.words;
      this.high[r] = 0;
    }
    return r;
  }

  private finishNode(x: number): void {
    const t = this.threshold[x]!;
    const K = this.words;
    const bits = this.bits;
    const low = this.low;
    const high = this.high;
    if (t === 1) {
      const slot = this.slot;
      const inputs = this.inputs;
      // x's own row exists already when x is one of the block's units.
      let r = slot[x]!;
      let lo = K;
      let hi = 0;
      if (r >= 0) {
        lo = low[r]!;
        hi = high[r]!;
      }
      const lit = this.lit;
      const end = this.inputStart[x + 1]!;
      for (let e = this.inputStart[x]!; e < end; e++) {
        const y = inputs[e]!;
        if (((lit[y >>> 5]! >>> (y & 31)) & 1) === 0) continue;
        const ry = slot[y]!;
        if (r < 0) r = this.rowFor(x);
        const base = r * K;
        const yb = ry * K;
        const ylo = low[ry]!;
        const yhi = high[ry]!;
        for (let k = ylo; k <= yhi; k++) bits[base + k]! |= bits[yb + k]!;
        if (ylo < lo) lo = ylo;
        if (yhi > hi) hi = yhi;
      }
      if (r >= 0) {
        low[r] = lo;
        high[r] = hi;
        this.emit(x);
      }
    } else if (this.gate(x, t)) {
      const gateValue = this.gateValue;
      const r = this.rowFor(x);
      const base = r * K;
      const glo = this.gateLow;
      const ghi = this.gateHigh;
      for (let k = glo; k <= ghi; k++) bits[base + k]! |= gateValue[k]!;
      if (glo < low[r]!) low[r] = glo;
      if (ghi > high[r]!) high[r] = ghi;
      this.emit(x);
    } else if (this.slot[x]! >= 0) {
      this.emit(x);
    }
  }

  private finishComponent(c: number): void {
    const K = this.words;
    const bits = this.bits;
    const slot = this.slot;
    const low = this.low;
    const high = this.high;
    const order = this.order;
    const component = this.component;
    const inputStart = this.inputStart;
    const inputs = this.inputs;
    const from = this.componentStart[c]!;
    const to = this.componentStart[c + 1]!;
    const value = this.value;

    if (this.cyclicKind[c] === 1) {
      // Threshold-1 cycle: every member fails with every other, so all share one value.
      value.fill(0);
      let lo = K;
      let hi = 0;
      for (let i = from; i < to; i++) {
        const x = order[i]!;
        const r = slot[x]!;
        if (r >= 0) {
          orInto(value, bits, r * K, low[r]!, high[r]!);
          if (low[r]! < lo) lo = low[r]!;
          if (high[r]! > hi) hi = high[r]!;
        }
        for (let e = inputStart[x]!; e < inputStart[x + 1]!; e++) {
          const y = inputs[e]!;
          const ry = slot[y]!;
          if (ry < 0 || component[y] === c) continue;
          orInto(value, bits, ry * K, low[ry]!, high[ry]!);
          if (low[ry]! < lo) lo = low[ry]!;
          if (high[ry]! > hi) hi = high[ry]!;
        }
      }
      if (lo > hi) return;
      for (let i = from; i < to; i++) {
        const r = this.rowFor(order[i]!);
        bits.set(value.subarray(lo, hi + 1), r * K + lo);
        low[r] = lo;
        high[r] = hi;
      }
    } else {
      // Mixed cycle: chaotic iteration from the members' own bits; values only grow.
      const threshold = this.threshold;
      const worklist = this.worklist;
      const queued = this.queued;
      const gateValue = this.gateValue;
      const outputStart = this.outputStart;
      const outputs = this.outputs;
      // A FIFO queue, starting in Tarjan order (roughly dependencies first): round-robin
      // sweeps let a member see all its inputs' growth before it is evaluated again, where a
      // stack chased each change depth-first and evaluated members about eleven times each on
      // the 100k-component synthetic graph.
      const size = to - from;
      let head = 0;
      let queuedCount = size;
      for (let i = 0; i < size; i++) {
        const x = order[from + i]!;
        worklist[i] = x;
        queued[x] = 1;
      }
      let tail = 0;
      while (queuedCount > 0) {
        const x = worklist[head]!;
        head = head + 1 === size ? 0 : head + 1;
        queuedCount--;
        queued[x] = 0;
        // value = x's new bits over [lo, hi], starting from its current ones.
        const own = slot[x]!;
        let lo = K;
        let hi = 0;
        value.fill(0);
        if (own >= 0) {
          lo = low[own]!;
          hi = high[own]!;
          orInto(value, bits, own * K, lo, hi);
        }
        const t = threshold[x]!;
        if (t === 1) {
          for (let e = inputStart[x]!; e < inputStart[x + 1]!; e++) {
            const ry = slot[inputs[e]!]!;
            if (ry < 0) continue;
            orInto(value, bits, ry * K, low[ry]!, high[ry]!);
            if (low[ry]! < lo) lo = low[ry]!;
            if (high[ry]! > hi) hi = high[ry]!;
          }
        } else if (this.gate(x, t)) {
          for (let k = this.gateLow; k <= this.gateHigh; k++) value[k]! |= gateValue[k]!;
          if (this.gateLow < lo) lo = this.gateLow;
          if (this.gateHigh > hi) hi = this.gateHigh;
        }
        if (lo > hi) continue;
        let changed = own < 0;
        for (let k = lo; k <= hi && !changed; k++) changed = value[k] !== bits[own * K + k];
        if (!changed) continue;
        const r = own >= 0 ? own : this.rowFor(x);
        bits.set(value.subarray(lo, hi + 1), r * K + lo);
        low[r] = lo;
        high[r] = hi;
        for (let e = outputStart[x]!; e < outputStart[x + 1]!; e++) {
          const z = outputs[e]!;
          if (component[z] === c && queued[z] === 0) {
            queued[z] = 1;
            worklist[tail] = z;
            tail = tail + 1 === size ? 0 : tail + 1;
            queuedCount++;
          }
        }
      }
    }
    for (let i = from; i < to; i++) {
      const x = order[i]!;
      if (slot[x]! >= 0) this.emit(x);
    }
  }

  /**
   * gateValue = lanes in which at least t of x's input entries are set (current values), over
   * the words gateLow..gateHigh (words outside are zero and gateValue is stale there).
   * Returns false, leaving gateValue stale, when the result is zero.
   */
  private gate(x: number, t: number): boolean {
    const K = this.words;
    const bits = this.bits;
    const slot = this.slot;
    const low = this.low;
    const high = this.high;
    const inputs = this.inputs;
    const live = this.live;
    let m = 0;
    // Union and intersection of the live inputs' word ranges: at least one of t ≥ 1 inputs has
    // to be set in a lane, so the result lies within the union, and within the intersection
    // when all of them are needed.
    let lo = K;
    let hi = 0;
    let allLo = 0;
    let allHi = K - 1;
    const lit = this.lit;
    for (let e = this.inputStart[x]!; e < this.inputStart[x + 1]!; e++) {
      const y = inputs[e]!;
      if (((lit[y >>> 5]! >>> (y & 31)) & 1) === 0) continue;
      const ry = slot[y]!;
      live[m++] = ry;
      if (low[ry]! < lo) lo = low[ry]!;
      if (high[ry]! > hi) hi = high[ry]!;
      if (low[ry]! > allLo) allLo = low[ry]!;
      if (high[ry]! < allHi) allHi = high[ry]!;
    }
    if (m < t) return false;
    const out = this.gateValue;
    if (t === m) {
      // All of them: AND.
      if (allLo > allHi) return false;
      out.fill(-1, allLo, allHi + 1);
      for (let i = 0; i < m; i++) {
        const base = live[i]! * K;
        for (let k = allLo; k <= allHi; k++) out[k]! &= bits[base + k]!;
      }
      return this.trimGate(allLo, allHi);
    }
    // At least t set  ==  not (at least m − t + 1 unset); count the cheaper side.
    const complement = t > m - t + 1;
    const levels = complement ? m - t + 1 : t;
    if (this.counters.length < levels * K) this.counters = new Int32Array(levels * K);
    const counters = this.counters;
    counters.fill(0, 0, levels * K);
    const flip = complement ? -1 : 0;
    for (let i = 0; i < m; i++) {
      const base = live[i]! * K;
      for (let k = lo; k <= hi; k++) {
        const b = bits[base + k]! ^ flip;
        if (b === 0) continue;
        for (let j = (levels - 1) * K + k; j >= K; j -= K) counters[j]! |= counters[j - K]! & b;
        counters[k]! |= b;
      }
    }
    const top = (levels - 1) * K;
    for (let k = lo; k <= hi; k++) out[k] = counters[top + k]! ^ flip;
    return this.trimGate(lo, hi);
  }

  /** Narrows gateLow..gateHigh to the non-zero words of gateValue in lo..hi; false if none. */
  private trimGate(lo: number, hi: number): boolean {
    const out = this.gateValue;
    while (lo <= hi && out[lo] === 0) lo++;
    while (hi >= lo && out[hi] === 0) hi--;
    this.gateLow = lo;
    this.gateHigh = hi;
    return lo <= hi;
  }

  /** x's bits are final: schedule its dependents outside its component. */
  private emit(x: number): void {
    const pending = this.pending;
    const emitPosition = this.emitPosition;
    const end = this.emitStart[x + 1]!;
    for (let e = this.emitStart[x]!; e < end; e++) {
      const p = emitPosition[e]!;
      pending[p >>> 5]! |= 1 << (p & 31);
    }
  }
}

function orInto(value: Int32Array, bits: Int32Array, base: number, lo: number, hi: number): void {
  for (let k = lo; k <= hi; k++) value[k]! |= bits[base + k]!;
}
