import { describe, expect, it } from "vitest";
import { allPages, type Page } from "./parameter-store.js";

describe("allPages", () => {
  it("follows NextToken until a page has none, items in page order", async () => {
    const pages: Record<string, Page<number>> = {
      start: { items: [1, 2], nextToken: "b" },
      b: { items: [], nextToken: "c" },
      c: { items: [3] },
    };
    const asked: Array<string | undefined> = [];
    const items = await allPages(async (token) => {
      asked.push(token);
      return pages[token ?? "start"]!;
    });
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, "b", "c"]);
  });
});
