/**
 * Reading one ready version v (resolved by the caller): each question is one traversal over the
 * elements valid in v (`since ≤ v < until`), answering the stored `data` JSON, parsed and sorted
 * here as the SQLite store sorts it.
 */
import {
  compareEdges,
  compareFindings,
  type Finding,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type GraphSource,
} from "../../../core/graph/model.js";
import type { NodeEdges } from "../../../ports/graph-store.js";
import { EDGE_LABELS, LABEL } from "./model.js";
import { type StoreContext, valid } from "./store-context.js";

function sortById(nodes: GraphNode[]): GraphNode[] {
  return nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const parseEdges = (rows: string[]) => rows.map((d) => JSON.parse(d) as GraphEdge).sort(compareEdges);

export async function readGraph(ctx: StoreContext, v: number): Promise<Graph & { version: number }> {
  const g = await ctx.g();
  const [source, nodes, edges, findings] = await Promise.all([
    ctx.run<string>(g.V(ctx.id.version(v)).values("source")),
    ctx.run<string>(valid(g.V().hasLabel(LABEL.state).has("ns", ctx.ns), v).values("data")),
    ctx.run<string>(
      valid(
        g
          .E()
          .hasLabel(...EDGE_LABELS)
          .has("ns", ctx.ns),
        v,
      ).values("data"),
    ),
    ctx.run<string>(valid(g.V().hasLabel(LABEL.finding).has("ns", ctx.ns), v).values("data")),
  ]);
  return {
    version: v,
    source: JSON.parse(source[0]!) as GraphSource,
    nodes: sortById(nodes.map((d) => JSON.parse(d) as GraphNode)),
    edges: parseEdges(edges),
    findings: findings.map((d) => JSON.parse(d) as Finding).sort(compareFindings),
  };
}

/** The edges of the given kinds (all kinds when none are given). */
export async function readEdges(
  ctx: StoreContext,
  v: number,
  kinds: readonly string[] | undefined,
): Promise<GraphEdge[]> {
  // an empty kind list matches nothing (hasLabel() with no labels would be invalid)
  if (kinds?.length === 0) return [];
  const g = await ctx.g();
  const rows = await ctx.run<string>(
    valid(
      g
        .E()
        .hasLabel(...(kinds ?? EDGE_LABELS))
        .has("ns", ctx.ns),
      v,
    ).values("data"),
  );
  return parseEdges(rows);
}

export async function nodeIds(ctx: StoreContext, v: number): Promise<string[]> {
  const g = await ctx.g();
  // a node's id is a property of its state vertex: no node document is read or parsed
  const ids = await ctx.run<string>(valid(g.V().hasLabel(LABEL.state).has("ns", ctx.ns), v).values("node"));
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function getNode(ctx: StoreContext, id: string, v: number): Promise<GraphNode | undefined> {
  const g = await ctx.g();
  const [data] = await ctx.run<string>(valid(g.V(ctx.id.node(id)).out(LABEL.hasState), v).values("data"));
  return data === undefined ? undefined : (JSON.parse(data) as GraphNode);
}

export async function edgesOf(ctx: StoreContext, id: string, v: number): Promise<NodeEdges> {
  const g = await ctx.g();
  const read = (direction: "outE" | "inE") =>
    ctx
      .run<string>(valid(g.V(ctx.id.node(id))[direction](...EDGE_LABELS), v).values("data"))
      .then(parseEdges);
  const [outgoing, incoming] = await Promise.all([read("outE"), read("inE")]);
  return { outgoing, incoming };
}

export async function findings(ctx: StoreContext, v: number): Promise<Finding[]> {
  const g = await ctx.g();
  const rows = await ctx.run<string>(
    valid(g.V().hasLabel(LABEL.finding).has("ns", ctx.ns), v).values("data"),
  );
  return rows.map((d) => JSON.parse(d) as Finding).sort(compareFindings);
}
