/**
 * @module sim/content-versions
 * What a reader of served content holds, and what it makes of it: the versions that reached it
 * (arrivals), which of them a host holds after a fetch (the newest not withdrawn by then, and
 * not rejected by a reader that keeps its last good version), and a version's verdict against
 * the reader's validation and hard limits. Shared by `content.ts` (the readers' failing shares)
 * and `content-repair.ts` (hosts a bad version strands).
 */
import type { Content, ContentRead } from "../model/types.js";
import type { ContentFaultSpec, Fault } from "../scenario/types.js";
import type { Down } from "./content-hosts.js";
import type { Why } from "./state.js";

export type ContentFault = Fault & ContentFaultSpec;

/** A version: the content fault that made it, or null for a good one. */
export type Version = string | null;

export interface Arrival {
  readonly t: number;
  readonly version: Version;
}

export interface ReaderState {
  readonly read: ContentRead;
  readonly comp: number;
  readonly stage: number;
  /** Versions that reached the reader's stage, by time, and the newest one's publication number. */
  readonly arrivals: Arrival[];
  serial: number;
  /** Times the reader's cache was invalidated (every host fetches). */
  readonly forced: number[];
  /** Share of its hosts down, and of its requests failing or answered wrongly on the others. */
  down: number;
  error: number;
  wrong: number;
  cause: Why | undefined;
}

export interface ContentState {
  readonly content: Content;
  readonly readers: ReaderState[];
  readonly stages: number;
  /** The version published last, and the last bad one (what a good one is logged against). */
  current: Version;
  lastBad: string | undefined;
  /** Content faults active on it, in start order, and how many regenerations each has seen. */
  readonly active: ContentFault[];
  readonly regenerations: Map<string, number>;
  /** Faults whose versions were withdrawn (they ended), and when. */
  readonly withdrawn: Map<string, number>;
  serial: number;
  ticking: boolean;
  /** Times at which a host evaluation is already on the agenda. */
  readonly pending: Set<number>;
  /** The scenario's faults on this content, by id (an ended one's version can still be held). */
  readonly faults: ReadonlyMap<string, ContentFault>;
  /** Times its server was down (fetches fail), in order; the last may still be open (`to` ∞). */
  readonly downs: Down[];
}

export type Verdict = "accepted" | "rejected" | "over-limit";

export function judge(version: Version, st: ContentState, read: ContentRead): Verdict {
  if (version === null) return "accepted";
  const f = st.faults.get(version);
  if (!f) return "accepted";
  const v = f.version;
  const val = read.validate;
  if (
    val &&
    ((v.size !== undefined && val.maxSize !== undefined && v.size > val.maxSize) ||
      (v.entries !== undefined && val.maxEntries !== undefined && v.entries > val.maxEntries) ||
      (val.fields ?? []).some((x) => v.missing.includes(x)))
  )
    return "rejected";
  const lim = read.limits;
  if (
    lim &&
    ((v.size !== undefined && lim.maxSize !== undefined && v.size > lim.maxSize) ||
      (v.entries !== undefined && lim.maxEntries !== undefined && v.entries > lim.maxEntries))
  )
    return "over-limit";
  return "accepted";
}

/**
 * The arrival a host holds after its last fetch at `last` — the newest one by then that it did
 * not skip: withdrawn by then (its fault ended), or rejected by a reader that keeps its last
 * good version — and its verdict; index -1 when none (the version the run started with).
 */
export function holding(
  st: ContentState,
  r: ReaderState,
  last: number,
): { k: number; verdict: Verdict } {
  let k = r.arrivals.length - 1;
  while (k >= 0 && (r.arrivals[k] as Arrival).t > last + 1e-9) k--;
  let verdict: Verdict = "accepted";
  for (; k >= 0; k--) {
    const v = (r.arrivals[k] as Arrival).version;
    const gone = v === null ? undefined : st.withdrawn.get(v);
    if (gone !== undefined && last >= gone - 1e-9) continue;
    verdict = judge(v, st, r.read);
    if (verdict !== "rejected" || r.read.lastKnownGood !== "keep") break;
  }
  return { k, verdict };
}
