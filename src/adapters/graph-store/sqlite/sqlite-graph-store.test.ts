import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  compareEdges,
  type EdgeKind,
  type Graph,
  type GraphEdge,
  type GraphNode,
} from "../../../core/graph/model.js";
import { acquireDatabase, migrate, openDatabase } from "../../sqlite/database.js";
import { contractGraph, graphStoreContract } from "../contract.js";
import { kindBit } from "./pair-edges.js";
import { GRAPH_STORE_MIGRATIONS, GRAPH_STORE_MODULE } from "./schema.js";
import { openSqliteGraphStore, SqliteGraphStore } from "./sqlite-graph-store.js";

function tempDb(): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-graph-store-"));
  return {
    file: path.join(dir, "karma.db"),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

graphStoreContract("sqlite", async (options) => {
  const { file, cleanup } = tempDb();
  return {
    store: openSqliteGraphStore(file, options),
    cleanup,
    storedElements: async () => Object.values(rowCounts(file)).reduce((sum, n) => sum + n, versionRows(file)),
  };
});

const here = path.dirname(fileURLToPath(import.meta.url));

describe("SqliteGraphStore atomic versions", () => {
  it("a build killed midway leaves the previous version current and nothing half-written", () => {
    const { file, cleanup } = tempDb();
    try {
      const child = (mode: string) =>
        spawnSync(
          process.execPath,
          ["--import", "tsx", path.join(here, "testing", "crash-writer.ts"), file, mode],
          {
            encoding: "utf8",
            timeout: 60_000,
          },
        );
      const first = child("complete");
      expect(first.status, first.stderr).toBe(0);
      const crashed = child("crash");
      expect(crashed.signal).toBe("SIGKILL");

      const store = openSqliteGraphStore(file);
      return (async () => {
        try {
          expect((await store.listVersions()).map((v) => v.version)).toEqual([1]);
          const current = await store.readGraph();
          expect(current.version).toBe(1);
          expect(current.nodes).toHaveLength(2_000);
          // the killed build's rows were rolled back; its version row is only a `building` marker
          const lease = acquireDatabase(file);
          const rows = lease.db.prepare("SELECT version, status FROM graph_versions ORDER BY version").all();
          const orphanNodes = lease.db
            .prepare("SELECT COUNT(*) AS n FROM graph_node_rows WHERE since = 2 OR until = 2")
            .get();
          lease.release();
          expect(rows).toEqual([
            { version: 1, status: "ready" },
            { version: 2, status: "building" },
          ]);
          expect(orphanNodes).toEqual({ n: 0 });
          // the next build abandons the dead one and becomes current
          const next = await store.writeVersion(contractGraph("a>b"));
          expect(next.version).toBe(3);
          expect((await store.listVersions()).map((v) => v.version)).toEqual([1, 3]);
        } finally {
          await store.close();
          cleanup();
        }
      })();
    } catch (error) {
      cleanup();
      throw error;
    }
  });

  it("stores a graph larger than one insert batch whole: every node, edge and link reads back", async () => {
    const { file, cleanup } = tempDb();
    const store = openSqliteGraphStore(file);
    try {
      // a chain of 450 components: 449 edges and links, more rows than one batch holds
      const pairs = Array.from({ length: 449 }, (_, i) => `n${i}>n${i + 1}`);
      const graph = contractGraph(...pairs);
      const info = await store.writeVersion(graph);
      expect([info.nodeCount, info.edgeCount]).toEqual([450, graph.edges.length]);
      const read = await store.readGraph();
      expect(read.nodes).toEqual(graph.nodes);
      expect(read.edges).toEqual(graph.edges);
      expect(await store.dependents(["dev:t/n449"])).toHaveLength(449);
    } finally {
      await store.close();
      cleanup();
    }
  });

  it("a first version of more than a thousand groups builds the to_id index once, and it is the schema's", async () => {
    const { file, cleanup } = tempDb();
    const store = openSqliteGraphStore(file);
    const lease = acquireDatabase(file);
    const indexSql = () =>
      lease.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'graph_link_rows_to'").pluck().get();
    try {
      const before = indexSql();
      expect(before).toContain("(to_id, dep, until)");
      const graph = chain(1_500);
      await store.writeVersion(graph);
      expect(indexSql()).toBe(before);
      // the incoming edges and the walks back go through that index
      expect((await store.edgesOf("dev:t/c700")).incoming.map((e) => e.from)).toEqual(["dev:t/c699"]);
      expect(await store.dependents(["dev:t/c1499"])).toHaveLength(1_499);
      const entries = lease.db
        .prepare("SELECT COUNT(*) FROM graph_link_rows INDEXED BY graph_link_rows_to WHERE to_id > ''")
        .pluck()
        .get();
      expect(entries).toBe(graph.edges.length);
    } finally {
      lease.release();
      await store.close();
      cleanup();
    }
  });

  it("keeps only the configured number of versions", async () => {
    const { file, cleanup } = tempDb();
    const store = openSqliteGraphStore(file, { retainVersions: 2 });
    try {
      for (let i = 0; i < 4; i++) await store.writeVersion(contractGraph("a>b"));
      expect((await store.listVersions()).map((v) => v.version)).toEqual([3, 4]);
    } finally {
      await store.close();
      cleanup();
    }
  });

  it("shares the database file with other adapters' tables", async () => {
    const { file, cleanup } = tempDb();
    const lease = acquireDatabase(file);
    lease.db.exec("CREATE TABLE other_adapter (x INTEGER)");
    const store = openSqliteGraphStore(file);
    try {
      await store.writeVersion(contractGraph("a>b"));
      const tables = lease.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual(expect.arrayContaining(["other_adapter", "graph_versions", "graph_link_rows"]));
    } finally {
      await store.close();
      lease.release();
      cleanup();
    }
  });
});

/** Rows of graph_versions (ready, building and abandoned). */
function versionRows(file: string): number {
  const lease = acquireDatabase(file);
  try {
    return lease.db.prepare("SELECT COUNT(*) FROM graph_versions").pluck().get() as number;
  } finally {
    lease.release();
  }
}

/** Rows of each interval table (all versions). */
function rowCounts(file: string): Record<string, number> {
  const lease = acquireDatabase(file);
  try {
    const count = (table: string) =>
      lease.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    return {
      nodes: count("graph_node_rows"),
      links: count("graph_link_rows"),
      findings: count("graph_finding_rows"),
    };
  } finally {
    lease.release();
  }
}

/** A chain of `n` components, c0 > c1 > … (each depends on the next). */
const chain = (n: number) => contractGraph(...Array.from({ length: n - 1 }, (_, i) => `c${i}>c${i + 1}`));

describe("SqliteGraphStore shared rows (validity intervals)", () => {
  it("a one-component change adds that component's rows only, and every version reads back as written", async () => {
    const { file, cleanup } = tempDb();
    const store = openSqliteGraphStore(file);
    try {
      const v1 = chain(300);
      await store.writeVersion(v1);
      expect(rowCounts(file)).toEqual({ nodes: 300, links: 299, findings: 0 });

      // one node changes (a redeploy): its group — the node and the link row of the one edge it
      // is the consumer of — is written again, nothing else
      const v2: Graph = structuredClone(v1);
      v2.nodes.find((n) => n.id === "dev:t/c10")!.runtimeVersion = 7;
      await store.writeVersion(v2);
      expect(rowCounts(file)).toEqual({ nodes: 301, links: 300, findings: 0 });

      // one component gains a dependency: its own node and link rows are rewritten, nothing else
      const v3 = contractGraph(...Array.from({ length: 299 }, (_, i) => `c${i}>c${i + 1}`), "c5>c200");
      v3.nodes.find((n) => n.id === "dev:t/c10")!.runtimeVersion = 7;
      await store.writeVersion(v3);
      expect(rowCounts(file)).toEqual({ nodes: 302, links: 302, findings: 0 });

      // time travel: each version is exactly what was written, never a newer row
      expect(await store.readGraph({ version: 1 })).toEqual({ ...v1, version: 1 });
      expect(await store.readGraph({ version: 2 })).toEqual({ ...v2, version: 2 });
      expect(await store.readGraph({ version: 3 })).toEqual({ ...v3, version: 3 });
      expect((await store.getNode("dev:t/c10", { version: 1 }))?.runtimeVersion).toBeUndefined();
      expect((await store.getNode("dev:t/c10", { version: 2 }))?.runtimeVersion).toBe(7);
      expect((await store.edgesOf("dev:t/c200", { version: 2 })).incoming.map((e) => e.from)).toEqual([
        "dev:t/c199",
      ]);
      expect((await store.edgesOf("dev:t/c200", { version: 3 })).incoming.map((e) => e.from)).toEqual([
        "dev:t/c199",
        "dev:t/c5",
      ]);
      expect(await store.shortestPath("dev:t/c5", "dev:t/c200", { version: 2 })).toHaveLength(196);
      expect(await store.shortestPath("dev:t/c5", "dev:t/c200", { version: 3 })).toEqual([
        "dev:t/c5",
        "dev:t/c200",
      ]);
      expect((await store.dependents(["dev:t/c200"], { version: 2, depth: 1 })).map((r) => r.id)).toEqual([
        "dev:t/c199",
      ]);
      const diff = await store.diff(2, 3);
      expect(diff.edges.added.map((e) => `${e.from}>${e.to}`)).toEqual(["dev:t/c5>dev:t/c200"]);
      expect(diff.nodes.changed ?? []).toHaveLength(0);
    } finally {
      await store.close();
      cleanup();
    }
  });

  it("a component removed and added back is absent from the versions between, and findings follow their version", async () => {
    const { file, cleanup } = tempDb();
    const store = openSqliteGraphStore(file);
    try {
      const graphs = [
        contractGraph("a>b", "b>c"),
        contractGraph("a>b", "b>a"), // c gone, a cycle
        contractGraph("a>b", "b>c"), // c back, no cycle
      ];
      for (const graph of graphs) await store.writeVersion(graph);
      for (const [i, graph] of graphs.entries()) {
        expect(await store.readGraph({ version: i + 1 })).toEqual({ ...graph, version: i + 1 });
        expect(await store.nodeIds({ version: i + 1 })).toEqual(graph.nodes.map((n) => n.id));
        expect(await store.findings({ version: i + 1 })).toEqual(graph.findings);
      }
      expect(await store.getNode("dev:t/c", { version: 2 })).toBeUndefined();
      expect(await store.cycles({ version: 1 })).toEqual([]);
      expect(await store.cycles({ version: 2 })).toHaveLength(1);
      expect(await store.cycles({ version: 3 })).toEqual([]);
      expect((await store.dependencies(["dev:t/a"], { version: 2 })).map((r) => r.id)).toEqual(["dev:t/b"]);
      expect((await store.dependencies(["dev:t/a"], { version: 3 })).map((r) => r.id)).toEqual([
        "dev:t/b",
        "dev:t/c",
      ]);
    } finally {
      await store.close();
      cleanup();
    }
  });

  it("pruning deletes the rows no kept version sees and keeps the shared ones", async () => {
    const { file, cleanup } = tempDb();
    const store = openSqliteGraphStore(file, { retainVersions: 2 });
    try {
      const base = chain(50);
      const variant = (i: number): Graph => {
        const graph: Graph = structuredClone(base);
        graph.nodes[0]!.runtimeVersion = i;
        return graph;
      };
      for (let i = 1; i <= 5; i++) await store.writeVersion(variant(i));
      expect((await store.listVersions()).map((v) => v.version)).toEqual([4, 5]);
      // c0's group (its node, and its edge's link) has one row per kept version; every other row
      // is shared by both, and versions 1 to 3's rows of c0 are gone
      expect(rowCounts(file)).toEqual({ nodes: 51, links: 50, findings: 0 });
      expect(await store.readGraph({ version: 4 })).toEqual({ ...variant(4), version: 4 });
      expect(await store.readGraph({ version: 5 })).toEqual({ ...variant(5), version: 5 });
    } finally {
      await store.close();
      cleanup();
    }
  });

  it("keeps a hand-made graph's repeated and unsorted edges, read back sorted", async () => {
    const { file, cleanup } = tempDb();
    const store = openSqliteGraphStore(file);
    try {
      const base = contractGraph("a>b", "a>c");
      const repeated = { ...base.edges[1]!, configVersion: 9 };
      const graph: Graph = { ...base, edges: [base.edges[1]!, base.edges[0]!, repeated] };
      const info = await store.writeVersion(graph);
      expect(info.edgeCount).toBe(3);
      const read = await store.readEdges();
      expect(read).toHaveLength(3);
      expect(read.map((e) => e.to)).toEqual(["dev:t/b", "dev:t/c", "dev:t/c"]);
      expect(await store.waves()).toEqual({ waves: [["dev:t/b", "dev:t/c"], ["dev:t/a"]], blocked: [] });
    } finally {
      await store.close();
      cleanup();
    }
  });
});

describe("SqliteGraphStore migration 2 (per-version copies → shared rows)", () => {
  /** Writes `graphs` as versions 1… the way migration 1's store did: a full copy per version. */
  function writeCopies(file: string, graphs: readonly Graph[], abandoned: number[] = []): void {
    const lease = acquireDatabase(file);
    try {
      const db = lease.db;
      migrate(db, GRAPH_STORE_MODULE, GRAPH_STORE_MIGRATIONS.slice(0, 1));
      let version = 0;
      for (const graph of graphs) {
        version++;
        while (abandoned.includes(version)) {
          db.prepare(
            "INSERT INTO graph_versions (version, status, started_at, source) VALUES (?, 'abandoned', 'then', '{}')",
          ).run(version);
          version++;
        }
        db.prepare(
          `INSERT INTO graph_versions (version, status, started_at, ready_at, source, node_count, edge_count, finding_count)
           VALUES (?, 'ready', 'then', ?, ?, ?, ?, ?)`,
        ).run(
          version,
          `2026-01-0${version}T00:00:00.000Z`,
          JSON.stringify(graph.source),
          graph.nodes.length,
          graph.edges.length,
          graph.findings.length,
        );
        for (const node of graph.nodes) {
          db.prepare("INSERT INTO graph_nodes (version, id, data) VALUES (?, ?, ?)").run(
            version,
            node.id,
            JSON.stringify(node),
          );
        }
        graph.edges.forEach((edge, seq) => {
          db.prepare(
            "INSERT INTO graph_edges (version, seq, from_id, to_id, kind, data) VALUES (?, ?, ?, ?, ?, ?)",
          ).run(version, seq, edge.from, edge.to, edge.kind, JSON.stringify(edge));
          if (edge.kind === "depends_on" || edge.kind === "inferred") {
            db.prepare("INSERT OR IGNORE INTO graph_links (version, from_id, to_id) VALUES (?, ?, ?)").run(
              version,
              edge.from,
              edge.to,
            );
          }
        });
        graph.findings.forEach((finding, seq) => {
          db.prepare("INSERT INTO graph_findings (version, seq, kind, data) VALUES (?, ?, ?, ?)").run(
            version,
            seq,
            finding.kind,
            JSON.stringify(finding),
          );
        });
      }
    } finally {
      lease.release();
    }
  }

  it("folds runs of equal copies into one row each, and every version reads back as before", async () => {
    const { file, cleanup } = tempDb();
    const graphs = [
      contractGraph("a>b", "a>d", "b>c"),
      contractGraph("a>b", "a>d", "b>c"),
      contractGraph("a>b", "a>d", "b>a"), // c gone, a cycle
      contractGraph("a>b", "a>d", "b>c"), // c back
    ];
    // version 3 is an abandoned build's number: the copies are versions 1, 2, 4 and 5
    writeCopies(file, graphs, [3]);
    // migration 2 on its own first (as a database last opened by that Karma), then 3 and 4 on its
    // rows, then (opening the store) 5 on theirs
    const lease2 = acquireDatabase(file);
    migrate(lease2.db, GRAPH_STORE_MODULE, GRAPH_STORE_MIGRATIONS.slice(0, 2));
    migrate(lease2.db, GRAPH_STORE_MODULE, GRAPH_STORE_MIGRATIONS.slice(0, 4));
    const rows4 = (sql: string) => lease2.db.prepare(sql).all();
    // a>b and a>d are the same documents in every version: one row each; c's node two runs
    expect(
      rows4("SELECT seq, since, until FROM graph_edge_rows WHERE from_id = 'dev:t/a' ORDER BY seq"),
    ).toEqual([
      { seq: 0, since: 1, until: null },
      { seq: 1, since: 1, until: null },
    ]);
    expect(rows4("SELECT since, until FROM graph_node_rows WHERE id = 'dev:t/c' ORDER BY since")).toEqual([
      { since: 1, until: 4 },
      { since: 5, until: null },
    ]);
    lease2.release();
    const store = openSqliteGraphStore(file);
    try {
      expect((await store.listVersions()).map((v) => v.version)).toEqual([1, 2, 4, 5]);
      for (const [i, version] of [1, 2, 4, 5].entries()) {
        expect(await store.readGraph({ version })).toEqual({ ...graphs[i]!, version });
      }
      // each pair's edges are one link row per run of equal documents; c's node keeps its two runs
      const lease = acquireDatabase(file);
      const rows = (sql: string) => lease.db.prepare(sql).all();
      expect(rows("SELECT from_id, to_id, since, until, dep FROM graph_link_rows ORDER BY 1, 2, 3")).toEqual([
        { from_id: "dev:t/a", to_id: "dev:t/b", since: 1, until: null, dep: 1 },
        { from_id: "dev:t/a", to_id: "dev:t/d", since: 1, until: null, dep: 1 },
        { from_id: "dev:t/b", to_id: "dev:t/a", since: 4, until: 5, dep: 1 },
        { from_id: "dev:t/b", to_id: "dev:t/c", since: 1, until: 4, dep: 1 },
        { from_id: "dev:t/b", to_id: "dev:t/c", since: 5, until: null, dep: 1 },
      ]);
      expect(
        rows("SELECT since, until, hash FROM graph_node_rows WHERE id = 'dev:t/c' ORDER BY since"),
      ).toEqual([
        { since: 1, until: 4, hash: "" },
        { since: 5, until: null, hash: "" },
      ]);
      expect(
        rows(
          "SELECT name FROM sqlite_master WHERE name IN ('graph_nodes', 'graph_edges', 'graph_links', 'graph_findings', 'graph_edge_rows', 'graph_group_rows')",
        ),
      ).toEqual([]);
      lease.release();
      expect(await store.cycles({ version: 4 })).toHaveLength(1);
      expect((await store.dependents(["dev:t/c"], { version: 2 })).map((r) => r.id)).toEqual([
        "dev:t/b",
        "dev:t/a",
      ]);

      // the next build writes on top of the converted rows; the old versions are untouched
      const next = contractGraph("a>b", "a>d", "b>c", "c>d");
      expect((await store.writeVersion(next)).version).toBe(6);
      expect(await store.readGraph()).toEqual({ ...next, version: 6 });
      for (const [i, version] of [1, 2, 4, 5].entries()) {
        expect(await store.readGraph({ version })).toEqual({ ...graphs[i]!, version });
      }
    } finally {
      await store.close();
      cleanup();
    }
  });
});

describe("SqliteGraphStore migration 5 (edges in link rows, hashes in node rows)", () => {
  const node = (name: string, configVersion = 1): GraphNode => ({
    id: `dev:t/${name}`,
    kind: "component",
    env: "dev",
    type: "t",
    nickname: name,
    configVersion,
  });
  const edge = (from: string, to: string, kind: GraphEdge["kind"], pointer: string): GraphEdge => ({
    from: `dev:t/${from}`,
    to: `dev:t/${to}`,
    kind,
    evidence: { form: kind === "depends_on" ? "depends-on" : "ref", pointer },
  });
  const xy = edge("x", "y", "depends_on", "/depends_on/0");
  const xyKey = edge("x", "y", "consumes", "/url");
  const xz = edge("x", "z", "depends_on", "/depends_on/1");
  // a consumer without a node (a hand-made graph): its edges have no node row to hang on
  const wy = edge("w", "y", "consumes", "/k");
  const graphs: Graph[] = [
    {
      source: { kind: "store" },
      nodes: [node("x"), node("y"), node("z")],
      edges: [wy, xy, xz],
      findings: [],
    },
    {
      source: { kind: "store" },
      nodes: [node("x"), node("y"), node("z")],
      edges: [wy, xyKey, xy, xz],
      findings: [],
    },
    {
      source: { kind: "store" },
      nodes: [node("x", 2), node("y"), node("z")],
      edges: [wy, xyKey, xy],
      findings: [],
    },
  ];

  /** Versions 1 to 3 of `graphs` as rows of migration 4, whose intervals begin and end apart. */
  function writeRows4(file: string): void {
    const lease = acquireDatabase(file);
    try {
      const db = lease.db;
      migrate(db, GRAPH_STORE_MODULE, GRAPH_STORE_MIGRATIONS.slice(0, 4));
      for (const version of [1, 2, 3]) {
        db.prepare(
          `INSERT INTO graph_versions (version, status, started_at, ready_at, source) VALUES (?, 'ready', 'then', 'then', '{"kind":"store"}')`,
        ).run(version);
      }
      const nodeRow = db.prepare("INSERT INTO graph_node_rows (id, since, until, data) VALUES (?, ?, ?, ?)");
      nodeRow.run("dev:t/x", 1, 3, JSON.stringify(node("x")));
      nodeRow.run("dev:t/x", 3, null, JSON.stringify(node("x", 2)));
      nodeRow.run("dev:t/y", 1, null, JSON.stringify(node("y")));
      nodeRow.run("dev:t/z", 1, null, JSON.stringify(node("z")));
      const edgeRow = db.prepare(
        "INSERT INTO graph_edge_rows (from_id, seq, since, until, to_id, kind, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
      );
      const rows: [GraphEdge, number, number, number | null][] = [
        [wy, 0, 1, null],
        [xy, 0, 1, null],
        [xyKey, 1, 2, null],
        [xz, 2, 1, 3],
      ];
      for (const [e, seq, since, until] of rows) {
        edgeRow.run(e.from, seq, since, until, e.to, e.kind, JSON.stringify(e));
      }
      const linkRow = db.prepare(
        "INSERT INTO graph_link_rows (from_id, to_id, since, until, dep) VALUES (?, ?, ?, ?, ?)",
      );
      linkRow.run("dev:t/w", "dev:t/y", 1, null, 0);
      linkRow.run("dev:t/x", "dev:t/y", 1, null, 1);
      linkRow.run("dev:t/x", "dev:t/z", 1, 3, 1);
      db.prepare(
        "INSERT INTO graph_group_rows (id, since, until, hash) VALUES ('dev:t/x', 1, NULL, 'h')",
      ).run();
    } finally {
      lease.release();
    }
  }

  it("splits a pair's link row where its edges change, and every version reads back as before", async () => {
    const { file, cleanup } = tempDb();
    writeRows4(file);
    const store = openSqliteGraphStore(file);
    try {
      for (const [i, graph] of graphs.entries()) {
        expect(await store.readGraph({ version: i + 1 })).toEqual({ ...graph, version: i + 1 });
      }
      const lease = acquireDatabase(file);
      const rows = lease.db
        .prepare("SELECT from_id, to_id, since, until, dep, kinds FROM graph_link_rows ORDER BY 1, 2, 3")
        .all();
      const hashes = lease.db.prepare("SELECT DISTINCT hash FROM graph_node_rows").pluck().all();
      lease.release();
      expect(rows).toEqual([
        { from_id: "dev:t/w", to_id: "dev:t/y", since: 1, until: null, dep: 0, kinds: 2 },
        { from_id: "dev:t/x", to_id: "dev:t/y", since: 1, until: 2, dep: 1, kinds: 1 },
        { from_id: "dev:t/x", to_id: "dev:t/y", since: 2, until: null, dep: 1, kinds: 3 },
        { from_id: "dev:t/x", to_id: "dev:t/z", since: 1, until: 3, dep: 1, kinds: 1 },
      ]);
      expect(hashes).toEqual([""]);
      expect(await store.readEdges({ version: 1, kinds: ["consumes"] })).toEqual([wy]);
      expect(await store.readEdges({ version: 2, kinds: ["consumes", "inferred"] })).toEqual([wy, xyKey]);
      expect((await store.edgesOf("dev:t/y", { version: 2 })).incoming).toEqual([wy, xyKey, xy]);
      expect((await store.dependents(["dev:t/y"], { version: 3 })).map((r) => r.id)).toEqual(["dev:t/x"]);

      // the next build rewrites the converted groups (no hash) on top; the old versions stay
      expect((await store.writeVersion(graphs[2]!)).version).toBe(4);
      expect(await store.readGraph({ version: 4 })).toEqual({ ...graphs[2]!, version: 4 });
      for (const [i, graph] of graphs.entries()) {
        expect(await store.readGraph({ version: i + 1 })).toEqual({ ...graph, version: i + 1 });
      }
      // and the one after writes nothing: every group, w's too, has its hash
      const countRows = () => {
        const l = acquireDatabase(file);
        const n = l.db
          .prepare("SELECT (SELECT COUNT(*) FROM graph_node_rows) + (SELECT COUNT(*) FROM graph_link_rows)")
          .pluck()
          .get();
        l.release();
        return n;
      };
      const before = countRows();
      await store.writeVersion(graphs[2]!);
      expect(countRows()).toBe(before);
    } finally {
      await store.close();
      cleanup();
    }
  });
});

describe("SqliteGraphStore compact edge documents (group format 4)", () => {
  const a = "dev:t/a";
  const b = "dev:t/b";
  const c = "dev:t/c";
  const inferred = {
    form: "inferred",
    pointer: "/c_id",
    producerKey: "/id",
    fingerprint: "sha256:0123456789ab",
  };
  const base = contractGraph("a>b", "a>c", "b>c");
  const extra: GraphEdge[] = [
    {
      from: a,
      to: b,
      kind: "consumes",
      evidence: { form: "ref", pointer: '/q"uote\\/new\nline/ünï😀\u2028', producerKey: "" },
      configVersion: 1,
    },
    {
      from: a,
      to: c,
      kind: "inferred",
      evidence: { ...inferred, reason: "aws-id" } as GraphEdge["evidence"],
      configVersion: 1,
    },
    {
      from: a,
      to: c,
      kind: "consumes",
      evidence: { ...inferred } as GraphEdge["evidence"],
      configVersion: 1,
    },
    // a hand-made edge without a config version (a working-tree build's)
    { from: b, to: a, kind: "consumes", evidence: { form: "ref", pointer: "/x", producerKey: "/y" } },
  ];
  const graph: Graph = { ...base, edges: [...base.edges, ...extra].sort(compareEdges) };

  /**
   * `graph` as version 1 the way the store wrote it before compact documents (group format 3):
   * each edge's whole JSON in its link row, each group's hash over the format, its node's
   * document and its edges' documents.
   */
  function writeFormat3(file: string): void {
    openSqliteGraphStore(file).close();
    const lease = acquireDatabase(file);
    try {
      const db = lease.db;
      db.prepare(
        `INSERT INTO graph_versions (version, status, started_at, ready_at, source, node_count, edge_count, finding_count)
         VALUES (1, 'ready', 'then', 'then', ?, ?, ?, 0)`,
      ).run(JSON.stringify(graph.source), graph.nodes.length, graph.edges.length);
      for (const node of graph.nodes) {
        const edges = graph.edges.filter((e) => e.from === node.id);
        const text = `3\n${JSON.stringify(node)}\n${edges.map((e) => JSON.stringify(e)).join("\n")}`;
        const hash = crypto.createHash("sha1").update(text).digest("base64");
        db.prepare("INSERT INTO graph_node_rows (id, since, hash, data) VALUES (?, 1, ?, ?)").run(
          node.id,
          hash,
          JSON.stringify(node),
        );
        for (const to of [...new Set(edges.map((e) => e.to))]) {
          const pair = edges.filter((e) => e.to === to);
          db.prepare(
            "INSERT INTO graph_link_rows (from_id, to_id, since, dep, kinds, docs) VALUES (?, ?, 1, ?, ?, ?)",
          ).run(
            node.id,
            to,
            pair.some((e) => e.kind !== "consumes") ? 1 : 0,
            pair.reduce((bits, e) => bits | kindBit(e.kind), 0),
            pair.map((e) => JSON.stringify(e)).join("\n"),
          );
        }
      }
    } finally {
      lease.release();
    }
  }

  const linkRows = (file: string) => {
    const lease = acquireDatabase(file);
    try {
      return lease.db
        .prepare(
          "SELECT since, until, substr(docs, 1, 1) AS first FROM graph_link_rows ORDER BY from_id, to_id, since",
        )
        .all();
    } finally {
      lease.release();
    }
  };

  it("a Karma that knows no compact documents refuses the database rather than misread them", async () => {
    const { file, cleanup } = tempDb();
    try {
      await openSqliteGraphStore(file).close();
      const lease = acquireDatabase(file);
      try {
        expect(() => migrate(lease.db, GRAPH_STORE_MODULE, GRAPH_STORE_MIGRATIONS.slice(0, 6))).toThrow(
          /schema is version 7, newer than this Karma knows \(6\)/,
        );
      } finally {
        lease.release();
      }
    } finally {
      cleanup();
    }
  });

  it("a version written before reads back as the same JSON as one written after, and the next build rewrites it once", async () => {
    const { file, cleanup } = tempDb();
    writeFormat3(file);
    const store = openSqliteGraphStore(file);
    try {
      const old = await store.readGraph({ version: 1 });
      expect(JSON.stringify(old.edges)).toBe(JSON.stringify(graph.edges));
      expect(JSON.stringify(old.nodes)).toBe(JSON.stringify(graph.nodes));

      // every group's hash differs from format 3's: all of them are written again, compact
      expect((await store.writeVersion(graph)).version).toBe(2);
      const pairs = 4;
      expect(linkRows(file)).toEqual([
        ...Array.from({ length: pairs }, () => [
          { since: 1, until: 2, first: "{" },
          { since: 2, until: null, first: "[" },
        ]).flat(),
      ]);
      for (const version of [1, 2]) {
        const read = await store.readGraph({ version });
        expect(JSON.stringify(read.edges)).toBe(JSON.stringify(graph.edges));
        expect(JSON.stringify(read.nodes)).toBe(JSON.stringify(graph.nodes));
        // "other": a kind without a bit, filtered in JS only
        const queries = [["consumes"], ["inferred"], ["depends_on", "inferred"], ["other"]] as EdgeKind[][];
        for (const kinds of queries) {
          expect(JSON.stringify(await store.readEdges({ version, kinds }))).toBe(
            JSON.stringify(graph.edges.filter((e) => kinds.includes(e.kind))),
          );
        }
        const ofC = await store.edgesOf(c, { version });
        expect(JSON.stringify(ofC.incoming)).toBe(JSON.stringify(graph.edges.filter((e) => e.to === c)));
        const ofB = await store.edgesOf(b, { version });
        expect(JSON.stringify(ofB.outgoing)).toBe(JSON.stringify(graph.edges.filter((e) => e.from === b)));
        expect((await store.dependents([c], { version })).map((r) => r.id)).toEqual([a, b]);
      }
      expect(await store.diff(1, 2)).toMatchObject({ edges: { added: [], removed: [] } });

      // and once only: the same graph again writes nothing
      const before = rowCounts(file);
      expect((await store.writeVersion(graph)).version).toBe(3);
      expect(rowCounts(file)).toEqual(before);
      // a changed producer is a changed group, though the document leaves the producer out
      const moved: Graph = {
        ...graph,
        edges: graph.edges.map((e) => (e.from === b && e.to === a ? { ...e, to: c } : e)).sort(compareEdges),
      };
      await store.writeVersion(moved);
      expect(JSON.stringify((await store.readGraph({ version: 4 })).edges)).toBe(JSON.stringify(moved.edges));
      expect(JSON.stringify((await store.readGraph({ version: 3 })).edges)).toBe(JSON.stringify(graph.edges));
    } finally {
      await store.close();
      cleanup();
    }
  });
});

describe("SqliteGraphStore concurrent builds", () => {
  it("a build that commits after a newer one became ready is renumbered past it, and neither sees the other's rows", async () => {
    const { file, cleanup } = tempDb();
    // two connections, as two processes have: B builds in the moment between A taking its
    // version number and A's write transaction (the second transaction A's store opens)
    const connectionA = openDatabase(file);
    const connectionB = openDatabase(file);
    const storeB = new SqliteGraphStore(connectionB);
    const base = contractGraph("a>b", "b>c");
    const graphA = contractGraph("a>b", "b>c", "c>d");
    const graphB = contractGraph("a>c", "b>c");
    const transaction = connectionA.transaction.bind(connectionA);
    let transactions = 0;
    connectionA.transaction = ((fn: Parameters<typeof transaction>[0]) => {
      transactions++;
      if (transactions === 2) void storeB.writeVersion(graphB); // synchronous inside
      return transaction(fn);
    }) as typeof connectionA.transaction;
    const storeA = new SqliteGraphStore(connectionA);
    try {
      await storeB.writeVersion(base);
      transactions = 0;
      const info = await storeA.writeVersion(graphA);
      expect(transactions).toBe(2);
      expect(info.version).toBe(4);
      expect((await storeA.listVersions()).map((v) => v.version)).toEqual([1, 3, 4]);
      expect(await storeA.readGraph({ version: 1 })).toEqual({ ...base, version: 1 });
      expect(await storeA.readGraph({ version: 3 })).toEqual({ ...graphB, version: 3 });
      expect(await storeA.readGraph({ version: 4 })).toEqual({ ...graphA, version: 4 });
    } finally {
      await storeA.close();
      await storeB.close();
      connectionA.close();
      connectionB.close();
      cleanup();
    }
  });
});
