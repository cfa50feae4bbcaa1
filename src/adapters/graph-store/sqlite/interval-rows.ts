/**
 * Versions share rows (see schema.ts): a new version is written as its difference from the
 * current rows, so a one-component change writes that component's rows, not the whole graph.
 *
 * The unit of change is a node's group: the node's row and the link rows of the edges it is the
 * consumer of (`from`), which hold those edges' documents (see pair-edges.ts). Each group has a
 * SHA-1 of its documents, stored in its node row; a new version reads the current groups' hashes
 * and, for each group whose hash changed, closes the group's current rows (`until` = the new
 * version) and inserts its new ones (`since` = the new version). Findings are few and have no
 * owner: they are diffed row by row.
 */
import { DEPENDENCY_EDGE_KINDS, type Graph, type GraphEdge } from "../../../core/graph/model.js";
import { compareCodeUnits } from "../../../core/sort-small.js";
import { builtin } from "../../builtins.js";
import type { Db } from "../../sqlite/database.js";
import { docsColumn, edgeDoc, kindBit } from "./pair-edges.js";

/** Separates a repeated finding's document from its repeat count in its key. */
const SEP = "\u0001";

/**
 * Changes when the rows derived from a group change shape (e.g. how its edges are stored): every
 * group's hash then differs and the next version rewrites every group once. 4: compact edge
 * documents (pair-edges.ts `edgeDoc`), so the current version is rewritten in them once; the
 * rows of older versions keep whole edges, which reads still take. 5: their kinds and forms as
 * codes (4 wrote strings, which reads still take).
 */
const GROUP_FORMAT = "5";

/**
 * SHA-1, base64. The one-shot `crypto.hash` (Node 20.12+) where there is one: a Hash object per
 * group cost as much as the hashing. node:crypto loads on the first write, not with this module:
 * read commands open the store too and never hash (~3 ms of their start-up).
 */
function sha1(text: string): string {
  oneShotSha1 ??= makeSha1();
  return oneShotSha1(text);
}

let oneShotSha1: ((text: string) => string) | undefined;

function makeSha1(): (text: string) => string {
  const crypto = builtin("node:crypto");
  return typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha1", text, "base64")
    : (text) => crypto.createHash("sha1").update(text).digest("base64");
}

