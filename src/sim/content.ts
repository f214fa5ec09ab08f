/**
 * @module sim/content
 * Served content (configuration, feature files, policies, key sets) going out to its readers,
 * and what a bad version does to them. The content's history is a list of publications: a
 * content fault publishes its bad version when it starts — or, for content its server
 * regenerates, at the regenerations (multiples of the period from 0) while it lasts, bad for
 * the share the fault says, spread evenly (50% is every other one, from the first); the end
 * of a fault (or a `rollback-config`, which ends the newest) withdraws its versions.
 *
 * **Stages.** Content with a staged rollout reaches its readers stage by stage: readers are
 * split, in id order, into `stages` groups; a publication reaches stage k at `k × bake` after
 * it was published, but only while every reader of the earlier stages is up (the health gate);
 * a gate that finds one impaired halts that publication for good. The end of a fault withdraws
 * its versions from every reader at once (see `contentFaultEnded`).
 *
 * **Hosts.** Each reader is a fleet of HOSTS hosts, host h fetching the content at
 * `(h + ½)/HOSTS × refresh + m × refresh` (phases spread evenly over the interval) and when the
 * content is invalidated. A host holds the newest version that had reached its stage (plus the
 * fault's `delay`) by its last fetch. What it does with it, by the reader's settings:
 * - a version its `validate` rejects (over `maxSize` or `maxEntries`, lacking a listed field):
 *   with `lastKnownGood: keep` the host keeps the newest version it accepted; `fail-closed`
 *   fails the host; `fail-open` carries on without the content;
 * - a version over its hard `limits` fails the host;
 * - otherwise a bad version harms the `hosts` share of the hosts (spread over the interval by
 *   `harmRank`), `after` the host first
 *   fetched it and once the fault's `trigger` has started: down, `rate` of its requests
 *   failing, or `rate` of them answered wrongly (served, and counted as wrong answers).
 * So a version reaches a whole reader linearly over one refresh interval, and the reader's
 * failing share is a staircase of 1/HOSTS stairs, evaluated at each host's fetch.
 *
 * **Server down.** While the content's server is classified down, fetches fail: a host keeps
 * the copy of its last fetch that succeeded (the run starts with one), and a reader with a
 * `ttl` and `lastKnownGood: fail-closed` fails each host whose copy is older than the `ttl`.
 *
 * The failing shares of each reader feed `faults.refreshFaults`, which combines them with the
 * other faults on the component (independent shares). What a host holds and a version's verdict
 * are in `content-versions.ts`; hosts a bad version strands until repaired by hand, in
 * `content-repair.ts`; a host's fetch times, in `content-hosts.ts`.
 */
import type { Content, ContentRead } from "../model/types.js";
import type { Fault } from "../scenario/types.js";
import { schedule } from "./agenda.js";
import { HOSTS, harms, lastOk, nextFetch, nextOk, phaseOf } from "./content-hosts.js";
import { strand } from "./content-repair.js";
import {
  type Arrival,
  type ContentFault,
  type ContentState,
  holding,
  type ReaderState,
  type Version,
} from "./content-versions.js";
import { log, type Sim, type Why } from "./state.js";

export interface ContentSim {
  readonly byId: Map<string, ContentState>;
  /** The content each component serves, by the component's index. */
  readonly byServer: Map<number, ContentState[]>;
  /** Start times of the scenario's faults, for triggers. */
  readonly started: Map<string, number>;
}

