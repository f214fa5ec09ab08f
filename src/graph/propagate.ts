/**
 * @module graph/propagate
 * Failure propagation: given a set of failed units, every node that fails in the least fixpoint
 * of the threshold rule (see graph/failure-graph).
 *
 * Algorithm: counter-based forward chaining over the dependents (`outputs`), the linear-time
 * scheme used for Horn-clause satisfiability (Dowling & Gallier, "Linear-time algorithms for
 * testing the satisfiability of propositional Horn formulae", J. Logic Programming 1(3), 1984)
 * generalised from "all premises" to "at least threshold[x] premises". Each failed node is
 * dequeued once and bumps the failed-input counter of each of its dependents; a dependent
 * fails (and is enqueued) when its counter reaches its threshold. Starting only from the
 * failed units and adding only forced nodes yields the least fixpoint, so a healthy cycle stays
 * up and a cycle fails only when something outside forces it.
 *
 * Edge cases: a duplicated input entry is a separate input (it is listed twice among the
 * dependents and bumps the counter twice); self-loops need no special care; a threshold larger
 * than the number of inputs can never be reached; thresholds below 1 are treated as 1, as
 * buildFailureGraph guarantees. Passing a node that is not a unit is a programming error and
 * throws.
 *
 * Cost: O(V + E) for a single call. `FailurePropagator` reuses its buffers and undoes only what
 * the previous run touched, so a run costs O(|down| + edges leaving down nodes) — the shape
 * Monte Carlo availability needs.
 */
import { type FailureGraph, type Outputs, outputsOf } from "./failure-graph.js";

/** Every node that fails when exactly the units in `failed` fail. Allocates a fresh result. */
export function propagateFailure(
  g: FailureGraph,
  out: Outputs,
  failed: ArrayLike<number>,
): Uint8Array {
  return new FailurePropagator(g, out).run(failed);
}

/**
 * The dependents of each node that lie inside `within` (within[x] = 1), in their order in
 * `out`, for repeated `failsWithin` calls on one `within`; nodes outside have none. With
 * `reuse` (an earlier result for the same graph), its buffers are filled again when they are
 * large enough: the earlier result is then no longer valid.
 */
// NOTE: reusing the buffers matters more than it seems: allocating them afresh for each of 20
// closures at 100k components added 140 MB of array buffers, enough to set off full garbage
// collections of the whole model.
export function outputsWithin(out: Outputs, within: Uint8Array, reuse?: Outputs): Outputs {
  const n = out.outputStart.length - 1;
  const outputStart =
    reuse !== undefined && reuse.outputStart.length === n + 1
      ? reuse.outputStart
      : new Int32Array(n + 1);
  let total = 0;
  for (let y = 0; y < n; y++) {
    outputStart[y] = total;
    if (within[y] !== 1) continue;
    const end = out.outputStart[y + 1]!;
    for (let i = out.outputStart[y]!; i < end; i++) if (within[out.outputs[i]!] === 1) total++;
  }
  outputStart[n] = total;
  const room = reuse?.outputs.buffer;
  const outputs =
    room !== undefined && room.byteLength >= total * 4
      ? new Int32Array(room, 0, total)
      : new Int32Array(total);
  let k = 0;
  for (let y = 0; y < n; y++) {
    if (within[y] !== 1) continue;
    const end = out.outputStart[y + 1]!;
    for (let i = out.outputStart[y]!; i < end; i++) {
      const x = out.outputs[i]!;
      if (within[x] === 1) outputs[k++] = x;
    }
  }
  return { outputStart, outputs };
}

/**
 * Reusable propagation state for one graph. `run` returns the propagator's own `down` buffer,
 * valid until the next `run`/`reset`; copy it if you need to keep it.
 */
export class FailurePropagator {
  readonly graph: FailureGraph;
  /** down[x] = 1 when x failed in the last run. */
  readonly down: Uint8Array;
  /**
   * failedInputs[x] = number of x's input entries that failed in the last run (only counted for
   * nodes reached by the run; a node already down may have stopped counting).
   */
  readonly failedInputs: Int32Array;
  private readonly outputStart: Int32Array;
  private readonly outputs: Int32Array;
  private readonly threshold: Int32Array;
  /** Down nodes in the order they failed; `queue[0 .. downCount)` is the last run's result. */
  private readonly queue: Int32Array;
  private downLength = 0;
  /** Nodes whose failedInputs counter is non-zero. */
  private readonly touched: Int32Array;
  private touchedCount = 0;
  /** Dependents examined by the last `failsWithin`. */
  work = 0;

  constructor(g: FailureGraph, out: Outputs = outputsOf(g)) {
    const n = g.nodeCount;
    this.graph = g;
    this.down = new Uint8Array(n);
    this.failedInputs = new Int32Array(n);
    this.outputStart = out.outputStart;
    this.outputs = out.outputs;
    this.threshold = new Int32Array(n);
    for (let x = 0; x < n; x++) this.threshold[x] = Math.max(1, g.threshold[x]!);
    this.queue = new Int32Array(n);
    this.touched = new Int32Array(n);
  }

