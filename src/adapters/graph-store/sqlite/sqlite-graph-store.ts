/**
 * The embedded graph store: SQLite tables in the shared Karma database.
 *
 * Atomic versions: `writeVersion` first commits a `building` row (so the version number is taken
 * and an in-progress build is visible to operators), then writes the version's rows and flips the
 * row to `ready` in ONE transaction. A process killed mid-build rolls that transaction back; its
 * row stays `building` (never read) and the next build marks it `abandoned`. Readers filter on
 * `ready`, so they never see a partial version.
 *
 * Shared rows: versions share the rows that did not change (validity intervals, see schema.ts and
 * interval-rows.ts), so a version is written as its difference from the current rows. That needs
 * versions to become ready in number order: a build that commits after a newer one took a higher
 * number first (two concurrent builds) is renumbered past it in its commit transaction.
 *
 * Transitive queries: a recursive CTE over `graph_link_rows` finds the reachable region (each node
 * visited once for unbounded walks; (node, depth) pairs for bounded ones) and returns its links;
 * a breadth-first pass over that region — never the whole graph — assigns depths and shortest paths.
 */
import os from "node:os";
import { adjacencyFromPairs } from "../../../core/graph/adjacency.js";
import { diffGraphs, type GraphDiff } from "../../../core/graph/diff.js";
import {
  compareEdges,
  compareFindings,
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
import { INTERVAL_TABLES, prepareGraph, writeVersionRows } from "./interval-rows.js";
import { kindsMask, LINK_COLUMNS, type LinkRow, readPairEdges } from "./pair-edges.js";
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

/** A row of alias `a` belongs to version `@version` (named parameter). */
const visible = (a = "") => `${a}since <= @version AND (${a}until IS NULL OR ${a}until > @version)`;

/** Sorts `items` by `compare` unless they already are (the SQL order matches but for exotic text). */
function sortedBy<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < items.length; i++) {
    if (compare(items[i - 1]!, items[i]!) > 0) return items.sort(compare);
  }
  return items;
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
    // the documents are serialised before the write lock is taken
    const prepared = prepareGraph(graph);
    const begun = this.beginVersion(graph.source, meta.actor);
    const commit = this.db.transaction(() => {
      const version = this.claimVersion(begun);
      writeVersionRows(this.db, prepared, version);
      const readyAt = new Date().toISOString();
      this.db
        .prepare(
          `UPDATE graph_versions SET status = 'ready', ready_at = ?, node_count = ?, edge_count = ?, finding_count = ?
           WHERE version = ? AND status = 'building'`,
        )
        .run(readyAt, graph.nodes.length, graph.edges.length, graph.findings.length, version);
      this.prune();
      return version;
    });
    const version = commit.immediate();
    const info = this.db
      .prepare<[number], VersionRow>(`SELECT ${READY_VERSION_COLUMNS} FROM graph_versions WHERE version = ?`)
      .get(version);
    return toInfo(info!);
  }

  /**
   * The number the version commits as (inside the commit transaction): `begun`, unless a newer
   * version became ready since it was taken — the current rows are then that version's, and the
   * new rows must come after it — in which case the build moves to the next free number.
   */
  private claimVersion(begun: number): number {
    const newest =
      this.db
        .prepare<[], { v: number | null }>(
          "SELECT MAX(version) AS v FROM graph_versions WHERE status = 'ready'",
        )
        .get()?.v ?? 0;
    if (newest < begun) return begun;
    const next =
      (this.db.prepare<[], { v: number | null }>("SELECT MAX(version) AS v FROM graph_versions").get()?.v ??
        0) + 1;
    this.db.prepare("UPDATE graph_versions SET version = ? WHERE version = ?").run(next, begun);
    return next;
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

  /**
   * Deletes ready versions beyond the retention count, abandoned rows with them, and the rows no
   * kept version sees (their interval ended at or before the oldest kept version).
   */
  private prune(): void {
    const cutoff = this.db
      .prepare<[number], { version: number }>(
        "SELECT version FROM graph_versions WHERE status = 'ready' ORDER BY version DESC LIMIT 1 OFFSET ?",
      )
      .get(this.retain);
    if (cutoff === undefined) return;
    const oldestKept = this.db
      .prepare<[number], { v: number }>(
        "SELECT MIN(version) AS v FROM graph_versions WHERE status = 'ready' AND version > ?",
      )
      .get(cutoff.version)!.v;
    for (const table of INTERVAL_TABLES) {
      this.db.prepare(`DELETE FROM ${table} WHERE until IS NOT NULL AND until <= ?`).run(oldestKept);
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
        .prepare(`SELECT data FROM graph_node_rows WHERE ${visible()} AND data IS NOT NULL ORDER BY id`)
        .pluck()
        .all({ version }) as string[];
      return {
        version,
        source: JSON.parse(source) as GraphSource,
        nodes: nodes.map((d) => JSON.parse(d) as GraphNode),
        edges: this.edges(version),
        findings: this.findingsOf(version),
      };
    });
    return read.deferred();
  }

  async readEdges(options: EdgeQuery = {}): Promise<GraphEdge[]> {
    return this.edges(this.resolve(options.version), options.kinds);
  }

  /**
   * The edges of `version` (of `kinds`), in `compareEdges` order: the link rows' primary key's,
   * then each pair's. SQL keeps the pairs with an edge of `kinds` (by the `kinds` bits), JS the
   * edges.
   */
  private edges(version: number, kinds?: readonly string[]): GraphEdge[] {
    const mask = kinds === undefined ? undefined : kindsMask(kinds);
    const rows = this.db
      .prepare(
        `SELECT ${LINK_COLUMNS} FROM graph_link_rows WHERE ${visible()}${mask === undefined ? "" : " AND (kinds & @mask) != 0"}
         ORDER BY from_id, to_id`,
      )
      .raw()
      .all(mask === undefined ? { version } : { version, mask }) as LinkRow[];
    return sortedBy(readPairEdges(rows, kinds), compareEdges);
  }

  /** The findings of `version` (of `kind`), in `compareFindings` order. */
  private findingsOf(version: number, kind?: string): Finding[] {
    const rows = this.db
      .prepare(
        `SELECT data FROM graph_finding_rows WHERE ${visible()}${kind === undefined ? "" : " AND kind = @kind"} ORDER BY key`,
      )
      .pluck()
      .all(kind === undefined ? { version } : { version, kind }) as string[];
    return sortedBy(
      rows.map((d) => JSON.parse(d) as Finding),
      compareFindings,
    );
  }

  async nodeIds(options: VersionOption = {}): Promise<string[]> {
    const version = this.resolve(options.version);
    return this.db
      .prepare(`SELECT id FROM graph_node_rows WHERE ${visible()} AND data IS NOT NULL ORDER BY id`)
      .pluck()
      .all({ version }) as string[];
  }

  async getNode(id: string, options: VersionOption = {}): Promise<GraphNode | undefined> {
    const version = this.resolve(options.version);
    const data = this.db
      .prepare(`SELECT data FROM graph_node_rows WHERE id = @id AND ${visible()}`)
      .pluck()
      .get({ id, version }) as string | null | undefined;
    return data == null ? undefined : (JSON.parse(data) as GraphNode);
  }

  async edgesOf(id: string, options: VersionOption = {}): Promise<NodeEdges> {
    const version = this.resolve(options.version);
    const select = (sql: string) =>
      sortedBy(readPairEdges(this.db.prepare(sql).raw().all({ id, version }) as LinkRow[]), compareEdges);
    return {
      // outgoing: a range of the primary key, in order
      outgoing: select(
        `SELECT ${LINK_COLUMNS} FROM graph_link_rows WHERE from_id = @id AND ${visible()} ORDER BY to_id`,
      ),
      // incoming: the to_id index, then each pair's row
      incoming: select(
        `SELECT ${LINK_COLUMNS} FROM graph_link_rows INDEXED BY graph_link_rows_to
         WHERE to_id = @id AND ${visible()} ORDER BY from_id`,
      ),
    };
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
             SELECT value FROM json_each(@starts)
             UNION
             SELECT l.${far} FROM reach r CROSS JOIN graph_link_rows l ON l.${near} = r.id AND l.dep = 1 AND ${visible("l.")}
           )
           SELECT l.from_id, l.to_id FROM reach r CROSS JOIN graph_link_rows l ON l.${near} = r.id AND l.dep = 1 AND ${visible("l.")}`
        : `WITH RECURSIVE reach(id, depth) AS (
             SELECT value, 0 FROM json_each(@starts)
             UNION
             SELECT l.${far}, r.depth + 1 FROM reach r CROSS JOIN graph_link_rows l ON l.${near} = r.id AND l.dep = 1 AND ${visible("l.")}
             WHERE r.depth < @depth
           ),
           expanded AS (SELECT DISTINCT id FROM reach WHERE depth < @depth)
           SELECT l.from_id, l.to_id FROM expanded r CROSS JOIN graph_link_rows l ON l.${near} = r.id AND l.dep = 1 AND ${visible("l.")}`;
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
           SELECT @from UNION SELECT l.to_id FROM reach r CROSS JOIN graph_link_rows l ON l.from_id = r.id AND l.dep = 1 AND ${visible("l.")}
         )
         SELECT l.from_id, l.to_id FROM reach r CROSS JOIN graph_link_rows l ON l.from_id = r.id AND l.dep = 1 AND ${visible("l.")}`,
      )
      .raw()
      .all({ from, version }) as [string, string][];
    return shortestPath(adjacencyFromPairs(rows, [from, to]), from, to, "dependencies");
  }

  async waves(ids?: readonly string[], options: VersionOption = {}): Promise<Waves> {
    const version = this.resolve(options.version);
    if (ids === undefined) {
      const members = this.db
        .prepare(`SELECT id FROM graph_node_rows WHERE ${visible()} AND data IS NOT NULL`)
        .pluck()
        .all({ version }) as string[];
      const rows = this.db
        .prepare(`SELECT from_id, to_id FROM graph_link_rows WHERE dep = 1 AND ${visible()}`)
        .raw()
        .all({ version }) as [string, string][];
      return deployWaves(adjacencyFromPairs(rows, members));
    }
    // the members' dependency closure, so order through nodes outside the set is honoured
    const rows = this.db
      .prepare(
        `WITH RECURSIVE reach(id) AS (
           SELECT value FROM json_each(@ids)
           UNION
           SELECT l.to_id FROM reach r CROSS JOIN graph_link_rows l ON l.from_id = r.id AND l.dep = 1 AND ${visible("l.")}
         )
         SELECT l.from_id, l.to_id FROM reach r CROSS JOIN graph_link_rows l ON l.from_id = r.id AND l.dep = 1 AND ${visible("l.")}`,
      )
      .raw()
      .all({ ids: JSON.stringify(ids), version }) as [string, string][];
    return deployWaves(adjacencyFromPairs(rows, ids), ids);
  }

  async findings(options: VersionOption = {}): Promise<Finding[]> {
    return this.findingsOf(this.resolve(options.version));
  }

  async cycles(options: VersionOption = {}): Promise<Extract<Finding, { kind: "cycle" }>[]> {
    return this.findingsOf(this.resolve(options.version), "cycle") as Extract<Finding, { kind: "cycle" }>[];
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