export function createContentSim(
  contents: readonly Content[],
  reads: readonly ContentRead[],
  faults: readonly Fault[],
  index: ReadonlyMap<string, number>,
): ContentSim {
  const byId = new Map<string, ContentState>();
  for (const content of contents) {
    const mineFaults = new Map<string, ContentFault>();
    for (const f of faults)
      if (isContentFault(f) && f.target === content.id) mineFaults.set(f.id, f);
    const mine = reads
      .filter((r) => r.content === content.id)
      .sort((a, b) => (a.reader < b.reader ? -1 : 1));
    const stages = content.rollout?.staged ? Math.max(1, content.rollout.stages ?? 1) : 1;
    const readers = mine.map((read, k) => ({
      read,
      comp: index.get(read.reader) as number,
      stage: Math.floor((k * stages) / mine.length),
      arrivals: [],
      serial: 0,
      forced: [],
      down: 0,
      error: 0,
      wrong: 0,
      cause: undefined,
    }));
    byId.set(content.id, {
      content,
      readers,
      stages,
      current: null,
      lastBad: undefined,
      active: [],
      regenerations: new Map(),
      serial: 0,
      ticking: false,
      pending: new Set(),
      faults: mineFaults,
      downs: [],
      withdrawn: new Map(),
    });
  }
  const byServer = new Map<number, ContentState[]>();
  for (const st of byId.values()) {
    const i = index.get(st.content.server) as number;
    byServer.set(i, [...(byServer.get(i) ?? []), st]);
  }
  return { byId, byServer, started: new Map() };
}

export function isContentFault(f: Fault): f is ContentFault {
  return f.kind === "bad-config" || f.kind === "config-oversize" || f.kind === "key-removed";
}

/** A fault starts: a content fault publishes its version; any fault may be a trigger. */
export function contentFaultStarted(sim: Sim, f: Fault, refresh: () => void): void {
  sim.content.started.set(f.id, sim.t);
  for (const st of sim.content.byId.values()) {
    if (st.active.some((x) => x.trigger === f.id)) evaluateAt(sim, st, sim.t, refresh);
  }
  if (!isContentFault(f)) return;
  const st = sim.content.byId.get(f.target) as ContentState;
  st.active.push(f);
  st.regenerations.set(f.id, 0);
  // Content the server regenerates comes out bad from its next regeneration on; other content
  // is published bad now (a push).
  if (st.content.regenerate === undefined) publish(sim, st, f.id, refresh);
  else if (!st.ticking) {
    st.ticking = true;
    const period = st.content.regenerate;
    scheduleTick(sim, st, (Math.floor(sim.t / period + 1e-9) + 1) * period, refresh);
  }
}

/**
 * A content fault ends: its versions are withdrawn. Each host that fetches from now on goes
 * back to the newest version it was offered that is not withdrawn — the one before the fault,
 * or another active fault's, as its stage had it — and a version of it still in flight (a
 * later stage, a `delay`) is skipped where it lands.
 */
export function contentFaultEnded(sim: Sim, f: Fault, refresh: () => void): void {
  if (!isContentFault(f)) return;
  const st = sim.content.byId.get(f.target) as ContentState;
  const k = st.active.findIndex((x) => x.id === f.id);
  if (k < 0) return;
  st.active.splice(k, 1);
  st.withdrawn.set(f.id, sim.t);
  if (st.current === f.id)
    st.current = st.active.length > 0 ? (st.active[st.active.length - 1] as ContentFault).id : null;
  scheduleHostEvents(sim, st, sim.t, refresh);
}

/**
 * `rollback-config`: the newest active fault on the content ends, so its versions are
 * withdrawn (see `contentFaultEnded`); what hosts go back to may be another fault's version.
 */
export function rollbackContent(sim: Sim, id: string, end: (f: Fault) => void): void {
  const st = sim.content.byId.get(id);
  const newest = st?.active[st.active.length - 1];
  if (!st || !newest) return;
  end(newest);
}

/** `invalidate-cache` on content: every host of every reader fetches it now. */
export function invalidateContent(sim: Sim, id: string, refresh: () => void): void {
  const st = sim.content.byId.get(id);
  if (!st) return;
  for (const r of st.readers) r.forced.push(sim.t);
  scheduleHostEvents(sim, st, sim.t, refresh);
}

/**
 * Called as a component is classified: when a content server goes down, its readers' fetches
 * fail from then on, and each host's copy expires `ttl` after its last successful fetch; when
 * it is back, each host fetches at its next turn.
 */