/** One node's group, serialised: what is hashed and, when it changed, written. */
interface Group {
  id: string;
  /** The node's document, when there is a node with this id. */
  node: string | null;
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
 * if its group changed); the link rows are only made for the groups that are written.
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
        group = { id: edge.from, node: null, edges: [], docs: [], hash: "" };
        groups.set(edge.from, group);
      }
    }
    group.edges.push(edge);
    group.docs.push(edgeDoc(edge));
  }
  for (const group of groups.values()) {
    // one string per group: a hash update per document cost more than the hashing. Concatenated,
    // not joined then prefixed: the hash flattens it in one copy, not two. An edge's document
    // leaves out its producer (its link row holds it): hashed before it, length first, as an id
    // may hold any character, so the text reads back one way only
    let text = `${GROUP_FORMAT}\n${group.node ?? ""}\n`;
    const { docs, edges } = group;
    for (let i = 0; i < docs.length; i++) {
      const to = edges[i]!.to;
      text += i === 0 ? `${to.length}:${to}${docs[i]}` : `\n${to.length}:${to}${docs[i]}`;
    }
    group.hash = sha1(text);
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
 * Adds `group`'s link rows (from_id, to_id, since, dep, kinds, docs) to `links`: one per producer,
 * `dep` = 1 when one of the edges to it is a dependency, `kinds` the bits of their kinds, `docs`
 * their documents in graph order. The builder's edges are sorted, so a pair's edges are one run;
 * others (a hand-made graph) are put in that order first by a stable sort, which keeps a pair's
 * edges in graph order.
 */
function groupLinks(group: Group, version: number, links: RowInserter): void {
  let { edges, docs } = group;
  if (!sortedByTo(edges)) {
    const order = edges
      .map((_, i) => i)
      .sort((a, b) => compareCodeUnits(group.edges[a]!.to, group.edges[b]!.to));
    edges = order.map((i) => group.edges[i]!);
    docs = order.map((i) => group.docs[i]!);
  }
  for (let start = 0; start < edges.length; ) {
    const to = edges[start]!.to;
    let end = start;
    let dep = 0;
    let kinds = 0;
    for (; end < edges.length && edges[end]!.to === to; end++) {
      const kind = edges[end]!.kind;
      if (DEPENDENCY_EDGE_KINDS.includes(kind)) dep = 1;
      kinds |= kindBit(kind);
    }
    const column = end === start + 1 ? docs[start]! : docsColumn(docs.slice(start, end));
    links.values.push(group.id, to, version, dep, kinds, column);
    links.flushIfFull();
    start = end;
  }
}

/** Whether a group's edges are in `to` order (the builder's are), so each pair's are one run. */
function sortedByTo(edges: readonly GraphEdge[]): boolean {
  for (let i = 1; i < edges.length; i++) if (edges[i]!.to < edges[i - 1]!.to) return false;
  return true;
}

/** Rows per INSERT statement: well under SQLite's bound-parameter limit at 6 columns. */
const BATCH_ROWS = 500;

/**
 * Inserts rows BATCH_ROWS per statement call (one call per row cost more than SQLite's own work),
 * as they are made: the caller pushes a row's values onto `values`, then calls `flushIfFull`;
 * `finish` inserts the rest. No flat array of every row, no copies of its slices.
 */
class RowInserter {
  values: unknown[] = [];
  private full: ReturnType<Db["prepare"]> | undefined;
  private readonly batch: number;

  constructor(
    private readonly db: Db,
    private readonly head: string,
    private readonly columns: number,
  ) {
    this.batch = BATCH_ROWS * columns;
  }

  flushIfFull(): void {
    if (this.values.length < this.batch) return;
    this.full ??= this.db.prepare(`${this.head} VALUES ${this.rowsSql(BATCH_ROWS)}`);
    this.full.run(this.values);
    this.values = [];
  }

  finish(): void {
    if (this.values.length === 0) return;
    this.db
      .prepare(`${this.head} VALUES ${this.rowsSql(this.values.length / this.columns)}`)
      .run(this.values);
    this.values = [];
  }

  private rowsSql(rows: number): string {
    const row = `(${Array.from({ length: this.columns }, () => "?").join(", ")})`;
    return Array.from({ length: rows }, () => row).join(", ");
  }
}

/** The interval tables, in the order pruning visits them. */
export const INTERVAL_TABLES: readonly string[] = [
  "graph_node_rows",
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
    db
      .prepare("SELECT id, hash FROM graph_node_rows INDEXED BY graph_node_rows_current WHERE until IS NULL")
      .raw()
      .all() as [string, string][],
  );
  const changed: Group[] = [];
  for (const group of prepared.groups.values()) {
    if (current.get(group.id) === group.hash) current.delete(group.id);
    else changed.push(group);
  }
  // `current` now holds the groups that changed or are gone: their rows close. So do those of a
  // changed group that is not there: a consumer without a node as migration 5 converted it, with
  // link rows but no node row (new groups have none: closing them changes nothing)
  let closed = current.size;
  const closing = [...current.keys()];
  for (const group of changed) if (!current.has(group.id)) closing.push(group.id);
  if (current.size === 0 && changed.length === prepared.groups.size) {
    // no group is kept (a first version): whatever rows are still open close at once
    closed = closeAll(db, version);
  } else if (closing.length > LARGE_CHANGE && changed.length * 2 > prepared.groups.size) {
    // most groups changed (e.g. a builder revision): cheaper to close and write everything
    closed = closeAll(db, version);
    changed.length = 0;
    changed.push(...prepared.groups.values());
  } else if (closing.length > 0) {
    const statements = [
      db.prepare("UPDATE graph_node_rows SET until = ? WHERE id = ? AND until IS NULL"),
      db.prepare("UPDATE graph_link_rows SET until = ? WHERE from_id = ? AND until IS NULL"),
    ];
    for (const id of closing) for (const statement of statements) statement.run(version, id);
  }

  const nodes = new RowInserter(db, "INSERT INTO graph_node_rows (id, since, hash, data)", 4);
  const links = new RowInserter(
    db,
    "INSERT INTO graph_link_rows (from_id, to_id, since, dep, kinds, docs)",
    6,
  );
  const insert = () => {
    for (const group of changed) {
      nodes.values.push(group.id, version, group.hash, group.node);
      nodes.flushIfFull();
      groupLinks(group, version, links);
    }
    nodes.finish();
    links.finish();
  };
  if (changed.length > LARGE_CHANGE && isEmpty(db, "graph_link_rows"))
    withoutIndex(db, LINKS_TO_INDEX, insert);
  else insert();
  writeFindings(db, prepared.findings, version);
  return { written: changed.length, closed };
}

/** The index of the link rows by producer: its entries go in at random places. */
const LINKS_TO_INDEX = "graph_link_rows_to";

function isEmpty(db: Db, table: string): boolean {
  return db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() === undefined;
}

/**
 * Runs `fill` without the index `name`, then creates it again as it was defined (its SQL in the
 * schema): into an empty table (a first version), building the index once from sorted entries
 * costs less than inserting each of ~30k entries at a random place (~12 of ~35 ms at 10k). DDL is
 * transactional: a failure rolls the index back with the rows.
 */
function withoutIndex(db: Db, name: string, fill: () => void): void {
  const sql = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
    .pluck()
    .get(name) as string | undefined;
  if (sql !== undefined) db.exec(`DROP INDEX ${name}`);
  fill();
  if (sql !== undefined) db.exec(sql);
}

/** Closes every open node and link row; returns the number of groups closed. */
function closeAll(db: Db, version: number): number {
  const close = (table: string) =>
    db.prepare(`UPDATE ${table} SET until = ? WHERE until IS NULL`).run(version);
  close("graph_link_rows");
  return close("graph_node_rows").changes;
}

/** Findings row by row: a finding's key is its document, so equal keys are equal findings. */
function writeFindings(db: Db, findings: readonly string[], version: number): void {
  const open = new Set(
    db.prepare("SELECT key FROM graph_finding_rows WHERE until IS NULL").pluck().all() as string[],
  );
  const close = db.prepare("UPDATE graph_finding_rows SET until = ? WHERE key = ? AND until IS NULL");
  const inserts = new RowInserter(db, "INSERT INTO graph_finding_rows (key, since, kind, data)", 4);
  for (let i = 0; i < findings.length; i += 3) {
    if (open.delete(findings[i]!)) continue;
    inserts.values.push(findings[i], version, findings[i + 1], findings[i + 2]);
    inserts.flushIfFull();
  }
  for (const key of open) close.run(version, key);
  inserts.finish();
}
