/**
 * Tables of the embedded graph store, in the shared `.karma/karma.db`. Append-only migrations
 * (see `migrate` in adapters/sqlite/database.ts): never edit an applied statement.
 *
 * - `graph_versions`: one row per build; `status` is `building` until the build's data is stored,
 *   then `ready` (in the same transaction as the data); `abandoned` for builds whose process died.
 * - `graph_nodes`, `graph_edges`, `graph_findings`: the full version, as JSON documents plus the
 *   columns queries filter on.
 * - `graph_links`: the component-level dependency adjacency (one row per consumer → producer
 *   pair), indexed both ways; the recursive CTEs walk this table, never the JSON.
 */
export const GRAPH_STORE_MODULE = "graph-store";

export const GRAPH_STORE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE graph_versions (
    version       INTEGER PRIMARY KEY,
    status        TEXT    NOT NULL CHECK (status IN ('building', 'ready', 'abandoned')),
    started_at    TEXT    NOT NULL,
    ready_at      TEXT,
    pid           INTEGER,
    host          TEXT,
    actor         TEXT,
    source        TEXT    NOT NULL,
    node_count    INTEGER NOT NULL DEFAULT 0,
    edge_count    INTEGER NOT NULL DEFAULT 0,
    finding_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE graph_nodes (
    version INTEGER NOT NULL,
    id      TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    PRIMARY KEY (version, id)
  ) WITHOUT ROWID;
  CREATE TABLE graph_edges (
    version INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    from_id TEXT    NOT NULL,
    to_id   TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    PRIMARY KEY (version, seq)
  ) WITHOUT ROWID;
  CREATE INDEX graph_edges_from ON graph_edges (version, from_id);
  CREATE INDEX graph_edges_to ON graph_edges (version, to_id);
  CREATE TABLE graph_links (
    version INTEGER NOT NULL,
    from_id TEXT    NOT NULL,
    to_id   TEXT    NOT NULL,
    PRIMARY KEY (version, from_id, to_id)
  ) WITHOUT ROWID;
  CREATE INDEX graph_links_to ON graph_links (version, to_id, from_id);
  CREATE TABLE graph_findings (
    version INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    kind    TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    PRIMARY KEY (version, seq)
  ) WITHOUT ROWID;
  `,
];
