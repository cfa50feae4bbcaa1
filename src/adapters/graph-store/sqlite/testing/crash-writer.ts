/**
 * Test helper process for the atomicity test: writes a 2,000-node graph, either completely or
 * dying by SIGKILL halfway through the nodes (no cleanup code can run, like a crash or OOM kill).
 * The kill comes right after the first batch of node rows reached SQLite, inside the write
 * transaction, after the previous version's rows were closed (the documents are serialised before
 * the transaction, so the graph itself cannot trigger it).
 */
import type { Graph, GraphNode } from "../../../../core/graph/model.js";
import { acquireDatabase } from "../../../sqlite/database.js";
import { SqliteGraphStore } from "../sqlite-graph-store.js";

const [file, mode] = process.argv.slice(2) as [string, "complete" | "crash"];
const nodes: GraphNode[] = Array.from({ length: 2_000 }, (_, i) => ({
  id: `dev:t/n${String(i).padStart(4, "0")}`,
  kind: "component",
  env: "dev",
  type: "t",
  nickname: `n${String(i).padStart(4, "0")}`,
  // the crashing build changes every node: its rows would replace (close) every current one
  configVersion: mode === "crash" ? 2 : 1,
}));
const lease = acquireDatabase(file);
if (mode === "crash") {
  const db = lease.db;
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    if (sql.startsWith("INSERT INTO graph_node_rows")) {
      const run = statement.run.bind(statement);
      statement.run = ((...params: unknown[]) => {
        const result = run(...params);
        process.kill(process.pid, "SIGKILL");
        return result;
      }) as typeof statement.run;
    }
    return statement;
  }) as typeof db.prepare;
}
const graph: Graph = { source: { kind: "store" }, nodes, edges: [], findings: [] };
const store = new SqliteGraphStore(lease.db);
await store.writeVersion(graph);
await store.close();
lease.release();
