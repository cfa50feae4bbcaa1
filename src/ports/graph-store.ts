/**
 * The graph store port: versioned, atomically written dependency graphs with neighbourhood and
 * transitive queries. Implementations: SQLite, embedded (recursive CTEs, same database file as
 * the parameter store), and Gremlin (Amazon Neptune, TinkerPop servers; validity intervals).
 *
 * Every implementation must pass `graphStoreContract` in `adapters/graph-store/contract.ts`.
 *
 * Versions: each `writeVersion` creates the next version number. A version is `building` until its
 * last node, edge and finding is stored, then `ready`; every read sees ready versions only, so a
 * crashed or concurrent build is never observed half-written. Reads default to the latest ready
 * version.
 */
import { NotFoundError } from "../core/errors.js";
import type { JsonValue } from "../core/estate/model.js";
import type { GraphDiff } from "../core/graph/diff.js";
import type { EdgeKind, Finding, Graph, GraphEdge, GraphNode, GraphSource } from "../core/graph/model.js";
import type { Waves } from "../core/graph/waves.js";
import type { GremlinStep } from "../core/gremlin/parse.js";

export interface GraphVersionInfo {
  version: number;
  /** ISO timestamp of when the version became ready. */
  createdAt: string;
  source: GraphSource;
  /** Who or what built it (`user@host`, `api`). */
  actor?: string;
  nodeCount: number;
  edgeCount: number;
  findingCount: number;
}

export interface VersionOption {
  /** Graph version to read; default the latest ready one. */
  version?: number;
}

export interface WalkOptions extends VersionOption {
  /** Maximum number of edges from a start node; undefined = unbounded. */
  depth?: number;
}

export interface ReachedNode {
  id: string;
  /** Edges from the nearest start (≥ 1). */
  depth: number;
  /** Shortest path from a start to this node, both ends included: [start, …, id]. */
  path: string[];
}

export interface NodeEdges {
  /** Edges where the node is the consumer (its dependencies), sorted. */
  outgoing: GraphEdge[];
  /** Edges where the node is the producer (its dependents), sorted. */
  incoming: GraphEdge[];
}

export interface EdgeQuery extends VersionOption {
  /** Only edges of these kinds; default every kind. */
  kinds?: readonly EdgeKind[];
}

export interface GraphStore {
  /** For humans, e.g. "sqlite .karma/karma.db". */
  readonly description: string;

  /** Stores `graph` as the next version, atomically. */
  writeVersion(graph: Graph, meta?: { actor?: string }): Promise<GraphVersionInfo>;
  /** Ready versions, oldest first. */
  listVersions(): Promise<GraphVersionInfo[]>;
  /** The latest ready version, or undefined when none was ever built. */
  latestVersion(): Promise<GraphVersionInfo | undefined>;
  /** A whole version (nodes, edges and findings, sorted as built). */
  readGraph(options?: VersionOption): Promise<Graph & { version: number }>;

  /**
   * The edges of a version (of `kinds`, default all), sorted as built: what a caller needing only
   * the edges reads instead of the whole version (no node or finding documents parsed).
   */
  readEdges(options?: EdgeQuery): Promise<GraphEdge[]>;
  /** The node ids of a version, sorted (no node documents parsed). */
  nodeIds(options?: VersionOption): Promise<string[]>;

  getNode(id: string, options?: VersionOption): Promise<GraphNode | undefined>;
  edgesOf(id: string, options?: VersionOption): Promise<NodeEdges>;
  /** What `ids` depend on, transitively (bounded by `depth`); starts excluded; sorted by depth, id. */
  dependencies(ids: readonly string[], options?: WalkOptions): Promise<ReachedNode[]>;
  /** What depends on `ids` (blast radius), transitively; starts excluded; sorted by depth, id. */
  dependents(ids: readonly string[], options?: WalkOptions): Promise<ReachedNode[]>;
  /** Shortest path following dependencies from `from` to `to`: [from, …, to], or undefined. */
  shortestPath(from: string, to: string, options?: VersionOption): Promise<string[] | undefined>;
  /** Deploy waves of `ids` (default every node), dependencies first; cyclic ones blocked. */
  waves(ids?: readonly string[], options?: VersionOption): Promise<Waves>;
  /** Cycle findings of a version. */
  cycles(options?: VersionOption): Promise<Extract<Finding, { kind: "cycle" }>[]>;
  /** Every finding of a version, sorted. */
  findings(options?: VersionOption): Promise<Finding[]>;
  /** What changed from version `from` to version `to`. */
  diff(from: number, to: number): Promise<GraphDiff>;

  /**
   * Runs a parsed Gremlin traversal and returns its results as JSON. Only stores that speak Gremlin
   * have it; callers check `mutatingSteps` first (see operations/graph-query.ts).
   */
  gremlin?(steps: readonly GremlinStep[]): Promise<JsonValue[]>;

  close(): Promise<void>;
}

/** Raised when a requested version does not exist (or none was built yet). */
export class GraphVersionNotFoundError extends NotFoundError {
  override name = "GraphVersionNotFoundError";
  constructor(readonly version: number | undefined) {
    super(
      version === undefined ? "No graph has been built yet." : `Graph version ${version} does not exist.`,
      version === undefined ? "Run `karma graph build`." : "List the versions with `karma graph versions`.",
    );
  }
}
