import { describe, expect, it } from "vitest";
import { compareCodeUnits, sortSmall } from "./sort-small.js";

describe("sortSmall", () => {
  const byKey = (a: { k: number }, b: { k: number }) => a.k - b.k;

  it("sorts like Array.prototype.sort, keeping equal items in their order (stable)", () => {
    for (const length of [0, 1, 2, 3, 7, 16, 17, 40]) {
      const items = Array.from({ length }, (_, i) => ({ k: (i * 7) % 5, i }));
      expect(sortSmall([...items], byKey)).toEqual([...items].sort(byKey));
    }
  });

  it("sorts in place and returns the array", () => {
    const items = [3, 1, 2];
    expect(sortSmall(items, (a, b) => a - b)).toBe(items);
    expect(items).toEqual([1, 2, 3]);
  });

  it("orders strings by code unit, as sort() without a comparator does", () => {
    const words = ["b", "B", "a-b", "a", "a/b", "é", "Z", "a0"];
    expect(sortSmall([...words], compareCodeUnits)).toEqual([...words].sort());
  });
});
