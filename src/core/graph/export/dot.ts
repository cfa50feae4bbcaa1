/**
 * Graphviz DOT export: one cluster per environment, components as boxes, externals as
 * cylinders, runtime-only nodes dotted; `depends_on` solid, `inferred` dashed, `consumes` dotted
 * with the key lineage as label. Render with `dot -Tsvg`.
 */
import type { Graph } from "../model.js";
import { drawableEdges, edgeLabel, groupByEnv, nodeLabel } from "./labels.js";

/** A DOT double-quoted string: backslash, quote and line breaks escaped. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

const NODE_STYLE = {
  component: "shape=box",
  external: "shape=cylinder, style=dashed",
  "runtime-only": 'shape=box, style=dotted, color="gray40"',
} as const;

const EDGE_STYLE = {
  depends_on: "style=solid",
  inferred: "style=dashed",
  consumes: 'style=dotted, color="gray40"',
} as const;

export function toDot(graph: Pick<Graph, "nodes" | "edges">): string {
  const lines = [
    "digraph karma {",
    "  rankdir=LR;",
    '  node [fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  let cluster = 0;
  for (const [env, nodes] of groupByEnv(graph.nodes)) {
    lines.push(`  subgraph cluster_${cluster++} {`, `    label=${dotString(env)};`);
    for (const node of nodes) {
      lines.push(
        `    ${dotString(node.id)} [label=${dotString(nodeLabel(node))}, ${NODE_STYLE[node.kind]}];`,
      );
    }
    lines.push("  }");
  }
  for (const edge of drawableEdges(graph.edges)) {
    const label = edge.kind === "depends_on" ? "" : `label=${dotString(edgeLabel(edge))}, `;
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)} [${label}${EDGE_STYLE[edge.kind]}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
