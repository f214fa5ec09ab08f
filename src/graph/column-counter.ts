/**
 * @module graph/column-counter
 * Column sums of a bit matrix streamed row by row, for `graph/blast-radius`: how many of the
 * rows have each bit set, with bit-sliced counters.
 */

/**
 * Per-lane population counts over a stream of K-word rows (column sums of a bit matrix), with
 * Harley–Seal carry-save adders: eight rows at a time are folded into "ones", "twos" and "fours"
 * planes with full adders, and only the resulting "eights" ripple through a binary counter.
 * The count of lane j is ones + 2·twos + 4·fours + 8·(binary counter).
 */
export class ColumnCounter {
  private readonly K: number;
  private readonly levels: number;
  /** Level p of word k at planes[p · K + k]; levels 0..2 carry-save, 3.. binary eights. */
  private readonly planes: Int32Array;
  private readonly batch = new Int32Array(8);
  private batched = 0;
  private source: Int32Array = new Int32Array(0);

  constructor(K: number, maxCount: number) {
    this.K = K;
    this.levels = 3 + Math.max(1, 32 - Math.clz32(maxCount >>> 3));
    this.planes = new Int32Array(this.levels * K);
  }

  reset(): void {
    this.planes.fill(0);
    this.batched = 0;
  }

  /** Adds the row `bits[base .. base + K)`; all rows of one round must come from `bits`. */
  add(bits: Int32Array, base: number): void {
    this.source = bits;
    this.batch[this.batched++] = base;
    if (this.batched === 8) {
      this.fold8();
      this.batched = 0;
    }
  }

  /** Adds the rows still waiting in the batch. */
  flush(): void {
    const K = this.K;
    const planes = this.planes;
    const bits = this.source;
    for (let i = 0; i < this.batched; i++) {
      const base = this.batch[i]!;
      for (let k = 0; k < K; k++) {
        let carry = bits[base + k]!;
        for (let p = k; carry !== 0; p += K) {
          const plane = planes[p]!;
          planes[p] = plane ^ carry;
          carry &= plane;
        }
      }
    }
    this.batched = 0;
  }

  count(lane: number): number {
    const K = this.K;
    const k = lane >>> 5;
    const shift = lane & 31;
    let c = 0;
    for (let p = 0; p < this.levels; p++) c += ((this.planes[p * K + k]! >>> shift) & 1) << p;
    return c;
  }

  private fold8(): void {
    const K = this.K;
    const planes = this.planes;
    const bits = this.source;
    const b = this.batch;
    const b0 = b[0]!;
    const b1 = b[1]!;
    const b2 = b[2]!;
    const b3 = b[3]!;
    const b4 = b[4]!;
    const b5 = b[5]!;
    const b6 = b[6]!;
    const b7 = b[7]!;
    for (let k = 0; k < K; k++) {
      const x0 = bits[b0 + k]!;
      const x1 = bits[b1 + k]!;
      const x2 = bits[b2 + k]!;
      const x3 = bits[b3 + k]!;
      const x4 = bits[b4 + k]!;
      const x5 = bits[b5 + k]!;
      const x6 = bits[b6 + k]!;
      const x7 = bits[b7 + k]!;
      if ((x0 | x1 | x2 | x3 | x4 | x5 | x6 | x7) === 0) continue;
      let ones = planes[k]!;
      let twos = planes[K + k]!;
      let fours = planes[2 * K + k]!;
      // Full adder (carry-save): (ones, x, y) -> sum into ones, carry out.
      let u = ones ^ x0;
      const twosA = (ones & x0) | (u & x1);
      ones = u ^ x1;
      u = ones ^ x2;
      const twosB = (ones & x2) | (u & x3);
      ones = u ^ x3;
      u = twos ^ twosA;
      const foursA = (twos & twosA) | (u & twosB);
      twos = u ^ twosB;
      u = ones ^ x4;
      const twosC = (ones & x4) | (u & x5);
      ones = u ^ x5;
      u = ones ^ x6;
      const twosD = (ones & x6) | (u & x7);
      ones = u ^ x7;
      u = twos ^ twosC;
      const foursB = (twos & twosC) | (u & twosD);
      twos = u ^ twosD;
      u = fours ^ foursA;
      let carry = (fours & foursA) | (u & foursB);
      fours = u ^ foursB;
      planes[k] = ones;
      planes[K + k] = twos;
      planes[2 * K + k] = fours;
      for (let p = 3 * K + k; carry !== 0; p += K) {
        const plane = planes[p]!;
        planes[p] = plane ^ carry;
        carry &= plane;
      }
    }
  }
}
