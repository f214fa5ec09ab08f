/**
 * @module sim/event-queue
 * The engine's agenda: a binary min-heap of scheduled events ordered by time, then by key
 * (which encodes the kind first — fault ends before fault starts before actions before alarm
 * evaluations at the same instant — then the subject's id), then by insertion order. The order
 * never depends on how the model or the scenario listed their entries, which keeps runs
 * byte-identical whatever the YAML order.
 */

export interface ScheduledEvent {
  readonly t: number;
  readonly key: string;
  readonly order: number;
  /** Quiet events change no component state (alarm evaluations): no re-evaluation after them. */
  readonly quiet: boolean;
  /**
   * Batched events only change their own component's process and mark it for evaluation, and
   * read nothing an evaluation writes (restarts finishing): a run of them due at one boundary
   * is evaluated once, after the last.
   */
  readonly batch: boolean;
  readonly run: () => void;
}

export class EventQueue {
  private readonly heap: ScheduledEvent[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(t: number, key: string, run: () => void, quiet = false, batch = false): void {
    const e: ScheduledEvent = { t, key, order: this.seq++, quiet, batch, run };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(e, h[parent] as ScheduledEvent)) break;
      h[i] = h[parent] as ScheduledEvent;
      i = parent;
    }
    h[i] = e;
  }

  /** The earliest event, if any. */
  peek(): ScheduledEvent | undefined {
    return this.heap[0];
  }

  /** Time of the earliest event, or +∞. */
  peekTime(): number {
    return this.heap.length > 0 ? (this.heap[0] as ScheduledEvent).t : Number.POSITIVE_INFINITY;
  }

  pop(): ScheduledEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let best = last;
      if (l < h.length && before(h[l] as ScheduledEvent, best)) {
        m = l;
        best = h[l] as ScheduledEvent;
      }
      if (r < h.length && before(h[r] as ScheduledEvent, best)) m = r;
      if (m === i) break;
      h[i] = h[m] as ScheduledEvent;
      i = m;
    }
    h[i] = last;
    return top;
  }

  /** Drops the events whose key starts with `prefix` (a rollout's remaining waves). */
  remove(prefix: string): void {
    const kept = this.heap.filter((e) => !e.key.startsWith(prefix));
    this.heap.length = 0;
    for (const e of kept.sort((a, b) => (before(a, b) ? -1 : 1))) this.heap.push(e);
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  if (a.t !== b.t) return a.t < b.t;
  if (a.key !== b.key) return a.key < b.key;
  return a.order < b.order;
}
