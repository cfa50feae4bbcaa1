/**
 * The estate-read cache (pure): what validating one config file produced, stored by the git blob
 * id of the file's content, so that a load re-reads, re-parses and re-validates only the files
 * whose content changed. The cache never decides an answer: an entry is used only for exactly
 * the content it was made from (same blob id) and under exactly the validation inputs it was
 * made under (same `context`: Karma's version and cache revision, the settings, the type schemas
 * and the known types). Anything else — another context, a foreign format, unreadable or
 * malformed text — is a miss.
 *
 * What depends on other components (dangling references, duplicates, output-contract uses) is
 * not cached: it is checked on every load.
 */
import { createHash } from "node:crypto";
import type { Problem } from "../errors.js";
import type { JsonObject, ProjectSettings, Reference } from "./model.js";
import type { SchemaFile } from "./schemas.js";

/** Bump when what per-file validation produces changes for the same content and inputs. */
export const ESTATE_CACHE_REVISION = 1;
const FORMAT = "karma-estate-cache";

/** What validating one config file's content produced, on its own (no other component involved). */
export interface ValidatedConfig {
  /** Absent when the text is not a JSON object (the problems say why). */
  config?: JsonObject;
  /** Canonical JSON of `config`. */
  canonical?: string;
  references?: Reference[];
  /** The file's own problems (JSON, references' form, schema, parameter name, size), located. */
  problems: Problem[];
}

export interface CachedConfig extends ValidatedConfig {
  /** Git blob id (sha1 of `blob <size>\0<bytes>`) of the content validated. */
  blob: string;
}

export interface EstateReadCache {
  /** Digest of the validation inputs the entries were made under. */
  context: string;
  /** By estate-relative config path. */
  entries: ReadonlyMap<string, CachedConfig>;
}

/** The git blob id of `bytes`: what `git ls-files -s` reports for a tracked file with this content. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
}

/**
 * Digest of everything besides a file's content that per-file validation reads: Karma's version,
 * this cache's revision, the settings (environments, prefixes, folders, declared types), every
 * type schema and the names of the known types (references by name match type names).
 */
export function validationContext(
  toolVersion: string,
  settings: ProjectSettings,
  schemaFiles: readonly SchemaFile[],
  types: readonly string[],
): string {
  const hash = createHash("sha256");
  hash.update(`${FORMAT} r${ESTATE_CACHE_REVISION} karma ${toolVersion}\n`);
  hash.update(`${JSON.stringify(settings)}\n`);
  for (const f of schemaFiles) hash.update(`${JSON.stringify([f.type, f.path, f.text])}\n`);
  hash.update(JSON.stringify(types));
  return hash.digest("hex");
}

/**
 * One entry as stored: a tuple, not an object — on 10k components the key names were a third of
 * the file and of its parse time.
 */
type StoredEntry = [
  blob: string,
  config: JsonObject | null,
  canonical: string | null,
  references: StoredReference[],
  problems: Problem[],
];
type StoredReference = [
  form: Reference["form"],
  pointer: string,
  env: string,
  type: string,
  nickname: string,
  external: 0 | 1,
  key: string | null,
];

interface StoredCache {
  format: typeof FORMAT;
  revision: number;
  context: string;
  entries: Record<string, StoredEntry>;
}

function storedEntry(entry: CachedConfig): StoredEntry {
  const references = (entry.references ?? []).map(
    (r): StoredReference => [
      r.form,
      r.pointer,
      r.target.env,
      r.target.type,
      r.target.nickname,
      r.external ? 1 : 0,
      r.key ?? null,
    ],
  );
  return [entry.blob, entry.config ?? null, entry.canonical ?? null, references, entry.problems];
}

export function serializeEstateCache(cache: EstateReadCache): string {
  const entries: Record<string, StoredEntry> = {};
  for (const [path, entry] of cache.entries) entries[path] = storedEntry(entry);
  const stored: StoredCache = {
    format: FORMAT,
    revision: ESTATE_CACHE_REVISION,
    context: cache.context,
    entries,
  };
  return JSON.stringify(stored);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function reference(value: unknown): Reference | undefined {
  if (!Array.isArray(value) || value.length !== 7) return undefined;
  const [form, pointer, env, type, nickname, external, key] = value as unknown[];
  if (
    typeof form !== "string" ||
    typeof pointer !== "string" ||
    typeof env !== "string" ||
    typeof type !== "string" ||
    typeof nickname !== "string" ||
    (external !== 0 && external !== 1) ||
    (key !== null && typeof key !== "string")
  )
    return undefined;
  const r: Reference = {
    form: form as Reference["form"],
    pointer,
    target: { env, type, nickname },
    external: external === 1,
  };
  if (key !== null) r.key = key;
  return r;
}

function entry(value: unknown): CachedConfig | undefined {
  if (!Array.isArray(value) || value.length !== 5) return undefined;
  const [blob, config, canonical, references, problems] = value as unknown[];
  if (typeof blob !== "string" || !Array.isArray(references) || !Array.isArray(problems)) return undefined;
  if (config === null) return canonical === null ? { blob, problems: problems as Problem[] } : undefined;
  if (!isObject(config) || typeof canonical !== "string") return undefined;
  const refs: Reference[] = [];
  for (const r of references) {
    const parsed = reference(r);
    if (!parsed) return undefined;
    refs.push(parsed);
  }
  return { blob, config: config as JsonObject, canonical, references: refs, problems: problems as Problem[] };
}

/** The cache in `text`; undefined (a miss) when it is not one this version of Karma wrote. */
export function parseEstateCache(text: string): EstateReadCache | undefined {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (
    !isObject(stored) ||
    stored.format !== FORMAT ||
    stored.revision !== ESTATE_CACHE_REVISION ||
    typeof stored.context !== "string" ||
    !isObject(stored.entries)
  )
    return undefined;
  const entries = new Map<string, CachedConfig>();
  for (const [path, value] of Object.entries(stored.entries)) {
    // one malformed entry makes the whole file suspect: nothing of it is used
    const parsed = entry(value);
    if (!parsed) return undefined;
    entries.set(path, parsed);
  }
  return { context: stored.context, entries };
}
