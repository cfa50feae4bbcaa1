/**
 * Test helpers for suites on a real Gremlin Server: the endpoint from the global setup, a fresh
 * namespace per store (suites share one server and run concurrently), and cleanup of it.
 */
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { describeWithEngine } from "../../../parameter-store/ssm/testing/engines.js";
import { GremlinConnection } from "../connection.js";
import { dropNamespace } from "../drop-namespace.js";
import { GremlinGraphStore, type GremlinGraphStoreOptions } from "../gremlin-graph-store.js";

export function gremlinEndpoint(): string {
  const endpoint = inject("gremlinEndpoint");
  if (!endpoint) throw new Error(inject("gremlinMissing") ?? "no Gremlin Server for this test run");
  return endpoint;
}

/** `describe` that needs the server: fails in CI and skips elsewhere when there is none. */
export function describeWithGremlin(name: string, body: () => void): void {
  describeWithEngine(name, inject("gremlinEndpoint") ? undefined : inject("gremlinMissing"), body);
}

export { dropNamespace };

export function testNamespace(): string {
  return `test-${randomUUID()}`;
}

export function openTestGraphStore(options: GremlinGraphStoreOptions & { endpoint?: string } = {}): {
  store: GremlinGraphStore;
  namespace: string;
  cleanup: () => Promise<void>;
} {
  const endpoint = options.endpoint ?? gremlinEndpoint();
  const namespace = options.namespace ?? testNamespace();
  const store = new GremlinGraphStore(new GremlinConnection({ endpoint }), { ...options, namespace });
  return { store, namespace, cleanup: () => dropNamespace(endpoint, namespace) };
}

/** Vertices plus edges of `namespace` on the server, every version and kind. */
export async function countNamespace(endpoint: string, namespace: string): Promise<number> {
  const connection = new GremlinConnection({ endpoint });
  try {
    const g = await connection.g();
    const [vertices] = await connection.toList<number>(g.V().has("ns", namespace).count());
    const [edges] = await connection.toList<number>(g.E().has("ns", namespace).count());
    return (vertices ?? 0) + (edges ?? 0);
  } finally {
    await connection.close();
  }
}
