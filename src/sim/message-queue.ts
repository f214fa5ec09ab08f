/**
 * @module sim/message-queue
 * A message queue as a fluid FIFO with redelivery. Between two boundaries its rates are
 * constant: messages arrive at `inRate`; consumers receive them from the head at up to
 * `outCapacity` per second, and process a share `okRate / outCapacity` of what they receive.
 * A message whose processing fails stays invisible for the queue's `visibilityTimeout`, then
 * is visible again with one more receive counted. After `maxReceives` failed receives, it is
 * moved to the dead-letter queue when it would be delivered again — so a message that every
 * consumer fails is dead-lettered maxReceives × visibilityTimeout after its first receive.
 *
 * The backlog is kept as chunks of uniform density remembering when their messages were enqueued
 * (so retention expires the messages older than it, invisible ones included) and how often they
 * were received. New messages are exact; redelivered ones are pooled by receive count (at the
 * head, and per returning band while invisible), each pool spanning the enqueue times of what it
 * holds, which keeps the chunks few however often messages go round. Receives are counted up to
 * the dead-letter limit (without a dead-letter queue they do not matter past the first).
 *
 * The failed receives of a step return uniformly over the same step shifted by the timeout,
 * counted exactly. While messages are invisible or consumers fail, a change of the return rate
 * is a boundary, but none comes sooner than the next boundary of cells a quarter of the timeout
 * wide (else each step's band would make a boundary a timeout later, whose step would make
 * another, without end): at most four steps per timeout however often messages go round, and
 * one per timeout for a steady failing share, whose bands merge. Within a step the consumers'
 * intake is taken at the return rate of its start; the queue's counts are exact. Behind a deep
 * backlog consumers take all they can whatever comes back, so those boundaries concern the
 * queue alone: it steps through them within the run's step instead of making them the run's.
 *
 * Every message is accounted for: published = consumed + dead-lettered + expired + purged +
 * rejected + backlog (visible and invisible).
 */
import type { Queue } from "../model/types.js";
import { round } from "./format.js";
import type { QueueResult } from "./types.js";

const EPS = 1e-9;

/** Two chunks with the same messages per second of enqueue time (within rounding). */
function sameDensity(a: Chunk, b: Chunk): boolean {
  const da = a.amount / Math.max(EPS, a.t1 - a.t0);
  const db = b.amount / Math.max(EPS, b.t1 - b.t0);
  return Math.abs(da - db) <= 1e-9 * Math.max(da, db);
}
/** A backlog below this many messages is what rounding leaves of an empty queue. */
const DUST = 1e-6;

interface Chunk {
  /** When its messages were enqueued (spread uniformly over [t0, t1]). */
  t0: number;
  t1: number;
  amount: number;
  /** Failed receives so far. */
  receives: number;
}

/**
 * Messages invisible after a failed receive, visible again uniformly over [from, to] (the step
 * that failed them shifted by the timeout; `from` moves on as they return), enqueued over
 * [t0, t1], received `receives` times.
 */
interface Returning extends Chunk {
  from: number;
  to: number;
}

export class MessageQueue {
  /** Messages in the queue, visible or not. */
  backlog = 0;
  paused = false;
  /** Rates set by the engine at each evaluation. */
  inRate = 0;
  rejectRate = 0;
  okRate = 0;
  failRate = 0;
  state: "normal" | "backlogged" = "normal";
  private chunks: Chunk[] = [];
  /** The sum of the chunks' amounts, kept as they change (the chunks can be many). */
  private vis = 0;
  private invisible: Returning[] = [];
  private published = 0;
  private consumed = 0;
  private deadLettered = 0;
  private expired = 0;
  private purged = 0;
  private rejected = 0;
  private peak = 0;
  private peakAt: number | null = null;
  private drainedAt: number | null = null;
  private built = false;
  /** The return rate at time `rateAt`, until the invisible messages change. */
  private rateAt = Number.NaN;
  private rate = 0;
  /** A quarter of the timeout: a change of the return rate is a boundary from the next multiple on. */
  private readonly cell: number;

  constructor(
    readonly q: Queue,
    /** The queue dead letters go to, when the model names one. */
    readonly deadLetters: MessageQueue | undefined,
  ) {
    this.cell = q.visibilityTimeout / 4;
  }

  /** Messages consumers can receive per second now. */
  get outCapacity(): number {
    return this.okRate + this.failRate;
  }

