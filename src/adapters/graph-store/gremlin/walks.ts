/**
 * Transitive questions over one ready version v: the reached region's links come from one
 * traversal on the server, and depths, shortest paths and waves are derived from them with the same
 * core code as the SQLite store.
 */
import gremlin from "gremlin";
import { adjacencyFromPairs } from "../../../core/graph/adjacency.js";
import { DEPENDENCY_EDGE_KINDS } from "../../../core/graph/model.js";
import { shortestPath as shortestPathIn } from "../../../core/graph/shortest-path.js";
import { walkLinks } from "../../../core/graph/walk.js";
import { deployWaves, type Waves } from "../../../core/graph/waves.js";
import type { ReachedNode } from "../../../ports/graph-store.js";
import { LABEL } from "./model.js";
import { type GraphTraversal, linkOf, type StoreContext, valid } from "./store-context.js";

const { scope } = gremlin.process;
const __ = gremlin.process.statics;

const DEPENDENCY_LABELS = [...DEPENDENCY_EDGE_KINDS];

export type WalkDirection = "dependencies" | "dependents";

/**
 * One traversal: from the starts, repeat along valid dependency edges (dedup: each node expanded
 * once) and return the links around the reached region as edge keys, folded into a single result
 * (one response frame instead of one per 64 links). Unbounded, the links are gathered during the
 * walk itself (every valid edge of an expanded node, into a side effect): one pass over the
 * region. A depth bound needs a breadth-first walk (a barrier per hop, so that every node is seen
 * at its shortest distance) and then the links of the region's nodes.
 */
async function regionLinks(
  ctx: StoreContext,
  starts: readonly string[],
  direction: WalkDirection,
  v: number,
  depth: number | undefined,
): Promise<[string, string][]> {
  const g = await ctx.g();
  const step = direction === "dependencies" ? "outE" : "inE";
  const far = direction === "dependencies" ? "inV" : "outV";
  const edges = () => valid(__[step](...DEPENDENCY_LABELS), v);
  const from = g.V(...starts.map((s) => ctx.id.node(s)));
  let links: GraphTraversal;
  if (depth === undefined)
    links = from
      .repeat(edges().aggregate(scope.local, "links")[far]().dedup())
      .cap("links")
      .unfold()
      // a start reached from another start is expanded twice
      .dedup();
  else {
    const region =
      depth > 1
        ? from
            .emit()
            .repeat(edges()[far]().barrier().dedup())
            .times(depth - 1)
        : from;
    links = valid(region.dedup()[step](...DEPENDENCY_LABELS), v);
  }
  const [keys] = await ctx.run<string[]>(links.values("key").fold());
  return (keys ?? []).map(linkOf);
}

/** The nodes reached from `ids` (dependencies or dependents), with their depths. */
export async function walk(
  ctx: StoreContext,
  ids: readonly string[],
  direction: WalkDirection,
  v: number,
  depth: number | undefined,
): Promise<ReachedNode[]> {
  if (ids.length === 0 || (depth !== undefined && depth <= 0)) return [];
  const starts = [...new Set(ids)];
  const links = await regionLinks(ctx, starts, direction, v, depth);
  return walkLinks(links, starts, direction, depth);
}

export async function shortestPath(
  ctx: StoreContext,
  from: string,
  to: string,
  v: number,
): Promise<string[] | undefined> {
  const links = await regionLinks(ctx, [from], "dependencies", v, undefined);
  return shortestPathIn(adjacencyFromPairs(links, [from, to]), from, to, "dependencies");
}

/** Deploy waves of the whole graph, or of `ids` (ordered through their dependency closure). */
export async function waves(
  ctx: StoreContext,
  ids: readonly string[] | undefined,
  v: number,
): Promise<Waves> {
  if (ids === undefined) {
    const g = await ctx.g();
    const [members, links] = await Promise.all([
      ctx.run<string>(valid(g.V().hasLabel(LABEL.state).has("ns", ctx.ns), v).values("node")),
      ctx.run<string[]>(
        valid(
          g
            .E()
            .hasLabel(...DEPENDENCY_LABELS)
            .has("ns", ctx.ns),
          v,
        )
          .values("key")
          .fold(),
      ),
    ]);
    return deployWaves(adjacencyFromPairs((links[0] ?? []).map(linkOf), members));
  }
  // the members' dependency closure, so order through nodes outside the set is honoured
  const links = await regionLinks(ctx, ids, "dependencies", v, undefined);
  return deployWaves(adjacencyFromPairs(links, ids), ids);
}
