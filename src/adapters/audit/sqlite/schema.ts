/**
 * Tables of the embedded audit log (module "audit-log" in `schema_migrations`). Append new
 * statements; never edit applied ones.
 *
 * Append-only is enforced by the database itself: triggers abort every UPDATE and DELETE, so no
 * code path (nor a stray `sqlite3` session) can rewrite history without dropping the triggers.
 * AUTOINCREMENT keeps ids increasing and never reused.
 */
export const AUDIT_LOG_MODULE = "audit-log";

export const AUDIT_LOG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE audit_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- epoch milliseconds of timestamp, for range scans
    ts_ms         INTEGER NOT NULL,
    timestamp     TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('ok', 'failed', 'refused', 'started')),
    actor         TEXT    NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('cli', 'api')),
    -- env:type/nickname, and type/nickname for "that component in any environment"
    component     TEXT,
    component_key TEXT,
    env           TEXT,
    inputs_digest TEXT,
    before_json   TEXT    NOT NULL,
    after_json    TEXT    NOT NULL,
    log_path      TEXT,
    message       TEXT    NOT NULL,
    details_json  TEXT    NOT NULL
  );
  CREATE INDEX audit_entries_by_time ON audit_entries (ts_ms, id);
  CREATE INDEX audit_entries_by_component ON audit_entries (component_key, ts_ms);
  CREATE INDEX audit_entries_by_action ON audit_entries (action, ts_ms);
  CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed'); END;
  CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END;
  `,
  // 2: sources are the doors writes come through (cli, ssm-api, http-api); "api" was the HTTP API.
  // SQLite cannot change a CHECK in place: copy into a new table (DROP TABLE fires no triggers).
  `
  DROP TRIGGER audit_entries_no_update;
  DROP TRIGGER audit_entries_no_delete;
  CREATE TABLE audit_entries_v2 (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms         INTEGER NOT NULL,
    timestamp     TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('ok', 'failed', 'refused', 'started')),
    actor         TEXT    NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('cli', 'ssm-api', 'http-api')),
    component     TEXT,
    component_key TEXT,
    env           TEXT,
    inputs_digest TEXT,
    before_json   TEXT    NOT NULL,
    after_json    TEXT    NOT NULL,
    log_path      TEXT,
    message       TEXT    NOT NULL,
    details_json  TEXT    NOT NULL
  );
  INSERT INTO audit_entries_v2
    SELECT id, ts_ms, timestamp, action, status, actor,
           CASE source WHEN 'api' THEN 'http-api' ELSE source END,
           component, component_key, env, inputs_digest, before_json, after_json, log_path,
           message, details_json
      FROM audit_entries;
  DROP TABLE audit_entries;
  ALTER TABLE audit_entries_v2 RENAME TO audit_entries;
  CREATE INDEX audit_entries_by_time ON audit_entries (ts_ms, id);
  CREATE INDEX audit_entries_by_component ON audit_entries (component_key, ts_ms);
  CREATE INDEX audit_entries_by_action ON audit_entries (action, ts_ms);
  CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed'); END;
  CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END;
  `,
];
