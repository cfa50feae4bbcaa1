/**
 * What a user sees when the Gremlin side goes wrong, and the lambda guard: each failure is one
 * line naming the endpoint and the fix.
 */
import net from "node:net";
import gremlin from "gremlin";
import { afterAll, describe, expect, it } from "vitest";
import { GremlinConnection, LambdaInTraversalError } from "./connection.js";
import { freePort } from "./local-server.js";
import { describeWithGremlin, dropNamespace, gremlinEndpoint, testNamespace } from "./testing/subject.js";

const { t } = gremlin.process;
const __ = gremlin.process.statics;

describeWithGremlin("GremlinConnection against a real server", () => {
  const namespace = testNamespace();
  afterAll(() => dropNamespace(gremlinEndpoint(), namespace));

  it("refuses a traversal carrying a lambda before sending it — which TinkerGraph would have run", async () => {
    const connection = new GremlinConnection({ endpoint: gremlinEndpoint() });
    try {
      const g = await connection.g();
      const lambda = () => "it.get() + 1";
      const withLambda = () => g.inject(1).map(lambda as never);
      // the local server accepts it (Neptune would not): only the guard stands between the two
      expect(await withLambda().toList()).toEqual([2]);
      await expect(connection.toList(withLambda())).rejects.toBeInstanceOf(LambdaInTraversalError);
      await expect(connection.toList(g.inject(1).sideEffect(__.map(lambda as never)))).rejects.toThrow(
        /Neptune refuses lambdas/,
      );
    } finally {
      await connection.close();
    }
  });

  it("reports a traversal the server rejects with the server's reason", async () => {
    const connection = new GremlinConnection({ endpoint: gremlinEndpoint() });
    try {
      const g = await connection.g();
      const add = () => g.addV("x").property(t.id, `${namespace}|dup`).property("ns", namespace);
      await connection.toList(add());
      await expect(connection.toList(add())).rejects.toThrow(
        `The Gremlin server at ${gremlinEndpoint()} rejected the traversal: Vertex with id already exists: ${namespace}|dup`,
      );
    } finally {
      await connection.close();
    }
  });

  it("names a driver/server version mismatch (a step this server does not know)", async () => {
    const connection = new GremlinConnection({ endpoint: gremlinEndpoint() });
    try {
      const g = await connection.g();
      // what a 3.8 driver sends for iterate(): discard() does not exist in a 3.7 server
      const traversal = g.V().limit(1);
      traversal.getBytecode().addStep("discard", []);
      const error = (await connection.toList(traversal).catch((e: unknown) => e)) as Error & { fix?: string };
      expect(error.message).toMatch(
        /^The Gremlin server at .* does not understand this driver \(gremlin 3\.7\.4\)/,
      );
      expect(error.fix).toMatch(/TinkerPop 3\.7\.x/);
    } finally {
      await connection.close();
    }
  });
});

describe("GremlinConnection without a server", () => {
  it("says the endpoint is unreachable and how to start one", async () => {
    const endpoint = `ws://127.0.0.1:${await freePort()}/gremlin`;
    const connection = new GremlinConnection({ endpoint });
    const error = (await connection.g().catch((e: unknown) => e)) as Error & { fix?: string };
    expect(error.message).toBe(`Cannot reach the Gremlin server at ${endpoint} (ECONNREFUSED).`);
    expect(error.fix).toMatch(/npm run gremlin:start/);
    await connection.close();
  });

  it("gives up after the configured timeout when the server never answers", async () => {
    // accepts the TCP connection, never completes the WebSocket handshake
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const endpoint = `ws://127.0.0.1:${(silent.address() as net.AddressInfo).port}/gremlin`;
    const connection = new GremlinConnection({ endpoint, timeoutMs: 200 });
    try {
      const error = (await connection.g().catch((e: unknown) => e)) as Error & { fix?: string };
      expect(error.message).toBe(`The Gremlin server at ${endpoint} did not connect within 0.2 s.`);
      expect(error.fix).toMatch(/"timeout" in the "graph" section of karma.json/);
    } finally {
      await connection.close();
      silent.close();
    }
  });
});
