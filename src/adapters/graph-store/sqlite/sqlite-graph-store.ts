/**
 * The embedded graph store: SQLite tables in the shared Karma database.
 *
 * Atomic versions: `writeVersion` first commits a `building` row (so the version number is taken
 * and an in-progress build is visible to operators), then stores every node, edge, link and
 * finding and flips the row to `ready` in ONE transaction. A process killed mid-build rolls that
 * transaction back; its row stays `building` (never read) and the next build marks it
 * `abandoned`. Readers filter on `ready`, so they never see a partial version.
 *
 * Transitive queries: a recursive CTE over `graph_links` finds the reachable region (each node
 * visited once for unbounded walks; (node, depth) pairs for bounded ones) and returns its links;
 * a breadth-first pass over that region — never the whole graph — assigns depths and shortest paths.
 */
import os from "node:os";
import { adjacencyFromPairs } from "../../../core/graph/adjacency.js";
import { diffGraphs, type GraphDiff } from "../../../core/graph/diff.js";
import {
  DEPENDENCY_EDGE_KINDS,
  type Finding,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type GraphSource,
} from "../../../core/graph/model.js";
import { shortestPath } from "../../../core/graph/shortest-path.js";
import { walkLinks } from "../../../core/graph/walk.js";
import { deployWaves, type Waves } from "../../../core/graph/waves.js";
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
import { acquireDatabase, type Db, migrate } from "../../sqlite/database.js";
import { GRAPH_STORE_MIGRATIONS, GRAPH_STORE_MODULE } from "./schema.js";

export interface SqliteGraphStoreOptions {
  /** Ready versions kept; older ones are deleted by the build that exceeds this. Default 50. */
  retainVersions?: number;
}

interface VersionRow {
  version: number;
  ready_at: string;
  source: string;
  actor: string | null;
  node_count: number;
  edge_count: number;
  finding_count: number;
}

