/**
 * The server goes down in the middle of a build: the build fails with one line, the version it
 * was writing never becomes the latest, and once the server is back the previous version reads
 * exactly as before and the next build rolls the leftovers back. Uses its own server (it is
 * stopped mid-test) persisting TinkerGraph to a file, so what the half-done build wrote survives
 * the restart as it would in Neptune.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import type { Graph, GraphNode } from "../../../core/graph/model.js";
import { contractGraph } from "../contract.js";
import { GremlinConnection } from "./connection.js";
import { GremlinGraphStore } from "./gremlin-graph-store.js";
import { type GremlinServerProcess, startGremlinServer } from "./local-server.js";
import { describeWithGremlin, testNamespace } from "./testing/subject.js";

function bigGraph(size: number): Graph {
  const nodes: GraphNode[] = Array.from({ length: size }, (_, i) => {
    const nickname = `n${String(i).padStart(5, "0")}`;
    return { id: `dev:t/${nickname}`, kind: "component", env: "dev", type: "t", nickname };
  });
  return { source: { kind: "store" }, nodes, edges: [], findings: [] };
}

async function leftovers(endpoint: string, namespace: string): Promise<number> {
  const connection = new GremlinConnection({ endpoint });
  try {
    const g = await connection.g();
    const [count] = await connection.toList<number>(g.V().has("ns", namespace).has("since", 2).count());
    return count!;
  } finally {
    await connection.close();
  }
}

describeWithGremlin("a build interrupted by the server going down", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-gremlin-crash-"));
  const dataFile = path.join(dir, "graph.kryo");
  let server: GremlinServerProcess | undefined;
  afterAll(async () => {
    await server?.stop("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("never makes the half-written version the latest", async () => {
    const namespace = testNamespace();
    server = await startGremlinServer({ dataFile });
    const first = contractGraph("a>b", "b>c");
    const writer = new GremlinGraphStore(
      new GremlinConnection({ endpoint: server.endpoint, timeoutMs: 20_000 }),
      {
        namespace,
        // after the second batch is acknowledged, the server shuts down (and persists what it has)
        onBatch: async (batch) => {
          if (batch === 2) await server!.stop("SIGTERM");
        },
      },
    );
    try {
      expect((await writer.writeVersion(first)).version).toBe(1);
      const interrupted = (await writer.writeVersion(bigGraph(3_000)).catch((e: unknown) => e)) as Error;
      expect(interrupted.message).toBe(
        `The connection to the Gremlin server at ${server.endpoint} was lost.`,
      );
    } finally {
      await writer.close();
    }

    server = await startGremlinServer({ dataFile });
    const store = new GremlinGraphStore(new GremlinConnection({ endpoint: server.endpoint }), { namespace });
    try {
      expect(fs.existsSync(dataFile)).toBe(true);
      expect((await store.latestVersion())?.version).toBe(1);
      expect(await store.readGraph()).toEqual({ ...first, version: 1 });
      expect((await store.listVersions()).map((v) => v.version)).toEqual([1]);

      // the interrupted build's first batches did reach the server (invisible to every version)
      expect(await leftovers(server.endpoint, namespace)).toBeGreaterThan(0);
      const third = contractGraph("a>b", "b>d");
      expect((await store.writeVersion(third)).version).toBe(3);
      expect(await store.readGraph()).toEqual({ ...third, version: 3 });
      expect(await store.readGraph({ version: 1 })).toEqual({ ...first, version: 1 });
      expect((await store.listVersions()).map((v) => v.version)).toEqual([1, 3]);
      const connection = new GremlinConnection({ endpoint: server.endpoint });
      try {
        const g = await connection.g();
        // nothing the interrupted build wrote is left
        expect(await leftovers(server.endpoint, namespace)).toBe(0);
        expect(await connection.toList(g.V(`${namespace}|v|2`).values("status"))).toEqual(["abandoned"]);
      } finally {
        await connection.close();
      }
    } finally {
      await store.close();
    }
  }, 400_000); // two server starts on a shared, busy machine
});
