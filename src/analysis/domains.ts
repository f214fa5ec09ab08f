/**
 * @module analysis/domains
 * Questions about the failure-domain tree of a normalized model: the chain of ancestors of a
 * domain, memoized per model.
 */
import type { Domain, Model } from "../model/types.js";

const parents = new WeakMap<Model, Map<string, Domain>>();

/** The domain and its ancestors, nearest first: zone, region, provider. */
export function ancestryOf(model: Model, id: string): string[] {
  let byId = parents.get(model);
  if (!byId) {
    byId = new Map(model.domains.map((d) => [d.id, d]));
    parents.set(model, byId);
  }
  const chain: string[] = [];
  let cur: string | null = id;
  while (cur !== null && !chain.includes(cur)) {
    chain.push(cur);
    cur = byId.get(cur)?.parent ?? null;
  }
  return chain;
}

/**
 * Where something placed in `places` belongs in a picture of the failure domains: its one
 * domain, or the innermost domain containing all of them (the region of a component in three of
 * its zones), or null when they share none (regions of two providers, a global placement).
 */
export function innermostDomain(model: Model, places: readonly string[]): string | null {
  if (places.length === 0) return null;
  if (places.length === 1) return places[0] as string;
  const [first, ...rest] = places.map((p) => ancestryOf(model, p));
  return first?.find((d) => rest.every((chain) => chain.includes(d))) ?? null;
}
