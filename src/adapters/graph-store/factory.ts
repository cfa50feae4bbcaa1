/**
 * Picks the GraphStore backend from the project settings (`karma.json` "graph"). The embedded one
 * lives in the same SQLite file as the embedded parameter store; the gremlin one in a Gremlin
 * server (Amazon Neptune, TinkerPop Gremlin Server).
 */
import path from "node:path";
import type { GraphSettings, ProjectSettings } from "../../core/estate/model.js";
import type { GraphStore } from "../../ports/graph-store.js";
import { GremlinConnection } from "./gremlin/connection.js";
import { GremlinGraphStore } from "./gremlin/gremlin-graph-store.js";
import { openSqliteGraphStore } from "./sqlite/sqlite-graph-store.js";

/** The database file: the first environment's embedded store file, else `<state>/karma.db`. */
export function graphDatabaseFile(settings: ProjectSettings): string {
  for (const env of settings.environments) {
    if (env.store.kind === "sqlite") return path.resolve(settings.root, env.store.path);
  }
  return path.resolve(settings.root, settings.paths.state, "karma.db");
}

/** A connection to the graph's Gremlin server as karma.json describes it (opened on first use). */
export function gremlinConnection(graph: Extract<GraphSettings, { kind: "gremlin" }>): GremlinConnection {
  return new GremlinConnection({
    endpoint: graph.endpoint,
    iam: graph.iam ? (graph.region === undefined ? {} : { region: graph.region }) : false,
    timeoutMs: (graph.timeout ?? 30) * 1000,
  });
}

export function openGraphStore(settings: ProjectSettings): GraphStore {
  const graph = settings.graph;
  switch (graph.kind) {
    case "sqlite":
      return openSqliteGraphStore(graphDatabaseFile(settings));
    case "gremlin":
      return new GremlinGraphStore(
        gremlinConnection(graph),
        graph.namespace === undefined ? {} : { namespace: graph.namespace },
      );
    default: {
      const unknown: never = graph;
      throw new Error(`Unknown graph store kind: ${JSON.stringify(unknown)}`);
    }
  }
}
