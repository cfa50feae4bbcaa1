import { describe, expect, it } from "vitest";
import { comparePointers } from "./pointer.js";

/** The definition: token by token, indices numerically, a parent before its children. */
function byTokens(a: string, b: string): number {
  if (a === b) return 0;
  const ta = a.split("/");
  const tb = b.split("/");
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y) || (x < y ? -1 : 1);
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

describe("comparePointers", () => {
  it("orders token by token, indices numerically, parents first", () => {
    const sorted = ["/b", "/a/10", "", "/a/2", "/a", "/ab", "/a/b/c", "/a/b", "/a/02", "/a~1b", "/a-"].sort(
      comparePointers,
    );
    expect(sorted).toEqual([
      "",
      "/a",
      "/a/02",
      "/a/2",
      "/a/10",
      "/a/b",
      "/a/b/c",
      "/a-",
      "/ab",
      "/a~1b",
      "/b",
    ]);
  });

  it("agrees in sign with the token-by-token definition on every pair", () => {
    const tokens = ["", "a", "ab", "b", "0", "1", "2", "10", "01", "a-b", "~1"];
    const pointers = [""];
    for (const x of tokens) {
      pointers.push(`/${x}`);
      for (const y of tokens) pointers.push(`/${x}/${y}`, `/${x}/${y}/0`);
    }
    for (const a of pointers)
      for (const b of pointers) expect(Math.sign(comparePointers(a, b))).toBe(Math.sign(byTokens(a, b)));
  });
});
