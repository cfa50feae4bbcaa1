/** The embedded parameter store's SQL, prepared once per store: versions, labels, tags, meta. */
import type { ParameterType } from "../../../ports/parameter-store.js";
import type { Db } from "../../sqlite/database.js";

export interface VersionRow {
  name: string;
  version: number;
  type: ParameterType;
  value: string | null;
  secret: Buffer | null;
  description: string | null;
  allowed_pattern: string | null;
  tier: "Standard" | "Advanced";
  data_type: string;
  key_id: string | null;
  modified_ms: number;
  modified_user: string;
}

export const VERSION_COLUMNS =
  "v.name, v.version, v.type, v.value, v.secret, v.description, v.allowed_pattern, v.tier, v.data_type, v.key_id, v.modified_ms, v.modified_user";

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Db) {
  return {
    current: db.prepare<[string, string], { version: number }>(
      "SELECT version FROM ps_parameters WHERE namespace = ? AND name = ?",
    ),
    version: db.prepare<[string, string, number], VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ps_versions v WHERE v.namespace = ? AND v.name = ? AND v.version = ?`,
    ),
    latest: db.prepare<[string, string], VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ps_parameters p JOIN ps_versions v
         ON v.namespace = p.namespace AND v.name = p.name AND v.version = p.version
       WHERE p.namespace = ? AND p.name = ?`,
    ),
    versionCount: db.prepare<[string, string], { n: number; oldest: number }>(
      "SELECT COUNT(*) AS n, MIN(version) AS oldest FROM ps_versions WHERE namespace = ? AND name = ?",
    ),
    insertParameter: db.prepare("INSERT INTO ps_parameters (namespace, name, version) VALUES (?, ?, ?)"),
    updateParameter: db.prepare("UPDATE ps_parameters SET version = ? WHERE namespace = ? AND name = ?"),
    insertVersion: db.prepare(
      `INSERT INTO ps_versions (namespace, name, version, type, value, secret, description, allowed_pattern,
         tier, data_type, key_id, modified_ms, modified_user)
       VALUES (@namespace, @name, @version, @type, @value, @secret, @description, @allowed_pattern,
         @tier, @data_type, @key_id, @modified_ms, @modified_user)`,
    ),
    deleteVersion: db.prepare("DELETE FROM ps_versions WHERE namespace = ? AND name = ? AND version = ?"),
    deleteParameter: db.prepare("DELETE FROM ps_parameters WHERE namespace = ? AND name = ?"),
    labelVersion: db.prepare<[string, string, string], { version: number }>(
      "SELECT version FROM ps_labels WHERE namespace = ? AND name = ? AND label = ?",
    ),
    labelsOf: db.prepare<[string, string, number], { label: string }>(
      "SELECT label FROM ps_labels WHERE namespace = ? AND name = ? AND version = ? ORDER BY label",
    ),
    allLabels: db.prepare<[string, string], { label: string; version: number }>(
      "SELECT label, version FROM ps_labels WHERE namespace = ? AND name = ? ORDER BY version DESC, label",
    ),
    upsertLabel: db.prepare(
      `INSERT INTO ps_labels (namespace, name, label, version) VALUES (?, ?, ?, ?)
       ON CONFLICT (namespace, name, label) DO UPDATE SET version = excluded.version`,
    ),
    deleteLabel: db.prepare(
      "DELETE FROM ps_labels WHERE namespace = ? AND name = ? AND version = ? AND label = ?",
    ),
    tagsOf: db.prepare<[string, string], { key: string; value: string }>(
      "SELECT key, value FROM ps_tags WHERE namespace = ? AND name = ? ORDER BY key",
    ),
    upsertTag: db.prepare(
      `INSERT INTO ps_tags (namespace, name, key, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (namespace, name, key) DO UPDATE SET value = excluded.value`,
    ),
    deleteTag: db.prepare("DELETE FROM ps_tags WHERE namespace = ? AND name = ? AND key = ?"),
    latestInRange: db.prepare<[string, string, string], VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ps_parameters p JOIN ps_versions v
         ON v.namespace = p.namespace AND v.name = p.name AND v.version = p.version
       WHERE p.namespace = ? AND p.name > ? AND p.name < ?
       ORDER BY p.name`,
    ),
    history: db.prepare<[string, string, number, number], VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ps_versions v
       WHERE v.namespace = ? AND v.name = ? AND v.version > ? ORDER BY v.version LIMIT ?`,
    ),
    getMeta: db.prepare<[string], { value: string }>("SELECT value FROM ps_meta WHERE key = ?"),
    setMeta: db.prepare("INSERT INTO ps_meta (key, value) VALUES (?, ?)"),
  };
}
