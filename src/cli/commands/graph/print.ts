/** Human output of `karma graph` reads: edges with their evidence, findings, walks, Gremlin results. */
import type { JsonValue } from "../../../core/estate/model.js";
import { describeFinding, findingFix } from "../../../core/graph/findings.js";
import type { Finding, GraphEdge } from "../../../core/graph/model.js";
import type { ReachedNode } from "../../../ports/graph-store.js";
import { formatTable, style } from "../../output.js";

/** One edge seen from a node: the node at its `other` end, its kind, form and lineage. */
export function edgeDetail(edge: GraphEdge, other: "from" | "to"): string {
  const e = edge.evidence;
  const lineage =
    e.producerKey !== undefined
      ? ` ${e.pointer || "/"} ← ${e.producerKey || "(runtime)"}`
      : ` ${e.pointer || "/"}`;
  const fingerprint = e.fingerprint ? ` ${style.dim(e.fingerprint)}` : "";
  return `${edge[other]}  ${edge.kind} (${e.form})${lineage}${fingerprint}`;
}

export function printFindings(findings: readonly Finding[]): void {
  if (findings.length === 0) {
    process.stdout.write("no findings\n");
    return;
  }
  for (const f of findings) {
    const label = f.severity === "error" ? style.red("error") : style.yellow("warning");
    process.stdout.write(`${label} ${f.kind}: ${describeFinding(f)}\n  fix: ${findingFix(f)}\n`);
  }
}

export function printReached(reached: readonly ReachedNode[], empty: string): void {
  if (reached.length === 0) {
    process.stdout.write(`${empty}\n`);
    return;
  }
  process.stdout.write(
    `${formatTable(
      ["DEPTH", "COMPONENT", "PATH"],
      reached.map((r) => [String(r.depth), r.id, r.path.join(" → ")]),
    )}\n`,
  );
}

/** Gremlin results as a table: maps become columns, anything else one `value` column. */
export function formatResults(results: readonly JsonValue[]): string {
  if (results.length === 0) return "(no results)";
  const cell = (v: JsonValue | undefined) =>
    v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  const isRecord = (v: JsonValue): v is Record<string, JsonValue> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (results.every(isRecord)) {
    const columns = [...new Set(results.flatMap((r) => Object.keys(r)))];
    return formatTable(
      columns,
      results.map((r) => columns.map((c) => cell(r[c]))),
    );
  }
  return formatTable(
    ["value"],
    results.map((r) => [cell(r)]),
  );
}
