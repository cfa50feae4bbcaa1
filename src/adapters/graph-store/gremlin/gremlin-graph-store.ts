/**
 * The graph store on a Gremlin server (Amazon Neptune, TinkerPop Gremlin Server): versions as
 * validity intervals (see model.ts), written incrementally in batches, read with one traversal per
 * question. Neptune-portable by construction: string ids, `single` cardinality on every property
 * update, bytecode only, no lambdas (checked by GremlinConnection before anything is sent).
 *
 * Building version v:
 *   1. begin: make sure no other build is running, roll back the leftovers of a dead one, take v
 *      (a new graphVersion vertex whose id cannot be taken twice);
 *   2. read the open elements' digests (one traversal per element kind);
 *   3. send only the differences as mutations, many per traversal: each batch is one chain whose
 *      every step keeps exactly one traverser, so `count()` = 1 proves each step found its target;
 *   4. mark v ready and move the head's `latest` to v in one traversal — the only point where
 *      readers start to see v.
 *
 * Transitive queries fetch the reached region's links in one traversal (repeat/emit/dedup on the
 * server) and derive depths and shortest paths with the same core code as the SQLite store.
 */
import os from "node:os";
import gremlin from "gremlin";
import { UserError } from "../../../core/errors.js";
import type { JsonValue } from "../../../core/estate/model.js";
import { adjacencyFromPairs } from "../../../core/graph/adjacency.js";
import { diffGraphs, type GraphDiff } from "../../../core/graph/diff.js";
import {
  compareEdges,
  compareFindings,
  DEPENDENCY_EDGE_KINDS,
  edgeKey,
  type Finding,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type GraphSource,
} from "../../../core/graph/model.js";
import { shortestPath } from "../../../core/graph/shortest-path.js";
import { walkLinks } from "../../../core/graph/walk.js";
import { deployWaves, type Waves } from "../../../core/graph/waves.js";
import type { GremlinStep } from "../../../core/gremlin/parse.js";
import {
  type GraphStore,
  type GraphVersionInfo,
  GraphVersionNotFoundError,
  type NodeEdges,
  type ReachedNode,
  type VersionOption,
  type WalkOptions,
} from "../../../ports/graph-store.js";
import type { GremlinConnection, Traversal } from "./connection.js";
import { DEFAULT_NAMESPACE, digest, EDGE_LABELS, identityLabel, ids, LABEL, OPEN } from "./model.js";
import { toJson, toTraversal } from "./translate.js";

const { P, t, cardinality, merge } = gremlin.process;
const __ = gremlin.process.statics;
type GraphTraversal = gremlin.process.GraphTraversal;

const DEPENDENCY_LABELS = [...DEPENDENCY_EDGE_KINDS];
/** Steps per write traversal: big enough to amortise the round trip, small enough for Neptune. */
const BATCH_STEPS = 1_200;
/** A build whose process cannot be checked (another host) counts as dead after this long. */
const STALE_BUILD_MS = 15 * 60_000;

/** Builds of this process still running: a `building` version of this pid not listed here is dead. */
const runningBuilds = new Set<string>();

export interface GremlinGraphStoreOptions {
  /** Elements of this estate carry this `ns` (several estates can share a server). */
  namespace?: string;
  /** For tests: called after each write batch is acknowledged (await it to act mid-build). */
  onBatch?: (batch: number) => Promise<void> | void;
  /** Steps per write traversal (default {@link BATCH_STEPS}). */
  batchSteps?: number;
}

interface OpenState {
  stateId: string;
  digest: string;
}
interface OpenEdge {
  edgeId: string;
  digest: string;
  src: string;
  kind: string;
}

type Props = Map<string, unknown[]>;

function prop<T>(map: Props, key: string): T | undefined {
  return map.get(key)?.[0] as T | undefined;
}

