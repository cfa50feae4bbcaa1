/**
 * Environment locks in the embedded database: one row per locked environment. Taking a lock is
 * one IMMEDIATE transaction (read the row; insert or replace it if absent or expired), so two
 * processes racing for the same environment are serialised by SQLite's write lock and exactly
 * one of them wins.
 */
import type { LockHolder } from "../../../ports/lock.js";
import { acquireMigratedDatabase, type DatabaseLease, describeDatabase } from "../../sqlite/database.js";
import type { LockBackend, TryAcquireResult } from "../lease-lock.js";
import { ENVIRONMENT_LOCK_MIGRATIONS, ENVIRONMENT_LOCK_MODULE } from "./schema.js";

interface Row {
  env: string;
  lock_id: string;
  owner: string;
  pid: number;
  host: string;
  operation: string;
  acquired_at: string;
  expires_at: string;
  expires_ms: number;
}

function toHolder(row: Row): LockHolder {
  return {
    lockId: row.lock_id,
    env: row.env,
    owner: row.owner,
    pid: row.pid,
    host: row.host,
    operation: row.operation,
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
  };
}

function toParams(h: LockHolder): Row {
  return {
    env: h.env,
    lock_id: h.lockId,
    owner: h.owner,
    pid: h.pid,
    host: h.host,
    operation: h.operation,
    acquired_at: h.acquiredAt,
    expires_at: h.expiresAt,
    expires_ms: Date.parse(h.expiresAt),
  };
}

export class SqliteLockBackend implements LockBackend {
  readonly description: string;
  private readonly lease: DatabaseLease;

  constructor(options: { file: string; root?: string }) {
    this.lease = acquireMigratedDatabase(options.file, ENVIRONMENT_LOCK_MODULE, ENVIRONMENT_LOCK_MIGRATIONS);
    this.description = describeDatabase(this.lease, options.root);
  }

  async tryAcquire(holder: LockHolder, now: Date, replace?: string): Promise<TryAcquireResult> {
    const db = this.lease.db;
    const take = db.transaction((): TryAcquireResult => {
      const row = db.prepare<[string], Row>("SELECT * FROM environment_locks WHERE env = ?").get(holder.env);
      if (row !== undefined && row.expires_ms > now.getTime() && row.lock_id !== replace)
        return { acquired: false, holder: toHolder(row) };
      db.prepare(
        `INSERT OR REPLACE INTO environment_locks (env, lock_id, owner, pid, host, operation, acquired_at, expires_at, expires_ms)
         VALUES (@env, @lock_id, @owner, @pid, @host, @operation, @acquired_at, @expires_at, @expires_ms)`,
      ).run(toParams(holder));
      return row === undefined ? { acquired: true } : { acquired: true, tookOver: row.lock_id };
    });
    return take.immediate();
  }

  async renew(holder: LockHolder): Promise<boolean> {
    const p = toParams(holder);
    const result = this.lease.db
      .prepare("UPDATE environment_locks SET expires_at = ?, expires_ms = ? WHERE env = ? AND lock_id = ?")
      .run(p.expires_at, p.expires_ms, p.env, p.lock_id);
    return result.changes === 1;
  }

  async release(holder: LockHolder): Promise<void> {
    this.lease.db
      .prepare("DELETE FROM environment_locks WHERE env = ? AND lock_id = ?")
      .run(holder.env, holder.lockId);
  }

  async inspect(env: string): Promise<LockHolder | null> {
    const row = this.lease.db
      .prepare<[string], Row>("SELECT * FROM environment_locks WHERE env = ?")
      .get(env);
    return row === undefined ? null : toHolder(row);
  }

  async forceRelease(env: string): Promise<LockHolder | null> {
    const db = this.lease.db;
    const remove = db.transaction((): LockHolder | null => {
      const row = db.prepare<[string], Row>("SELECT * FROM environment_locks WHERE env = ?").get(env);
      if (row === undefined) return null;
      db.prepare("DELETE FROM environment_locks WHERE env = ?").run(env);
      return toHolder(row);
    });
    return remove.immediate();
  }

  async close(): Promise<void> {
    this.lease.release();
  }
}
