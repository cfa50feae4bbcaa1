import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CaseResult, writeResults } from "./harness.js";

const result = (size: number, ms: number): CaseResult => ({
  suite: "graph",
  size,
  measurements: [{ name: "graph build", ms }],
  peakRssMb: 1,
});

const read = (file: string) =>
  JSON.parse(fs.readFileSync(file, "utf8")) as { results: (CaseResult & { date: string })[] };

describe("writeResults", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the sizes a run did not measure, with their own date, and replaces the ones it did", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-bench-results-"));
    dirs.push(dir);
    const file = writeResults(dir, "graph", [result(1000, 10), result(10000, 100)]);
    const first = read(file);
    // a file written before results carried a date: the document's date stands for theirs
    const legacy = { date: "2026-01-01T00:00:00.000Z", results: first.results.map(({ date: _, ...r }) => r) };
    fs.writeFileSync(file, JSON.stringify(legacy));

    writeResults(dir, "graph", [result(1000, 7)]);
    const second = read(file);
    expect(second.results.map((r) => [r.size, r.measurements[0]!.ms])).toEqual([
      [1000, 7],
      [10000, 100],
    ]);
    expect(second.results[1]!.date).toBe("2026-01-01T00:00:00.000Z");
    expect(second.results[0]!.date).not.toBe("2026-01-01T00:00:00.000Z");
  });
});
