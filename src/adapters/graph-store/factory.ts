/**
 * Picks the GraphStore backend from the project settings (`karma.json` "graph"). The embedded one
 * lives in the same SQLite file as the embedded parameter store; the gremlin one in a Gremlin
 * server (Amazon Neptune, TinkerPop Gremlin Server).
 */
import path from "node:path";
import type { ProjectSettings } from "../../core/estate/model.js";
import { inEstate, stateDatabaseFile, whatIfDatabaseFile } from "../../core/estate/paths.js";
import type { GraphStore } from "../../ports/graph-store.js";
import { DEFAULT_NAMESPACE } from "./gremlin/model.js";
import { lazyGraphStore } from "./lazy.js";
import { openSqliteGraphStore } from "./sqlite/sqlite-graph-store.js";

/** The database file: the first environment's embedded store file, else `<state>/karma.db`. */
export function graphDatabaseFile(settings: ProjectSettings): string {
  for (const env of settings.environments) {
    if (env.store.kind === "sqlite") return path.resolve(settings.root, env.store.path);
  }
  return inEstate(settings, stateDatabaseFile(settings));
}

/** What-if graphs kept: they are scratch answers, not history. */
const WHAT_IF_RETAINED = 5;
/** Estate graph versions kept (both backends; SQLite's own default is the same). */
const RETAINED = 50;

/**
 * The what-if area's database file: `<state>/what-if.db`, apart from the estate's graph so a
 * what-if version can never be read as the latest graph.
 */
export function whatIfGraphDatabaseFile(settings: ProjectSettings): string {
  return inEstate(settings, whatIfDatabaseFile(settings));
}

export interface OpenGraphStoreOptions {
  /**
   * The what-if area: graphs of the working tree or of a git ref (`graph build --from-git`, the
   * plan's working-tree graph). Its versions are numbered on their own and never become the
   * estate's latest graph.
   */
  whatIf?: boolean;
}

export function openGraphStore(settings: ProjectSettings, options: OpenGraphStoreOptions = {}): GraphStore {
  const graph = settings.graph;
  switch (graph.kind) {
    case "sqlite":
      return options.whatIf
        ? openSqliteGraphStore(whatIfGraphDatabaseFile(settings), { retainVersions: WHAT_IF_RETAINED })
        : openSqliteGraphStore(graphDatabaseFile(settings), { retainVersions: RETAINED });
    case "gremlin": {
      const namespace = `${graph.namespace ?? DEFAULT_NAMESPACE}${options.whatIf ? "-what-if" : ""}`;
      const settingsFor = { ...graph, namespace };
      const retainVersions = options.whatIf ? WHAT_IF_RETAINED : RETAINED;
      // the driver and the AWS signing code load on the first query (see lazy.ts)
      return lazyGraphStore(
        `gremlin ${graph.endpoint} (namespace ${namespace})`,
        async () =>
          (await import("./gremlin/open.js")).openGremlinGraphStore(settingsFor, { retainVersions }),
        { gremlin: true },
      );
    }
    default: {
      const unknown: never = graph;
      throw new Error(`Unknown graph store kind: ${JSON.stringify(unknown)}`);
    }
  }
}
