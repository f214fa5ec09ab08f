/**
 * @module sim/correlation
 * Failures that stay correlated. A component's success is kept as an independent part and a
 * few shared failure shares, each keyed by the state it comes from:
 *
 *   s = independent × Π over keys k of (1 − f(k))
 *
 * A shared state fails the same requests on every path through it, so where two calls of one
 * request meet the same key (a diamond A→B→D, A→C→D with D stopped, or a partition cutting
 * both), the caller takes the larger share once — f_A(k) = max(f_B(k), f_C(k)) — instead of
 * multiplying two probabilities as if they were independent. Per-call failures (random error
 * rates, admission throttles, a share of the fleet without leases or running a bad change, a
 * timeout) are independent and multiply.
 *
 * Keys: `down:X` for a component that serves nothing (stopped, restarting, collapsed under
 * overload, without capacity); `dns:R:X`, `auth:I:X` for a caller's own resolver cache of a
 * record and its own credentials from an identity (shared by the caller's calls through the same
 * record or identity); `partition:P` for the calls a partition cuts.
 *
 * A fallback or a response cache that rescues part of a call's failures keeps only the call's
 * largest shared share, scaled by what is rescued; the rest counts as independent. A call split
 * between two targets (clients moving to a DNS failover) keeps only the caller's own keys. A
 * component keeps at most MAX_KEYS keys, the largest; the others fold into its independent part.
 */

export interface SharedFailure {
  readonly key: string;
  /** Share of requests failing because of the state `key` names. */
  readonly f: number;
}

export type Shared = readonly SharedFailure[];

export const NO_SHARED: Shared = [];

const NOTHING_SHARED: { shared: Shared; folded: number } = { shared: NO_SHARED, folded: 1 };

/** Keys a component carries at most. */
export const MAX_KEYS = 8;

const EPS = 1e-12;

/** Π (1 − f) over the shares. */
export function sharedSuccess(shared: Shared): number {
  let p = 1;
  for (const x of shared) p *= 1 - x.f;
  return p;
}

/**
 * The shares of several calls merged by key. A component's calls carry a handful of keys, so
 * two small arrays searched in order beat a Map (whose `clear` allocates a new table each time).
 */
export class SharedMerge {
  private readonly keys: string[] = [];
  private readonly fs: number[] = [];
  private n = 0;

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  /** Each share of `key`, in the order keys were first added. */
  forEach(f: (share: number, key: string) => void): void {
    for (let k = 0; k < this.n; k++) f(this.fs[k] as number, this.keys[k] as string);
  }

  /** Adds one share, keeping the larger of two for the same key. */
  add(key: string, f: number): void {
    const keys = this.keys;
    let k = 0;
    while (k < this.n && keys[k] !== key) k++;
    if (k === this.n) {
      keys[k] = key;
      this.fs[k] = f;
      this.n++;
    } else if (f > (this.fs[k] as number)) this.fs[k] = f;
  }
}

/** Adds `shared` to `into`, keeping the larger share of each key. */
export function mergeMax(into: SharedMerge, shared: Shared): void {
  for (const x of shared) into.add(x.key, x.f);
}

/**
 * The shares of `merged` as a sorted list of at most MAX_KEYS (the largest), and the factor the
 * others fold into the independent part.
 */
export function finish(merged: SharedMerge): { shared: Shared; folded: number } {
  if (merged.size === 0) return NOTHING_SHARED;
  let list: SharedFailure[] = [];
  merged.forEach((f, key) => {
    if (f > EPS) list.push({ key, f });
  });
  let folded = 1;
  if (list.length > MAX_KEYS) {
    list.sort((a, b) => b.f - a.f || (a.key < b.key ? -1 : 1));
    for (const x of list.slice(MAX_KEYS)) folded *= 1 - x.f;
    list = list.slice(0, MAX_KEYS);
  }
  if (list.length > 1) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { shared: list, folded };
}

export function sameShared(a: Shared, b: Shared): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as SharedFailure;
    const y = b[k] as SharedFailure;
    if (x.key !== y.key || x.f !== y.f) return false;
  }
  return true;
}

/**
 * A call's shared shares and independent part, given the shares that would fail it
 * (`keys`), its success without rescue (`unmasked`, at most Π (1 − keys)) and with its
 * fallback and response cache (`success`, at least `unmasked`).
 */
export function splitCall(
  keys: Shared,
  unmasked: number,
  success: number,
): { shared: Shared; independent: number } {
  if (keys.length === 0) return { shared: NO_SHARED, independent: success };
  if (success <= unmasked + EPS) {
    const product = sharedSuccess(keys);
    return { shared: keys, independent: product > EPS ? Math.min(1, success / product) : 1 };
  }
  // Rescued: a share m of the failures is served anyway, whatever made them fail.
  const rescued = 1 - (1 - success) / (1 - unmasked);
  let top = keys[0] as SharedFailure;
  for (const x of keys) if (x.f > top.f) top = x;
  const f = top.f * (1 - rescued);
  if (f <= EPS) return { shared: NO_SHARED, independent: success };
  return { shared: [{ key: top.key, f }], independent: Math.min(1, success / (1 - f)) };
}