  /** How long ago its oldest message was enqueued, visible or not (0 when empty). */
  oldestAge(t: number): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const c of this.chunks) if (c.t0 < oldest) oldest = c.t0;
    for (const r of this.invisible) if (r.t0 < oldest) oldest = r.t0;
    return oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, t - oldest);
  }

  /** Messages visible now (waiting for a consumer). */
  get visible(): number {
    return this.chunks.length > 0 ? Math.max(0, this.vis) : 0;
  }

  /** Messages becoming visible again per second at time t (their visibility timeout ended). */
  returnRate(t: number): number {
    // Read several times at each boundary (rates, crossings, intake): kept until a change.
    if (t === this.rateAt) return this.rate;
    let rate = 0;
    for (const r of this.invisible)
      if (r.from <= t + EPS && t < r.to - EPS) rate += r.amount / (r.to - r.from);
    this.rateAt = t;
    this.rate = rate;
    return rate;
  }

  /** A consumer taking μ messages per second whose processing succeeds with probability s. */
  addConsumer(mu: number, success: number): void {
    this.okRate += mu * success;
    this.failRate += mu * (1 - success);
  }

  resetRates(): void {
    this.inRate = 0;
    this.rejectRate = 0;
    this.okRate = 0;
    this.failRate = 0;
  }

  purge(): void {
    this.rateAt = Number.NaN;
    this.purged += this.backlog;
    this.backlog = 0;
    this.chunks = [];
    this.vis = 0;
    this.invisible = [];
  }

  /**
   * The earliest time after t at which the queue's state matters to the rest of the run: its
   * visible backlog drains, or — unless the backlog is deep — the queue's own rates change
   * (`ownBoundary`). A deep backlog cannot drain before t + visible / (capacity − arrivals)
   * whatever comes back, unless messages expire: consumers take all they can until then or
   * until its oldest message expires, and the queue follows its own changes within the step
   * (`integrate`). A backlog is deep when that is more than a cell away.
   */
  nextCrossing(t: number): number {
    let best = Number.POSITIVE_INFINITY;
    const visible = this.visible;
    const capacity = this.outCapacity;
    const net = this.inRate + this.returnRate(t) - capacity;
    if (visible > EPS && net < -EPS) best = t + visible / -net;
    // Whatever comes back, the visible backlog shrinks at most at capacity − arrivals until its
    // oldest message starts to expire (a boundary of its own).
    const shrink = capacity - this.inRate;
    const head = this.chunks[0];
    const horizon = Math.min(
      shrink > 0 ? t + visible / shrink : Number.POSITIVE_INFINITY,
      head ? head.t0 + this.q.retention : Number.POSITIVE_INFINITY,
    );
    if (
      this.cell > 0 &&
      (this.invisible.length > 0 || this.failRate > 0) &&
      visible > EPS &&
      horizon > t + this.cell
    )
      return Math.min(best, horizon);
    return Math.min(best, this.ownBoundary(t));
  }

  /**
   * The next moment after t at which the queue's own rates change: its head starts to expire;
   * while messages are invisible or consumers fail, a change of the return rate — where a band
   * starts or ends — but none sooner than the next cell boundary (each step's band would
   * otherwise make one a timeout later, and so on); and while consumers fail, no more than a
   * timeout ahead (or its failures would return within the step that made them). Steady bands
   * merge into one, so a consumer failing a steady share steps once per timeout.
   */
  private ownBoundary(t: number): number {
    let best = Number.POSITIVE_INFINITY;
    const head = this.chunks[0];
    if (head) {
      const expiry = head.t0 + this.q.retention;
      if (expiry > t + EPS) best = expiry;
    }
    if (this.cell > 0 && (this.invisible.length > 0 || this.failRate > 0)) {
      let change = Number.POSITIVE_INFINITY;
      for (const r of this.invisible) {
        if (r.from > t + EPS) change = Math.min(change, r.from);
        else if (r.to > t + EPS) change = Math.min(change, r.to);
      }
      const cell = (Math.floor(t / this.cell + 1e-9) + 1) * this.cell;
      best = Math.min(best, Math.max(change, cell));
      if (this.failRate > 0) best = Math.min(best, t + this.q.visibilityTimeout);
    }
    return best;
  }

  /**
   * Advances from t0 to t1 at the current rates, in steps at the queue's own boundaries (one
   * step unless the backlog is deep: the run's steps already end at them otherwise).
   */
  integrate(t0: number, t1: number): void {
    let a = t0;
    while (a < t1) {
      const b = Math.min(t1, this.ownBoundary(a));
      this.advance(a, b);
      a = b;
    }
  }

  /** Advances from t0 to t1 at the current rates, taken as constant over it. */
  private advance(t0: number, t1: number): void {
    this.rateAt = Number.NaN;
    const dt = t1 - t0;
    this.published += (this.inRate + this.rejectRate) * dt;
    this.rejected += this.rejectRate * dt;
    this.backlog += this.inRate * dt;
    this.returnVisible(t0, t1);
    const inflow = this.inRate * dt;
    const capacity = this.outCapacity * dt;
    const okShare = this.outCapacity > 0 ? this.okRate / this.outCapacity : 1;
    if (inflow > 0) this.append({ t0, t1, amount: inflow, receives: 0 });
    const taken = this.takeFromHead(Math.min(this.visible, capacity));
    const v = this.q.visibilityTimeout;
    // The step's failed receives, one band per receive count (they return together).
    const failedBands: Chunk[] = [];
    for (const c of taken) {
      this.consumed += c.amount * okShare;
      this.backlog -= c.amount * okShare;
      const failed = c.amount * (1 - okShare);
      if (failed <= 0) continue;
      // Receives are counted up to where they matter: the dead-letter limit, or one without.
      const receives = Math.min(c.receives + 1, (this.deadLetters && this.q.maxReceives) || 1);
      const band = failedBands.find((b) => b.receives === receives);
      if (band) {
        band.amount += failed;
        band.t0 = Math.min(band.t0, c.t0);
        band.t1 = Math.max(band.t1, c.t1);
      } else failedBands.push({ t0: c.t0, t1: c.t1, amount: failed, receives });
    }
    for (const band of failedBands) this.hide(band, t0 + v, t1 + v, t1);
    this.expire(t1 - this.q.retention);
    // Less than a millionth of a message left is rounding, not a backlog: it is consumed.
    if (this.backlog < DUST) {
      this.consumed += Math.max(0, this.backlog);
      this.backlog = 0;
      this.chunks = [];
      this.vis = 0;
      this.invisible = [];
      if (this.built) {
        this.drainedAt = t1;
        this.built = false;
      }
    } else if (this.backlog > 1) {
      this.built = true;
      this.drainedAt = null;
    }
    if (this.backlog > this.peak) {
      this.peak = this.backlog;
      this.peakAt = t1;
    }
  }

  /** The unrounded counters: published = consumed + deadLettered + expired + purged + rejected + backlog. */
  totals() {
    return {
      published: this.published,
      consumed: this.consumed,
      deadLettered: this.deadLettered,
      expired: this.expired,
      purged: this.purged,
      rejected: this.rejected,
      backlog: this.backlog,
    };
  }

  result(): QueueResult {
    const parts = {
      consumed: round(this.consumed, 3),
      deadLettered: round(this.deadLettered, 3),
      expired: round(this.expired, 3),
      purged: round(this.purged, 3),
      rejected: round(this.rejected, 3),
      finalBacklog: round(this.backlog, 3),
    };
    // As written, published is exactly the sum of where the messages went (each part is
    // rounded once; the total is their sum, not a third rounding of its own).
    const published = round(
      Object.values(parts).reduce((a, b) => a + b, 0),
      3,
    );
    return {
      id: this.q.id,
      published,
      ...parts,
      peakBacklog: round(this.peak, 3),
      peakAt: this.peakAt === null ? null : round(this.peakAt, 3),
      drainedAt: this.drainedAt === null ? null : round(this.drainedAt, 3),
    };
  }

  /**
   * Invisible messages whose timeout ends within [t0, t1] become visible again at the head (they
   * are the oldest), or go to the dead-letter queue once they have used their receives.
   */
  private returnVisible(t0: number, t1: number): void {
    const max = this.deadLetters ? this.q.maxReceives : undefined;
    const back: Chunk[] = [];
    const still: Returning[] = [];
    for (const r of this.invisible) {
      if (r.from >= t1 - EPS) {
        still.push(r);
        continue;
      }
      const start = Math.max(t0, r.from);
      const end = Math.min(t1, r.to);
      let part =
        r.to <= t1 + EPS || r.to - start <= EPS
          ? r.amount
          : (r.amount * (end - start)) / (r.to - start);
      if (r.amount - part <= EPS) part = r.amount;
      r.amount -= part;
      r.from = end;
      if (r.amount > 0) still.push(r);
      if (part <= 0) continue;
      if (max !== undefined && r.receives >= max) {
        this.deadLettered += part;
        this.backlog -= part;
        this.deadLetters?.receiveDeadLetters(t0, t1, part);
      } else back.push({ t0: r.t0, t1: r.t1, amount: part, receives: r.receives });
    }
    this.invisible = still;
    // Redelivered messages go to the head, where those already redelivered wait: one chunk per
    // receive count, spanning the enqueue times of what it holds.
    for (const b of back) {
      this.vis += b.amount;
      let i = 0;
      while (i < this.chunks.length && (this.chunks[i] as Chunk).receives > 0) {
        const h = this.chunks[i] as Chunk;
        if (h.receives === b.receives) break;
        i++;
      }
      const h = this.chunks[i];
      if (h && h.receives === b.receives) {
        h.amount += b.amount;
        h.t0 = Math.min(h.t0, b.t0);
        h.t1 = Math.max(h.t1, b.t1);
      } else this.chunks.unshift(b);
    }
  }

  private receiveDeadLetters(t0: number, t1: number, amount: number): void {
    this.published += amount;
    this.backlog += amount;
    this.append({ t0, t1, amount, receives: 0 });
  }

  /** Adds arrivals at the tail, extending the last chunk when they continue it at its density. */
  private append(c: Chunk): void {
    this.vis += c.amount;
    const last = this.chunks[this.chunks.length - 1];
    if (
      last &&
      last.receives === c.receives &&
      Math.abs(last.t1 - c.t0) <= EPS &&
      sameDensity(last, c)
    ) {
      last.t1 = c.t1;
      last.amount += c.amount;
    } else this.chunks.push(c);
  }

  /**
   * Makes `c` invisible until it returns uniformly over [a, b]: its receives failed over the
   * step that ended at `now`, and it comes back one timeout later. A step longer than the
   * timeout (none in a run: steps are at most a timeout while consumers fail) would have had
   * some of it back already; that part returns from now.
   */
  private hide(c: Chunk, a: number, b: number, now: number): void {
    const from = Math.max(a, now);
    const to = Math.max(b, from + EPS);
    // A step makes one band per receive count (integrate), ending after every earlier step's;
    // one that continues the last at its rate (a steady failing consumer) extends it.
    const last = this.invisible[this.invisible.length - 1];
    if (
      last &&
      last.receives === c.receives &&
      Math.abs(last.to - from) <= EPS &&
      Math.abs(last.amount / (last.to - last.from) - c.amount / (to - from)) <=
        1e-9 * (c.amount / (to - from))
    ) {
      last.amount += c.amount;
      last.to = to;
      last.t0 = Math.min(last.t0, c.t0);
      last.t1 = Math.max(last.t1, c.t1);
      return;
    }
    // (Written out: a spread makes objects of another shape, slower to update in returnVisible.)
    const entry: Returning = {
      t0: c.t0,
      t1: c.t1,
      amount: c.amount,
      receives: c.receives,
      from,
      to,
    };
    let i = this.invisible.length;
    while (i > 0 && (this.invisible[i - 1] as Returning).to > to + EPS) i--;
    this.invisible.splice(i, 0, entry);
  }

  /** Takes `amount` messages from the head, as the chunks they came from. */
  private takeFromHead(amount: number): Chunk[] {
    const taken: Chunk[] = [];
    let take = amount;
    while (take > EPS && this.chunks.length > 0) {
      const head = this.chunks[0] as Chunk;
      if (head.amount <= take + EPS) {
        take -= head.amount;
        this.vis -= head.amount;
        taken.push(head);
        this.chunks.shift();
      } else {
        const t0 = head.t0;
        const split = head.t0 + ((head.t1 - head.t0) * take) / head.amount;
        taken.push({ t0, t1: split, amount: take, receives: head.receives });
        head.t0 = split;
        head.amount -= take;
        this.vis -= take;
        take = 0;
      }
    }
    if (this.chunks.length === 0) this.vis = 0;
    return taken;
  }

  /**
   * Messages enqueued before `cutoff` expire, visible or not (chunks are uniform). New messages
   * are in the order they were enqueued: the first one young enough ends the search.
   */
  private expire(cutoff: number): void {
    let gone = 0;
    for (const c of this.chunks) {
      if (c.t0 >= cutoff - EPS) {
        if (c.receives === 0) break;
        continue;
      }
      const lost = this.expireChunk(c, cutoff);
      this.vis -= lost;
      gone += lost;
    }
    for (const c of this.invisible) if (c.t0 < cutoff - EPS) gone += this.expireChunk(c, cutoff);
    if (gone <= 0) return;
    this.chunks = this.chunks.filter((c) => c.amount > 0);
    if (this.chunks.length === 0) this.vis = 0;
    this.invisible = this.invisible.filter((c) => c.amount > 0);
    this.expired += gone;
    this.backlog -= gone;
  }

  /** Removes from c what was enqueued before `cutoff`; returns how much. */
  private expireChunk(c: Chunk, cutoff: number): number {
    const lost = c.t1 <= cutoff + EPS ? c.amount : (c.amount * (cutoff - c.t0)) / (c.t1 - c.t0);
    c.amount -= lost;
    c.t0 = Math.min(c.t1, cutoff);
    return lost;
  }
}
