/**
 * Versions share rows (see schema.ts): a new version is written as its difference from the
 * current rows, so a one-component change writes that component's rows, not the whole graph.
 *
 * The unit of change is a node's group: the node's row, the edges it is the consumer of (`from`)
 * and the links those edges make. Each group has a SHA-1 of its documents, stored as a row of
 * `graph_group_rows`; a new version reads the current groups' hashes (one short row per node,
 * instead of every edge document) and, for each group whose hash changed, closes the group's
 * current rows (`until` = the new version) and inserts its new ones (`since` = the new version).
 * Findings are few and have no owner: they are diffed row by row.
 */
import crypto from "node:crypto";
import { DEPENDENCY_EDGE_KINDS, type Graph, type GraphEdge } from "../../../core/graph/model.js";
import type { Db } from "../../sqlite/database.js";

/** Separates a repeated finding's document from its repeat count in its key. */
const SEP = "\u0001";

/**
 * Changes when the rows derived from a group change shape (e.g. how edge rows are keyed): every
 * group's hash then differs and the next version rewrites every group once.
 */
const GROUP_FORMAT = "2";

/**
 * SHA-1, base64. The one-shot `crypto.hash` (Node 20.12+) where there is one: a Hash object per
 * group cost as much as the hashing.
 */
const sha1: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha1", text, "base64")
    : (text) => crypto.createHash("sha1").update(text).digest("base64");

/** One node's group, serialised: what is hashed and, when it changed, written. */
interface Group {
  id: string;
  /** The node's document, when there is a node with this id. */
  node?: string;
  /** The edges the node is the consumer of, in graph order, and their documents. */
  edges: GraphEdge[];
  docs: string[];
  hash: string;
}

/** A version's rows, serialised before the write transaction so the lock is held for SQL only. */
export interface PreparedGraph {
  groups: Map<string, Group>;
  /** Finding rows, flat: key, kind, data. */
  findings: string[];
}

/**
 * Groups and serialises `graph`: every document is stringified once (to hash it, and to store it
 * if its group changed); the rows' keys are only made for the groups that are written.
 */
export function prepareGraph(graph: Graph): PreparedGraph {
  const groups = new Map<string, Group>();
  for (const node of graph.nodes) {
    // as the primary key did before groups: two nodes with one id are a broken graph
    if (groups.has(node.id)) throw new Error(`The graph has two nodes with id ${node.id}.`);
    groups.set(node.id, { id: node.id, node: JSON.stringify(node), edges: [], docs: [], hash: "" });
  }
  // the builder's edges come sorted, so a group's edges are one run: one lookup per run
  let group: Group | undefined;
  for (const edge of graph.edges) {
    if (group?.id !== edge.from) {
      group = groups.get(edge.from);
      if (group === undefined) {
        group = { id: edge.from, edges: [], docs: [], hash: "" };
        groups.set(edge.from, group);
      }
    }
    group.edges.push(edge);
    group.docs.push(JSON.stringify(edge));
  }
  for (const group of groups.values()) {
    // one string per group: a hash update per document cost more than the hashing
    group.hash = sha1(`${GROUP_FORMAT}\n${group.node ?? ""}\n${group.docs.join("\n")}`);
  }

  const findings: string[] = [];
  const seenFindings = new Map<string, number>();
  for (const finding of graph.findings) {
    const data = JSON.stringify(finding);
    const count = seenFindings.get(data);
    seenFindings.set(data, (count ?? 0) + 1);
    findings.push(count === undefined ? data : `${data}${SEP}${count}`, finding.kind, data);
  }
  return { groups, findings };
}

/**
 * Appends `group`'s edge rows (from_id, seq, since, to_id, kind, data) and link rows (from_id,
 * to_id, since, dep) to `edges` and `links`. The builder's edges are sorted: a pair's edges are
 * adjacent, so a link is the previous one or new; only unsorted edges pay for a map.
 */
function groupRows(group: Group, version: number, edges: unknown[], links: unknown[]): void {
  let pairs: Map<string, number> | undefined;
  let previousTo = "";
  for (let i = 0; i < group.edges.length; i++) {
    const edge = group.edges[i]!;
    const to = edge.to;
    edges.push(group.id, i, version, to, edge.kind, group.docs[i]);
    if (pairs === undefined && i > 0 && to < previousTo) {
      pairs = new Map();
      for (let j = 0; j < links.length; j += 4)
        if (links[j] === group.id) pairs.set(links[j + 1] as string, j);
    }
    const dep = DEPENDENCY_EDGE_KINDS.includes(edge.kind) ? 1 : 0;
    const at =
      pairs === undefined ? (i > 0 && to === previousTo ? links.length - 4 : -1) : (pairs.get(to) ?? -1);
    if (at < 0) {
      pairs?.set(to, links.length);
      links.push(group.id, to, version, dep);
    } else if (dep === 1) links[at + 3] = 1;
    previousTo = to;
  }
}

/** Rows per INSERT statement: well under SQLite's bound-parameter limit at 7 columns. */
const BATCH_ROWS = 500;

/**
 * Inserts the rows in `values` (flat, `columns` values per row) BATCH_ROWS rows per statement
 * call: a 10k-component graph has ~45k rows, and one call per row cost more than SQLite's own work.
 */