export function noteContentServer(sim: Sim, i: number, down: boolean, refresh: () => void): void {
  const served = sim.content.byServer.get(i);
  if (!served) return;
  for (const st of served) {
    // Only content whose readers can feel a server outage: a fault to fetch, or copies that
    // expire and fail closed. (A server that flaps would otherwise cost a host evaluation per
    // reader host at every recovery.)
    if (st.faults.size === 0 && !st.readers.some(expires)) continue;
    const open = st.downs[st.downs.length - 1];
    const isDown = open !== undefined && open.to === Number.POSITIVE_INFINITY;
    if (down === isDown) continue;
    if (down) {
      st.downs.push({ from: sim.t, to: Number.POSITIVE_INFINITY });
      for (const r of st.readers) {
        if (r.read.ttl === undefined) continue;
        for (let h = 0; h < HOSTS; h++) {
          const phase = phaseOf(h, r.read.refresh);
          const last = Math.max(0, lastOk(sim.t, phase, r.read.refresh, r.forced, st.downs));
          evaluateAt(sim, st, Math.max(sim.t, last + r.read.ttl + 1e-6), refresh);
        }
      }
    } else if (open) {
      open.to = sim.t;
      scheduleHostEvents(sim, st, sim.t, refresh);
    }
  }
}

function scheduleTick(sim: Sim, st: ContentState, t: number, refresh: () => void): void {
  schedule(sim, t, `1-regenerate:${st.content.id}`, () => {
    if (st.active.length === 0) {
      st.ticking = false;
      return;
    }
    // The newest fault whose share of bad regenerations says this one is bad makes it.
    let version: Version = null;
    for (let k = st.active.length - 1; k >= 0; k--) {
      const f = st.active[k] as ContentFault;
      const n = (st.regenerations.get(f.id) ?? 0) + 1;
      st.regenerations.set(f.id, n);
      const bad = Math.floor((n + 1) * f.generations + 1e-9) > Math.floor(n * f.generations + 1e-9);
      if (bad && version === null) version = f.id;
    }
    if (version !== st.current) publish(sim, st, version, refresh);
    scheduleTick(sim, st, t + (st.content.regenerate as number), refresh);
  });
}

function publish(sim: Sim, st: ContentState, version: Version, refresh: () => void): void {
  const before = st.current;
  st.current = version;
  const subject = version ?? st.lastBad;
  if (version !== null) st.lastBad = version;
  const serial = ++st.serial;
  const fault = version === null ? undefined : st.active.find((f) => f.id === version);
  const delay = fault?.delay ?? 0;
  const published = sim.t;
  const why = (stage: number, readers: readonly string[]): Why => ({
    mechanism: "rollout",
    from: subject,
    fromKind: "fault",
    detail: {
      what: "content-published",
      content: st.content.id,
      good: version === null,
      stage,
      stages: st.stages,
      readers,
    },
  });
  const reach = (stage: number) => {
    const readers = st.readers.filter((r) => st.stages === 1 || r.stage === stage);
    // A good regeneration is logged where it starts, not at each later stage; a bad version
    // withdrawn meanwhile is not logged going further.
    if (subject !== undefined && (version === null ? stage === 0 : !st.withdrawn.has(version)))
      log(
        sim,
        "fault",
        subject,
        stage > 0 ? `stage ${stage}` : before === null ? "good version" : "bad version",
        version === null ? "good version" : st.stages > 1 ? `stage ${stage + 1}` : "bad version",
        why(
          stage,
          readers.map((r) => r.read.reader),
        ),
      );
    const at = sim.t + delay;
    schedule(sim, at, `1-content:${st.content.id}`, () => {
      // A newer publication that landed first (a shorter delay) supersedes this one.
      for (const r of readers) {
        if (r.serial > serial) continue;
        r.serial = serial;
        r.arrivals.push({ t: at, version });
      }
      scheduleHostEvents(sim, st, at, refresh);
    });
  };
  reach(0);
  if (st.stages === 1) return;
  let halted = false;
  const bake = st.content.rollout?.bake ?? 0;
  for (let stage = 1; stage < st.stages; stage++) {
    schedule(sim, published + stage * bake, `1-stage:${st.content.id}`, () => {
      // A version withdrawn meanwhile (its fault ended) goes no further.
      if (halted || (version !== null && st.withdrawn.has(version))) {
        halted = true;
        return;
      }
      const impaired = st.readers.find((r) => r.stage < stage && sim.comps[r.comp]?.state !== "up");
      if (impaired) {
        halted = true;
        // Logged for a bad version (a good one halted leaves readers on an older good one).
        if (version !== null)
          log(sim, "fault", version, `stage ${stage}`, "halted", {
            mechanism: "rollout",
            from: impaired.read.reader,
            fromKind: "component",
            detail: {
              what: "rollout-halted",
              subject: st.content.id,
              stage,
              impaired: impaired.read.reader,
            },
          });
        return;
      }
      reach(stage);
    });
  }
}

