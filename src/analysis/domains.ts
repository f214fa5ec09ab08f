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
