import { GremlinConnection } from "./connection.js";

/** Removes every element of `namespace` from the server (tests and the bench share servers). */
export async function dropNamespace(endpoint: string, namespace: string, timeoutMs?: number): Promise<void> {
  const connection = new GremlinConnection({ endpoint, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  try {
    const g = await connection.g();
    await connection.toList(g.E().has("ns", namespace).drop());
    await connection.toList(g.V().has("ns", namespace).drop());
  } finally {
    await connection.close();
  }
}
