/**
 * Picks the GraphStore backend from the project settings (`karma.json` "graph"). The embedded one
 * lives in the same SQLite file as the embedded parameter store; the gremlin one in a Gremlin
 * server (Amazon Neptune, TinkerPop Gremlin Server).
 */
import path from "node:path";
import type { ProjectSettings } from "../../core/estate/model.js";
import type { GraphStore } from "../../ports/graph-store.js";
import { DEFAULT_NAMESPACE } from "./gremlin/model.js";
import { lazyGraphStore } from "./lazy.js";
import { openSqliteGraphStore } from "./sqlite/sqlite-graph-store.js";

/** The database file: the first environment's embedded store file, else `<state>/karma.db`. */
export function graphDatabaseFile(settings: ProjectSettings): string {
  for (const env of settings.environments) {
    if (env.store.kind === "sqlite") return path.resolve(settings.root, env.store.path);
  }
  return path.resolve(settings.root, settings.paths.state, "karma.db");
}

export function openGraphStore(settings: ProjectSettings): GraphStore {
  const graph = settings.graph;
  switch (graph.kind) {
    case "sqlite":
      return openSqliteGraphStore(graphDatabaseFile(settings));
    case "gremlin":
      // the driver and the AWS signing code load on the first query (see lazy.ts)
      return lazyGraphStore(
        `gremlin ${graph.endpoint} (namespace ${graph.namespace ?? DEFAULT_NAMESPACE})`,
        async () => (await import("./gremlin/open.js")).openGremlinGraphStore(graph),
        { gremlin: true },
      );
    default: {
      const unknown: never = graph;
      throw new Error(`Unknown graph store kind: ${JSON.stringify(unknown)}`);
    }
  }
}
