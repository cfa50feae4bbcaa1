import { describe, expect, it } from "vitest";
import type { Graph } from "../../../core/graph/model.js";
import { contractGraph, graphStoreContract } from "../contract.js";
import { describeWithGremlin, openTestGraphStore } from "./testing/subject.js";

/** A chain of `size` components with a shared root: n0 ← n1 ← … and every node → root. */
function estate(size: number): Graph {
  const pairs: string[] = [];
  for (let i = 1; i < size; i++) pairs.push(`n${i}>n${i - 1}`, `n${i}>root`);
  return contractGraph(...pairs);
}

describeWithGremlin("GremlinGraphStore on a real Gremlin Server", () => {
  graphStoreContract("gremlin", async () => openTestGraphStore());

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
  });
});
