/**
 * Tables of the embedded parameter store (module "parameter-store" in `schema_migrations`).
 * Append new statements; never edit applied ones.
 *
 * `ps_parameters` holds one row per live parameter pointing at its latest version, so reading
 * the latest value of every parameter under a path is one range scan plus a primary-key join.
 * Names compare with BINARY collation (byte order), which is what makes `name >= 'p/' AND
 * name < 'p0'` a prefix scan.
 */
export const PARAMETER_STORE_MODULE = "parameter-store";

export const PARAMETER_STORE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ps_parameters (
    namespace TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (namespace, name)
  ) WITHOUT ROWID;

  CREATE TABLE ps_versions (
    namespace       TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    type            TEXT    NOT NULL CHECK (type IN ('String', 'StringList', 'SecureString')),
    -- plaintext for String/StringList; NULL for SecureString
    value           TEXT,
    -- AES-256-GCM envelope for SecureString; NULL otherwise
    secret          BLOB,
    description     TEXT,
    allowed_pattern TEXT,
    tier            TEXT    NOT NULL CHECK (tier IN ('Standard', 'Advanced')),
    data_type       TEXT    NOT NULL,
    key_id          TEXT,
    modified_ms     INTEGER NOT NULL,
    modified_user   TEXT    NOT NULL,
    PRIMARY KEY (namespace, name, version),
    FOREIGN KEY (namespace, name) REFERENCES ps_parameters (namespace, name) ON DELETE CASCADE,
    CHECK ((type = 'SecureString') = (secret IS NOT NULL AND value IS NULL))
  ) WITHOUT ROWID;

  CREATE TABLE ps_labels (
    namespace TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    label     TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (namespace, name, label),
    FOREIGN KEY (namespace, name, version) REFERENCES ps_versions (namespace, name, version) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX ps_labels_by_version ON ps_labels (namespace, name, version);

  CREATE TABLE ps_tags (
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (namespace, name, key),
    FOREIGN KEY (namespace, name) REFERENCES ps_parameters (namespace, name) ON DELETE CASCADE
  ) WITHOUT ROWID;

  -- File-wide facts, e.g. the fingerprint of the key SecureStrings are encrypted with.
  CREATE TABLE ps_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];