function toInfo(row: VersionRow): GraphVersionInfo {
  const info: GraphVersionInfo = {
    version: row.version,
    createdAt: row.ready_at,
    source: JSON.parse(row.source) as GraphSource,
    nodeCount: row.node_count,
    edgeCount: row.edge_count,
    findingCount: row.finding_count,
  };
  if (row.actor !== null) info.actor = row.actor;
  return info;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Rows per INSERT statement: well under SQLite's bound-parameter limit at 6 columns. */
const BATCH_ROWS = 200;

/**
 * Inserts the rows in `values` (flat, `width` values per row) BATCH_ROWS rows per statement
 * call: a 10k-component graph has ~45k rows, and one call per row cost more than SQLite's own work.
 */
function insertRows(db: Db, head: string, width: number, values: readonly unknown[]): void {
  const rowsSql = (rows: number) =>
    Array.from({ length: rows }, () => `(${Array.from({ length: width }, () => "?").join(", ")})`).join(", ");
  const rows = values.length / width;
  const batch = BATCH_ROWS * width;
  const full = rows >= BATCH_ROWS ? db.prepare(`${head} VALUES ${rowsSql(BATCH_ROWS)}`) : undefined;
  let at = 0;
  for (; at + batch <= values.length; at += batch) full!.run(values.slice(at, at + batch));
  if (at < values.length)
    db.prepare(`${head} VALUES ${rowsSql((values.length - at) / width)}`).run(values.slice(at));
}

const READY_VERSION_COLUMNS = "version, ready_at, source, actor, node_count, edge_count, finding_count";

export class SqliteGraphStore implements GraphStore {
  readonly description: string;
  private readonly retain: number;

  /** Takes a connection (shared with other adapters) and creates the graph tables if needed. */
  constructor(
    private readonly db: Db,
    options: SqliteGraphStoreOptions & { description?: string; onClose?: () => void } = {},
  ) {
    migrate(db, GRAPH_STORE_MODULE, GRAPH_STORE_MIGRATIONS);
    this.retain = Math.max(1, options.retainVersions ?? 50);
    this.description = options.description ?? `sqlite ${db.name}`;
    this.onClose = options.onClose;
  }

  private readonly onClose: (() => void) | undefined;

  async writeVersion(graph: Graph, meta: { actor?: string } = {}): Promise<GraphVersionInfo> {
    const version = this.beginVersion(graph.source, meta.actor);
    const commit = this.db.transaction(() => {
      const nodes: unknown[] = [];
      for (const node of graph.nodes) nodes.push(version, node.id, JSON.stringify(node));
      insertRows(this.db, "INSERT INTO graph_nodes (version, id, data)", 3, nodes);
      const edges: unknown[] = [];
      let seq = 0;
      for (const edge of graph.edges) {
        edges.push(version, seq++, edge.from, edge.to, edge.kind, JSON.stringify(edge));
      }
      insertRows(this.db, "INSERT INTO graph_edges (version, seq, from_id, to_id, kind, data)", 6, edges);
      // the links are the dependency edges' distinct pairs: derived inside SQLite from the rows
      // just written rather than sent again row by row
      this.db
        .prepare(
          `INSERT OR IGNORE INTO graph_links (version, from_id, to_id)
           SELECT version, from_id, to_id FROM graph_edges
           WHERE version = ? AND kind IN (${DEPENDENCY_EDGE_KINDS.map(() => "?").join(", ")})`,
        )
        .run(version, ...DEPENDENCY_EDGE_KINDS);
      const findings: unknown[] = [];
      let findingSeq = 0;
      for (const finding of graph.findings) {
        findings.push(version, findingSeq++, finding.kind, JSON.stringify(finding));
      }
      insertRows(this.db, "INSERT INTO graph_findings (version, seq, kind, data)", 4, findings);
      const readyAt = new Date().toISOString();
      this.db
        .prepare(
          `UPDATE graph_versions SET status = 'ready', ready_at = ?, node_count = ?, edge_count = ?, finding_count = ?
           WHERE version = ? AND status = 'building'`,
        )
        .run(readyAt, graph.nodes.length, seq, findingSeq, version);
      this.prune();
    });
    commit.immediate();
    const info = this.db
      .prepare<[number], VersionRow>(`SELECT ${READY_VERSION_COLUMNS} FROM graph_versions WHERE version = ?`)
      .get(version);
    return toInfo(info!);
  }

  /** Takes the next version number with a committed `building` row; abandons dead builds. */
  private beginVersion(source: GraphSource, actor: string | undefined): number {
    const host = os.hostname();
    const begin = this.db.transaction(() => {
      const stale = this.db
        .prepare<[], { version: number; pid: number | null; host: string | null }>(
          "SELECT version, pid, host FROM graph_versions WHERE status = 'building'",
        )
        .all();
      for (const row of stale) {
        if (row.host === host && row.pid !== null && !isProcessAlive(row.pid)) {
          this.db
            .prepare("UPDATE graph_versions SET status = 'abandoned' WHERE version = ?")
            .run(row.version);
        }
      }
      const next =
        (this.db.prepare<[], { v: number | null }>("SELECT MAX(version) AS v FROM graph_versions").get()?.v ??
          0) + 1;
      this.db
        .prepare(
          `INSERT INTO graph_versions (version, status, started_at, pid, host, actor, source)
           VALUES (?, 'building', ?, ?, ?, ?, ?)`,
        )
        .run(next, new Date().toISOString(), process.pid, host, actor ?? null, JSON.stringify(source));
      return next;
    });
    return begin.immediate();
  }

  /** Deletes ready versions beyond the retention count, and abandoned rows with them. */
  private prune(): void {
    const cutoff = this.db
      .prepare<[number], { version: number }>(
        "SELECT version FROM graph_versions WHERE status = 'ready' ORDER BY version DESC LIMIT 1 OFFSET ?",
      )
      .get(this.retain);
    if (cutoff === undefined) return;
    for (const table of ["graph_nodes", "graph_edges", "graph_links", "graph_findings"]) {
      this.db.prepare(`DELETE FROM ${table} WHERE version <= ?`).run(cutoff.version);
    }
    this.db
      .prepare("DELETE FROM graph_versions WHERE version <= ? AND status IN ('ready', 'abandoned')")
      .run(cutoff.version);
  }

  async listVersions(): Promise<GraphVersionInfo[]> {
    return this.db
      .prepare<[], VersionRow>(
        `SELECT ${READY_VERSION_COLUMNS} FROM graph_versions WHERE status = 'ready' ORDER BY version`,
      )
      .all()
      .map(toInfo);
  }

  async latestVersion(): Promise<GraphVersionInfo | undefined> {
    const row = this.db
      .prepare<[], VersionRow>(
        `SELECT ${READY_VERSION_COLUMNS} FROM graph_versions WHERE status = 'ready' ORDER BY version DESC LIMIT 1`,
      )
      .get();
    return row === undefined ? undefined : toInfo(row);
  }

  /** The ready version to read: the one asked for, or the latest. */
  private resolve(version: number | undefined): number {
    const row =
      version === undefined
        ? this.db
            .prepare<[], { version: number }>(
              "SELECT MAX(version) AS version FROM graph_versions WHERE status = 'ready'",
            )
            .get()
        : this.db
            .prepare<[number], { version: number }>(
              "SELECT version FROM graph_versions WHERE version = ? AND status = 'ready'",
            )
            .get(version);
    if (row?.version == null) throw new GraphVersionNotFoundError(version);
    return row.version;
  }

  async readGraph(options: VersionOption = {}): Promise<Graph & { version: number }> {
    // one read transaction: a concurrent prune cannot remove rows between the three selects
    const read = this.db.transaction(() => {
      const version = this.resolve(options.version);
      const source = this.db
        .prepare<[number], { source: string }>("SELECT source FROM graph_versions WHERE version = ?")
        .get(version)!.source;
      const nodes = this.db
        .prepare<[number], { data: string }>("SELECT data FROM graph_nodes WHERE version = ? ORDER BY id")
        .pluck()
        .all(version) as unknown as string[];
      const edges = this.db
        .prepare<[number], { data: string }>("SELECT data FROM graph_edges WHERE version = ? ORDER BY seq")
        .pluck()
        .all(version) as unknown as string[];
      const findings = this.db
        .prepare<[number], { data: string }>("SELECT data FROM graph_findings WHERE version = ? ORDER BY seq")
        .pluck()
        .all(version) as unknown as string[];
      return {
        version,
        source: JSON.parse(source) as GraphSource,
        nodes: nodes.map((d) => JSON.parse(d) as GraphNode),
        edges: edges.map((d) => JSON.parse(d) as GraphEdge),
        findings: findings.map((d) => JSON.parse(d) as Finding),
      };
    });
    return read.deferred();
  }

  async readEdges(options: EdgeQuery = {}): Promise<GraphEdge[]> {
    const version = this.resolve(options.version);
    const kinds = options.kinds;
    const filter = kinds === undefined ? "" : ` AND kind IN (${kinds.map(() => "?").join(", ")})`;
    const rows = this.db
      .prepare<(number | string)[], { data: string }>(
        `SELECT data FROM graph_edges WHERE version = ?${filter} ORDER BY seq`,
      )
      .pluck()
      .all(version, ...(kinds ?? [])) as unknown as string[];
    return rows.map((d) => JSON.parse(d) as GraphEdge);
  }

  async nodeIds(options: VersionOption = {}): Promise<string[]> {
    const version = this.resolve(options.version);
    return this.db
      .prepare<[number], { id: string }>("SELECT id FROM graph_nodes WHERE version = ? ORDER BY id")
      .pluck()
      .all(version) as unknown as string[];
  }

  async getNode(id: string, options: VersionOption = {}): Promise<GraphNode | undefined> {
    const version = this.resolve(options.version);
    const data = this.db
      .prepare<[number, string], { data: string }>(
        "SELECT data FROM graph_nodes WHERE version = ? AND id = ?",
      )
      .get(version, id)?.data;
    return data === undefined ? undefined : (JSON.parse(data) as GraphNode);
  }

  async edgesOf(id: string, options: VersionOption = {}): Promise<NodeEdges> {
    const version = this.resolve(options.version);
    // INDEXED BY: left alone, SQLite walks the whole version in seq order to avoid a sort of a
    // handful of rows (4 ms per call at 10k components instead of microseconds)
    const select = (column: "from_id" | "to_id") =>
      (
        this.db
          .prepare<[number, string], { data: string }>(
            `SELECT data FROM graph_edges INDEXED BY graph_edges_${column === "from_id" ? "from" : "to"}
             WHERE version = ? AND ${column} = ? ORDER BY seq`,
          )
          .pluck()
          .all(version, id) as unknown as string[]
      ).map((d) => JSON.parse(d) as GraphEdge);
    return { outgoing: select("from_id"), incoming: select("to_id") };
  }

  async dependencies(ids: readonly string[], options: WalkOptions = {}): Promise<ReachedNode[]> {
    return this.walk(ids, "dependencies", options);
  }

  async dependents(ids: readonly string[], options: WalkOptions = {}): Promise<ReachedNode[]> {
    return this.walk(ids, "dependents", options);
  }

  /**
   * Recursive CTE: unbounded walks dedupe on the node alone (each node expanded once, O(V + E) of
   * the reached region); bounded walks carry the depth (at most `depth` rows per node). The CTE
   * returns the links leaving the reached region's nodes; BFS over them gives depths and paths.
   */
  private walk(
    ids: readonly string[],
    direction: "dependencies" | "dependents",
    options: WalkOptions,
  ): ReachedNode[] {
    const version = this.resolve(options.version);
    if (ids.length === 0 || (options.depth !== undefined && options.depth <= 0)) return [];
    const [near, far] = direction === "dependencies" ? ["from_id", "to_id"] : ["to_id", "from_id"];
    const starts = JSON.stringify([...new Set(ids)]);
    const sql =
      options.depth === undefined
        ? `WITH RECURSIVE reach(id) AS (
             SELECT value FROM json_each(:starts)
             UNION
             SELECT l.${far} FROM reach r CROSS JOIN graph_links l ON l.version = :version AND l.${near} = r.id
           )
           SELECT l.from_id, l.to_id FROM reach r CROSS JOIN graph_links l ON l.version = :version AND l.${near} = r.id`
        : `WITH RECURSIVE reach(id, depth) AS (
             SELECT value, 0 FROM json_each(:starts)
             UNION
             SELECT l.${far}, r.depth + 1 FROM reach r CROSS JOIN graph_links l ON l.version = :version AND l.${near} = r.id
             WHERE r.depth < :depth
           ),
           expanded AS (SELECT DISTINCT id FROM reach WHERE depth < :depth)
           SELECT l.from_id, l.to_id FROM expanded r CROSS JOIN graph_links l ON l.version = :version AND l.${near} = r.id`;
    const rows = this.db
      .prepare(sql)
      .raw()
      .all({ starts, version, depth: options.depth ?? null }) as [string, string][];
    return walkLinks(rows, ids, direction, options.depth);
  }

  async shortestPath(from: string, to: string, options: VersionOption = {}): Promise<string[] | undefined> {
    const version = this.resolve(options.version);
    const rows = this.db
      .prepare(
        `WITH RECURSIVE reach(id) AS (
           SELECT :from UNION SELECT l.to_id FROM reach r CROSS JOIN graph_links l ON l.version = :version AND l.from_id = r.id
         )
         SELECT l.from_id, l.to_id FROM reach r CROSS JOIN graph_links l ON l.version = :version AND l.from_id = r.id`,
      )
      .raw()
      .all({ from, version }) as [string, string][];
    return shortestPath(adjacencyFromPairs(rows, [from, to]), from, to, "dependencies");
  }

  async waves(ids?: readonly string[], options: VersionOption = {}): Promise<Waves> {
    const version = this.resolve(options.version);
    if (ids === undefined) {
      const members = this.db
        .prepare("SELECT id FROM graph_nodes WHERE version = ?")
        .pluck()
        .all(version) as string[];
      const rows = this.db
        .prepare("SELECT from_id, to_id FROM graph_links WHERE version = ?")
        .raw()
        .all(version) as [string, string][];
      return deployWaves(adjacencyFromPairs(rows, members));
    }
    // the members' dependency closure, so order through nodes outside the set is honoured
    const rows = this.db
      .prepare(
        `WITH RECURSIVE reach(id) AS (
           SELECT value FROM json_each(:ids)
           UNION
           SELECT l.to_id FROM reach r CROSS JOIN graph_links l ON l.version = :version AND l.from_id = r.id
         )
         SELECT l.from_id, l.to_id FROM reach r CROSS JOIN graph_links l ON l.version = :version AND l.from_id = r.id`,
      )
      .raw()
      .all({ ids: JSON.stringify(ids), version }) as [string, string][];
    return deployWaves(adjacencyFromPairs(rows, ids), ids);
  }

  async findings(options: VersionOption = {}): Promise<Finding[]> {
    const version = this.resolve(options.version);
    return (
      this.db
        .prepare("SELECT data FROM graph_findings WHERE version = ? ORDER BY seq")
        .pluck()
        .all(version) as string[]
    ).map((d) => JSON.parse(d) as Finding);
  }

  async cycles(options: VersionOption = {}): Promise<Extract<Finding, { kind: "cycle" }>[]> {
    const version = this.resolve(options.version);
    return (
      this.db
        .prepare("SELECT data FROM graph_findings WHERE version = ? AND kind = 'cycle' ORDER BY seq")
        .pluck()
        .all(version) as string[]
    ).map((d) => JSON.parse(d) as Extract<Finding, { kind: "cycle" }>);
  }

  async diff(from: number, to: number): Promise<GraphDiff> {
    const [before, after] = [await this.readGraph({ version: from }), await this.readGraph({ version: to })];
    return diffGraphs(before, after);
  }

  async close(): Promise<void> {
    this.onClose?.();
  }
}

/**
 * Opens the graph store in the SQLite file `file` (usually `<estate>/.karma/karma.db`), sharing the
 * process-wide connection with the other embedded adapters.
 */
export function openSqliteGraphStore(file: string, options: SqliteGraphStoreOptions = {}): SqliteGraphStore {
  const lease = acquireDatabase(file);
  try {
    return new SqliteGraphStore(lease.db, {
      ...options,
      description: `sqlite ${file}`,
      onClose: () => lease.release(),
    });
  } catch (error) {
    lease.release();
    throw error;
  }
}
