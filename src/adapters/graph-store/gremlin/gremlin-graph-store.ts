/**
 * The graph store on a Gremlin server (Amazon Neptune, TinkerPop Gremlin Server): versions as
 * validity intervals (see model.ts), written incrementally in batches, read with one traversal per
 * question. Neptune-portable by construction: string ids, `single` cardinality on every property
 * update, bytecode only, no lambdas (checked by GremlinConnection before anything is sent).
 *
 * Building version v:
 *   1. begin: make sure no other build is running, roll back the leftovers of a dead one, take v
 *      (a new graphVersion vertex whose id cannot be taken twice);
 *   2. compare the graph's bucket digests with those the latest version recorded (summary.ts) and
 *      read back only the open elements of the buckets that differ (all of them when the latest
 *      version has no summary);
 *   3. send only the differences, as row lists unfolded into mergeV/mergeE, several kinds chained
 *      per traversal (write-batches.ts): one round trip per ~1000 rows;
 *   4. mark v ready, record its summary and move the head's `latest` to v in one traversal — the
 *      only point where readers start to see v.
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
  type EdgeQuery,
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
import {
  type GraphSummary,
  parseStoredSummary,
  type StoredSummary,
  storedSummary,
  summarize,
} from "./summary.js";
import { toJson, toTraversal } from "./translate.js";
import { BATCH_CHARS, BATCH_ROWS, batches, batchTraversal, type Write } from "./write-batches.js";

const { P, t, cardinality, merge, scope } = gremlin.process;
const __ = gremlin.process.statics;
type GraphTraversal = gremlin.process.GraphTraversal;

const DEPENDENCY_LABELS = [...DEPENDENCY_EDGE_KINDS];
/** A build whose process cannot be checked (another host) counts as dead after this long. */
const STALE_BUILD_MS = 15 * 60_000;

/** Builds of this process still running: a `building` version of this pid not listed here is dead. */
const runningBuilds = new Set<string>();

export interface GremlinGraphStoreOptions {
  /** Elements of this estate carry this `ns` (several estates can share a server). */
  namespace?: string;
  /** For tests: called after each write batch is acknowledged (await it to act mid-build). */
  onBatch?: (batch: number) => Promise<void> | void;
  /** Rows and data characters per write traversal (default {@link BATCH_ROWS}, {@link BATCH_CHARS}). */
  batchLimits?: { rows: number; chars: number };
}

