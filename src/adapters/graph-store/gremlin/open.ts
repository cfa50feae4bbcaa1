/**
 * The Gremlin side of the graph-store and audit-log factories: the only module that brings in the
 * `gremlin` driver and the AWS signing code. The factories import it on first use, so a command on
 * an embedded (SQLite) estate never loads either.
 */
import type { GraphSettings } from "../../../core/estate/model.js";
import type { AuditLog } from "../../../ports/audit-log.js";
import type { GraphStore } from "../../../ports/graph-store.js";
import { GremlinAuditLog } from "../../audit/gremlin/gremlin-audit-log.js";
import { GremlinConnection } from "./connection.js";
import { GremlinGraphStore } from "./gremlin-graph-store.js";

export type GremlinGraphSettings = Extract<GraphSettings, { kind: "gremlin" }>;

/** A connection to the graph's Gremlin server as karma.json describes it (opened on first use). */
export function gremlinConnection(graph: GremlinGraphSettings): GremlinConnection {
  return new GremlinConnection({
    endpoint: graph.endpoint,
    iam: graph.iam ? (graph.region === undefined ? {} : { region: graph.region }) : false,
    timeoutMs: (graph.timeout ?? 30) * 1000,
  });
}

export function openGremlinGraphStore(
  graph: GremlinGraphSettings,
  options: { retainVersions?: number } = {},
): GraphStore {
  return new GremlinGraphStore(gremlinConnection(graph), {
    ...options,
    ...(graph.namespace === undefined ? {} : { namespace: graph.namespace }),
  });
}

export function openGremlinAuditLog(graph: GremlinGraphSettings, options: { now?: () => Date }): AuditLog {
  return new GremlinAuditLog(gremlinConnection(graph), {
    ...options,
    ...(graph.namespace === undefined ? {} : { namespace: graph.namespace }),
  });
}
