/**
 * @module sim/cached-population
 * Clients that each cache a value read from a source (a DNS answer) and read it again when
 * their entry expires. The population is `BINS` equal groups of clients whose entries expire at
 * moments spread evenly over the value's lifetime: group j of a value with lifetime T expires
 * at (j + ½)·T/BINS, then every T. When the source changes at t₁, each group keeps what it holds
 * until its own entry expires and then reads whatever the source serves at that moment — which
 * it keeps for that value's own lifetime (a negative answer for the negative TTL, a failed
 * server not at all).
 *
 * So a client that fetched a bad answer at t holds it until t + its TTL, whatever the source does
 * meanwhile: a 12-minute fault on a record with a 1-hour TTL leaves the clients that refetched
 * during those 12 minutes failing until 48 to 60 minutes after the fix. The share holding each
 * value is a staircase whose edges are the groups' expiries, each edge where the exact uniform
 * population's ramp crosses the middle of a stair (so the staircase has the ramp's area).
 *
 * Clients read again when they next need the value, not on the dot of their expiry, so groups
 * that read a value together drift apart: once the source has served a value read after a
 * change for a whole lifetime of it, the groups' next expiries are spread evenly over that
 * lifetime again. Without this, a population that read a negative answer within one positive
 * TTL would refresh it in lock step for hours, and how long it takes to pick up a repair would
 * depend on the repair time modulo the negative TTL.
 */

/** Groups of clients per population. */
export const BINS = 200;

export class CachedPopulation {
  /** The value each group holds, and until when (it then reads the source again). */
  private readonly held: Uint8Array;
  private readonly until: Float64Array;
  /** What the source serves now, and since when. */
  private current: number;
  private changedAt = 0;
  /** Whether the source has changed since the start (the first value is evenly spread). */
  private changed = false;
  /**
   * The groups holding something other than the source's current value, by expiry, and per
   * value the number of them (from each position on) still holding it.
   */
  private pending: Int32Array = new Int32Array(0);
  private pendingUntil: Float64Array = new Float64Array(0);
  private suffix: Int32Array = new Int32Array(0);

  constructor(
    initial: number,
    /** How many distinct values there are (0 … values − 1). */
    private readonly values: number,
    /** How long a client keeps each value (0: not cached). */
    private readonly lifetime: (value: number) => number,
  ) {
    this.current = initial;
    this.held = new Uint8Array(BINS).fill(initial);
    const t = lifetime(initial);
    this.until = Float64Array.from({ length: BINS }, (_, j) => ((j + 0.5) / BINS) * t);
    this.index();
  }

  get value(): number {
    return this.current;
  }

  get since(): number {
    return this.changedAt;
  }

  /** The source serves `value` from time t on. */
  change(t: number, value: number): void {
    if (value === this.current) return;
    const period = this.lifetime(this.current);
    // Served for a whole lifetime since it was read together: the groups have drifted apart.
    const mixed = this.changed && period > 0 && t - this.changedAt >= period;
    // Those groups (the ones that read the current value) spread evenly among themselves.
    let count = 0;
    if (mixed) for (let j = 0; j < BINS; j++) if ((this.until[j] as number) <= t) count++;
    let rank = 0;
    for (let j = 0; j < BINS; j++) {
      let u = this.until[j] as number;
      if (u > t) continue;
      // Expired before now: the group read the current value then, and again every period.
      this.held[j] = this.current;
      if (mixed) u = t + ((rank++ + 0.5) / count) * period;
      else if (period > 0) u += Math.ceil((t - u) / period) * period;
      // Read at exactly t (or not cached): it reads the new value now.
      if (period <= 0 || u <= t) {
        this.held[j] = value;
        u = t + this.lifetime(value);
      }
      this.until[j] = u;
    }
    this.current = value;
    this.changedAt = t;
    this.changed = true;
    this.index();
  }

  /**
   * Every client drops what it holds at time t and reads the source again (a flush of the
   * resolvers' caches): all hold the current value, until t + its lifetime.
   */
  flush(t: number): void {
    const until = t + this.lifetime(this.current);
    this.held.fill(this.current);
    this.until.fill(until);
    this.index();
  }

  /**
   * The share of clients holding each value at time t (`into[v]`), and the next moment a group
   * changes what it holds (+∞ when none will).
   */
  shares(t: number, into: Float64Array): number {
    into.fill(0);
    const n = this.pending.length;
    // First pending group still holding its value at t.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.pendingUntil[mid] as number) <= t + 1e-7) lo = mid + 1;
      else hi = mid;
    }
    let holding = 0;
    for (let v = 0; v < this.values; v++) {
      const c = this.suffix[v * (n + 1) + lo] as number;
      into[v] = c / BINS;
      holding += c;
    }
    into[this.current] = (into[this.current] as number) + (BINS - holding) / BINS;
    return lo < n ? (this.pendingUntil[lo] as number) : Number.POSITIVE_INFINITY;
  }

  /** Sorts the groups still holding an old value by expiry, and counts them per value. */
  private index(): void {
    const list: number[] = [];
    for (let j = 0; j < BINS; j++) if (this.held[j] !== this.current) list.push(j);
    list.sort((a, b) => (this.until[a] as number) - (this.until[b] as number) || a - b);
    const n = list.length;
    this.pending = Int32Array.from(list);
    this.pendingUntil = Float64Array.from(list, (j) => this.until[j] as number);
    const suffix = new Int32Array(this.values * (n + 1));
    for (let k = n - 1; k >= 0; k--) {
      const held = this.held[list[k] as number] as number;
      for (let v = 0; v < this.values; v++)
        suffix[v * (n + 1) + k] = (suffix[v * (n + 1) + k + 1] as number) + (held === v ? 1 : 0);
    }
    this.suffix = suffix;
  }
}
