import { describe, expect, it } from "vitest";
import type { PlanSummary } from "../../ports/runner.js";
import { summaryLine } from "./provision-output.js";

function summary(counts: Partial<PlanSummary["counts"]>, outputChanges: string[], hasChanges: boolean) {
  const none = { create: [], update: [], replace: [], delete: [], read: [], noop: [] };
  return {
    summary: {
      changes: none,
      counts: { create: 0, update: 0, replace: 0, delete: 0, read: 0, noop: 0, ...counts },
      outputChanges,
      hasChanges,
    },
  };
}

describe("summaryLine", () => {
  it("names only the non-zero counts, in create, update, replace, delete order", () => {
    expect(summaryLine(summary({ replace: 1, update: 1, noop: 4 }, ["url"], true))).toBe(
      "1 to update, 1 to replace",
    );
    expect(summaryLine(summary({ create: 2, delete: 3 }, [], true))).toBe("2 to create, 3 to delete");
  });

  it("says when only outputs change, and when nothing does", () => {
    expect(summaryLine(summary({}, ["url", "arn"], true))).toBe("only outputs change (url, arn)");
    expect(summaryLine(summary({ noop: 2 }, [], false))).toBe("no changes");
  });
});
