/**
 * @module sim/partitions
 * A partition between two failure domains cuts the calls whose caller and callee placements
 * lie on either side. A replicated caller and callee have several placement pairs: the share
 * of pairs no partition separates is the share of calls that get through, persistent per
 * client (retries do not cross a partition).
 */
import type { Component } from "../model/types.js";
import type { Sim } from "./state.js";

/** The share of `a`'s calls to `b` that no active partition cuts. */
export function partitionFactor(sim: Sim, a: Component, b: Component): number {
  const partitions = sim.faults.partitions;
  if (partitions.length === 0) return 1;
  let crossing = 0;
  let total = 0;
  for (const x of a.placement.domains) {
    for (const y of b.placement.domains) {
      total++;
      if (cutBy(sim, x, y) !== undefined) crossing++;
    }
  }
  return total === 0 ? 1 : 1 - crossing / total;
}

/** The first active partition (by id) between placements x and y, if any. */
function cutBy(sim: Sim, x: string, y: string): string | undefined {
  for (const { id, between } of sim.faults.partitions) {
    const [p, q] = between;
    if ((within(sim, x, p) && within(sim, y, q)) || (within(sim, x, q) && within(sim, y, p)))
      return id;
  }
  return undefined;
}

/**
 * When the active partitions cutting some of `a`'s traffic to `b` started (the earliest), or
 * undefined when none cuts it.
 */
export function cutSince(sim: Sim, a: Component, b: Component): number | undefined {
  let since: number | undefined;
  for (const x of a.placement.domains)
    for (const y of b.placement.domains) {
      const id = cutBy(sim, x, y);
      const at = id === undefined ? undefined : sim.faults.active.get(id)?.at;
      if (at !== undefined && (since === undefined || at < since)) since = at;
    }
  return since;
}

/** The first active partition (by id) cutting some of `a`'s calls to `b`. */
export function cuttingPartition(sim: Sim, a: Component, b: Component): string | undefined {
  for (const x of a.placement.domains)
    for (const y of b.placement.domains) {
      const id = cutBy(sim, x, y);
      if (id !== undefined) return id;
    }
  return undefined;
}

/** The key of the calls the active partitions cut (see correlation.ts). */
export function partitionKey(sim: Sim): string {
  return sim.faults.partitionKey;
}

/** Whether `domain` is `ancestor` or lies inside it. */
export function within(sim: Sim, domain: string, ancestor: string): boolean {
  let cur: string | null | undefined = domain;
  const seen = new Set<string>();
  while (cur !== null && cur !== undefined && !seen.has(cur)) {
    if (cur === ancestor) return true;
    seen.add(cur);
    cur = sim.topo.domainParent.get(cur);
  }
  return false;
}
