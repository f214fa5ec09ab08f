/**
 * @module sim/content-repair
 * Hosts a bad version strands: a `bad-config` with effect down and a `repair` time crashes each
 * host it harms as it starts, before the host can fetch again, so withdrawing the version heals
 * none of them; each is repaired by hand, its repair times spread as an exponential
 * distribution (`repairDelay`), and a repair is a fetch.
 */
import { HOSTS, harmRank, harms, lastOk, nextOk } from "./content-hosts.js";
import {
  type Arrival,
  type ContentFault,
  type ContentState,
  holding,
  type ReaderState,
} from "./content-versions.js";
import type { Sim } from "./state.js";

/**
 * Host h's strandings up to `t`, for versions whose fault gives a `repair` time: a host that
 * takes such a version (and does not reject it) fails `after` later, and fails as it starts,
 * before it can fetch, so it stays down whatever is published or withdrawn meanwhile, until it
 * is repaired by hand `repairDelay` after it failed. Its repair is a fetch: what it gets then
 * (the version in force, perhaps still the bad one) it runs from there. Returns the fault
 * whose version holds it down at `t`, or when it was last repaired; `later` is told the next
 * time its state changes (a repair, a failure to come).
 */
export function strand(
  sim: Sim,
  st: ContentState,
  r: ReaderState,
  h: number,
  phase: number,
  t: number,
  later: (t: number) => void,
): { down?: string; repaired?: number } {
  let stranding = false;
  for (const f of st.faults.values()) if (f.repair !== undefined) stranding = true;
  if (!stranding) return {};
  let from = Number.NEGATIVE_INFINITY;
  let repaired: number | undefined;
  // Each round is one failure and its repair; a host repaired while the version is still in
  // force fails again, so the rounds are bounded only by the run (capped for safety).
  for (let round = 0; round < 1000; round++) {
    const crash = nextStranding(sim, st, r, h, phase, from);
    if (!crash) break;
    // (Evaluations fall on the microsecond: what lands within one counts as done.)
    if (crash.t > t + 1e-6) {
      later(crash.t);
      break;
    }
    const until = crash.t + repairDelay(crash.fault, h);
    if (t < until - 1e-6) {
      later(until);
      return { down: crash.fault.id };
    }
    from = until;
    repaired = until;
  }
  return repaired === undefined ? {} : { repaired };
}

/** The first time at or after `from` (a repair, or -∞) that host h fails on a stranding version. */
function nextStranding(
  sim: Sim,
  st: ContentState,
  r: ReaderState,
  h: number,
  phase: number,
  from: number,
): { t: number; fault: ContentFault } | undefined {
  const { refresh } = r.read;
  let best: { t: number; fault: ContentFault } | undefined;
  for (let k = 0; k < r.arrivals.length; k++) {
    const a = r.arrivals[k] as Arrival;
    const f = a.version === null ? undefined : st.faults.get(a.version);
    if (f?.repair === undefined || f.effect !== "down" || !harms(f.hosts, h)) continue;
    const started = f.trigger === undefined ? 0 : sim.content.started.get(f.trigger);
    if (started === undefined) continue;
    // The host's first fetch that can get it: its repair, or its first turn after it arrived.
    const fetch = a.t <= from + 1e-9 ? from : nextOk(a.t, phase, refresh, r.forced, st.downs);
    if (fetch === Number.POSITIVE_INFINITY) continue;
    const took = holding(st, r, fetch);
    if (took.k !== k || took.verdict !== "accepted") continue;
    const at = Math.max(fetch + f.after, started);
    // Harmless if the host has moved on from it by the time it would fail.
    if (at > fetch + 1e-9) {
      const last = Math.max(from, lastOk(at, phase, refresh, r.forced, st.downs));
      if (holding(st, r, last).k !== k) continue;
    }
    if (!best || at < best.t) best = { t: at, fault: f };
  }
  return best;
}

/**
 * Time from host h failing on a stranding version to its repair: the n harmed hosts' repair
 * times are the (i + ½)/n quantiles of an exponential distribution with mean `repair`, so the
 * share of them still down a time s after they failed is e^(−s/repair), in stairs of 1/n.
 * Host h takes quantile i = its harm rank (`harmRank`, below n for a harmed host): a
 * permutation, so the n quantiles are each taken once, that spreads the hosts fetching first —
 * all a short exposure harms — over the whole distribution instead of giving them its quickest
 * repairs.
 */
export function repairDelay(f: ContentFault, h: number): number {
  const n = Math.max(1, Math.round(f.hosts * HOSTS));
  return -(f.repair as number) * Math.log(1 - (harmRank(h) + 0.5) / n);
}