function sortById(nodes: GraphNode[]): GraphNode[] {
  return nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export class GremlinGraphStore implements GraphStore {
  readonly description: string;
  private readonly ns: string;
  private readonly id: ReturnType<typeof ids>;
  /** What the last `writeVersion` sent: element mutations and write traversals (round trips). */
  lastWrite: { mutations: number; batches: number } | undefined;
  /** Ready versions are immutable: once seen ready, a version needs no re-check. */
  private readonly knownReady = new Set<number>();

  constructor(
    private readonly connection: GremlinConnection,
    private readonly options: GremlinGraphStoreOptions = {},
  ) {
    this.ns = options.namespace ?? DEFAULT_NAMESPACE;
    this.id = ids(this.ns);
    this.description = `gremlin ${connection.endpoint} (namespace ${this.ns})`;
  }

  private run<T>(traversal: Traversal): Promise<T[]> {
    return this.connection.toList<T>(traversal);
  }

  private async g() {
    return this.connection.g();
  }

  /** Elements valid in version v. */
  private valid(traversal: GraphTraversal, v: number): GraphTraversal {
    return traversal.has("since", P.lte(v)).has("until", P.gt(v));
  }

  // ---------------------------------------------------------------- writing

  async writeVersion(graph: Graph, meta: { actor?: string } = {}): Promise<GraphVersionInfo> {
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    runningBuilds.add(token);
    try {
      const v = await this.beginVersion(graph.source, meta.actor, token);
      const mutations = await this.mutationsFor(graph, v);
      this.lastWrite = { mutations: mutations.length, batches: await this.send(mutations) };
      const g = await this.g();
      const readyAt = new Date().toISOString();
      const counts = {
        nodeCount: graph.nodes.length,
        edgeCount: graph.edges.length,
        findingCount: graph.findings.length,
      };
      const done = await this.run<number>(
        g
          .V(this.id.version(v))
          .has("status", "building")
          .property(cardinality.single, "status", "ready")
          .property(cardinality.single, "readyAt", readyAt)
          .property(cardinality.single, "nodeCount", counts.nodeCount)
          .property(cardinality.single, "edgeCount", counts.edgeCount)
          .property(cardinality.single, "findingCount", counts.findingCount)
          .V(this.id.head)
          .property(cardinality.single, "latest", v)
          .count(),
      );
      if (done[0] !== 1)
        throw new UserError(
          `Graph version ${v} was abandoned by another build while it was being written to ${this.connection.endpoint}.`,
          "Run `karma graph build` again.",
        );
      this.knownReady.add(v);
      const info: GraphVersionInfo = { version: v, createdAt: readyAt, source: graph.source, ...counts };
      if (meta.actor !== undefined) info.actor = meta.actor;
      return info;
    } finally {
      runningBuilds.delete(token);
    }
  }

  /**
   * Takes the next version number. Refuses while another live build runs; a dead build's
   * leftovers (elements it added, intervals it closed) are rolled back first.
   */
  private async beginVersion(source: GraphSource, actor: string | undefined, token: string): Promise<number> {
    const g = await this.g();
    // one round trip: the head, created on the first build
    const [head] = await this.run<Props>(
      g
        .mergeV(
          new Map<unknown, unknown>([
            [t.id, this.id.head],
            [t.label, LABEL.head],
          ]),
        )
        .option(
          merge.onCreate,
          new Map<unknown, unknown>([
            ["ns", this.ns],
            ["next", 0],
            ["latest", 0],
          ]),
        )
        .valueMap("next", "latest"),
    );
    const next = prop<number>(head!, "next") ?? 0;
    const latest = prop<number>(head!, "latest") ?? 0;
    if (next > latest) {
      const [building] = await this.run<Props>(g.V(this.id.version(next)).valueMap());
      if (building && prop<string>(building, "status") === "building" && this.isAlive(building))
        throw new UserError(
          `Another graph build (version ${next}, by ${prop<string>(building, "actor") ?? "?"} on ${prop<string>(building, "host")}) is still writing to ${this.connection.endpoint}.`,
          "Wait for it to finish and run the command again.",
        );
      await this.rollBackAfter(latest, next);
    }
    const v = next + 1;
    const started = await this.run<number>(
      g
        .V(this.id.head)
        .has("next", next)
        .property(cardinality.single, "next", v)
        .addV(LABEL.version)
        .property(t.id, this.id.version(v))
        .property("ns", this.ns)
        .property("version", v)
        .property("status", "building")
        .property("startedAt", new Date().toISOString())
        .property("host", os.hostname())
        .property("token", token)
        .property("actor", actor ?? "")
        .property("source", JSON.stringify(source))
        .count(),
    ).catch((error: unknown) => {
      // the version id is taken: another build began between our read and this write
      throw /already exists/i.test(String((error as Error).message)) ? this.concurrentBuild() : error;
    });
    if (started[0] !== 1) throw this.concurrentBuild();
    return v;
  }

  private concurrentBuild(): UserError {
    return new UserError(
      `Another graph build started on ${this.connection.endpoint} at the same time.`,
      "Run the command again once it finished.",
    );
  }

  /** Whether the process behind a `building` version may still be writing. */
  private isAlive(version: Props): boolean {
    const token = prop<string>(version, "token") ?? "";
    const [pid] = token.split(":");
    if (prop<string>(version, "host") === os.hostname()) {
      if (Number(pid) === process.pid) return runningBuilds.has(token);
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
      }
    }
    const started = Date.parse(prop<string>(version, "startedAt") ?? "");
    return Number.isFinite(started) && Date.now() - started < STALE_BUILD_MS;
  }

  /** Undoes every build after `latest`: drops what they added, reopens what they closed. */
  private async rollBackAfter(latest: number, next: number): Promise<void> {
    const g = await this.g();
    const ns = this.ns;
    await this.run(g.E().has("ns", ns).has("since", P.gt(latest)).drop());
    await this.run(g.V().has("ns", ns).has("since", P.gt(latest)).drop());
    await this.run(
      g.E().has("ns", ns).has("until", P.gt(latest)).has("until", P.lt(OPEN)).property("until", OPEN),
    );
    await this.run(
      g
        .V()
        .has("ns", ns)
        .has("until", P.gt(latest))
        .has("until", P.lt(OPEN))
        .property(cardinality.single, "until", OPEN),
    );
    const abandoned = Array.from({ length: next - latest }, (_, i) => this.id.version(latest + 1 + i));
    await this.run(g.V(...abandoned).property(cardinality.single, "status", "abandoned"));
  }

  /** The mutations that turn the open elements into `graph`, as steps appended to one chain. */
  private async mutationsFor(
    graph: Graph,
    v: number,
  ): Promise<((chain: GraphTraversal) => GraphTraversal)[]> {
    const g = await this.g();
    const ns = this.ns;
    const [states, edges, findings] = await Promise.all([
      this.run<Map<string, string>>(
        g
          .V()
          .hasLabel(LABEL.state)
          .has("ns", ns)
          .has("until", OPEN)
          .project("s", "n", "d")
          .by(t.id)
          .by("node")
          .by("digest"),
      ),
      this.run<Map<string, string>>(
        g
          .E()
          .hasLabel(...EDGE_LABELS)
          .has("ns", ns)
          .has("until", OPEN)
          .project("e", "k", "d", "s")
          .by(t.id)
          .by("key")
          .by("digest")
          .by("src"),
      ),
      this.run<Map<string, string>>(
        g
          .V()
          .hasLabel(LABEL.finding)
          .has("ns", ns)
          .has("until", OPEN)
          .project("f", "d")
          .by(t.id)
          .by("digest"),
      ),
    ]);
    const openStates = new Map<string, OpenState>(
      states.map((m) => [m.get("n")!, { stateId: m.get("s")!, digest: m.get("d")! }]),
    );
    const openEdges = new Map<string, OpenEdge>();
    for (const m of edges) {
      const key = m.get("k")!;
      openEdges.set(key, {
        edgeId: m.get("e")!,
        digest: m.get("d")!,
        src: m.get("s")!,
        kind: key.split("\u0000")[2]!,
      });
    }
    const openFindings = new Map<string, string>(findings.map((m) => [m.get("d")!, m.get("f")!]));

    const out: ((chain: GraphTraversal) => GraphTraversal)[] = [];
    const closeVertex = (id: string) => (c: GraphTraversal) =>
      c.V(id).property(cardinality.single, "until", v);

    for (const node of graph.nodes) {
      const data = JSON.stringify(node);
      const d = digest(data);
      const open = openStates.get(node.id);
      openStates.delete(node.id);
      if (open?.digest === d) continue;
      if (open) out.push(closeVertex(open.stateId));
      const identity = this.id.node(node.id);
      const stateId = this.id.state(node.id, v);
      out.push((c) =>
        c
          .mergeV(
            new Map<unknown, unknown>([
              [t.id, identity],
              [t.label, identityLabel(node.kind)],
            ]),
          )
          .option(
            merge.onCreate,
            new Map<unknown, unknown>([
              ["ns", ns],
              ["nodeId", node.id],
              ["env", node.env],
              ["type", node.type],
              ["nickname", node.nickname],
            ]),
          )
          .addV(LABEL.state)
          .property(t.id, stateId)
          .property("ns", ns)
          .property("node", node.id)
          .property("since", v)
          .property("until", OPEN)
          .property("digest", d)
          .property("data", data)
          .addE(LABEL.hasState)
          .from_(__.V(identity))
          .property(t.id, `${stateId}|h`)
          .property("ns", ns),
      );
    }
    for (const gone of openStates.values()) out.push(closeVertex(gone.stateId));

    for (const edge of graph.edges) {
      const key = edgeKey(edge);
      const data = JSON.stringify(edge);
      const d = digest(data);
      const open = openEdges.get(key);
      openEdges.delete(key);
      if (open?.digest === d) continue;
      if (open) out.push(this.closeEdge(open, v));
      out.push((c) =>
        c
          .addE(edge.kind)
          .from_(__.V(this.id.node(edge.from)))
          .to(__.V(this.id.node(edge.to)))
          .property(t.id, this.id.edge(key, v))
          .property("ns", ns)
          .property("key", key)
          .property("src", edge.from)
          .property("dst", edge.to)
          .property("since", v)
          .property("until", OPEN)
          .property("digest", d)
          .property("data", data),
      );
    }
    for (const gone of openEdges.values()) out.push(this.closeEdge(gone, v));

    for (const finding of graph.findings) {
      const data = JSON.stringify(finding);
      const d = digest(data);
      if (openFindings.delete(d)) continue;
      out.push((c) =>
        c
          .addV(LABEL.finding)
          .property(t.id, this.id.finding(data, v))
          .property("ns", ns)
          .property("kind", finding.kind)
          .property("since", v)
          .property("until", OPEN)
          .property("digest", d)
          .property("data", data),
      );
    }
    for (const gone of openFindings.values()) out.push(closeVertex(gone));
    return out;
  }

  private closeEdge(open: OpenEdge, v: number) {
    return (c: GraphTraversal) =>
      c.V(this.id.node(open.src)).outE(open.kind).hasId(open.edgeId).property("until", v);
  }

  /** Sends mutations in batches; a batch whose chain lost its traverser names the failure. */
  private async send(mutations: ((chain: GraphTraversal) => GraphTraversal)[]): Promise<number> {
    const g = await this.g();
    let batch = 0;
    for (let i = 0; i < mutations.length; ) {
      let chain = g.inject(0) as GraphTraversal;
      while (i < mutations.length && stepCount(chain) < (this.options.batchSteps ?? BATCH_STEPS))
        chain = mutations[i++]!(chain);
      const [count] = await this.run<number>(chain.count());
      if (count !== 1)
        throw new UserError(
          `The graph on ${this.connection.endpoint} changed during the build: an element the build expected was missing.`,
          "Run `karma graph build` again.",
        );
      batch++;
      await this.options.onBatch?.(batch);
    }
    return batch;
  }

  // ---------------------------------------------------------------- versions

  async listVersions(): Promise<GraphVersionInfo[]> {
    const g = await this.g();
    const [head] = await this.run<Props>(g.V(this.id.head).valueMap("next"));
    const next = head ? (prop<number>(head, "next") ?? 0) : 0;
    if (next === 0) return [];
    const rows = await this.run<Props>(
      g
        .V(...Array.from({ length: next }, (_, i) => this.id.version(i + 1)))
        .has("status", "ready")
        .valueMap(),
    );
    return rows.map(toInfo).sort((a, b) => a.version - b.version);
  }

  async latestVersion(): Promise<GraphVersionInfo | undefined> {
    const latest = await this.latestNumber();
    if (latest === 0) return undefined;
    const g = await this.g();
    const [row] = await this.run<Props>(g.V(this.id.version(latest)).valueMap());
    return row === undefined ? undefined : toInfo(row);
  }

  private async latestNumber(): Promise<number> {
    const g = await this.g();
    const [latest] = await this.run<number>(g.V(this.id.head).values("latest"));
    return latest ?? 0;
  }

  /** The ready version to read: the one asked for, or the latest. */
  private async resolve(version: number | undefined): Promise<number> {
    if (version === undefined) {
      const latest = await this.latestNumber();
      if (latest === 0) throw new GraphVersionNotFoundError(undefined);
      return latest;
    }
    if (this.knownReady.has(version)) return version;
    const g = await this.g();
    const [status] = await this.run<string>(g.V(this.id.version(version)).values("status"));
    if (status !== "ready") throw new GraphVersionNotFoundError(version);
    this.knownReady.add(version);
    return version;
  }

  // ---------------------------------------------------------------- reading

  async readGraph(options: VersionOption = {}): Promise<Graph & { version: number }> {
    const v = await this.resolve(options.version);
    const g = await this.g();
    const [source, nodes, edges, findings] = await Promise.all([
      this.run<string>(g.V(this.id.version(v)).values("source")),
      this.run<string>(this.valid(g.V().hasLabel(LABEL.state).has("ns", this.ns), v).values("data")),
      this.run<string>(
        this.valid(
          g
            .E()
            .hasLabel(...EDGE_LABELS)
            .has("ns", this.ns),
          v,
        ).values("data"),
      ),
      this.run<string>(this.valid(g.V().hasLabel(LABEL.finding).has("ns", this.ns), v).values("data")),
    ]);
    return {
      version: v,
      source: JSON.parse(source[0]!) as GraphSource,
      nodes: sortById(nodes.map((d) => JSON.parse(d) as GraphNode)),
      edges: edges.map((d) => JSON.parse(d) as GraphEdge).sort(compareEdges),
      findings: findings.map((d) => JSON.parse(d) as Finding).sort(compareFindings),
    };
  }

  async getNode(id: string, options: VersionOption = {}): Promise<GraphNode | undefined> {
    const v = await this.resolve(options.version);
    const g = await this.g();
    const [data] = await this.run<string>(
      this.valid(g.V(this.id.node(id)).out(LABEL.hasState), v).values("data"),
    );
    return data === undefined ? undefined : (JSON.parse(data) as GraphNode);
  }

  async edgesOf(id: string, options: VersionOption = {}): Promise<NodeEdges> {
    const v = await this.resolve(options.version);
    const g = await this.g();
    const read = (direction: "outE" | "inE") =>
      this.run<string>(this.valid(g.V(this.id.node(id))[direction](...EDGE_LABELS), v).values("data")).then(
        (rows) => rows.map((d) => JSON.parse(d) as GraphEdge).sort(compareEdges),
      );
    const [outgoing, incoming] = await Promise.all([read("outE"), read("inE")]);
    return { outgoing, incoming };
  }

  async dependencies(ids: readonly string[], options: WalkOptions = {}): Promise<ReachedNode[]> {
    return this.walk(ids, "dependencies", options);
  }

  async dependents(ids: readonly string[], options: WalkOptions = {}): Promise<ReachedNode[]> {
    return this.walk(ids, "dependents", options);
  }

  /**
   * One traversal: from the starts, repeat along valid dependency edges (dedup: each node expanded
   * once; a barrier per hop keeps it breadth-first so a depth bound sees every node at its shortest
   * distance), then return the links around the region.
   */
  private async regionLinks(
    starts: readonly string[],
    direction: "dependencies" | "dependents",
    v: number,
    depth: number | undefined,
  ): Promise<[string, string][]> {
    const g = await this.g();
    const step = direction === "dependencies" ? "outE" : "inE";
    const far = direction === "dependencies" ? "inV" : "outV";
    const hop = () =>
      this.valid(__[step](...DEPENDENCY_LABELS), v)
        [far]()
        .barrier()
        .dedup();
    let region = g.V(...starts.map((s) => this.id.node(s)));
    if (depth === undefined) region = region.emit().repeat(hop());
    else if (depth > 1)
      region = region
        .emit()
        .repeat(hop())
        .times(depth - 1);
    const rows = await this.run<Map<string, string>>(
      this.valid(region.dedup()[step](...DEPENDENCY_LABELS), v)
        .project("f", "t")
        .by("src")
        .by("dst"),
    );
    return rows.map((m) => [m.get("f")!, m.get("t")!]);
  }

  private async walk(
    ids: readonly string[],
    direction: "dependencies" | "dependents",
    options: WalkOptions,
  ): Promise<ReachedNode[]> {
    const v = await this.resolve(options.version);
    if (ids.length === 0 || (options.depth !== undefined && options.depth <= 0)) return [];
    const starts = [...new Set(ids)];
    const links = await this.regionLinks(starts, direction, v, options.depth);
    return walkLinks(links, starts, direction, options.depth);
  }

  async shortestPath(from: string, to: string, options: VersionOption = {}): Promise<string[] | undefined> {
    const v = await this.resolve(options.version);
    const links = await this.regionLinks([from], "dependencies", v, undefined);
    return shortestPath(adjacencyFromPairs(links, [from, to]), from, to, "dependencies");
  }

  async waves(ids?: readonly string[], options: VersionOption = {}): Promise<Waves> {
    const v = await this.resolve(options.version);
    if (ids === undefined) {
      const g = await this.g();
      const [members, links] = await Promise.all([
        this.run<string>(this.valid(g.V().hasLabel(LABEL.state).has("ns", this.ns), v).values("node")),
        this.run<Map<string, string>>(
          this.valid(
            g
              .E()
              .hasLabel(...DEPENDENCY_LABELS)
              .has("ns", this.ns),
            v,
          )
            .project("f", "t")
            .by("src")
            .by("dst"),
        ),
      ]);
      return deployWaves(
        adjacencyFromPairs(
          links.map((m) => [m.get("f")!, m.get("t")!]),
          members,
        ),
      );
    }
    // the members' dependency closure, so order through nodes outside the set is honoured
    const links = await this.regionLinks(ids, "dependencies", v, undefined);
    return deployWaves(adjacencyFromPairs(links, ids), ids);
  }

  async findings(options: VersionOption = {}): Promise<Finding[]> {
    const v = await this.resolve(options.version);
    const g = await this.g();
    const rows = await this.run<string>(
      this.valid(g.V().hasLabel(LABEL.finding).has("ns", this.ns), v).values("data"),
    );
    return rows.map((d) => JSON.parse(d) as Finding).sort(compareFindings);
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

  async gremlin(steps: readonly GremlinStep[]): Promise<JsonValue[]> {
    const traversal = toTraversal(await this.g(), steps);
    return (await this.run<unknown>(traversal)).map(toJson);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

function stepCount(traversal: GraphTraversal): number {
  return (traversal.getBytecode() as unknown as { stepInstructions: unknown[] }).stepInstructions.length;
}

function toInfo(row: Props): GraphVersionInfo {
  const info: GraphVersionInfo = {
    version: prop<number>(row, "version")!,
    createdAt: prop<string>(row, "readyAt")!,
    source: JSON.parse(prop<string>(row, "source")!) as GraphSource,
    nodeCount: prop<number>(row, "nodeCount") ?? 0,
    edgeCount: prop<number>(row, "edgeCount") ?? 0,
    findingCount: prop<number>(row, "findingCount") ?? 0,
  };
  const actor = prop<string>(row, "actor");
  if (actor) info.actor = actor;
  return info;
}
