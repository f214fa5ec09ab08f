/**
 * @module scenario/apply
 * Applies a scenario's what-if changes to a model, for one run: returns a new model with the
 * changed dependencies, leaving the given one untouched. Pure; the changes were checked against
 * the model when the scenario was loaded.
 */
import type { Dependency, Model } from "../model/types.js";
import type { ModelChange } from "./types.js";

export function applyChanges(model: Model, changes: readonly ModelChange[]): Model {
  if (changes.length === 0) return model;
  const dependencies = model.dependencies.map((d) => {
    let out: Dependency = d;
    for (const c of changes) {
      if (c.from !== d.from || c.to !== d.to) continue;
      const { via: _via, auth: _auth, cache: _cache, ...rest } = out;
      const via = c.via === undefined ? out.via : (c.via ?? undefined);
      const auth = c.auth === undefined ? out.auth : (c.auth ?? undefined);
      const cache = c.cache ?? out.cache;
      out = {
        ...rest,
        ...(via !== undefined ? { via } : {}),
        ...(auth !== undefined ? { auth } : {}),
        ...(cache !== undefined ? { cache } : {}),
      };
    }
    return out;
  });
  return { ...model, dependencies };
}