function insertRows(db: Db, head: string, columns: number, values: readonly unknown[]): void {
  const rowsSql = (rows: number) => {
    const row = `(${Array.from({ length: columns }, () => "?").join(", ")})`;
    return Array.from({ length: rows }, () => row).join(", ");
  };
  const batch = BATCH_ROWS * columns;
  const full = values.length >= batch ? db.prepare(`${head} VALUES ${rowsSql(BATCH_ROWS)}`) : undefined;
  let at = 0;
  for (; at + batch <= values.length; at += batch) full!.run(values.slice(at, at + batch));
  if (at < values.length)
    db.prepare(`${head} VALUES ${rowsSql((values.length - at) / columns)}`).run(values.slice(at));
}

/** The interval tables, in the order pruning visits them. */
export const INTERVAL_TABLES: readonly string[] = [
  "graph_group_rows",
  "graph_node_rows",
  "graph_edge_rows",
  "graph_link_rows",
  "graph_finding_rows",
];

/** Groups closed one by one up to this many; beyond it, when most changed, all rows at once. */
const LARGE_CHANGE = 1_000;

/** What writing a version did, for tests and diagnostics. */
export interface VersionWrite {
  /** Groups whose rows were written (new or changed). */
  written: number;
  /** Groups whose rows were closed (changed or gone). */
  closed: number;
}

/**
 * Writes `prepared` as the rows of `version`, inside the caller's transaction: keeps the groups
 * whose hash did not change, closes the others' rows and inserts the new ones.
 */
export function writeVersionRows(db: Db, prepared: PreparedGraph, version: number): VersionWrite {
  const current = new Map(
    db.prepare("SELECT id, hash FROM graph_group_rows WHERE until IS NULL").raw().all() as [string, string][],
  );
  const changed: Group[] = [];
  for (const group of prepared.groups.values()) {
    if (current.get(group.id) === group.hash) current.delete(group.id);
    else changed.push(group);
  }
  // `current` now holds the groups that changed or are gone: their rows close
  const closing = [...current.keys()];
  let closed = closing.length;
  if (current.size === 0 && changed.length === prepared.groups.size) {
    // no group is kept (a first version, or the rows migration 2 converted, which have no
    // groups yet): whatever rows are still open close at once
    closed = closeAll(db, version);
  } else if (closing.length > LARGE_CHANGE && changed.length * 2 > prepared.groups.size) {
    // most groups changed (e.g. a builder revision): cheaper to close and write everything
    closed = closeAll(db, version);
    changed.length = 0;
    changed.push(...prepared.groups.values());
  } else if (closing.length > 0) {
    const statements = [
      db.prepare("UPDATE graph_group_rows SET until = ? WHERE id = ? AND until IS NULL"),
      db.prepare("UPDATE graph_node_rows SET until = ? WHERE id = ? AND until IS NULL"),
      db.prepare("UPDATE graph_edge_rows SET until = ? WHERE from_id = ? AND until IS NULL"),
      db.prepare("UPDATE graph_link_rows SET until = ? WHERE from_id = ? AND until IS NULL"),
    ];
    for (const id of closing) for (const statement of statements) statement.run(version, id);
  }

  const groups: unknown[] = [];
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  const links: unknown[] = [];
  for (const group of changed) {
    groups.push(group.id, version, group.hash);
    if (group.node !== undefined) nodes.push(group.id, version, group.node);
    groupRows(group, version, edges, links);
  }
  insertRows(db, "INSERT INTO graph_group_rows (id, since, hash)", 3, groups);
  insertRows(db, "INSERT INTO graph_node_rows (id, since, data)", 3, nodes);
  insertRows(db, "INSERT INTO graph_edge_rows (from_id, seq, since, to_id, kind, data)", 6, edges);
  insertRows(db, "INSERT INTO graph_link_rows (from_id, to_id, since, dep)", 4, links);
  writeFindings(db, prepared.findings, version);
  return { written: changed.length, closed };
}

/** Closes every open group, node, edge and link row; returns the number of groups closed. */
function closeAll(db: Db, version: number): number {
  let groups = 0;
  for (const table of INTERVAL_TABLES) {
    if (table === "graph_finding_rows") continue;
    const { changes } = db.prepare(`UPDATE ${table} SET until = ? WHERE until IS NULL`).run(version);
    if (table === "graph_group_rows") groups = changes;
  }
  return groups;
}

/** Findings row by row: a finding's key is its document, so equal keys are equal findings. */
function writeFindings(db: Db, findings: readonly string[], version: number): void {
  const open = new Set(
    db.prepare("SELECT key FROM graph_finding_rows WHERE until IS NULL").pluck().all() as string[],
  );
  const inserts: unknown[] = [];
  for (let i = 0; i < findings.length; i += 3) {
    if (open.delete(findings[i]!)) continue;
    inserts.push(findings[i], version, findings[i + 1], findings[i + 2]);
  }
  const close = db.prepare("UPDATE graph_finding_rows SET until = ? WHERE key = ? AND until IS NULL");
  for (const key of open) close.run(version, key);
  insertRows(db, "INSERT INTO graph_finding_rows (key, since, kind, data)", 4, inserts);
}
