/**
 * @module sim/mechanisms
 * The closed-form pieces of the cascade engine: how caches of DNS answers, tokens, responses
 * and leases age once their source stops answering, and how retries multiply load. Each is a
 * pure function of elapsed time (or of a success probability), so the engine can evaluate it
 * exactly at any instant and the tests can check it against its formula.
 *
 * Populations are fluid: a cache entry, token or lease was last refreshed at a moment spread
 * uniformly over its refresh period, so the fraction still valid after the source fails falls
 * linearly from the first possible expiry to the last.
 */

/**
 * Fraction of entries still valid `elapsed` seconds after refreshes stopped, when each entry
 * lives `lifetime` seconds and was refreshed `refreshEvery` seconds apart (ages uniform over
 * [0, refreshEvery)). The first entries expire at lifetime − refreshEvery, the last at lifetime.
 */
export function validFraction(elapsed: number, lifetime: number, refreshEvery: number): number {
  if (elapsed <= 0) return 1;
  if (elapsed >= lifetime) return 0;
  const first = Math.max(0, lifetime - refreshEvery);
  if (elapsed <= first) return 1;
  return (lifetime - elapsed) / (lifetime - first);
}

/** Seconds: a reading this close to a stair's edge is on its far side. */
const STAIR_TOLERANCE = 1e-7;

/**
 * `validFraction` as the engine reads it: a staircase of `stairs` equal stairs (each at least
 * `minStair` seconds wide) over the sloped part of the ramp, each holding the ramp's value at
 * its middle, so the area under the staircase equals the area under the ramp. The value changes
 * only at the stairs' edges, whenever it is read, so a population read at any moment of a stair
 * gives the same answer. `next` is the elapsed time of the next change (Infinity after the last).
 */
export function staircase(
  elapsed: number,
  lifetime: number,
  refreshEvery: number,
  stairs: number,
  minStair: number,
): { readonly value: number; readonly next: number } {
  const first = Math.max(0, lifetime - refreshEvery);
  // A reading taken at an edge, at a time computed as start + edge, lands on the far side of
  // it whatever the rounding of the subtraction (a day is 86,400 s: rounding is ~1e-11 s there).
  const at = elapsed + STAIR_TOLERANCE;
  if (at >= lifetime) return { value: 0, next: Number.POSITIVE_INFINITY };
  if (at < first) return { value: 1, next: first };
  const width = lifetime - first;
  const stair = Math.max(minStair, width / stairs);
  // Whole stairs, the last one cut at the ramp's end (and none a rounding error wide).
  const count = Math.ceil(width / stair - 1e-9);
  const k = Math.floor((at - first) / stair);
  if (k >= count) return { value: 0, next: Number.POSITIVE_INFINITY };
  const from = k * stair;
  const to = k + 1 >= count ? width : from + stair;
  return { value: 1 - (from + to) / 2 / width, next: first + to };
}

/**
 * DNS: fraction of clients whose resolver holds the answer that is being replaced, `elapsed`
 * seconds after the record changed. Cached answers expire uniformly over the TTL that cached
 * them: a positive TTL for a real or wrong answer, the negative TTL for an empty answer or
 * NXDOMAIN.
 */
export function staleAnswerFraction(elapsed: number, cacheTtl: number): number {
  return validFraction(elapsed, cacheTtl, cacheTtl);
}

/**
 * Tokens issued with lifetime `ttl` and renewed `refreshBefore` seconds before expiry: when the
 * issuer fails, no token expires for `refreshBefore`, and the last one expires `ttl` later.
 */
export function tokensValid(elapsed: number, ttl: number, refreshBefore: number): number {
  return validFraction(elapsed, ttl, ttl - refreshBefore);
}

/**
 * A response cache with entries fresh for `ttl` that may be served stale for `staleIfError`
 * after the dependency starts failing: hits keep working for staleIfError, then fall over ttl.
 */
export function cacheValid(elapsed: number, ttl: number, staleIfError: number): number {
  return validFraction(elapsed, ttl + staleIfError, ttl);
}

/**
 * Leases of `duration` renewed every `renewEvery`: when renewals stop, the first lease lapses
 * after duration − renewEvery, the last after duration.
 */
export function leasesValid(elapsed: number, duration: number, renewEvery: number): number {
  return validFraction(elapsed, duration, renewEvery);
}

