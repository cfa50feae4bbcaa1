/**
 * The embedded audit log: rows in the shared SQLite file (`.karma/karma.db`), append-only by
 * trigger, indexed by time, component and action.
 */
import type { Statement } from "better-sqlite3";
import { prepareEntry, searchableFields, textMatcher } from "../../../core/audit/prepare-entry.js";
import type { JsonObject } from "../../../core/estate/model.js";
import type {
  AuditEntry,
  AuditLog,
  AuditQuery,
  AuditSource,
  AuditStatus,
  AuditVersions,
  NewAuditEntry,
} from "../../../ports/audit-log.js";
import { acquireMigratedDatabase, type DatabaseLease, describeDatabase } from "../../sqlite/database.js";
import { AUDIT_LOG_MIGRATIONS, AUDIT_LOG_MODULE } from "./schema.js";

export interface SqliteAuditLogOptions {
  /** The SQLite file (shared with the other embedded adapters). */
  file: string;
  /** For `description`: paths are shown relative to this directory. */
  root?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

interface Row {
  id: number;
  timestamp: string;
  action: string;
  status: AuditStatus;
  actor: string;
  source: AuditSource;
  component: string | null;
  env: string | null;
  inputs_digest: string | null;
  before_json: string;
  after_json: string;
  log_path: string | null;
  message: string;
  details_json: string;
}

function fromRow(row: Row): AuditEntry {
  return {
    id: row.id,
    timestamp: row.timestamp,
    action: row.action,
    status: row.status,
    actor: row.actor,
    source: row.source,
    component: row.component,
    env: row.env,
    inputsDigest: row.inputs_digest,
    before: JSON.parse(row.before_json) as AuditVersions,
    after: JSON.parse(row.after_json) as AuditVersions,
    logPath: row.log_path,
    message: row.message,
    details: JSON.parse(row.details_json) as JsonObject,
  };
}

/** `type/nickname` of an `env:type/nickname` id. */
function componentKey(component: string): string {
  return component.slice(component.indexOf(":") + 1);
}

export class SqliteAuditLog implements AuditLog {
  readonly description: string;
  private readonly lease: DatabaseLease;
  private readonly now: () => Date;
  private closed = false;

  constructor(options: SqliteAuditLogOptions) {
    this.lease = acquireMigratedDatabase(options.file, AUDIT_LOG_MODULE, AUDIT_LOG_MIGRATIONS);
    this.now = options.now ?? (() => new Date());
    this.description = describeDatabase(this.lease, options.root);
  }

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    this.assertOpen();
    return this.insert(entry);
  }

  async appendAll(entries: readonly NewAuditEntry[]): Promise<AuditEntry[]> {
    this.assertOpen();
    // every entry is checked before any is written; one transaction is one fsync, not thousands
    const now = this.now();
    for (const entry of entries) prepareEntry(entry, now);
    return this.lease.db.transaction(() => entries.map((entry) => this.insert(entry)))();
  }

  // compiled once: compiling per entry cost more than the insert itself
  private insertStatement?: Statement;

  private insert(entry: NewAuditEntry): AuditEntry {
    const e = prepareEntry(entry, this.now());
    this.insertStatement ??= this.lease.db.prepare(
      `INSERT INTO audit_entries (ts_ms, timestamp, action, status, actor, source, component, component_key,
         env, inputs_digest, before_json, after_json, log_path, message, details_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const result = this.insertStatement.run(
      Date.parse(e.timestamp),
      e.timestamp,
      e.action,
      e.status,
      e.actor,
      e.source,
      e.component,
      e.component === null ? null : componentKey(e.component),
      e.env,
      e.inputsDigest,
      JSON.stringify(e.before),
      JSON.stringify(e.after),
      e.logPath,
      e.message,
      JSON.stringify(e.details),
    );
    return { id: Number(result.lastInsertRowid), ...e };
  }

  async query(query: AuditQuery = {}): Promise<AuditEntry[]> {
    this.assertOpen();
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.component !== undefined) {
      where.push(query.component.includes(":") ? "component = ?" : "component_key = ?");
      params.push(query.component);
    }
    for (const [column, value] of [
      ["action", query.action],
      ["env", query.env],
      ["status", query.status],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    if (query.since !== undefined) {
      where.push("ts_ms >= ?");
      params.push(query.since.getTime());
    }
    if (query.until !== undefined) {
      where.push("ts_ms < ?");
      params.push(query.until.getTime());
    }
    const limit = query.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
      throw new TypeError(`audit query limit must be a non-negative integer, got ${limit}`);
    if (limit === 0) return [];
    const matches = query.text === undefined ? undefined : textMatcher(query.text);
    // Without a text filter SQL applies the limit; with one, rows are filtered here while iterating
    // newest first, and iteration stops as soon as enough matched.
    const sqlLimit = matches === undefined && limit !== undefined ? ` LIMIT ${limit}` : "";
    const sql = `SELECT id, timestamp, action, status, actor, source, component, env, inputs_digest, before_json,
        after_json, log_path, message, details_json
      FROM audit_entries ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY ts_ms DESC, id DESC${sqlLimit}`;
    const out: AuditEntry[] = [];
    for (const row of this.lease.db.prepare<unknown[], Row>(sql).iterate(...params)) {
      const entry = fromRow(row);
      if (matches !== undefined && !searchableFields(entry).some(matches)) continue;
      out.push(entry);
      if (limit !== undefined && out.length >= limit) break;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lease.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("the audit log is closed");
  }
}
