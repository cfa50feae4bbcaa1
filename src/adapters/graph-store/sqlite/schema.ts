/**
 * Tables of the embedded graph store, in the shared `.karma/karma.db`. Append-only migrations
 * (see `migrate` in adapters/sqlite/database.ts): never edit an applied statement.
 *
 * - `graph_versions`: one row per build; `status` is `building` until the build's data is stored,
 *   then `ready` (in the same transaction as the data); `abandoned` for builds whose process died.
 *
 * Since migration 2, versions share rows: each node, link and finding row is stored once with a
 * validity interval [`since`, `until`) of version numbers (`until` NULL while current), so a build
 * that changes one component writes only that component's rows. A row belongs to ready version v
 * when `since <= v AND (until IS NULL OR until > v)`.
 *
 * - `graph_node_rows`: node JSON documents, keyed by id, each with the SHA-1 of its group — the
 *   node and the edges it is the consumer of (see interval-rows.ts) — so a build finds the
 *   changed groups by reading the current node rows' hashes (migration 5; before, a table of its
 *   own) from the partial index `graph_node_rows_current` (migration 6). A consumer without a
 *   node (a hand-made graph) has a row with no document.
 * - `graph_link_rows`: one row per consumer → producer pair with an edge of any kind. `dep` = 1
 *   when one of them is a dependency (`depends_on`, `inferred`): those rows are the
 *   component-level dependency adjacency the recursive CTEs walk, never the JSON. `kinds` has a
 *   bit per edge kind present and `docs` the pair's edge documents (migration 5, see
 *   pair-edges.ts; before, a row per edge in `graph_edge_rows`): the primary key serves the
 *   outgoing edges and the walks forward, the `graph_link_rows_to` index (to_id, dep, until) the
 *   incoming edges and the walks back.
 * - `graph_finding_rows`: finding JSON documents keyed by the document itself.
 *
 * A 10k-component version is ~38k rows (10k node rows, ~28k link rows) in two tables, the
 * to_id index and the current hashes' index; migration 5 took ~42k rows and two tables off a full
 * write (a row per edge, one per group hash).
 *
 * The partial `…_closed` indexes hold closed rows only (nothing on a cold write): pruning finds
 * the rows whose interval ended before the oldest kept version through them.
 *
 * Migration 1 stored a full copy of every version (`graph_nodes`, `graph_edges`, `graph_links`,
 * `graph_findings`, keyed by version); migration 2 folds those copies into intervals — runs of
 * consecutive ready versions with the same document become one row — and drops them.
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
  // 2: versions share rows (validity intervals); converts the per-version copies of migration 1
  `
  CREATE TABLE graph_group_rows (
    id    TEXT    NOT NULL,
    since INTEGER NOT NULL,
    until INTEGER,
    hash  TEXT    NOT NULL,
    PRIMARY KEY (id, since)
  ) WITHOUT ROWID;
  CREATE INDEX graph_group_rows_closed ON graph_group_rows (until) WHERE until IS NOT NULL;
  CREATE TABLE graph_node_rows (
    id    TEXT    NOT NULL,
    since INTEGER NOT NULL,
    until INTEGER,
    data  TEXT    NOT NULL,
    PRIMARY KEY (id, since)
  ) WITHOUT ROWID;
  CREATE INDEX graph_node_rows_closed ON graph_node_rows (until) WHERE until IS NOT NULL;
  CREATE TABLE graph_edge_rows (
    from_id TEXT    NOT NULL,
    rest    TEXT    NOT NULL,
    since   INTEGER NOT NULL,
    until   INTEGER,
    to_id   TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    PRIMARY KEY (from_id, rest, since)
  ) WITHOUT ROWID;
  CREATE INDEX graph_edge_rows_closed ON graph_edge_rows (until) WHERE until IS NOT NULL;
  CREATE TABLE graph_link_rows (
    from_id TEXT    NOT NULL,
    to_id   TEXT    NOT NULL,
    since   INTEGER NOT NULL,
    until   INTEGER,
    dep     INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_id, since)
  ) WITHOUT ROWID;
  CREATE INDEX graph_link_rows_to ON graph_link_rows (to_id, until);
  CREATE INDEX graph_link_rows_closed ON graph_link_rows (until) WHERE until IS NOT NULL;
  CREATE TABLE graph_finding_rows (
    key   TEXT    NOT NULL,
    since INTEGER NOT NULL,
    until INTEGER,
    kind  TEXT    NOT NULL,
    data  TEXT    NOT NULL,
    PRIMARY KEY (key, since)
  ) WITHOUT ROWID;
  CREATE INDEX graph_finding_rows_closed ON graph_finding_rows (until) WHERE until IS NOT NULL;

  -- ready versions in order, each with its rank and the next ready version: a row present in
  -- ranks r..s (consecutive) is one interval [version(r), next(s)); gaps-and-islands over ranks
  CREATE TEMP TABLE graph_ready AS
    SELECT version,
           row_number() OVER (ORDER BY version) AS rank,
           lead(version) OVER (ORDER BY version) AS next
    FROM main.graph_versions WHERE status = 'ready';

  INSERT INTO graph_node_rows (id, since, until, data)
    WITH copies AS (
      SELECT n.id, n.data, n.version, r.rank - row_number() OVER (PARTITION BY n.id, n.data ORDER BY n.version) AS island
      FROM graph_nodes n JOIN temp.graph_ready r ON r.version = n.version
    ),
    runs AS (SELECT id, data, MIN(version) AS since, MAX(version) AS last FROM copies GROUP BY id, data, island)
    SELECT runs.id, runs.since, r.next, runs.data FROM runs JOIN temp.graph_ready r ON r.version = runs.last;

  INSERT INTO graph_edge_rows (from_id, rest, since, until, to_id, kind, data)
    WITH keyed AS (
      SELECT e.version, e.seq, e.from_id, e.to_id, e.kind, e.data,
             e.to_id || char(1) || e.kind || char(1) || coalesce(json_extract(e.data, '$.evidence.pointer'), '') || char(1)
               || coalesce(json_extract(e.data, '$.evidence.producerKey'), '') AS key
      FROM graph_edges e
    ),
    numbered AS (
      SELECT *, row_number() OVER (PARTITION BY version, from_id, key ORDER BY seq) - 1 AS dup FROM keyed
    ),
    copies AS (
      SELECT n.from_id, CASE WHEN n.dup = 0 THEN n.key ELSE n.key || char(1) || n.dup END AS rest,
             n.to_id, n.kind, n.data, n.version,
             r.rank - row_number() OVER (PARTITION BY n.from_id, n.key, n.dup, n.data ORDER BY n.version) AS island
      FROM numbered n JOIN temp.graph_ready r ON r.version = n.version
    ),
    runs AS (
      SELECT from_id, rest, to_id, kind, data, MIN(version) AS since, MAX(version) AS last
      FROM copies GROUP BY from_id, rest, data, island
    )
    SELECT runs.from_id, runs.rest, runs.since, r.next, runs.to_id, runs.kind, runs.data
    FROM runs JOIN temp.graph_ready r ON r.version = runs.last;

  INSERT INTO graph_link_rows (from_id, to_id, since, until, dep)
    WITH pairs AS (
      SELECT version, from_id, to_id, MAX(kind IN ('depends_on', 'inferred')) AS dep
      FROM graph_edges GROUP BY version, from_id, to_id
    ),
    copies AS (
      SELECT p.from_id, p.to_id, p.dep, p.version,
             r.rank - row_number() OVER (PARTITION BY p.from_id, p.to_id, p.dep ORDER BY p.version) AS island
      FROM pairs p JOIN temp.graph_ready r ON r.version = p.version
    ),
    runs AS (
      SELECT from_id, to_id, dep, MIN(version) AS since, MAX(version) AS last FROM copies GROUP BY from_id, to_id, dep, island
    )
    SELECT runs.from_id, runs.to_id, runs.since, r.next, runs.dep FROM runs JOIN temp.graph_ready r ON r.version = runs.last;

  INSERT INTO graph_finding_rows (key, since, until, kind, data)
    WITH numbered AS (
      SELECT f.version, f.kind, f.data, row_number() OVER (PARTITION BY f.version, f.data ORDER BY f.seq) - 1 AS dup
      FROM graph_findings f
    ),
    copies AS (
      SELECT CASE WHEN n.dup = 0 THEN n.data ELSE n.data || char(1) || n.dup END AS key, n.kind, n.data, n.version,
             r.rank - row_number() OVER (PARTITION BY n.data, n.dup ORDER BY n.version) AS island
      FROM numbered n JOIN temp.graph_ready r ON r.version = n.version
    ),
    runs AS (SELECT key, kind, data, MIN(version) AS since, MAX(version) AS last FROM copies GROUP BY key, island)
    SELECT runs.key, runs.since, r.next, runs.kind, runs.data FROM runs JOIN temp.graph_ready r ON r.version = runs.last;

  DROP TABLE temp.graph_ready;
  DROP TABLE graph_nodes;
  DROP TABLE graph_edges;
  DROP TABLE graph_links;
  DROP TABLE graph_findings;
  `,
  // 3: edge rows keyed by their position in their group (node writes replace whole groups, so a
  // row needs no identity of its own): no `rest` key. Converted rows number by their old key.
  `
  CREATE TABLE graph_edge_rows_3 (
    from_id TEXT    NOT NULL,
    seq     INTEGER NOT NULL,
    since   INTEGER NOT NULL,
    until   INTEGER,
    to_id   TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    PRIMARY KEY (from_id, seq, since)
  ) WITHOUT ROWID;
  INSERT INTO graph_edge_rows_3 (from_id, seq, since, until, to_id, kind, data)
    SELECT from_id, dense_rank() OVER (PARTITION BY from_id ORDER BY rest) - 1, since, until, to_id, kind, data
    FROM graph_edge_rows;
  DROP TABLE graph_edge_rows;
  ALTER TABLE graph_edge_rows_3 RENAME TO graph_edge_rows;
  CREATE INDEX graph_edge_rows_closed ON graph_edge_rows (until) WHERE until IS NOT NULL;
  `,
  // 4: the reverse walks' index covers dep (they read only dependency pairs): no lookup of the
  // row for each link of an impact walk
  `
  DROP INDEX graph_link_rows_to;
  CREATE INDEX graph_link_rows_to ON graph_link_rows (to_id, dep, until);
  `,
  // 5: a group's hash in its node row (a node row with no document for edges whose consumer has
  // no node), edges in their link row: two tables and ~40k rows fewer on a 10k-component write.
  // Converted rows have no hash (''): the first build after it rewrites the current version once.
  // A pair's link rows split where one of its edge rows begins or ends.
  `
  CREATE TABLE graph_node_rows_5 (
    id    TEXT    NOT NULL,
    since INTEGER NOT NULL,
    until INTEGER,
    hash  TEXT    NOT NULL,
    data  TEXT,
    PRIMARY KEY (id, since)
  ) WITHOUT ROWID;
  INSERT INTO graph_node_rows_5 (id, since, until, hash, data) SELECT id, since, until, '', data FROM graph_node_rows;
  CREATE TABLE graph_link_rows_5 (
    from_id TEXT    NOT NULL,
    to_id   TEXT    NOT NULL,
    since   INTEGER NOT NULL,
    until   INTEGER,
    dep     INTEGER NOT NULL,
    kinds   INTEGER NOT NULL,
    docs    TEXT    NOT NULL,
    PRIMARY KEY (from_id, to_id, since)
  ) WITHOUT ROWID;
  INSERT INTO graph_link_rows_5 (from_id, to_id, since, until, dep, kinds, docs)
    WITH bounds AS (
      SELECT from_id, to_id, since AS at FROM graph_edge_rows
      UNION SELECT from_id, to_id, until FROM graph_edge_rows WHERE until IS NOT NULL
    ),
    spans AS (
      SELECT from_id, to_id, at AS since, lead(at) OVER (PARTITION BY from_id, to_id ORDER BY at) AS until
      FROM bounds
    ),
    -- the pair's edges in each span (kind bits as in pair-edges.ts: depends_on 1, consumes 2, inferred 4)
    pairs AS (
      SELECT s.from_id, s.to_id, s.since, s.until,
        (SELECT MAX(e.kind IN ('depends_on', 'inferred')) FROM graph_edge_rows e
         WHERE e.from_id = s.from_id AND e.to_id = s.to_id
           AND e.since <= s.since AND (e.until IS NULL OR e.until > s.since)) AS dep,
        (SELECT MAX(e.kind = 'depends_on') + 2 * MAX(e.kind = 'consumes') + 4 * MAX(e.kind = 'inferred')
         FROM graph_edge_rows e
         WHERE e.from_id = s.from_id AND e.to_id = s.to_id
           AND e.since <= s.since AND (e.until IS NULL OR e.until > s.since)) AS kinds,
        (SELECT group_concat(e.data, char(10) ORDER BY e.seq) FROM graph_edge_rows e
         WHERE e.from_id = s.from_id AND e.to_id = s.to_id
           AND e.since <= s.since AND (e.until IS NULL OR e.until > s.since)) AS docs
      FROM spans s
    )
    SELECT from_id, to_id, since, until, dep, kinds, docs FROM pairs WHERE docs IS NOT NULL;
  DROP TABLE graph_group_rows;
  DROP TABLE graph_node_rows;
  DROP TABLE graph_edge_rows;
  DROP TABLE graph_link_rows;
  ALTER TABLE graph_node_rows_5 RENAME TO graph_node_rows;
  ALTER TABLE graph_link_rows_5 RENAME TO graph_link_rows;
  CREATE INDEX graph_node_rows_closed ON graph_node_rows (until) WHERE until IS NOT NULL;
  CREATE INDEX graph_link_rows_to ON graph_link_rows (to_id, dep, until);
  CREATE INDEX graph_link_rows_closed ON graph_link_rows (until) WHERE until IS NOT NULL;
  `,
  // 6: the current groups' hashes, which every build reads, in a covering index of their own
  // (~0.5 MB at 10k) rather than a scan of every node document (~2.3 MB)
  `
  CREATE INDEX graph_node_rows_current ON graph_node_rows (id, hash, until) WHERE until IS NULL;
  `,
  // 7: no table changes. Link rows' docs may hold compact edge documents (pair-edges.ts), which a
  // Karma that knows six migrations would read as broken edges: this version makes it refuse the
  // database instead (see `migrate`)
  `
  -- compact edge documents in graph_link_rows.docs
  `,
];
