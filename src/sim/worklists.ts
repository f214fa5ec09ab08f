/**
 * @module sim/worklists
 * The engine's bookkeeping for incremental evaluation: which parts of the model must be looked
 * at again, in which order, and when. Both structures are binary heaps over typed arrays, so a
 * step that touches a handful of components costs a handful of operations, whatever the size
 * of the model.
 */

/**
 * A set of small integers (0 .. capacity − 1) taken out smallest first. Adding an integer
 * already in the set does nothing, so a component marked by several of its inputs is visited
 * once.
 */
export class IndexHeap {
  private readonly heap: Int32Array;
  private readonly queued: Uint8Array;
  private length = 0;

  constructor(capacity: number) {
    this.heap = new Int32Array(Math.max(1, capacity));
    this.queued = new Uint8Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.length;
  }

  add(x: number): void {
    if (this.queued[x] === 1) return;
    this.queued[x] = 1;
    const h = this.heap;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as number;
      if (p <= x) break;
      h[i] = p;
      i = parent;
    }
    h[i] = x;
  }

  /** The smallest integer in the set, removed from it (−1 when empty). */
  pop(): number {
    if (this.length === 0) return -1;
    const h = this.heap;
    const top = h[0] as number;
    const last = h[--this.length] as number;
    const n = this.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && (h[r] as number) < (h[l] as number) ? r : l;
      if ((h[m] as number) >= last) break;
      h[i] = h[m] as number;
      i = m;
    }
    if (n > 0) h[i] = last;
    this.queued[top] = 0;
    return top;
  }

  clear(): void {
    for (let i = 0; i < this.length; i++) this.queued[this.heap[i] as number] = 0;
    this.length = 0;
  }
}

/**
 * Wake-up times: entries (time, subject), earliest first. The owner tells stale entries (its
 * subject was re-scheduled since) from current ones and drops them as they reach the top, so
 * re-scheduling a subject costs one push and no search.
 */
export class WakeHeap {
  private times = new Float64Array(16);
  private subjects = new Int32Array(16);
  private length = 0;

  get size(): number {
    return this.length;
  }

  push(time: number, subject: number): void {
    if (this.length === this.times.length) this.grow();
    const t = this.times;
    const s = this.subjects;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((t[parent] as number) <= time) break;
      t[i] = t[parent] as number;
      s[i] = s[parent] as number;
      i = parent;
    }
    t[i] = time;
    s[i] = subject;
  }

  /** Time of the earliest entry (+∞ when empty). */
  peekTime(): number {
    return this.length > 0 ? (this.times[0] as number) : Number.POSITIVE_INFINITY;
  }

  /** Subject of the earliest entry. */
  peekSubject(): number {
    return this.subjects[0] as number;
  }

  /** Removes the earliest entry. */
  pop(): void {
    if (this.length === 0) return;
    const t = this.times;
    const s = this.subjects;
    const n = --this.length;
    const time = t[n] as number;
    const subject = s[n] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && (t[r] as number) < (t[l] as number) ? r : l;
      if ((t[m] as number) >= time) break;
      t[i] = t[m] as number;
      s[i] = s[m] as number;
      i = m;
    }
    if (n > 0) {
      t[i] = time;
      s[i] = subject;
    }
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    const subjects = new Int32Array(size);
    times.set(this.times);
    subjects.set(this.subjects);
    this.times = times;
    this.subjects = subjects;
  }
}
