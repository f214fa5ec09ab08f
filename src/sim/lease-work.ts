/**
 * @module sim/lease-work
 * Re-establishing lapsed leases as work (a fluid model). Every host without a lease wants one:
 * it sends an attempt to the lease manager and waits for it up to the attempt timeout τ. The
 * manager works through attempts first come, first served at its establishment rate μ; an
 * attempt served within τ of being sent re-establishes its host's lease. One served later
 * finds its host gone — it timed out and, after its backoff b, sent another attempt behind the
 * first — and is wasted work: the manager does not know. So:
 *
 * - a queue deeper than μτ wastes all the manager does (congestive collapse), and it stays
 *   collapsed while hosts re-send faster than the queue drains;
 * - a throttle admits at most its rate of attempts (the hosts refused keep asking, and the
 *   throttle's rate is what gets in): it helps only by admitting fewer than μ;
 * - admission by queue age (`maxWait`) admits an attempt only while the wait is under that age:
 *   below τ, nothing admitted times out;
 * - a restart drops the queue (its hosts, not knowing, re-send when their attempt times out).
 *
 * Hosts are conserved: lapsed = waiting to send + attempts in the queue not yet timed out +
 * hosts in backoff. The queue is a FIFO of chunks, each with the time it was sent; a chunk sent
 * over a step is dated at the middle of the step, and steps are kept short (τ / 16) while
 * attempts are admitted gradually, so timeouts are placed within τ / 32; attempts sent within
 * τ / 32 of the last chunk join it (dated at their mean), so a queue holds at most about 32
 * chunks per timeout, and steps follow the changes of the useful rate, not every chunk.
 */
/**
 * Amounts and times this close count as equal: the engine's tolerance (`EPS` in state.ts, which
 * declares this module's types with the rest of the state and so is not imported here).
 */
const EPS = 1e-9;

/** While attempts are admitted gradually, the longest step: chunks are dated within half of it. */
export const ADMISSION_STEP = 1 / 16;

export interface WorkRates {
  /** Attempts admitted per second from the waiting hosts (when admitted gradually). */
  readonly admit: number;
  /** The manager's establishment rate while it runs. */
  readonly serve: number;
  /** The queue at which admission by queue age holds (unbounded without `maxWait`). */
  readonly limit: number;
}

export class LeaseWork {
  /** Hosts without a lease and without an attempt in flight: they send one when admitted. */
  waiting = 0;
  /** Attempts wasted so far: served after their host had given up on them. */
  wasted = 0;
  // Attempts queued at the manager: when each chunk was sent and how many are left in it.
  private readonly sentAt: number[] = [];
  private readonly left: number[] = [];
  private head = 0;
  /** The first chunk whose attempts have not timed out yet. */
  private fresh = 0;
  // Hosts in backoff after a timeout, in the order they come back.
  private readonly backAt: number[] = [];
  private readonly backN: number[] = [];
  private backHead = 0;

  constructor(
    readonly timeout: number,
    readonly backoff: number,
  ) {}

  /** Attempts in the queue, timed out or not. */
  queued(): number {
    let q = 0;
    for (let k = this.head; k < this.left.length; k++) q += this.left[k] as number;
    return q;
  }

  /** Hosts with an attempt in the queue that has not timed out. */
  inFlight(): number {
    let q = 0;
    for (let k = Math.max(this.head, this.fresh); k < this.left.length; k++)
      q += this.left[k] as number;
    return q;
  }

  /** Hosts in backoff. */
  backingOff(): number {
    let n = 0;
    for (let k = this.backHead; k < this.backN.length; k++) n += this.backN[k] as number;
    return n;
  }

  /** Age at t of the attempt served next; 0 with none queued. */
  oldestAge(t: number): number {
    return this.head < this.left.length ? t - (this.sentAt[this.head] as number) : 0;
  }

  /** Whether the attempt served next at t is still awaited by its host. */
  headFresh(t: number): boolean {
    return this.head < this.left.length && t - (this.sentAt[this.head] as number) < this.timeout;
  }

  /** Every lapsed host waits to send again (dependencies failing: attempts fail at once). */
  reset(lapsed: number): void {
    this.clearQueue();
    this.backAt.length = 0;
    this.backN.length = 0;
    this.backHead = 0;
    this.waiting = Math.max(0, lapsed);
  }

  /**
   * The manager stops (a restart): the queue is lost. Hosts with an attempt in flight do not
   * know; they send again when it times out, after their backoff.
   */
  lose(): void {
    for (let k = Math.max(this.head, this.fresh); k < this.left.length; k++)
      this.pushBack(
        (this.sentAt[k] as number) + this.timeout + this.backoff,
        this.left[k] as number,
      );
    this.clearQueue();
  }

  /** Hosts given a lease without an attempt (all leases valid again): none waits. */
  settle(): void {
    this.reset(0);
  }

  /** Sends `n` waiting hosts' attempts at once at time t. */
  admitNow(t: number, n: number): void {
    const x = Math.min(n, this.waiting);
    if (x <= 0) return;
    this.waiting -= x;
    this.push(t, x);
  }

