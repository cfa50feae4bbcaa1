/**
 * Sorting the many tiny arrays of a graph build (each component's references, each node's edges
 * and runtime keys): `Array.prototype.sort` allocates its work state on every call, which at 10k
 * components was a fifth of the build's garbage, while most of these arrays hold one to three
 * items, usually in order already.
 */

/** Arrays up to this length are insertion-sorted (no allocation, n-1 comparisons when sorted). */
const SMALL = 16;

/**
 * Sorts `array` in place like `array.sort(compare)`: stable, so the result is the same element
 * for element. Returns `array`.
 */
export function sortSmall<T>(array: T[], compare: (a: T, b: T) => number): T[] {
  if (array.length > SMALL) return array.sort(compare);
  for (let i = 1; i < array.length; i++) {
    const item = array[i]!;
    let j = i - 1;
    // strictly greater moves: equal items keep their order (stable)
    while (j >= 0 && compare(array[j]!, item) > 0) {
      array[j + 1] = array[j]!;
      j--;
    }
    array[j + 1] = item;
  }
  return array;
}

/** UTF-16 code unit order, the order of `sort()` without a comparator on strings. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
