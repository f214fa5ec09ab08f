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
