/**
 * Graph exports: JSON (the graph model itself), DOT, Mermaid and GraphML. All are deterministic
 * (inputs are sorted graphs) and carry no secret values — the graph holds only fingerprints.
 */
import type { Graph } from "../model.js";
import { toDot } from "./dot.js";
import type { ExportFormat } from "./formats.js";
import { toGraphml } from "./graphml.js";
import { toMermaid } from "./mermaid.js";

export { EXPORT_FORMATS, type ExportFormat, isExportFormat } from "./formats.js";

/** The part of `graph` between the nodes in `ids`: those nodes, edges among them, findings about them. */
export function subgraph(graph: Graph, ids: Iterable<string>): Graph {
  const keep = new Set(ids);
  return {
    source: graph.source,
    nodes: graph.nodes.filter((n) => keep.has(n.id)),
    edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
    findings: graph.findings.filter((f) =>
      f.kind === "cycle"
        ? f.members.some((m) => keep.has(m))
        : keep.has(f.kind === "orphan" ? f.node : f.from),
    ),
  };
}

export function exportGraph(graph: Graph & { version?: number }, format: ExportFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify({ format: "karma-graph", formatVersion: 1, ...graph }, null, 2)}\n`;
    case "dot":
      return toDot(graph);
    case "mermaid":
      return toMermaid(graph);
    case "graphml":
      return toGraphml(graph);
  }
}
