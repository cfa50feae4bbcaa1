/**
 * Where the planner's dependency edges come from: a build of the working tree over the stores'
 * runtimes (so value inference finds pasted copies), or the latest stored graph version.
 */
import type { Problem } from "../../core/errors.js";
import { type BuildComponentInput, type BuildRuntimeInput, buildGraph } from "../../core/graph/builder.js";
import { graphInputHash } from "../../core/graph/input-hash.js";
import { inputFromStore } from "../../core/graph/inputs.js";
import type { GraphEdge } from "../../core/graph/model.js";
import type { TypeIndex } from "../../core/references/extract.js";
import type { GraphStore, GraphVersionInfo } from "../../ports/graph-store.js";
import { readEnvironmentTrees } from "../environment-trees.js";
import type { Session } from "../session.js";
import type { ChangeInputs } from "./change.js";
import type { Intent } from "./intents.js";

/** Runtimes for value inference; a plan still works without them (warning). */
export async function tryRuntimes(
  session: Session,
  types: TypeIndex,
  problems: Problem[],
): Promise<BuildRuntimeInput[]> {
  try {
    const trees = await readEnvironmentTrees(session);
    return trees.flatMap((t) => inputFromStore(t.env, t.prefix, t.parameters, t.external, types).runtimes);
  } catch (error) {
    problems.push({
      code: "plan.store-unreadable",
      message: `could not read runtimes from the stores: ${(error as Error).message}`,
      fix: "check the store settings in karma.json; the plan uses declared references only",
      severity: "warning",
    });
    return [];
  }
}

/**
 * The graph of the working tree over the stores' runtimes. Known from the content hash of its
 * inputs: when the what-if area holds a version built from the same inputs, that version is the
 * answer (read, not rebuilt); otherwise it is built and stored there for the next plan (unless
 * `keep` is false: a proposed change's tree is seen once). The cache never decides the answer —
 * a miss, or a store that cannot be written, only costs a build.
 */
export function workingTreeGraph(
  session: Session,
  components: readonly BuildComponentInput[],
  runtimes: readonly BuildRuntimeInput[],
  options: KeptGraphOptions = {},
): Promise<ChangeInputs["graph"]> {
  return keptOrBuiltGraph(
    session,
    graphInputHash({ components, runtimes }),
    () => ({ components, runtimes }),
    options,
  );
}

export interface KeptGraphOptions {
  /** False: a built graph is not kept (a proposed change's tree is seen once). */
  keep?: boolean;
  /**
   * The components the change starts from (every reason's id). Given, a kept version is read
   * only for the region they reach — them, their dependents and those nodes' outgoing edges,
   * all the planner's walk, waves and consumed keys look at — instead of every edge.
   */
  starts?: readonly string[];
}

/**
 * `workingTreeGraph` for a caller that has a content key of the input cheaper than hashing it
 * (`publishedGraphKey`; equal keys must mean equal input): the input is made only when no kept
 * version has the key.
 */
export async function keptOrBuiltGraph(
  session: Session,
  inputs: string,
  input: () => { components: readonly BuildComponentInput[]; runtimes: readonly BuildRuntimeInput[] },
  options: KeptGraphOptions = {},
): Promise<ChangeInputs["graph"]> {
  const store = await session.graph({ whatIf: true }).catch(() => undefined);
  const stored = (await store?.listVersions().catch(() => undefined))?.findLast(
    (v) => v.source.inputs === inputs,
  );
  if (store && stored && options.starts !== undefined) {
    const region = await keptRegion(store, stored, options.starts);
    if (region) return { source: { kind: "working-tree" }, ...region };
  }
  if (store && stored) {
    // ids and edges only: node documents and findings are not the planner's business
    const [nodes, edges] = await Promise.all([
      store.nodeIds({ version: stored.version }),
      store.readEdges({ version: stored.version }),
    ]);
    return { source: { kind: "working-tree" }, edges, nodes };
  }
  const graph = buildGraph({ source: { kind: "working-tree", inputs }, ...input() });
  // a read-only state directory must not fail the plan: the graph is only not kept
  if (store && options.keep !== false)
    await store.writeVersion(graph, { actor: session.actor }).catch(() => undefined);
  return { source: { kind: "working-tree" }, edges: graph.edges, nodes: graph.nodes.map((n) => n.id) };
}

/**
 * The region of `version` that `starts` reach: the starts, their transitive dependents (the
 * store's walk follows the dependency kinds the planner's does) and every edge leaving those
 * nodes. Undefined when the region is a large part of the graph: one query per node then costs
 * more than reading every edge at once.
 */
async function keptRegion(
  store: GraphStore,
  version: GraphVersionInfo,
  starts: readonly string[],
): Promise<{ edges: GraphEdge[]; nodes: string[] } | undefined> {
  const limit = Math.max(REGION_MIN, version.nodeCount / REGION_SHARE);
  const from = [...new Set(starts)].sort();
  if (from.length > limit) return undefined;
  const reached = from.length ? await store.dependents(from, { version: version.version }) : [];
  const nodes = [...new Set([...from, ...reached.map((r) => r.id)])].sort();
  if (nodes.length > limit) return undefined;
  const edges: GraphEdge[] = [];
  for (const id of nodes) edges.push(...(await store.edgesOf(id, { version: version.version })).outgoing);
  return { edges, nodes };
}

/**
 * A region of more than REGION_MIN nodes and 1 / REGION_SHARE of the graph's nodes is read with
 * every edge instead (at 10k nodes one bulk read costs ~10 µs a node, a query per node ~10×).
 */
const REGION_SHARE = 10;
const REGION_MIN = 64;

export function removedInput(intent: Intent): BuildComponentInput {
  // a removed component stays a node so its consumers' edges (and the policy on them) survive
  return { env: intent.env, type: intent.type, nickname: intent.nickname, config: {}, references: [] };
}

/** The session's graph store with its latest version; undefined when no graph was built. */
export async function storedGraph(
  session: Session,
): Promise<{ store: GraphStore; version: number } | undefined> {
  const store = await session.builtGraph();
  const latest = await store?.latestVersion().catch(() => undefined);
  return store && latest ? { store, version: latest.version } : undefined;
}
