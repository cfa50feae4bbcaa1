/**
 * GraphML export (yEd, Gephi, NetworkX, Cytoscape): node and edge attributes declared as `<key>`s;
 * every text and attribute value XML-escaped; characters XML 1.0 forbids are dropped.
 */
import type { Graph, GraphEdge, GraphNode } from "../model.js";

export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

type NodeKeys = "kind" | "env" | "type" | "nickname" | "configVersion" | "runtimeVersion";
const NODE_KEYS: ReadonlyArray<[NodeKeys, "string" | "int"]> = [
  ["kind", "string"],
  ["env", "string"],
  ["type", "string"],
  ["nickname", "string"],
  ["configVersion", "int"],
  ["runtimeVersion", "int"],
];
const EDGE_KEYS: ReadonlyArray<[string, "string" | "int", (e: GraphEdge) => string | number | undefined]> = [
  ["edgeKind", "string", (e) => e.kind],
  ["form", "string", (e) => e.evidence.form],
  ["pointer", "string", (e) => e.evidence.pointer],
  ["producerKey", "string", (e) => e.evidence.producerKey],
  ["fingerprint", "string", (e) => e.evidence.fingerprint],
  ["edgeConfigVersion", "int", (e) => e.configVersion],
];

function data(key: string, value: string | number | undefined): string {
  return value === undefined ? "" : `<data key="${key}">${xmlEscape(String(value))}</data>`;
}

export function toGraphml(graph: Pick<Graph, "nodes" | "edges">): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const [name, type] of NODE_KEYS) {
    lines.push(`  <key id="${name}" for="node" attr.name="${name}" attr.type="${type}"/>`);
  }
  for (const [name, type] of EDGE_KEYS) {
    lines.push(`  <key id="${name}" for="edge" attr.name="${name}" attr.type="${type}"/>`);
  }
  lines.push('  <graph id="karma" edgedefault="directed">');
  for (const node of graph.nodes) {
    const fields = NODE_KEYS.map(([name]) => data(name, (node as GraphNode)[name])).join("");
    lines.push(`    <node id="${xmlEscape(node.id)}">${fields}</node>`);
  }
  graph.edges.forEach((edge, i) => {
    const fields = EDGE_KEYS.map(([name, , get]) => data(name, get(edge))).join("");
    lines.push(
      `    <edge id="e${i}" source="${xmlEscape(edge.from)}" target="${xmlEscape(edge.to)}">${fields}</edge>`,
    );
  });
  lines.push("  </graph>", "</graphml>");
  return `${lines.join("\n")}\n`;
}
