/**
 * @module scenario/apply
 * Applies a scenario's what-if changes to a model, for one run. Pure; the changes were checked
 * against the model when the scenario was loaded.
 *
 * A change without `at` holds for the whole run: `applyChanges` returns the model with it. A
 * change with `at` makes a new version of the dependency from that time: `planChanges` returns
 * every version of each changed dependency as a dependency of its own, with the window in which
 * it is in use, and the switches the engine makes at each change's time (the old version's call
 * stops, the new one's starts).
 */
import type { Dependency, Model } from "../model/types.js";
import type { ModelChange } from "./types.js";

/** The model with the changes that hold for the whole run (those without `at`). */
export function applyChanges(model: Model, changes: readonly ModelChange[]): Model {
  return planChanges(
    model,
    changes.filter((c) => c.at === undefined),
  ).model;
}

/** When a version of a changed dependency is in use: from `from` until `until`. */
export interface DependencyWindow {
  readonly from: number;
  readonly until: number;
}

/** What a timed change does when it takes effect: the version it ends, the one it begins. */
export interface ChangeSwitch {
  readonly change: ModelChange;
  /** Its position in the scenario's `changes`. */
  readonly index: number;
  readonly at: number;
  readonly ends?: Dependency;
  readonly begins?: Dependency;
}

export interface ChangePlan {
  /** The model with every version of every dependency (in the order of the model's). */
  readonly model: Model;
  /** The versions not in use for the whole run, and when each is. */
  readonly windows: ReadonlyMap<Dependency, DependencyWindow>;
  /** The timed changes in the order they take effect. */
  readonly switches: readonly ChangeSwitch[];
}

/**
 * The changes in the order they apply: those for the whole run in the order of the file, then
 * the timed ones by time (in the order of the file at a tie).
 */
export function orderedChanges(
  changes: readonly ModelChange[],
): { readonly change: ModelChange; readonly index: number }[] {
  return changes
    .map((change, index) => ({ change, index }))
    .sort(
      (a, b) =>
        (a.change.at ?? Number.NEGATIVE_INFINITY) - (b.change.at ?? Number.NEGATIVE_INFINITY) ||
        a.index - b.index,
    );
}

export function planChanges(model: Model, changes: readonly ModelChange[]): ChangePlan {
  if (changes.length === 0) return { model, windows: new Map(), switches: [] };
  const ordered = orderedChanges(changes);
  const windows = new Map<Dependency, DependencyWindow>();
  const switches: ChangeSwitch[] = [];
  const dependencies: Dependency[] = [];
  for (const d of model.dependencies) {
    const mine = ordered.filter(({ change: c }) => c.from === d.from && c.to === d.to);
    if (mine.length === 0) {
      dependencies.push(d);
      continue;
    }
    // The version in use now, whether the call is made, and since when.
    let dep = d;
    let made = true;
    let since = 0;
    const versions: { dep: Dependency; from: number; until: number }[] = [];
    for (const { change: c, index } of mine) {
      const next = withOptions(dep, c);
      const makes: boolean = c.disable === undefined ? made : !c.disable;
      if (c.at === undefined) {
        dep = next;
        made = makes;
        continue;
      }
      const ends = made ? dep : undefined;
      if (ends !== undefined) versions.push({ dep, from: since, until: c.at });
      // Each version is a dependency of its own, even when only `disable` changed.
      dep = { ...next };
      made = makes;
      since = c.at;
      switches.push({
        change: c,
        index,
        at: c.at,
        ...(ends !== undefined ? { ends } : {}),
        ...(made ? { begins: dep } : {}),
      });
    }
    if (made) versions.push({ dep, from: since, until: Number.POSITIVE_INFINITY });
    for (const v of versions) {
      dependencies.push(v.dep);
      if (v.from > 0 || v.until < Number.POSITIVE_INFINITY)
        windows.set(v.dep, { from: v.from, until: v.until });
    }
  }
  switches.sort((a, b) => a.at - b.at || a.index - b.index);
  return { model: { ...model, dependencies }, windows, switches };
}

/** Dependency d with the options change c gives (a cache, a record, an identity). */
function withOptions(d: Dependency, c: ModelChange): Dependency {
  if (c.via === undefined && c.auth === undefined && c.cache === undefined) return d;
  const { via: _via, auth: _auth, cache: _cache, ...rest } = d;
  const via = c.via === undefined ? d.via : (c.via ?? undefined);
  const auth = c.auth === undefined ? d.auth : (c.auth ?? undefined);
  const cache = c.cache ?? d.cache;
  return {
    ...rest,
    ...(via !== undefined ? { via } : {}),
    ...(auth !== undefined ? { auth } : {}),
    ...(cache !== undefined ? { cache } : {}),
  };
}