/**
 * Evaluations at every time a host's state can change after `from`: each host's first fetch,
 * and that plus the longest `after` of the content's faults.
 */
function scheduleHostEvents(sim: Sim, st: ContentState, from: number, refresh: () => void): void {
  const afters = new Set<number>([0]);
  for (const f of st.faults.values()) if (f.after > 0) afters.add(f.after);
  const refreshes = new Set(st.readers.map((r) => r.read.refresh));
  for (const r of refreshes) {
    for (let h = 0; h < HOSTS; h++) {
      const fetch = nextFetch(from, phaseOf(h, r), r);
      for (const a of afters) evaluateAt(sim, st, fetch + a, refresh);
    }
  }
  evaluateAt(sim, st, from, refresh);
}

function evaluateAt(sim: Sim, st: ContentState, t: number, refresh: () => void): void {
  // On the microsecond, never before `t` (by more than the 1e-9 the checks allow): an
  // evaluation rounded down, before the harm it was for, would find nothing due and ask for the
  // same instant again, forever.
  const at = Math.ceil(t * 1e6 - 1e-3) / 1e6;
  if (st.pending.has(at)) return;
  st.pending.add(at);
  schedule(sim, at, `1-hosts:${st.content.id}`, () => {
    st.pending.delete(at);
    if (updateShares(sim, st, (later) => evaluateAt(sim, st, later, refresh))) refresh();
  });
}

function expires(r: ReaderState): boolean {
  return r.read.ttl !== undefined && r.read.lastKnownGood === "fail-closed";
}

/** Recomputes each reader's failing shares at `sim.t`; true when any changed. */
function updateShares(sim: Sim, st: ContentState, later: (t: number) => void): boolean {
  const t = sim.t;
  let changed = false;
  for (const r of st.readers) {
    const { down, error, wrong, cause } = shares(sim, st, r, t, later);
    if (
      Math.abs(down - r.down) > 1e-12 ||
      Math.abs(error - r.error) > 1e-12 ||
      Math.abs(wrong - r.wrong) > 1e-12
    ) {
      changed = true;
      r.down = down;
      r.error = error;
      r.wrong = wrong;
      r.cause = cause;
    }
  }
  return changed;
}

