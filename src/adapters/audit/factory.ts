/**
 * Opens the estate's audit log. The log is estate-wide (every environment, every command) and
 * always embedded: it lives in `<state>/karma.db` (`.karma/karma.db` by default) even when the
 * environments' parameter stores are SSM.
 */
import path from "node:path";
import type { ProjectSettings } from "../../core/estate/model.js";
import type { AuditLog } from "../../ports/audit-log.js";
import { SqliteAuditLog } from "./sqlite/sqlite-audit-log.js";

export function auditDatabaseFile(settings: ProjectSettings): string {
  return path.resolve(settings.root, settings.paths.state, "karma.db");
}

export function openAuditLog(settings: ProjectSettings, options: { now?: () => Date } = {}): AuditLog {
  return new SqliteAuditLog({ file: auditDatabaseFile(settings), root: settings.root, ...options });
}
