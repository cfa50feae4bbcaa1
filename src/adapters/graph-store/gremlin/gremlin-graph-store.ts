/**
 * The graph store on a Gremlin server (Amazon Neptune, TinkerPop Gremlin Server): versions as
 * validity intervals (see model.ts), written incrementally in batches, read with one traversal per
 * question. Neptune-portable by construction: string ids, `single` cardinality on every property
 * update, bytecode only, no lambdas (checked by GremlinConnection before anything is sent).
 *
 * Building version v:
 *   1. begin: make sure no other build is running, roll back the leftovers of a dead one, take v
 *      (a new graphVersion vertex whose id cannot be taken twice) — begin-version.ts;
 *   2. compare the graph's bucket digests with those the latest version recorded (summary.ts) and
 *      read back only the open elements of the buckets that differ (all of them when the latest
 *      version has no summary) — plan-writes.ts;
 *   3. send only the differences, as row lists unfolded into mergeV/mergeE, several kinds chained
 *      per traversal (write-batches.ts): one round trip per ~1000 rows — send-writes.ts;
 *   4. mark v ready, record its summary and move the head's `latest` to v in one traversal — the
 *      only point where readers start to see v (versions.ts).
 *
 * Reads resolve a ready version (versions.ts), then ask one traversal (reads.ts); transitive
 * queries fetch the reached region's links in one traversal and derive depths, shortest paths and
 * waves with the same core code as the SQLite store (walks.ts).
 */
import type { JsonValue } from "../../../core/estate/model.js";
import { diffGraphs, type GraphDiff } from "../../../core/graph/diff.js";
import type { Finding, Graph, GraphEdge, GraphNode } from "../../../core/graph/model.js";
import type { Waves } from "../../../core/graph/waves.js";
import type { GremlinStep } from "../../../core/gremlin/parse.js";
import type {
  EdgeQuery,
  GraphStore,
  GraphVersionInfo,
  NodeEdges,
  ReachedNode,
  VersionOption,
  WalkOptions,
} from "../../../ports/graph-store.js";
import { asRunningBuild, beginVersion } from "./begin-version.js";
import type { GremlinConnection } from "./connection.js";
import { DEFAULT_NAMESPACE } from "./model.js";
import { planWrites } from "./plan-writes.js";
import * as reads from "./reads.js";
import { type SendOptions, sendWrites } from "./send-writes.js";
import { StoreContext } from "./store-context.js";
import { toJson, toTraversal } from "./translate.js";
import { GraphVersions } from "./versions.js";
import * as walks from "./walks.js";

export interface GremlinGraphStoreOptions extends SendOptions {
  /** Elements of this estate carry this `ns` (several estates can share a server). */
  namespace?: string;
}

export class GremlinGraphStore implements GraphStore {
  readonly description: string;
  private readonly ctx: StoreContext;
  private readonly versions: GraphVersions;
  /** What the last `writeVersion` sent: element mutations (adds and closes) and write traversals (round trips). */
  lastWrite: { mutations: number; batches: number } | undefined;

  constructor(
    private readonly connection: GremlinConnection,
    private readonly options: GremlinGraphStoreOptions = {},
  ) {
    this.ctx = new StoreContext(connection, options.namespace ?? DEFAULT_NAMESPACE);
    this.versions = new GraphVersions(this.ctx);
    this.description = `gremlin ${connection.endpoint} (namespace ${this.ctx.ns})`;
  }

  // ---------------------------------------------------------------- writing

  async writeVersion(graph: Graph, meta: { actor?: string } = {}): Promise<GraphVersionInfo> {
    return asRunningBuild(async (token) => {
      const { v, latest } = await beginVersion(this.ctx, graph.source, meta.actor, token);
      const { writes, mutations, summary } = await planWrites(this.ctx, graph, v, latest);
      this.lastWrite = { mutations, batches: await sendWrites(this.ctx, writes, v, this.options) };
      const counts = {
        nodeCount: graph.nodes.length,
        edgeCount: graph.edges.length,
        findingCount: graph.findings.length,
      };
      const readyAt = await this.versions.markReady(v, counts, summary);
      const info: GraphVersionInfo = { version: v, createdAt: readyAt, source: graph.source, ...counts };
      if (meta.actor !== undefined) info.actor = meta.actor;
      return info;
    });
  }

  // ---------------------------------------------------------------- versions

  async listVersions(): Promise<GraphVersionInfo[]> {
    return this.versions.list();
  }

  async latestVersion(): Promise<GraphVersionInfo | undefined> {
    return this.versions.latest();
  }

  // ---------------------------------------------------------------- reading

  private resolve(options: VersionOption): Promise<number> {
    return this.versions.resolve(options.version);
  }

  async readGraph(options: VersionOption = {}): Promise<Graph & { version: number }> {
    return reads.readGraph(this.ctx, await this.resolve(options));
  }

  async readEdges(options: EdgeQuery = {}): Promise<GraphEdge[]> {
    return reads.readEdges(this.ctx, await this.resolve(options), options.kinds);
  }

  async nodeIds(options: VersionOption = {}): Promise<string[]> {
    return reads.nodeIds(this.ctx, await this.resolve(options));
  }

  async getNode(id: string, options: VersionOption = {}): Promise<GraphNode | undefined> {
    return reads.getNode(this.ctx, id, await this.resolve(options));
  }

  async edgesOf(id: string, options: VersionOption = {}): Promise<NodeEdges> {
    return reads.edgesOf(this.ctx, id, await this.resolve(options));
  }

  async findings(options: VersionOption = {}): Promise<Finding[]> {
    return reads.findings(this.ctx, await this.resolve(options));
  }

  async cycles(options: VersionOption = {}): Promise<Extract<Finding, { kind: "cycle" }>[]> {
    return (await this.findings(options)).filter(
      (f): f is Extract<Finding, { kind: "cycle" }> => f.kind === "cycle",
    );
  }

  async diff(from: number, to: number): Promise<GraphDiff> {
    const [before, after] = await Promise.all([
      this.readGraph({ version: from }),
      this.readGraph({ version: to }),
    ]);
    return diffGraphs(before, after);
  }

  async dependencies(ids: readonly string[], options: WalkOptions = {}): Promise<ReachedNode[]> {
    return walks.walk(this.ctx, ids, "dependencies", await this.resolve(options), options.depth);
  }

  async dependents(ids: readonly string[], options: WalkOptions = {}): Promise<ReachedNode[]> {
    return walks.walk(this.ctx, ids, "dependents", await this.resolve(options), options.depth);
  }

  async shortestPath(from: string, to: string, options: VersionOption = {}): Promise<string[] | undefined> {
    return walks.shortestPath(this.ctx, from, to, await this.resolve(options));
  }

  async waves(ids?: readonly string[], options: VersionOption = {}): Promise<Waves> {
    return walks.waves(this.ctx, ids, await this.resolve(options));
  }

  // ---------------------------------------------------------------- queries

  async gremlin(steps: readonly GremlinStep[]): Promise<JsonValue[]> {
    const traversal = toTraversal(await this.ctx.g(), steps);
    return (await this.ctx.run<unknown>(traversal)).map(toJson);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
