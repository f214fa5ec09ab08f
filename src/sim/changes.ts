/**
 * @module sim/changes
 * A scenario's dependency changes that take effect at a time (`changes` with `at`): the call's
 * version in use stops — it sends nothing from then on, and what it sent leaves its targets'
 * loads — and the new version starts, as a fresh call (breaker closed, no retry pending) with
 * the response cache the old one had, aged as it was (a cache the change adds starts empty).
 * The caller is evaluated again at that instant, and the timeline records the change.
 */
import type { Dependency } from "../model/types.js";
import type { ChangeSwitch } from "../scenario/apply.js";
import { idle } from "./component.js";
import { markComp } from "./incremental.js";
import { type CompState, type EdgeState, log, type Sim } from "./state.js";

export function switchCall(sim: Sim, sw: ChangeSwitch): void {
  const c = sw.change;
  let caller = -1;
  if (sw.ends !== undefined) {
    const e = edgeOf(sim, sw.ends);
    caller = e.from;
    stop(sim, e);
  }
  if (sw.begins !== undefined) {
    const e = edgeOf(sim, sw.begins);
    caller = e.from;
    start(sim, e, sw.ends === undefined ? undefined : edgeOf(sim, sw.ends));
  }
  if (caller >= 0) markComp(sim, caller);
  const to = sw.begins === undefined ? "disabled" : sw.ends === undefined ? "enabled" : "changed";
  // Each change is its own subject, as each action is: pending until it takes effect.
  log(sim, "change", `${c.from} → ${c.to} (change ${sw.index + 1})`, "pending", to, {
    mechanism: "change",
    detail: {
      what: "dependency-changed",
      change: sw.index,
      from: c.from,
      to: c.to,
      ...(c.via !== undefined ? { via: c.via ?? "none" } : {}),
      ...(c.auth !== undefined ? { auth: c.auth ?? "none" } : {}),
      ...(c.cache !== undefined ? { cache: c.cache.ttl } : {}),
      ...(c.disable !== undefined ? { disable: c.disable } : {}),
    },
  });
}

function edgeOf(sim: Sim, d: Dependency): EdgeState {
  const e = sim.edges.find((x) => x.dep === d);
  if (e === undefined) throw new Error(`simulate: no call for ${d.from} → ${d.to}`);
  return e;
}

/** The call is no longer made: it sends nothing, and its targets' loads lose what it sent. */
function stop(sim: Sim, e: EdgeState): void {
  if (!e.active) return;
  e.active = false;
  // What its response cache holds, and since when it was not refreshed, is read by the
  // version that follows (`start`), so it is kept.
  const since = e.failingSince;
  idle(e, sim.t);
  e.failingSince = since;
  const s = sim.comps[e.from] as CompState;
  const list = e.hard ? s.hard : s.soft;
  list.splice(list.indexOf(e), 1);
  for (let j = 0; j < e.slots.length; j++) {
    sim.inc.contribution[e.slotBase + j] = 0;
    sim.inc.intakeChanged.push(e.slots[j] as number);
  }
}

/**
 * The call is made from now, as a new call. Its response cache is the one the version before
 * had, aged from when that one stopped being refreshed; a cache the change adds starts empty
 * (as if expired: it holds nothing until the callee answers).
 */
function start(sim: Sim, e: EdgeState, before: EdgeState | undefined): void {
  if (e.active) return;
  e.active = true;
  idle(e, sim.t);
  const cache = e.dep.cache;
  e.failingSince =
    cache === undefined
      ? undefined
      : before?.dep.cache !== undefined
        ? before.failingSince
        : sim.t - cache.ttl - cache.staleIfError;
  // A refill under way goes on in the version that follows.
  const keeps = cache !== undefined && before?.dep.cache !== undefined;
  e.refillSince = keeps ? before.refillSince : undefined;
  e.refillFrom = keeps ? before.refillFrom : 1;
  const s = sim.comps[e.from] as CompState;
  const list = e.hard ? s.hard : s.soft;
  list.push(e);
  list.sort((a, b) => a.index - b.index);
}
