/**
 * The embedded database: one SQLite file (`.karma/karma.db` by default) shared by every embedded
 * adapter — parameter store, graph store, audit log, SSM sync cache. Each adapter owns its tables
 * and creates them with `migrate`, under its own module name.
 *
 * Within one process all adapters share ONE connection per file (`acquireDatabase`), so their
 * transactions serialise naturally and WAL readers never block the writer. Across processes,
 * WAL + `busy_timeout` make concurrent CLI invocations wait instead of failing with SQLITE_BUSY.
 */
import fs from "node:fs";
import path from "node:path";
import { UserError } from "../../core/errors.js";
import { makePrivateDir, touchPrivateFile } from "../fs/private-files.js";
import { Database, type Db } from "./driver.js";
import { directoryFailure, noteOpened, openFailure } from "./failures.js";

export type { Db };

/** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating if needed) a SQLite file with Karma's settings: WAL journal, NORMAL sync (safe
 * in WAL mode), foreign keys on, a busy timeout. Creates the parent directory. The caller owns
 * the connection; prefer `acquireDatabase` when other adapters may use the same file.
 */
export function openDatabase(file: string): Db {
  if (file === ":memory:") return configure(new Database(file));
  const resolved = path.resolve(file);
  let db: Db | undefined;
  try {
    if (fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory()) throw directoryFailure(resolved);
    makePrivateDir(path.dirname(resolved));
    // created owner-only before SQLite opens it: its -wal and -shm files copy the database's mode
    if (!fs.existsSync(resolved)) touchPrivateFile(resolved);
    db = new Database(resolved);
    // the first pragma reads the header: a file that is not a database fails here, not mid-command
    configure(db);
  } catch (error) {
    db?.close();
    throw openFailure(resolved, error);
  }
  noteOpened(resolved);
  return db;
}

function configure(db: Db): Db {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  enableWal(db);
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  return db;
}

/**
 * Switches the file to WAL (a no-op once it is: the mode is kept in the file). Processes that
 * open a new file at the same moment each hold a shared lock and want the exclusive one: SQLite
 * answers one of them SQLITE_BUSY at once, without its busy handler (waiting could deadlock).
 * That one waits a little and tries again — by then the file usually is in WAL already — within
 * the same budget as the busy timeout.
 */
function enableWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAL_RETRY_MS);
    }
  }
}

/** Pause between attempts to switch a new file to WAL while another process does the same. */
const WAL_RETRY_MS = 10;

/** A shared connection; call `release()` exactly once when done (extra calls are ignored). */
export interface DatabaseLease {
  readonly db: Db;
  readonly file: string;
  release(): void;
}

interface SharedConnection {
  db: Db;
  refs: number;
}

const shared = new Map<string, SharedConnection>();

/**
 * Returns the process-wide connection for `file` (opened on first use), reference-counted: the
 * connection closes when the last lease is released.
 */
export function acquireDatabase(file: string): DatabaseLease {
  const key = path.resolve(file);
  let entry = shared.get(key);
  if (entry === undefined || !entry.db.open) {
    entry = { db: openDatabase(key), refs: 0 };
    shared.set(key, entry);
  }
  entry.refs += 1;
  const held = entry;
  let released = false;
  return {
    db: held.db,
    file: key,
    release() {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs === 0) {
        if (shared.get(key) === held) shared.delete(key);
        if (held.db.open) held.db.close();
      }
    },
  };
}

/**
 * Applies `statements` that have not been applied yet for `moduleName`. Statement i is schema
 * version i + 1 of that module: append new statements, never edit or reorder applied ones.
 * Returns the module's schema version afterwards.
 *
 * Almost every open finds the schema current, so the version is first read without a lock; only
 * when a step is due (or the bookkeeping table is missing) does it take an IMMEDIATE transaction,
 * which re-reads the version so that two processes starting together cannot both apply a step.
 * Taking the write lock on every open made read-only commands queue behind any writer for nothing.
 */
export function migrate(db: Db, moduleName: string, statements: readonly string[]): number {
  const seen = appliedVersion(db, moduleName);
  if (seen !== undefined) {
    refuseNewer(moduleName, seen, statements.length);
    if (seen === statements.length) return seen;
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    applied_at TEXT    NOT NULL,
    PRIMARY KEY (module, version)
  )`);
  const record = db.prepare("INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)");
  const apply = db.transaction(() => {
    const applied = appliedVersion(db, moduleName) ?? 0;
    refuseNewer(moduleName, applied, statements.length);
    for (let version = applied + 1; version <= statements.length; version++) {
      db.exec(statements[version - 1]!);
      record.run(moduleName, version, new Date().toISOString());
    }
    return statements.length;
  });
  return apply.immediate();
}

/** The module's applied schema version, or undefined when the bookkeeping table does not exist yet. */
function appliedVersion(db: Db, moduleName: string): number | undefined {
  const table = db
    .prepare<[], { n: number }>(
      "SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'",
    )
    .get();
  if (!table?.n) return undefined;
  return (
    db
      .prepare<[string], { v: number | null }>(
        "SELECT MAX(version) AS v FROM schema_migrations WHERE module = ?",
      )
      .get(moduleName)?.v ?? 0
  );
}

function refuseNewer(moduleName: string, applied: number, known: number): void {
  if (applied > known) {
    throw new UserError(
      `The database's ${moduleName} schema is version ${applied}, newer than this Karma knows (${known}).`,
      "Upgrade karma-iac to the version that last wrote this database.",
    );
  }
}

/**
 * An adapter's lease on `file` with its module's tables migrated: `acquireDatabase` + `migrate`,
 * releasing the lease again when the migration fails (e.g. a schema newer than this Karma).
 */
export function acquireMigratedDatabase(
  file: string,
  moduleName: string,
  statements: readonly string[],
): DatabaseLease {
  const lease = acquireDatabase(file);
  try {
    migrate(lease.db, moduleName, statements);
  } catch (error) {
    lease.release();
    throw error;
  }
  return lease;
}

/** `sqlite <file>` for an adapter's `description`, relative to `root` when given. */
export function describeDatabase(lease: DatabaseLease, root?: string): string {
  return `sqlite ${root ? path.relative(root, lease.file) : lease.file}`;
}
