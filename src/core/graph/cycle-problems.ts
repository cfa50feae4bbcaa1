/**
 * Dependency cycles among an estate's configs as validation problems, so `karma validate` reports
 * them before anything is published. The cycles are the graph builder's own findings over the
 * working tree — the same answer `karma graph build` and `graph cycles` give.
 */
import type { Problem } from "../errors.js";
import type { Component } from "../estate/model.js";
import { buildGraph } from "./builder.js";
import { describeFinding, findingFix } from "./findings.js";
import { inputFromEstate } from "./inputs.js";

/** One problem per cycle, filed on the config of the cycle's first member. O(V + E). */
export function cycleProblems(components: readonly Component[]): Problem[] {
  const graph = buildGraph({
    source: { kind: "working-tree" },
    components: inputFromEstate(components),
    runtimes: [],
  });
  const byId = new Map(components.map((c) => [c.id, c]));
  const problems: Problem[] = [];
  for (const finding of graph.findings) {
    if (finding.kind !== "cycle") continue;
    const first = byId.get(finding.path[0] ?? "");
    problems.push({
      code: "ref.cycle",
      ...(first ? { file: first.file, component: first.id } : {}),
      message: describeFinding(finding),
      fix: findingFix(finding),
      severity: "error",
    });
  }
  return problems;
}
