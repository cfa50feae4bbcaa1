import { describe, expect, it } from "vitest";
import { batches, type Write } from "./write-batches.js";

const close = (id: string): Write => ({ kind: "closeVertex", id });
const vertex = (chars: number): Write => ({ kind: "vertex", row: new Map(), chars });

describe("write batches", () => {
  it("chains consecutive writes of a kind into one segment and cuts a batch at the row limit", () => {
    const writes = [vertex(1), vertex(1), close("a"), close("b"), close("c")];
    const cut = batches(writes, { rows: 4, chars: 1_000 });
    expect(cut.map((batch) => batch.map((s) => `${s.kind}×${s.writes.length}`))).toEqual([
      ["vertex×2", "closeVertex×2"],
      ["closeVertex×1"],
    ]);
  });

  it("cuts at the data limit too, but never sends an empty batch for one oversized row", () => {
    const cut = batches([vertex(600), vertex(600), vertex(5_000)], { rows: 100, chars: 1_000 });
    expect(cut.map((batch) => batch[0]!.writes.length)).toEqual([1, 1, 1]);
  });
});
