/**
 * Mermaid flowchart export. Node ids are positional (`n0`, `n1`, … in id order) because Karma ids
 * contain `:` and `/`; the readable id is the label. Labels are quoted and Mermaid's entity
 * escapes (`#quot;`, `#35;`, `#lt;`, `#gt;`) keep quotes, `#` and angle brackets literal.
 */
import type { Graph } from "../model.js";
import { drawableEdges, edgeLabel, groupByEnv, nodeLabel } from "./labels.js";

export function mermaidText(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\|/g, "#124;")
    .replace(/\r?\n/g, " ");
}

const NODE_SHAPE = {
  component: (label: string) => `["${label}"]`,
  external: (label: string) => `[("${label}")]`,
  "runtime-only": (label: string) => `(["${label}"])`,
} as const;

export function toMermaid(graph: Pick<Graph, "nodes" | "edges">): string {
  const key = new Map(graph.nodes.map((node, i) => [node.id, `n${i}`]));
  const lines = ["flowchart LR"];
  let group = 0;
  for (const [env, nodes] of groupByEnv(graph.nodes)) {
    lines.push(`  subgraph env${group++}["${mermaidText(env)}"]`);
    for (const node of nodes)
      lines.push(`    ${key.get(node.id)}${NODE_SHAPE[node.kind](mermaidText(nodeLabel(node)))}`);
    lines.push("  end");
  }
  for (const edge of drawableEdges(graph.edges)) {
    const from = key.get(edge.from);
    const to = key.get(edge.to);
    if (from === undefined || to === undefined) continue;
    const arrow = edge.kind === "depends_on" ? "-->" : "-.->";
    const label = edge.kind === "depends_on" ? "" : `|"${mermaidText(edgeLabel(edge))}"|`;
    lines.push(`  ${from} ${arrow}${label} ${to}`);
  }
  return `${lines.join("\n")}\n`;
}
