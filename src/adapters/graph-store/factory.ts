/**
 * Picks the GraphStore backend from the project settings (`karma.json` "graph"). The embedded one
 * lives in the same SQLite file as the embedded parameter store.
 */
import path from "node:path";
import { UserError } from "../../core/errors.js";
import type { ProjectSettings } from "../../core/estate/model.js";
import type { GraphStore } from "../../ports/graph-store.js";
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
      throw new UserError(
        `karma.json sets "graph": {"kind": "gremlin"}, which this build of Karma does not support yet.`,
        'Use "graph": {"kind": "sqlite"} (the default) for now.',
      );
    default: {
      const unknown: never = graph;
      throw new UserError(`Unknown graph store kind in karma.json: ${JSON.stringify(unknown)}`);
    }
  }
}