  /**
   * Advances from t0 to t1 at the given rates; returns the leases re-established. Rates hold
   * over the step (its end is no later than `nextChange`).
   */
  advance(t0: number, t1: number, rates: WorkRates): number {
    const dt = t1 - t0;
    if (dt <= 0) return 0;
    let established = 0;
    const admitted = Math.min(rates.admit * dt, this.waiting);
    this.waiting -= admitted;
    const queued = this.queued();
    if (queued <= EPS && admitted <= rates.serve * dt + EPS) {
      // Nothing waits in the queue: every attempt admitted is served at once, in time.
      established += admitted;
    } else {
      if (admitted > 0) this.push((t0 + t1) / 2, admitted);
      let capacity = rates.serve * dt;
      while (capacity > EPS && this.head < this.left.length) {
        const k = this.head;
        const take = Math.min(capacity, this.left[k] as number);
        if (t0 - (this.sentAt[k] as number) < this.timeout) established += take;
        else this.wasted += take;
        capacity -= take;
        this.left[k] = (this.left[k] as number) - take;
        if ((this.left[k] as number) <= EPS) this.head++;
      }
    }
    // Attempts that timed out by t1: their hosts come back after the backoff.
    while (
      this.fresh < this.left.length &&
      (this.sentAt[this.fresh] as number) + this.timeout <= t1 + EPS
    ) {
      const k = this.fresh;
      if (k >= this.head && (this.left[k] as number) > EPS)
        this.pushBack(
          (this.sentAt[k] as number) + this.timeout + this.backoff,
          this.left[k] as number,
        );
      this.fresh++;
    }
    while (
      this.backHead < this.backAt.length &&
      (this.backAt[this.backHead] as number) <= t1 + EPS
    ) {
      this.waiting += this.backN[this.backHead] as number;
      this.backHead++;
    }
    this.compact();
    return established;
  }

  /**
   * The useful rate at t: leases re-established per second at these rates, until the next
   * change. With none queued the admitted attempts are served as they come (up to the rate);
   * else the manager serves the queue's head, useful only while its host still waits.
   */
  usefulRate(t: number, rates: WorkRates): number {
    if (this.head >= this.left.length) return Math.min(rates.admit, rates.serve);
    return this.headFresh(t) ? rates.serve : 0;
  }

  /** The next moment the rates' effect changes (see the module's comment). */
  nextChange(t: number, rates: WorkRates): number {
    let best = Number.POSITIVE_INFINITY;
    const queued = this.queued();
    if (queued > EPS && rates.serve > 0) {
      if (this.headFresh(t)) {
        // Everything queued is awaited: it runs out when served faster than admitted.
        if (rates.admit < rates.serve) best = t + queued / (rates.serve - rates.admit);
      } else {
        // Serving stale work: the useful rate changes when the first attempt still awaited,
        // queued now or admitted meanwhile, reaches the head.
        let stale = 0;
        for (let k = this.head; k < Math.min(this.fresh, this.left.length); k++)
          stale += this.left[k] as number;
        if (this.fresh < this.left.length || rates.admit > 0)
          best = Math.min(best, t + stale / rates.serve);
      }
    }
    const oldestFresh = Math.max(this.fresh, this.head);
    if (oldestFresh < this.left.length)
      best = Math.min(best, (this.sentAt[oldestFresh] as number) + this.timeout);
    if (this.backHead < this.backAt.length)
      best = Math.min(best, this.backAt[this.backHead] as number);
    if (rates.admit > 0 && this.waiting > EPS) {
      best = Math.min(best, t + this.waiting / rates.admit);
      // Admission by queue age holds once the queue reaches its limit.
      if (rates.admit > rates.serve && queued < rates.limit)
        best = Math.min(best, t + (rates.limit - queued) / (rates.admit - rates.serve));
      // A queue building from gradual admission: chunks dated within τ / 32 (and steps of at
      // least a second, whatever the timeout).
      if (queued > EPS || rates.admit > rates.serve)
        best = Math.min(best, t + Math.max(1, this.timeout * ADMISSION_STEP));
    }
    return best;
  }

  private push(t: number, n: number): void {
    // Attempts sent within a small part of the timeout of the last chunk join it, dated at
    // their mean: the queue holds a bounded number of chunks per timeout.
    const last = this.left.length - 1;
    if (
      last >= Math.max(this.head, this.fresh) &&
      t - (this.sentAt[last] as number) < (this.timeout * ADMISSION_STEP) / 2
    ) {
      const had = this.left[last] as number;
      this.sentAt[last] = ((this.sentAt[last] as number) * had + t * n) / (had + n);
      this.left[last] = had + n;
      return;
    }
    this.sentAt.push(t);
    this.left.push(n);
  }

  private pushBack(t: number, n: number): void {
    // Kept in time order: chunks time out in the order they were sent.
    let k = this.backAt.length;
    while (k > this.backHead && (this.backAt[k - 1] as number) > t) k--;
    this.backAt.splice(k, 0, t);
    this.backN.splice(k, 0, n);
  }

  private clearQueue(): void {
    this.sentAt.length = 0;
    this.left.length = 0;
    this.head = 0;
    this.fresh = 0;
  }

  private compact(): void {
    const done = Math.min(this.head, this.fresh);
    if (done > 64 && done * 2 > this.left.length) {
      this.sentAt.splice(0, done);
      this.left.splice(0, done);
      this.head -= done;
      this.fresh -= done;
    }
    if (this.backHead > 64 && this.backHead * 2 > this.backAt.length) {
      this.backAt.splice(0, this.backHead);
      this.backN.splice(0, this.backHead);
      this.backHead = 0;
    }
  }
}
