/**
 * The local cache behind incremental sync: the last value Karma read for each SSM parameter,
 * stamped with the version and modification time it had. Kept in the embedded database so it
 * survives between runs. SecureString values are never cached (the cache would hold plaintext
 * or a ciphertext only valid without decryption); they are fetched on every sync.
 *
 * Rows are scoped by `scope`, which identifies one remote store (endpoint, region, profile,
 * environment), so caches of different accounts or environments never mix.
 */
import { acquireMigratedDatabase, type DatabaseLease } from "../../sqlite/database.js";

const MODULE = "ssm-sync-cache";
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE ssm_sync_cache (
    scope         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    modified_ms   INTEGER NOT NULL,
    type          TEXT    NOT NULL CHECK (type IN ('String', 'StringList')),
    value         TEXT    NOT NULL,
    arn           TEXT    NOT NULL,
    data_type     TEXT    NOT NULL,
    description   TEXT,
    PRIMARY KEY (scope, name)
  ) WITHOUT ROWID`,
];

export interface CachedParameter {
  name: string;
  version: number;
  modifiedMs: number;
  type: "String" | "StringList";
  value: string;
  arn: string;
  dataType: string;
  description?: string;
}

interface Row {
  name: string;
  version: number;
  modified_ms: number;
  type: "String" | "StringList";
  value: string;
  arn: string;
  data_type: string;
  description: string | null;
}

/** `name > '/a/' AND name < '/a0'` selects exactly the names under `/a` (byte order: '/'+1 = '0'). */
export function childRange(path: string): [string, string] {
  const prefix = path.endsWith("/") ? path : `${path}/`;
  return [prefix, `${prefix.slice(0, -1)}0`];
}

export class SyncCache {
  private readonly lease: DatabaseLease;

  constructor(
    databaseFile: string,
    private readonly scope: string,
  ) {
    this.lease = acquireMigratedDatabase(databaseFile, MODULE, MIGRATIONS);
  }

  /** Cached parameters under `path` (children at any depth), by name. */
  under(path: string): Map<string, CachedParameter> {
    const [low, high] = childRange(path);
    const rows = this.lease.db
      .prepare<[string, string, string], Row>(
        "SELECT * FROM ssm_sync_cache WHERE scope = ? AND name >= ? AND name < ? ORDER BY name",
      )
      .all(this.scope, low, high);
    return new Map(
      rows.map((r) => [
        r.name,
        {
          name: r.name,
          version: r.version,
          modifiedMs: r.modified_ms,
          type: r.type,
          value: r.value,
          arn: r.arn,
          dataType: r.data_type,
          ...(r.description !== null && { description: r.description }),
        },
      ]),
    );
  }

  /** Replaces what is cached under `path`: stores `fresh`, drops every name not in `keep`. */
  update(path: string, fresh: readonly CachedParameter[], keep: ReadonlySet<string>): void {
    const db = this.lease.db;
    const [low, high] = childRange(path);
    const upsert = db.prepare(
      `INSERT INTO ssm_sync_cache (scope, name, version, modified_ms, type, value, arn, data_type, description)
       VALUES (@scope, @name, @version, @modifiedMs, @type, @value, @arn, @dataType, @description)
       ON CONFLICT (scope, name) DO UPDATE SET version = excluded.version, modified_ms = excluded.modified_ms,
         type = excluded.type, value = excluded.value, arn = excluded.arn, data_type = excluded.data_type,
         description = excluded.description`,
    );
    const names = db.prepare<[string, string, string], { name: string }>(
      "SELECT name FROM ssm_sync_cache WHERE scope = ? AND name >= ? AND name < ?",
    );
    const remove = db.prepare("DELETE FROM ssm_sync_cache WHERE scope = ? AND name = ?");
    db.transaction(() => {
      for (const { name } of names.all(this.scope, low, high))
        if (!keep.has(name)) remove.run(this.scope, name);
      for (const p of fresh) upsert.run({ scope: this.scope, ...p, description: p.description ?? null });
    })();
  }

  close(): void {
    this.lease.release();
  }
}