  /** Number of nodes down after the last run. */
  get downCount(): number {
    return this.downLength;
  }

  /** The nodes down after the last run, in failure order (a view: valid until the next run). */
  downNodes(): Int32Array {
    return this.queue.subarray(0, this.downLength);
  }

  /** Clears the last run's result, touching only what it touched. */
  reset(): void {
    const down = this.down;
    const queue = this.queue;
    for (let i = 0; i < this.downLength; i++) down[queue[i]!] = 0;
    const failedInputs = this.failedInputs;
    const touched = this.touched;
    for (let i = 0; i < this.touchedCount; i++) failedInputs[touched[i]!] = 0;
    this.downLength = 0;
    this.touchedCount = 0;
  }

  /** Fails exactly the units in `failed` (duplicates allowed) and returns `down`. */
  run(failed: ArrayLike<number>): Uint8Array {
    this.reset();
    const n = this.graph.nodeCount;
    const isUnit = this.graph.isUnit;
    const down = this.down;
    const queue = this.queue;
    let tail = 0;
    for (let i = 0; i < failed.length; i++) {
      const u = failed[i] as number;
      if (!Number.isInteger(u) || u < 0 || u >= n || isUnit[u] !== 1) {
        this.downLength = tail;
        throw new Error(`propagateFailure: node ${u} is not a failure unit`);
      }
      if (down[u] === 0) {
        down[u] = 1;
        queue[tail++] = u;
      }
    }

    const outputStart = this.outputStart;
    const outputs = this.outputs;
    const threshold = this.threshold;
    const failedInputs = this.failedInputs;
    const touched = this.touched;
    let touchedCount = 0;
    let head = 0;
    while (head < tail) {
      const y = queue[head++]!;
      const end = outputStart[y + 1]!;
      for (let i = outputStart[y]!; i < end; i++) {
        const x = outputs[i]!;
        if (down[x] === 1) continue;
        const c = failedInputs[x]! + 1;
        failedInputs[x] = c;
        if (c === 1) touched[touchedCount++] = x;
        if (c >= threshold[x]!) {
          down[x] = 1;
          queue[tail++] = x;
        }
      }
    }
    this.downLength = tail;
    this.touchedCount = touchedCount;
    return down;
  }

  /**
   * Whether `target` fails when exactly the units in `failed` fail. Propagates only inside
   * `within` (within[x] = 1), which must be closed under inputs — every input of a node in it is
   * in it, as in a target's dependency closure — and contain `target`: nothing outside can
   * reach the target, so the answer is that of `run`. Stops as soon as the target fails, so
   * `down` then holds only part of the result. Units outside `within` are ignored. `work`
   * afterwards counts the dependents examined, a measure of the run's cost.
   */
  failsWithin(
    failed: ArrayLike<number>,
    target: number,
    within: Uint8Array,
    /**
     * `outputsWithin(out, within)` when the caller has it: the same answer and `work`, faster
     * over many calls with one `within`.
     */
    inside?: Outputs,
  ): boolean {
    this.reset();
    const n = this.graph.nodeCount;
    const isUnit = this.graph.isUnit;
    const down = this.down;
    const queue = this.queue;
    let tail = 0;
    let hit = false;
    for (let i = 0; i < failed.length; i++) {
      const u = failed[i] as number;
      if (!Number.isInteger(u) || u < 0 || u >= n || isUnit[u] !== 1) {
        this.downLength = tail;
        throw new Error(`propagateFailure: node ${u} is not a failure unit`);
      }
      if (down[u] === 0 && within[u] === 1) {
        down[u] = 1;
        queue[tail++] = u;
        if (u === target) hit = true;
      }
    }

    const outputStart = this.outputStart;
    // NOTE: with `inside`, only the dependents inside `within` are walked, in the same order
    // (the others were skipped anyway), while `work` still counts every dependent: in the
    // availability rule's closures, 8–43% of the dependents are inside.
    const walkStart = inside?.outputStart ?? outputStart;
    const walk = inside?.outputs ?? this.outputs;
    const threshold = this.threshold;
    const failedInputs = this.failedInputs;
    const touched = this.touched;
    let touchedCount = 0;
    let head = 0;
    let work = 0;
    while (head < tail && !hit) {
      const y = queue[head++]!;
      work += outputStart[y + 1]! - outputStart[y]!;
      const end = walkStart[y + 1]!;
      for (let i = walkStart[y]!; i < end; i++) {
        const x = walk[i]!;
        if (down[x] === 1 || within[x] === 0) continue;
        const c = failedInputs[x]! + 1;
        failedInputs[x] = c;
        if (c === 1) touched[touchedCount++] = x;
        if (c >= threshold[x]!) {
          down[x] = 1;
          queue[tail++] = x;
          if (x === target) {
            hit = true;
            break;
          }
        }
      }
    }
    this.downLength = tail;
    this.touchedCount = touchedCount;
    this.work = work;
    return hit;
  }
}
