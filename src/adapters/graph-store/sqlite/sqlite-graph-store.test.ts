import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { acquireDatabase } from "../../sqlite/database.js";
import { contractGraph, graphStoreContract } from "../contract.js";
import { openSqliteGraphStore } from "./sqlite-graph-store.js";

function tempDb(): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-graph-store-"));
  return {
    file: path.join(dir, "karma.db"),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

graphStoreContract("sqlite", async () => {
  const { file, cleanup } = tempDb();
  return { store: openSqliteGraphStore(file), cleanup };
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
            .prepare("SELECT COUNT(*) AS n FROM graph_nodes WHERE version = 2")
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
      expect(tables).toEqual(expect.arrayContaining(["other_adapter", "graph_versions", "graph_links"]));
    } finally {
      await store.close();
      lease.release();
      cleanup();
    }
  });
});