/**
 * Expected attempts per call with `attempts` tries when each try succeeds with probability p:
 * Σ_{k<N} (1 − p)^k = (1 − (1 − p)^N) / p, and N when p = 0. A retry budget caps the retries
 * at `budget` × first attempts.
 */
export function attemptsPerCall(p: number, attempts: number, budget?: number): number {
  const q = 1 - clamp01(p);
  const expected = q === 1 ? attempts : q === 0 ? 1 : (1 - q ** attempts) / (1 - q);
  return budget === undefined ? expected : Math.min(expected, 1 + budget);
}

/**
 * Probability that a call succeeds within its attempts: 1 − (1 − p)^N, with the retries a
 * budget allows when it binds (retries are then spread over the failed first attempts).
 */
export function successWithRetries(p: number, attempts: number, budget?: number): number {
  const pp = clamp01(p);
  const q = 1 - pp;
  if (budget === undefined || attemptsPerCall(pp, attempts) <= 1 + budget) return 1 - q ** attempts;
  // The budget allows `budget` retries per first attempt; each succeeds with p.
  const retriesPerFailure = q === 0 ? 0 : Math.min(attempts - 1, budget / q);
  return 1 - q * q ** retriesPerFailure;
}

/**
 * Backoff before retry k (1-based) with exponential growth from `base`, capped at `cap`:
 * base · 2^(k−1). With jitter the actual wait is spread below it: full jitter uniform on
 * [0, b], equal jitter on [b/2, b]; the mean waits are b/2 and 3b/4.
 */
export function backoff(
  k: number,
  base: number,
  cap: number,
  jitter: "none" | "full" | "equal" | "decorrelated",
): { readonly min: number; readonly max: number; readonly mean: number } {
  const b = Math.min(cap, base * 2 ** (k - 1));
  switch (jitter) {
    case "none":
      return { min: b, max: b, mean: b };
    case "full":
      return { min: 0, max: b, mean: b / 2 };
    case "equal":
      return { min: b / 2, max: b, mean: (3 * b) / 4 };
    default:
      // Decorrelated jitter draws from [base, 3 · previous]; its mean sits between the two.
      return { min: base, max: Math.min(cap, 3 * b), mean: (base + Math.min(cap, 3 * b)) / 2 };
  }
}

/**
 * When retry k (1-based) of a call is made, counted from its first attempt: after the sum of
 * the backoffs before it, each drawn from its jitter's range. The sum of the ranges is taken as
 * one uniform range with the same mean (exact for one retry; for several the true sum bunches
 * toward its middle): `min` and `max` bound it, equal when there is no jitter.
 */
export function retryDelay(
  k: number,
  base: number,
  cap: number,
  jitter: "none" | "full" | "equal" | "decorrelated",
): { readonly min: number; readonly max: number } {
  let min = 0;
  let max = 0;
  for (let j = 1; j <= k; j++) {
    const b = backoff(j, base, cap, jitter);
    min += b.min;
    max += b.max;
  }
  return { min, max };
}

export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * A response cache refilling after it emptied: with hit ratio h and TTL T in normal operation,
 * each key is asked for every T (1 − h) / h on average (h = ρT / (1 + ρT) for requests at ρ per
 * key), and is cached again at its first request. The share of the usual cached answers held
 * `elapsed` after it emptied is min(1, (1 − e^(−ρ·elapsed)) / h), read as `stairs` stairs of
 * equal height, each holding the value at its middle; `next` is the elapsed time of the next
 * stair's edge. A hit ratio of 100% (or 0%) refills at once.
 */
export function cacheRefill(
  elapsed: number,
  ttl: number,
  hitRatio: number,
  stairs: number,
): { readonly value: number; readonly next: number } {
  if (!(hitRatio > 0 && hitRatio < 1) || !(ttl > 0))
    return { value: 1, next: Number.POSITIVE_INFINITY };
  const rho = hitRatio / (ttl * (1 - hitRatio));
  const at = Math.max(0, elapsed) + STAIR_TOLERANCE;
  const g = (1 - Math.exp(-rho * at)) / hitRatio;
  if (g >= 1) return { value: 1, next: Number.POSITIVE_INFINITY };
  const k = Math.min(stairs - 1, Math.floor(g * stairs));
  const edge = -Math.log(1 - (hitRatio * (k + 1)) / stairs) / rho;
  return { value: (k + 0.5) / stairs, next: edge };
}
