/**
 * @module sim/content-hosts
 * When a host of a content reader fetches (see `content.ts`): host h of a reader that refreshes
 * every `r` fetches at its phase `(h + ½)/HOSTS × r` past each multiple of `r`, and at every
 * forced fetch (`invalidate-cache`); a fetch while the content's server is down fails. Pure
 * arithmetic over those times, for the host model to ask which version a host holds and since
 * when.
 */

/** Hosts a reader's fleet is sampled with: its failing share moves in stairs of 1%. */
export const HOSTS = 100;

/**
 * Host h's rank among a reader's hosts for harm: a fault that harms a share n/HOSTS of them
 * harms those ranked below n. The ranks are (63 × h) mod 100, 63 the first stride from
 * 100 × 0.618 (the golden ratio's share) coprime with 100: a permutation that spreads the
 * harmed hosts over the whole refresh interval, as a random tenth of a fleet would be, instead
 * of taking the tenth that fetches first. The rank is also a stranded host's place among the
 * repair times (`content-repair.ts`).
 */
export function harmRank(h: number): number {
  return (63 * h) % HOSTS;
}

/** Whether a version harming the share `hosts` of a reader's hosts harms host h. */
export function harms(hosts: number, h: number): boolean {
  return harmRank(h) < Math.round(hosts * HOSTS);
}

/** A time the content's server was down: fetches in [from, to) fail (`to` ∞ while it lasts). */
export interface Down {
  from: number;
  to: number;
}

/** Host h's phase in a refresh interval of `r`. */
export function phaseOf(h: number, r: number): number {
  return ((h + 0.5) / HOSTS) * r;
}

/** The down interval of the server that `t` falls in, if any. */
function downAt(t: number, downs: readonly Down[]) {
  for (const d of downs) if (t >= d.from - 1e-9 && t < d.to - 1e-9) return d;
  return undefined;
}

/** The last fetch at or before `t` that found the server up (-∞ when none). */
export function lastOk(
  t: number,
  phase: number,
  r: number,
  forced: readonly number[],
  downs: readonly Down[],
): number {
  let c = Math.max(lastFetch(t, phase, r), lastForced(forced, t));
  for (let k = 0; k <= downs.length; k++) {
    const d = downAt(c, downs);
    if (!d) return c;
    c = Math.max(lastFetch(d.from - 1e-6, phase, r), lastForced(forced, d.from - 1e-6));
  }
  return c;
}

/** The first fetch at or after `t` that finds the server up (∞ when none). */
export function nextOk(
  t: number,
  phase: number,
  r: number,
  forced: readonly number[],
  downs: readonly Down[],
): number {
  let c = Math.min(nextFetch(t, phase, r), firstForced(forced, t));
  for (let k = 0; k <= downs.length; k++) {
    const d = downAt(c, downs);
    if (!d) return c;
    if (d.to === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    c = Math.min(nextFetch(d.to, phase, r), firstForced(forced, d.to));
  }
  return c;
}

/** The first phase fetch at or after `t` of a host with phase `phase`. */
export function nextFetch(t: number, phase: number, r: number): number {
  if (t <= phase) return phase;
  return phase + Math.ceil((t - phase) / r - 1e-9) * r;
}

/** The last phase fetch at or before `t`, or -∞ when the host has not fetched yet. */
function lastFetch(t: number, phase: number, r: number): number {
  if (t < phase - 1e-9) return Number.NEGATIVE_INFINITY;
  return phase + Math.floor((t - phase) / r + 1e-9) * r;
}

function lastForced(forced: readonly number[], t: number): number {
  let last = Number.NEGATIVE_INFINITY;
  for (const x of forced) if (x <= t + 1e-9 && x > last) last = x;
  return last;
}

function firstForced(forced: readonly number[], t: number): number {
  let first = Number.POSITIVE_INFINITY;
  for (const x of forced) if (x >= t - 1e-9 && x < first) first = x;
  return first;
}
