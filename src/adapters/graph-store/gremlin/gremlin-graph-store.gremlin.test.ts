import { describe, expect, it } from "vitest";
import type { Graph } from "../../../core/graph/model.js";
import { GraphVersionNotFoundError } from "../../../ports/graph-store.js";
import { contractGraph, graphStoreContract } from "../contract.js";
import { GremlinConnection } from "./connection.js";
import {
  countNamespace,
  describeWithGremlin,
  gremlinEndpoint,
  openTestGraphStore,
} from "./testing/subject.js";

/** A chain of `size` components with a shared root: n0 ← n1 ← … and every node → root. */
function estate(size: number): Graph {
  const pairs: string[] = [];
  for (let i = 1; i < size; i++) pairs.push(`n${i}>n${i - 1}`, `n${i}>root`);
  return contractGraph(...pairs);
}

describeWithGremlin("GremlinGraphStore on a real Gremlin Server", () => {
  graphStoreContract("gremlin", async (options) => {
    const subject = openTestGraphStore(options);
    return { ...subject, storedElements: () => countNamespace(gremlinEndpoint(), subject.namespace) };
  });

  it("a reader that saw a version ready before another store pruned it gets a clear error, not an empty read", async () => {
    const reader = openTestGraphStore();
    const builder = openTestGraphStore({ namespace: reader.namespace, retainVersions: 1 });
    try {
      await reader.store.writeVersion(contractGraph("a>b"));
      expect(await reader.store.nodeIds({ version: 1 })).toEqual(["dev:t/a", "dev:t/b"]);
      // version 1 is now known ready to `reader`; `builder` keeps only the newest version
      await builder.store.writeVersion(contractGraph("c>d"));
      expect((await reader.store.listVersions()).map((v) => v.version)).toEqual([2]);
      await expect(reader.store.nodeIds({ version: 1 })).rejects.toBeInstanceOf(GraphVersionNotFoundError);
      await expect(reader.store.readGraph({ version: 1 })).rejects.toBeInstanceOf(GraphVersionNotFoundError);
      expect(await reader.store.nodeIds()).toEqual(["dev:t/c", "dev:t/d"]);
    } finally {
      await reader.store.close();
      await builder.store.close();
      await reader.cleanup();
    }
  });

  describe("incremental versions (validity intervals)", () => {
    it("a one-component change sends O(changed) mutations in one round trip, and time travel still works", async () => {
      const { store, cleanup } = openTestGraphStore();
      try {
        const before = estate(300);
        await store.writeVersion(before);
        const full = store.lastWrite!;
        expect(full.mutations).toBe(before.nodes.length + before.edges.length);

        // one component's config changed: its node and its two outgoing edges carry a new config version
        const after = structuredClone(before);
        const changed = "dev:t/n150";
        for (const node of after.nodes) if (node.id === changed) node.configVersion = 2;
        for (const edge of after.edges) if (edge.from === changed) edge.configVersion = 2;
        await store.writeVersion(after);
        // close + add for the node and each of its two edges
        expect(store.lastWrite).toEqual({ mutations: 6, batches: 1 });

        expect(await store.readGraph()).toEqual({ ...after, version: 2 });
        expect(await store.readGraph({ version: 1 })).toEqual({ ...before, version: 1 });
        expect((await store.diff(1, 2)).nodes.changed.map((c) => c.after.id)).toEqual([changed]);

        // an unchanged rebuild sends nothing
        await store.writeVersion(after);
        expect(store.lastWrite).toEqual({ mutations: 0, batches: 0 });
      } finally {
        await store.close();
        await cleanup();
      }
    });

    it("a first build after a dead first build reads nothing back, yet writes the whole graph once", async () => {
      const graph = estate(40);
      const dying = openTestGraphStore({
        batchLimits: { rows: 10, chars: 1_000_000 },
        onBatch: (batch) => {
          if (batch === 3) throw new Error("killed mid-build");
        },
      });
      const { store } = openTestGraphStore({ namespace: dying.namespace });
      try {
        await expect(dying.store.writeVersion(graph)).rejects.toThrow("killed mid-build");
        // its leftovers (30 rows, version 1 still `building`) are rolled back before version 2 starts
        const info = await store.writeVersion(graph);
        expect(info.version).toBe(2);
        expect(store.lastWrite?.mutations).toBe(graph.nodes.length + graph.edges.length);
        expect(await store.readGraph()).toEqual({ ...graph, version: 2 });
      } finally {
        await dying.store.close();
        await store.close();
        await dying.cleanup();
      }
    });

    it("reads back only the changed buckets, yet closes what was removed from them and adds what is new", async () => {
      const { store, cleanup } = openTestGraphStore();
      try {
        const before = estate(200);
        await store.writeVersion(before);
        // n120 and its edges removed, n7 now also depends on a new component, a cycle (finding) appears
        const after = contractGraph(
          ...Array.from({ length: 199 }, (_, i) => i + 1)
            .filter((i) => i !== 120 && i !== 121)
            .flatMap((i) => [`n${i}>n${i - 1}`, `n${i}>root`]),
          "n121>root",
          "n7>fresh",
          "fresh>x",
          "x>fresh",
        );
        await store.writeVersion(after);
        expect(await store.readGraph()).toEqual({ ...after, version: 2 });
        expect(await store.readGraph({ version: 1 })).toEqual({ ...before, version: 1 });
        expect(await store.findings()).toEqual(after.findings);
        expect(after.findings.length).toBeGreaterThan(0);
        const diff = await store.diff(1, 2);
        expect(diff.nodes.removed.map((n) => n.id)).toEqual(["dev:t/n120"]);
        expect(diff.nodes.added.map((n) => n.id).sort()).toEqual(["dev:t/fresh", "dev:t/x"]);
        // O(changed): nowhere near the ~600 elements of the graph
        expect(store.lastWrite!.mutations).toBeLessThan(40);

        // and back: the removed node returns (its identity vertex is reused), the finding goes
        await store.writeVersion(before);
        expect(await store.readGraph()).toEqual({ ...before, version: 3 });
        expect(await store.findings()).toEqual([]);
      } finally {
        await store.close();
        await cleanup();
      }
    });

    it("compares element by element when the latest version has no summary (written before summaries)", async () => {
      const { store, namespace, cleanup } = openTestGraphStore();
      const connection = new GremlinConnection({ endpoint: gremlinEndpoint() });
      try {
        const before = estate(50);
        await store.writeVersion(before);
        const g = await connection.g();
        await connection.toList(g.V(`${namespace}|v|1`).properties("summary").drop());

        const after = structuredClone(before);
        for (const node of after.nodes) if (node.id === "dev:t/n20") node.configVersion = 2;
        await store.writeVersion(after);
        expect(store.lastWrite).toEqual({ mutations: 2, batches: 1 });
        expect(await store.readGraph()).toEqual({ ...after, version: 2 });

        // version 2 has a summary again: the next change reads only its bucket
        const third = structuredClone(after);
        for (const node of third.nodes) if (node.id === "dev:t/n30") node.configVersion = 2;
        await store.writeVersion(third);
        expect(store.lastWrite).toEqual({ mutations: 2, batches: 1 });
        expect(await store.readGraph({ version: 1 })).toEqual({ ...before, version: 1 });
        expect(await store.readGraph()).toEqual({ ...third, version: 3 });
      } finally {
        await connection.close();
        await store.close();
        await cleanup();
      }
    });
  });
});
