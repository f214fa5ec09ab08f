/**
 * @module synthetic/world
 * What every part of the synthetic generator (`synthetic/generate`) shares: the seeded draws,
 * in the one order that makes a seed give one model, and the component slots laid out in
 * regions and layers that the later parts (dependencies, queues, monitors, workloads) draw from.
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { ComponentKind, Location, Placement, Redundancy } from "../model/types.js";

/** The file name every generated entity is located in. */
export const SYNTHETIC_FILE = "synthetic.yaml";

export const NO_LOC: Location = { file: SYNTHETIC_FILE, line: 1, column: 1 };

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Layer 0 holds the control planes; edges mostly go from higher layers to lower ones. */
export const TOP_LAYER = 5;

/** The draws of one seeded sequence. */
export interface Draw {
  /** An integer in lo..hi. */
  int(lo: number, hi: number): number;
  /** A number in [0, 1). */
  unit(): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
  /** Lower indices are picked more often: a few shared services get most of the callers. */
  skewed<T>(list: readonly T[]): T;
}

export function seededDraw(seed: number): Draw {
  const rng = xoroshiro128plus(seed);
  const int = (lo: number, hi: number): number => uniformInt(rng, lo, hi);
  const unit = (): number => uniformInt(rng, 0, 0xffffff) / 0x1000000;
  return {
    int,
    unit,
    chance: (p) => unit() < p,
    pick: <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T,
    skewed: <T>(list: readonly T[]): T => {
      const u = unit();
      return list[Math.floor(list.length * u * u)] as T;
    },
  };
}

export interface Slot {
  id: string;
  kind: ComponentKind;
  layer: number;
  /** Home region index, or −1 for a global component. */
  region: number;
  /** Provider index of the home region (or of the global component). */
  provider: number;
  /** Position among the components of its layer and region (or globals), for DAG order. */
  rank: number;
  monitor: boolean;
  placement: Placement;
  redundancy: Redundancy;
}

/** The slots and where they stand, as the later parts of the generator read them. */
export interface World {
  readonly slots: readonly Slot[];
  /** Slot indices per region and layer; globals head every region's layer 0. */
  readonly buckets: readonly (readonly number[])[][];
  readonly regionIds: readonly string[];
  readonly providers: readonly string[];
}

export function pad(i: number, width: number): string {
  return String(i).padStart(width, "0");
}

export function shuffle<T>(list: readonly T[], int: (lo: number, hi: number) => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(0, i);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
