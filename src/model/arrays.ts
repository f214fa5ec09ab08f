/**
 * @module model/arrays
 * Array functions that stay correct for any length. NOTE: `list.push(...items)` and
 * `Math.max(...xs)` pass every item as an argument and overflow the stack beyond about a
 * hundred thousand items (100k faults, diagnostics or findings): use these instead wherever a
 * list grows with the model.
 */

/** Appends every item of `items` to `list`. */
export function appendAll<T>(list: T[], items: Iterable<T>): void {
  for (const item of items) list.push(item);
}

/** The largest of `xs`, or `empty` for none. */
export function maxOf(xs: Iterable<number>, empty = Number.NEGATIVE_INFINITY): number {
  let max = empty;
  let first = true;
  for (const x of xs) {
    if (first || x > max) max = x;
    first = false;
  }
  return max;
}

/**
 * `list` sorted in place by `compare`, which is called only to find it already in order when it
 * is: models are mostly written sorted, and `sort` allocates a work array on every call, which
 * the normalized model makes for each of a hundred thousand components.
 */
export function sortInPlace<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < list.length; i++)
    if (compare(list[i - 1] as T, list[i] as T) > 0) return list.sort(compare);
  return list;
}

/** The order of `Array.prototype.sort` without a comparison, for strings. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Inserts `x` into `list`, kept in ascending order (the engine's lists of held components). */
export function insertSorted(list: number[], x: number): void {
  let k = list.length;
  while (k > 0 && (list[k - 1] as number) > x) k--;
  list.splice(k, 0, x);
}

/** Removes `x` from `list`, if it is there. */
export function removeFrom(list: number[], x: number): void {
  const k = list.indexOf(x);
  if (k >= 0) list.splice(k, 1);
}
