/**
 * Opens the estate's audit log. The log is estate-wide (every environment, every command). By
 * default it is embedded in `<state>/karma.db` (`.karma/karma.db`) even when the environments'
 * parameter stores are SSM; `"audit": {"kind": "gremlin"}` keeps it beside the graph in the
 * Gremlin server (team mode: nothing that matters on the machine that ran the command).
 */
import { UserError } from "../../core/errors.js";
import type { ProjectSettings } from "../../core/estate/model.js";
import { inEstate, stateDatabaseFile } from "../../core/estate/paths.js";
import type { AuditLog } from "../../ports/audit-log.js";
import { DEFAULT_NAMESPACE } from "../graph-store/gremlin/model.js";
import { lazyAuditLog } from "../graph-store/lazy.js";
import { SqliteAuditLog } from "./sqlite/sqlite-audit-log.js";

export function auditDatabaseFile(settings: ProjectSettings): string {
  return inEstate(settings, stateDatabaseFile(settings));
}

export function openAuditLog(settings: ProjectSettings, options: { now?: () => Date } = {}): AuditLog {
  if (settings.audit.kind === "sqlite")
    return new SqliteAuditLog({ file: auditDatabaseFile(settings), root: settings.root, ...options });
  const graph = settings.graph;
  if (graph.kind !== "gremlin")
    throw new UserError(
      'karma.json sets "audit": {"kind": "gremlin"} but the graph is not in a Gremlin server.',
      'Set "graph": {"kind": "gremlin", "endpoint": …} too, or use "audit": {"kind": "sqlite"}.',
    );
  // the driver loads on the first read or write (see graph-store/lazy.ts)
  return lazyAuditLog(
    `gremlin ${graph.endpoint} (namespace ${graph.namespace ?? DEFAULT_NAMESPACE})`,
    async () => (await import("../graph-store/gremlin/open.js")).openGremlinAuditLog(graph, options),
  );
}
