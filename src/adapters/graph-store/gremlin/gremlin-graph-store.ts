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
 *      only point where readers start to see v (versions.ts);
 *   5. drop the versions beyond the retention count and the elements only they held (prune.ts).
 *
 * Reads resolve a ready version (versions.ts), ask one traversal (reads.ts) and confirm the
 * version was not pruned meanwhile; transitive
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
import { pruneVersions } from "./prune.js";
import * as reads from "./reads.js";
import { type SendOptions, sendWrites } from "./send-writes.js";
import { StoreContext } from "./store-context.js";
import { toJson, toTraversal } from "./translate.js";
import { GraphVersions } from "./versions.js";
import * as walks from "./walks.js";

export interface GremlinGraphStoreOptions extends SendOptions {
  /** Elements of this estate carry this `ns` (several estates can share a server). */
  namespace?: string;
  /** Ready versions kept; older ones are dropped by the build that exceeds this. Default 50. */
  retainVersions?: number;
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
      await pruneVersions(this.ctx, {
        retain: Math.max(1, this.options.retainVersions ?? 50),
        ...(this.options.batchLimits ? { batchLimits: this.options.batchLimits } : {}),
      });
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

  /**
   * Reads a ready version, then confirms it was not pruned meanwhile: a pruned version's reader
   * gets GraphVersionNotFoundError, never what was left of it mid-drop.
   */
  private async read<T>(options: VersionOption, fn: (v: number) => Promise<T>): Promise<T> {
    const v = await this.versions.resolve(options.version);
    let result: T;
    try {
      result = await fn(v);
    } catch (error) {
      // a read that broke on a version pruned under it (its vertex gone) reports that instead
      await this.versions.confirm(v);
      throw error;
    }
    await this.versions.confirm(v);
    return result;
  }

  async readGraph(options: VersionOption = {}): Promise<Graph & { version: number }> {
    return this.read(options, (v) => reads.readGraph(this.ctx, v));
  }

  async readEdges(options: EdgeQuery = {}): Promise<GraphEdge[]> {
    return this.read(options, (v) => reads.readEdges(this.ctx, v, options.kinds));
  }

  async nodeIds(options: VersionOption = {}): Promise<string[]> {
    return this.read(options, (v) => reads.nodeIds(this.ctx, v));
  }

  async getNode(id: string, options: VersionOption = {}): Promise<GraphNode | undefined> {
    return this.read(options, (v) => reads.getNode(this.ctx, id, v));
  }

  async edgesOf(id: string, options: VersionOption = {}): Promise<NodeEdges> {
    return this.read(options, (v) => reads.edgesOf(this.ctx, id, v));
  }

  async findings(options: VersionOption = {}): Promise<Finding[]> {
    return this.read(options, (v) => reads.findings(this.ctx, v));
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
    return this.read(options, (v) => walks.walk(this.ctx, ids, "dependencies", v, options.depth));
  }

  async dependents(ids: readonly string[], options: WalkOptions = {}): Promise<ReachedNode[]> {
    return this.read(options, (v) => walks.walk(this.ctx, ids, "dependents", v, options.depth));
  }

  async shortestPath(from: string, to: string, options: VersionOption = {}): Promise<string[] | undefined> {
    return this.read(options, (v) => walks.shortestPath(this.ctx, from, to, v));
  }

  async waves(ids?: readonly string[], options: VersionOption = {}): Promise<Waves> {
    return this.read(options, (v) => walks.waves(this.ctx, ids, v));
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
