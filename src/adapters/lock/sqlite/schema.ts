/**
 * The embedded environment lock's table (module "environment-lock" in `schema_migrations`).
 * One row per locked environment; the primary key is what makes "insert if absent" atomic.
 */
export const ENVIRONMENT_LOCK_MODULE = "environment-lock";

export const ENVIRONMENT_LOCK_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE environment_locks (
    env         TEXT    PRIMARY KEY,
    lock_id     TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    pid         INTEGER NOT NULL,
    host        TEXT    NOT NULL,
    operation   TEXT    NOT NULL,
    acquired_at TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    expires_ms  INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];
