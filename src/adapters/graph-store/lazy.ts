/**
 * Stand-ins that open the real graph store or audit log on their first call. The Gremlin driver
 * and the AWS SDK cost a read command more than the query itself; behind these, a factory stays
 * synchronous and loads them only when a method is called. Closing an unopened one loads nothing.
 */

import type { AuditEntry, NewAuditEntry } from "../../core/audit/entry.js";
import type { JsonValue } from "../../core/estate/model.js";
import type { GremlinStep } from "../../core/gremlin/parse.js";
import type { AuditLog, AuditQuery } from "../../ports/audit-log.js";
import type { EdgeQuery, GraphStore, VersionOption, WalkOptions } from "../../ports/graph-store.js";

class Lazy<T extends { close(): Promise<void> }> {
  private opened: Promise<T> | undefined;
  constructor(private readonly load: () => Promise<T>) {}
  get(): Promise<T> {
    this.opened ??= this.load();
    return this.opened;
  }
  async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}

/** A GraphStore that loads `load()` on first use; `gremlin` is present as the real store's is. */
export function lazyGraphStore(
  description: string,
  load: () => Promise<GraphStore>,
  options: { gremlin: boolean },
): GraphStore {
  const lazy = new Lazy(load);
  const store: GraphStore = {
    description,
    writeVersion: async (graph, meta) => (await lazy.get()).writeVersion(graph, meta),
    listVersions: async () => (await lazy.get()).listVersions(),
    latestVersion: async () => (await lazy.get()).latestVersion(),
    readGraph: async (o?: VersionOption) => (await lazy.get()).readGraph(o),
    readEdges: async (o?: EdgeQuery) => (await lazy.get()).readEdges(o),
    nodeIds: async (o?: VersionOption) => (await lazy.get()).nodeIds(o),
    getNode: async (id, o) => (await lazy.get()).getNode(id, o),
    edgesOf: async (id, o) => (await lazy.get()).edgesOf(id, o),
    dependencies: async (ids, o?: WalkOptions) => (await lazy.get()).dependencies(ids, o),
    dependents: async (ids, o?: WalkOptions) => (await lazy.get()).dependents(ids, o),
    shortestPath: async (from, to, o) => (await lazy.get()).shortestPath(from, to, o),
    waves: async (ids, o) => (await lazy.get()).waves(ids, o),
    cycles: async (o) => (await lazy.get()).cycles(o),
    findings: async (o) => (await lazy.get()).findings(o),
    diff: async (from, to) => (await lazy.get()).diff(from, to),
    close: () => lazy.close(),
  };
  if (options.gremlin)
    store.gremlin = async (steps: readonly GremlinStep[]): Promise<JsonValue[]> => {
      const real = await lazy.get();
      if (!real.gremlin) throw new Error(`${description} does not run Gremlin traversals`);
      return real.gremlin(steps);
    };
  return store;
}

/** An AuditLog that loads `load()` on first use. */
export function lazyAuditLog(description: string, load: () => Promise<AuditLog>): AuditLog {
  const lazy = new Lazy(load);
  return {
    description,
    append: async (entry: NewAuditEntry): Promise<AuditEntry> => (await lazy.get()).append(entry),
    appendAll: async (entries: readonly NewAuditEntry[]) => (await lazy.get()).appendAll(entries),
    query: async (query?: AuditQuery) => (await lazy.get()).query(query),
    close: () => lazy.close(),
  };
}