function shares(
  sim: Sim,
  st: ContentState,
  r: ReaderState,
  t: number,
  later: (t: number) => void,
): { down: number; error: number; wrong: number; cause: Why | undefined } {
  const { refresh, lastKnownGood, ttl } = r.read;
  let downHosts = 0;
  let errorSum = 0;
  let wrongSum = 0;
  let expired = 0;
  const blame = new Map<
    string,
    { hosts: number; weight: number; how: "harm" | "rejected" | "over-limit" | "stranded" }
  >();
  for (let h = 0; h < HOSTS; h++) {
    const phase = phaseOf(h, refresh);
    // A host a stranding version failed stays down until it is repaired, whatever is offered.
    const stranded = strand(sim, st, r, h, phase, t, later);
    if (stranded.down !== undefined) {
      downHosts++;
      const b = blame.get(stranded.down);
      if (b) {
        b.hosts++;
        b.weight++;
      } else blame.set(stranded.down, { hosts: 1, weight: 1, how: "stranded" });
      continue;
    }
    // Its copy is from its last fetch that found the server up (the run starts with one), or
    // from its repair.
    const last = Math.max(
      0,
      lastOk(t, phase, refresh, r.forced, st.downs),
      stranded.repaired ?? Number.NEGATIVE_INFINITY,
    );
    if (ttl !== undefined && t - last > ttl + 1e-9 && lastKnownGood === "fail-closed") {
      downHosts++;
      expired++;
      continue;
    }
    // The newest arrival by its last fetch that it did not skip: withdrawn by then (its fault
    // ended), or rejected by a reader that keeps its last good version.
    const { k, verdict } = holding(st, r, last);
    if (k < 0) continue;
    const arrival = r.arrivals[k] as Arrival;
    if (arrival.version === null) continue;
    const version = arrival.version;
    let how: "harm" | "rejected" | "over-limit" | "stranded" | undefined;
    let fails = false;
    let rate = 0;
    let wrong = 0;
    if (verdict === "rejected") {
      if (lastKnownGood === "fail-closed") {
        how = "rejected";
        fails = true;
      }
    } else if (verdict === "over-limit") {
      how = "over-limit";
      fails = true;
    } else {
      const f = st.faults.get(version) as ContentFault;
      const first = nextOk(arrival.t, phase, refresh, r.forced, st.downs);
      const started = f.trigger === undefined ? 0 : sim.content.started.get(f.trigger);
      if (
        f.effect !== "none" &&
        // A stranding version's harm is `strand`'s.
        f.repair === undefined &&
        harms(f.hosts, h) &&
        first + f.after <= t + 1e-9 &&
        started !== undefined &&
        started <= t + 1e-9
      ) {
        how = "harm";
        if (f.effect === "down") fails = true;
        else if (f.effect === "wrong-answers") wrong = f.rate;
        else rate = f.rate;
      }
    }
    if (how === undefined) continue;
    if (fails) downHosts++;
    else {
      errorSum += rate;
      wrongSum += wrong;
    }
    // Blamed by what it harms: a down host counts whole, an error or wrong-answer rate by its share.
    const weight = fails ? 1 : rate + wrong;
    const b = blame.get(version);
    if (b) {
      b.hosts++;
      b.weight += weight;
    } else blame.set(version, { hosts: 1, weight, how });
  }
  let cause: Why | undefined;
  let most = 0;
  if (expired > 0) {
    most = expired;
    cause = {
      mechanism: "dependency",
      from: st.content.server,
      fromKind: "component",
      detail: {
        what: "content-expired",
        content: st.content.id,
        reader: r.read.reader,
        server: st.content.server,
        share: expired / HOSTS,
      },
    };
  }
  for (const [fault, b] of [...blame].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    if (b.weight > most) {
      most = b.weight;
      cause = {
        mechanism: "rollout",
        from: fault,
        fromKind: "fault",
        detail: {
          what: "content-version",
          content: st.content.id,
          reader: r.read.reader,
          share: b.hosts / HOSTS,
          how: b.how,
        },
      };
    }
  }
  const down = downHosts / HOSTS;
  const up = HOSTS - downHosts;
  return {
    down,
    error: up > 0 ? errorSum / up : 0,
    wrong: up > 0 ? wrongSum / up : 0,
    cause,
  };
}

/** Each reader's failing shares, for `refreshFaults` to combine with the other faults. */
export function* contentShares(
  sim: Sim,
): Generator<{ comp: number; down: number; error: number; wrong: number; cause: Why }> {
  for (const st of sim.content.byId.values()) {
    for (const r of st.readers) {
      if ((r.down > 0 || r.error > 0 || r.wrong > 0) && r.cause)
        yield { comp: r.comp, down: r.down, error: r.error, wrong: r.wrong, cause: r.cause };
    }
  }
}
