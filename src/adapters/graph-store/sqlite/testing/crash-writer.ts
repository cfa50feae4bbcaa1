/**
 * Test helper process for the atomicity test: writes a 2,000-node graph, either completely or
 * dying by SIGKILL halfway through the nodes (no cleanup code can run, like a crash or OOM kill).
 */
import type { Graph, GraphNode } from "../../../../core/graph/model.js";
import { openSqliteGraphStore } from "../sqlite-graph-store.js";

const [file, mode] = process.argv.slice(2) as [string, "complete" | "crash"];
const nodes: GraphNode[] = Array.from({ length: 2_000 }, (_, i) => ({
  id: `dev:t/n${String(i).padStart(4, "0")}`,
  kind: "component",
  env: "dev",
  type: "t",
  nickname: `n${String(i).padStart(4, "0")}`,
}));
if (mode === "crash") {
  Object.defineProperty(nodes, 1_000, {
    get() {
      process.kill(process.pid, "SIGKILL");
      return undefined;
    },
  });
}
const graph: Graph = { source: { kind: "store" }, nodes, edges: [], findings: [] };
const store = openSqliteGraphStore(file);
await store.writeVersion(graph);
await store.close();