interface OpenState {
  stateId: string;
  data: string;
}
interface OpenEdge {
  edgeId: string;
  data: string;
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
  /** What the last `writeVersion` sent: element mutations (adds and closes) and write traversals (round trips). */
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
      const { v, latest } = await this.beginVersion(graph.source, meta.actor, token);
      const { writes, mutations, summary } = await this.writesFor(graph, v, latest);
      this.lastWrite = { mutations, batches: await this.send(writes, v) };
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
          .property(cardinality.single, "summary", JSON.stringify(summary))
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
  private async beginVersion(
    source: GraphSource,
    actor: string | undefined,
    token: string,
  ): Promise<{ v: number; latest: number }> {
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
    return { v, latest };
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

  /**
   * The open elements that `graph` may differ from: those of the buckets whose digest changed
   * since the latest version (all of them when the latest has no summary: the first build, or a
   * graph written before summaries existed).
   */
  private async openElements(
    previous: StoredSummary | undefined,
    summary: GraphSummary,
    changed: ReadonlySet<number>,
    findingsChanged: boolean,
  ): Promise<{
    states: Map<string, string>[];
    edges: Map<string, string>[];
    findings: Map<string, string>[];
  }> {
    const g = await this.g();
    const ns = this.ns;
    // the data itself, not a digest of it: compared with the new JSON, read only for changed buckets
    const stateFields = (tr: GraphTraversal) => tr.project("s", "n", "d").by(t.id).by("node").by("data");
    const edgeFields = (tr: GraphTraversal) => tr.project("e", "k", "d").by(t.id).by("key").by("data");
    const findings = findingsChanged
      ? this.run<Map<string, string>>(
          g
            .V()
            .hasLabel(LABEL.finding)
            .has("ns", ns)
            .has("until", OPEN)
            .project("f", "d")
            .by(t.id)
            .by("digest"),
        )
      : Promise.resolve([]);
    if (previous === undefined) {
      const [states, edges] = await Promise.all([
        this.run<Map<string, string>>(
          stateFields(g.V().hasLabel(LABEL.state).has("ns", ns).has("until", OPEN)),
        ),
        this.run<Map<string, string>>(
          edgeFields(
            g
              .E()
              .hasLabel(...EDGE_LABELS)
              .has("ns", ns)
              .has("until", OPEN),
          ),
        ),
      ]);
      return { states, edges, findings: await findings };
    }
    // members of the changed buckets: as stored (they may be gone from graph) and as built now
    const members = new Set<string>();
    const stored = [...changed]
      .filter((k) => previous.buckets[k]![1] > 0)
      .map((k) => this.id.bucket(k, previous.buckets[k]![1]));
    if (stored.length > 0)
      for (const json of await this.run<string>(g.V(...stored).values("members")))
        for (const id of JSON.parse(json) as string[]) members.add(id);
    for (const k of changed) for (const id of summary.buckets[k]!.members) members.add(id);
    if (members.size === 0) return { states: [], edges: [], findings: await findings };
    const identities = [...members].map((id) => this.id.node(id));
    const [states, edges] = await Promise.all([
      this.run<Map<string, string>>(
        stateFields(
          g
            .V(...identities)
            .out(LABEL.hasState)
            .has("until", OPEN),
        ),
      ),
      this.run<Map<string, string>>(
        edgeFields(
          g
            .V(...identities)
            .outE(...EDGE_LABELS)
            .has("until", OPEN),
        ),
      ),
    ]);
    return { states, edges, findings: await findings };
  }

  /** The writes that turn the open elements into `graph` (only where a bucket's digest changed). */
  private async writesFor(
    graph: Graph,
    v: number,
    latest: number,
  ): Promise<{ writes: Write[]; mutations: number; summary: StoredSummary }> {
    const g = await this.g();
    const ns = this.ns;
    const previous =
      latest === 0
        ? undefined
        : parseStoredSummary((await this.run<string>(g.V(this.id.version(latest)).values("summary")))[0]);
    const summary = summarize(graph);
    const changed = new Set<number>();
    summary.buckets.forEach((bucket, k) => {
      if (previous?.buckets[k]?.[0] !== bucket.digest) changed.add(k);
    });
    const findingsChanged = previous?.findings !== summary.findings;
    const open = await this.openElements(previous, summary, changed, findingsChanged);

    const openStates = new Map<string, OpenState>(
      open.states.map((m) => [m.get("n")!, { stateId: m.get("s")!, data: m.get("d")! }]),
    );
    const openEdges = new Map<string, OpenEdge>();
    for (const m of open.edges) {
      const key = m.get("k")!;
      openEdges.set(key, {
        edgeId: m.get("e")!,
        data: m.get("d")!,
        src: linkOf(key)[0],
        kind: key.split("\u0000")[2]!,
      });
    }
    const openFindings = new Map<string, string>(open.findings.map((m) => [m.get("d")!, m.get("f")!]));

    const nodeWrites: Write[] = [];
    const edgeWrites: Write[] = [];
    const closes: Write[] = [];
    const otherWrites: Write[] = [];
    for (const k of changed) {
      const bucket = summary.buckets[k]!;
      for (const { node, data } of bucket.nodes) {
        const state = openStates.get(node.id);
        openStates.delete(node.id);
        if (state?.data === data) continue;
        if (state) closes.push({ kind: "closeVertex", id: state.stateId });
        nodeWrites.push({
          kind: "node",
          identity: {
            id: this.id.node(node.id),
            label: identityLabel(node.kind),
            onCreate: new Map<unknown, unknown>([
              ["ns", ns],
              ["nodeId", node.id],
              ["env", node.env],
              ["type", node.type],
              ["nickname", node.nickname],
            ]),
          },
          stateId: this.id.state(node.id, v),
          nodeId: node.id,
          data,
          chars: data.length,
        });
      }
      for (const { edge, data } of bucket.edges) {
        const key = edgeKey(edge);
        const open = openEdges.get(key);
        openEdges.delete(key);
        if (open?.data === data) continue;
        if (open) closes.push({ kind: "closeEdge", source: this.id.node(open.src), id: open.edgeId });
        edgeWrites.push({
          kind: "edge",
          id: this.id.edge(v, edgeWrites.length),
          label: edge.kind,
          from: this.id.node(edge.from),
          to: this.id.node(edge.to),
          key,
          data,
          chars: data.length,
        });
      }
      if (bucket.members.length > 0) {
        const members = JSON.stringify(bucket.members);
        otherWrites.push({
          kind: "vertex",
          chars: members.length,
          row: new Map<unknown, unknown>([
            [t.id, this.id.bucket(k, v)],
            [t.label, LABEL.bucket],
            ["ns", ns],
            ["since", v],
            ["members", members],
          ]),
        });
      }
    }
    // what is still open in the changed buckets is gone from the graph
    for (const gone of openStates.values()) closes.push({ kind: "closeVertex", id: gone.stateId });
    for (const gone of openEdges.values())
      closes.push({ kind: "closeEdge", source: this.id.node(gone.src), id: gone.edgeId });

    let findingWrites = 0;
    if (findingsChanged) {
      for (const finding of graph.findings) {
        const data = JSON.stringify(finding);
        const d = digest(data);
        if (openFindings.delete(d)) continue;
        findingWrites++;
        otherWrites.push({
          kind: "vertex",
          chars: data.length,
          row: new Map<unknown, unknown>([
            [t.id, this.id.finding(data, v)],
            [t.label, LABEL.finding],
            ["ns", ns],
            ["kind", finding.kind],
            ["since", v],
            ["until", OPEN],
            ["digest", d],
            ["data", data],
          ]),
        });
      }
      for (const gone of openFindings.values()) closes.push({ kind: "closeVertex", id: gone });
    }
    return {
      // identities before the edges that attach to them
      writes: [...nodeWrites, ...edgeWrites, ...otherWrites, ...closes],
      mutations: nodeWrites.length + edgeWrites.length + findingWrites + closes.length,
      summary: storedSummary(summary, changed, previous, v),
    };
  }

  /** Sends the writes in batches; a batch that answers nothing names the failure. */
  private async send(writes: readonly Write[], v: number): Promise<number> {
    const g = await this.g();
    const cut = batches(writes, this.options.batchLimits);
    const traversalOf = (segments: (typeof cut)[number]) =>
      batchTraversal(g, segments, {
        namespace: this.ns,
        version: v,
        open: OPEN,
        edgeLabels: EDGE_LABELS,
        stateLabel: LABEL.state,
        hasStateLabel: LABEL.hasState,
      });
    let batch = 0;
    let next = cut.length > 0 ? traversalOf(cut[0]!) : undefined;
    while (next !== undefined) {
      const pending = this.run<number>(next);
      // a failure surfaces at the await below, not as an unhandled rejection meanwhile
      pending.catch(() => {});
      next = undefined;
      if (batch + 1 < cut.length) {
        // one batch at a time on the server (TinkerGraph's vertices are not safe for concurrent
        // writes, and edges need the identities of earlier batches), but the next one is built and
        // encoded while the server runs this one: once the request is on the socket (the driver
        // sends it from a promise callback, hence the turn of the event loop), the client is idle
        await new Promise((resolve) => setImmediate(resolve));
        next = traversalOf(cut[batch + 1]!);
        this.connection.prepare(next);
      }
      const done = await pending;
      if (done.length !== 1)
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

  async readEdges(options: EdgeQuery = {}): Promise<GraphEdge[]> {
    const v = await this.resolve(options.version);
    const g = await this.g();
    // an empty kind list matches nothing (hasLabel() with no labels would be invalid)
    if (options.kinds?.length === 0) return [];
    const rows = await this.run<string>(
      this.valid(
        g
          .E()
          .hasLabel(...(options.kinds ?? EDGE_LABELS))
          .has("ns", this.ns),
        v,
      ).values("data"),
    );
    return rows.map((d) => JSON.parse(d) as GraphEdge).sort(compareEdges);
  }

  async nodeIds(options: VersionOption = {}): Promise<string[]> {
    const v = await this.resolve(options.version);
    const g = await this.g();
    // a node's id is a property of its state vertex: no node document is read or parsed
    const ids = await this.run<string>(
      this.valid(g.V().hasLabel(LABEL.state).has("ns", this.ns), v).values("node"),
    );
    return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
   * once) and return the links around the reached region as edge keys, folded into a single result
   * (one response frame instead of one per 64 links). Unbounded, the links are gathered during the
   * walk itself (every valid edge of an expanded node, into a side effect): one pass over the
   * region. A depth bound needs a breadth-first walk (a barrier per hop, so that every node is seen
   * at its shortest distance) and then the links of the region's nodes.
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
    const edges = () => this.valid(__[step](...DEPENDENCY_LABELS), v);
    const from = g.V(...starts.map((s) => this.id.node(s)));
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
      links = this.valid(region.dedup()[step](...DEPENDENCY_LABELS), v);
    }
    const [keys] = await this.run<string[]>(links.values("key").fold());
    return (keys ?? []).map(linkOf);
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
        this.run<string[]>(
          this.valid(
            g
              .E()
              .hasLabel(...DEPENDENCY_LABELS)
              .has("ns", this.ns),
            v,
          )
            .values("key")
            .fold(),
        ),
      ]);
      return deployWaves(adjacencyFromPairs((links[0] ?? []).map(linkOf), members));
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

/** [consumer, producer] of an edge key (`from␀to␀kind␀…`, see edgeKey). */
function linkOf(key: string): [string, string] {
  const [from, to] = key.split("\u0000");
  return [from!, to!];
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
