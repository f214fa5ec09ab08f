/**
 * @module sim/message-queue
 * A message queue as a fluid FIFO. Between two boundaries its rates are constant: messages
 * arrive at `inRate`, consumers take them at up to `outCapacity` (of which `okRate` are
 * processed and `dlqRate` exhaust their receives and go to the dead-letter queue). The backlog
 * is kept as chunks of uniform density, each remembering when it was enqueued, so retention
 * expires exactly the messages older than it, and the drain time of a backlog B at net rate
 * (capacity − arrival) is B / (capacity − arrival) to the step.
 *
 * Every message is accounted for: published = consumed + dead-lettered + expired + purged +
 * rejected + backlog.
 */
import type { Queue } from "../model/types.js";
import { round } from "./format.js";
import type { QueueResult } from "./types.js";

const EPS = 1e-9;

interface Chunk {
  t0: number;
  t1: number;
  amount: number;
}

export class MessageQueue {
  backlog = 0;
  paused = false;
  /** Rates set by the engine at each evaluation. */
  inRate = 0;
  rejectRate = 0;
  okRate = 0;
  dlqRate = 0;
  state: "normal" | "backlogged" = "normal";
  private chunks: Chunk[] = [];
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

  constructor(
    readonly q: Queue,
    /** The queue dead letters go to, when the model names one. */
    readonly deadLetters: MessageQueue | undefined,
  ) {}

  get outCapacity(): number {
    return this.okRate + this.dlqRate;
  }

  /**
   * Consumption by one consumer taking μ messages per second whose processing succeeds with
   * probability s: μ·s are processed; with maxReceives M and a dead-letter queue, a message
   * dead-letters after M failed receives, at μ·s·(1 − s)^M / (1 − (1 − s)^M) per second (μ / M
   * when every receive fails).
   */
  addConsumer(mu: number, success: number): void {
    const M = this.q.maxReceives;
    this.okRate += mu * success;
    if (M === undefined || this.deadLetters === undefined) return;
    const fail = 1 - success;
    const denom = 1 - fail ** M;
    this.dlqRate += denom <= EPS ? mu / M : (mu * success * fail ** M) / denom;
  }

  resetRates(): void {
    this.inRate = 0;
    this.rejectRate = 0;
    this.okRate = 0;
    this.dlqRate = 0;
  }

  purge(): void {
    this.purged += this.backlog;
    this.backlog = 0;
    this.chunks = [];
  }

  /** The earliest time after t at which the backlog drains or its head starts to expire. */
  nextCrossing(t: number): number {
    let best = Number.POSITIVE_INFINITY;
    const net = this.inRate - this.outCapacity;
    if (this.backlog > EPS && net < -EPS) best = t + this.backlog / -net;
    const head = this.chunks[0];
    if (head) {
      const expiry = head.t0 + this.q.retention;
      if (expiry > t + EPS) best = Math.min(best, expiry);
    }
    return best;
  }

  /** Advances from t0 to t1 at the current rates. */
  integrate(t0: number, t1: number): void {
    const dt = t1 - t0;
    this.published += (this.inRate + this.rejectRate) * dt;
    this.rejected += this.rejectRate * dt;
    const inflow = this.inRate * dt;
    const capacity = this.outCapacity * dt;
    const okShare = this.outCapacity > 0 ? this.okRate / this.outCapacity : 1;
    let out: number;
    if (this.backlog <= EPS && this.inRate <= this.outCapacity) {
      out = inflow;
    } else {
      out = Math.min(this.backlog + inflow, capacity);
      if (inflow > 0) this.chunks.push({ t0, t1, amount: inflow });
      this.takeFromHead(out);
      this.backlog = Math.max(0, this.backlog + inflow - out);
    }
    this.consumed += out * okShare;
    const dead = out * (1 - okShare);
    this.deadLettered += dead;
    if (dead > 0 && this.deadLetters) this.deadLetters.receiveDeadLetters(t0, t1, dead);
    this.expire(t1 - this.q.retention);
    if (this.backlog < EPS) {
      this.backlog = 0;
      this.chunks = [];
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

  private receiveDeadLetters(t0: number, t1: number, amount: number): void {
    this.published += amount;
    this.backlog += amount;
    this.chunks.push({ t0, t1, amount });
  }

  private takeFromHead(amount: number): void {
    let take = amount;
    while (take > EPS && this.chunks.length > 0) {
      const head = this.chunks[0] as Chunk;
      if (head.amount <= take + EPS) {
        take -= head.amount;
        this.chunks.shift();
      } else {
        head.t0 += ((head.t1 - head.t0) * take) / head.amount;
        head.amount -= take;
        take = 0;
      }
    }
  }

  /** Messages enqueued before `cutoff` expire (chunks are uniform over their interval). */
  private expire(cutoff: number): void {
    while (this.chunks.length > 0 && (this.chunks[0] as Chunk).t0 < cutoff - EPS) {
      const head = this.chunks[0] as Chunk;
      const gone =
        head.t1 <= cutoff + EPS
          ? head.amount
          : (head.amount * (cutoff - head.t0)) / (head.t1 - head.t0);
      this.expired += gone;
      this.backlog -= gone;
      if (gone === head.amount) this.chunks.shift();
      else {
        head.amount -= gone;
        head.t0 = cutoff;
      }
    }
  }
}
