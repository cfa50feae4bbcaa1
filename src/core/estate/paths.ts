/**
 * Where things live, spelled once: the estate's files and Karma's state on disk, and the
 * parameter names in each environment's store. File paths are estate-relative with `/`
 * separators (the state folder may be absolute); adapters resolve them against the estate root
 * with {@link inEstate}.
 *
 * Files:
 *   karma.json                                         the estate's settings, at its root
 *   <components>/<env>/<type>/<nickname>/config.json   a component's intent (default `iac/`)
 *   <types>/<type>/schema.json                         the type's config schema (default `types/`)
 *   <types>/<type>/outputs.schema.json                 the type's output contract
 *   <types>/<type>/                                    the type's module
 *   <state>/karma.db                                   the embedded database (default `.karma/`)
 *   <state>/what-if.db                                 what-if graphs (never the latest graph)
 *   <state>/work/<env>/<type>/<nickname>[@slot]/       a runner's work dir for the component
 *   <state>/state/…                                    local Terraform state (no backend configured)
 *   <state>/logs/<env>/<type>/<nickname>/<timestamp>-<action>.log
 *   <state>/test/<env>/<type>/<nickname>/              `karma test`'s scratch module copy
 *
 * Parameters, in one environment's store:
 *   <prefix>/<type>/<nickname>/config    published intent
 *   <prefix>/<type>/<nickname>/runtime   what was deployed
 *   <prefix>/environment                 which environment the store serves
 *   /external/<type>/<nickname>/runtime  systems not deployed by Karma
 */
import type { ComponentAddress, ProjectSettings } from "./model.js";

/** karma.json's "paths" when it names none. */
export const DEFAULT_PATHS: ProjectSettings["paths"] = { components: "iac", types: "types", state: ".karma" };

/** The estate's settings, at its root. */
export const SETTINGS_FILE = "karma.json";
export const CONFIG_FILE = "config.json";
export const SCHEMA_FILE = "schema.json";
export const OUTPUTS_SCHEMA_FILE = "outputs.schema.json";

type Paths = Pick<ProjectSettings, "paths">;
type Typed = Pick<ProjectSettings, "paths" | "types">;

/** The components folder as written in estate-relative paths: no "./", no trailing "/". */
export function componentsFolder(settings: Paths): string {
  return settings.paths.components.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}

/** `<components>/<env>/<type>/<nickname>/config.json` */
export function componentConfigFile(
  settings: { paths: Pick<ProjectSettings["paths"], "components"> },
  a: ComponentAddress,
): string {
  return `${settings.paths.components}/${a.env}/${a.type}/${a.nickname}/${CONFIG_FILE}`;
}

/** The folder holding one environment's components. */
export function environmentFolder(settings: Paths, env: string): string {
  return `${settings.paths.components}/${env}`;
}

/** A type's default folder (its module unless karma.json names another). */
export function typeFolder(settings: Paths, type: string): string {
  return `${settings.paths.types}/${type}`;
}

/** The type's module directory: karma.json's `module`, else its type folder. */
export function typeModuleDir(settings: Typed, type: string): string {
  return settings.types[type]?.module ?? typeFolder(settings, type);
}

/** The type's config schema: karma.json's `schema`, else `<types>/<type>/schema.json`. */
export function typeSchemaFile(settings: Typed, type: string): string {
  return settings.types[type]?.schema ?? `${typeFolder(settings, type)}/${SCHEMA_FILE}`;
}

/** Where each of `types` keeps its schema and module, relative to the estate root. */
export function typeFiles(
  settings: Typed,
  types: readonly string[],
): Map<string, { schema: string; module: string }> {
  const files = new Map<string, { schema: string; module: string }>();
  for (const type of types)
    files.set(type, { schema: typeSchemaFile(settings, type), module: typeModuleDir(settings, type) });
  return files;
}

/** The type's output contract: karma.json's `outputs`, else `<types>/<type>/outputs.schema.json`. */
export function typeOutputsFile(settings: Typed, type: string): string {
  return settings.types[type]?.outputs ?? `${typeFolder(settings, type)}/${OUTPUTS_SCHEMA_FILE}`;
}

// ── Karma's state ────────────────────────────────────────────────────────────────────────────

/** `rel` resolved against the estate root (an absolute `rel` stays as it is). */
export function inEstate(settings: Pick<ProjectSettings, "root">, rel: string): string {
  if (rel.startsWith("/")) return rel;
  const parts: string[] = [];
  for (const part of `${settings.root}/${rel}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** The state folder without "./" or a trailing "/". */
export function stateFolder(settings: Paths): string {
  return settings.paths.state.replace(/^(\.\/)+/, "").replace(/\/+$/, "") || ".";
}

/** The embedded database (parameter store, graph, audit log, locks): `<state>/karma.db`. */
export function stateDatabaseFile(settings: Paths): string {
  return `${stateFolder(settings)}/karma.db`;
}

/** The what-if graphs' database: `<state>/what-if.db`. */
export function whatIfDatabaseFile(settings: Paths): string {
  return `${stateFolder(settings)}/what-if.db`;
}

/**
 * A deployment slot's folder name: the default ("blue") slot is the nickname itself, so estates
 * that never deploy a candidate keep their layout; the other is `<nickname>@green`.
 */
export function slotFolder(nickname: string, slot?: string): string {
  return slot === undefined || slot === "blue" ? nickname : `${nickname}@${slot}`;
}

/** A runner's work dir for the component (and slot). */
export function componentWorkFolder(settings: Paths, a: ComponentAddress, slot?: string): string {
  return `${stateFolder(settings)}/work/${a.env}/${a.type}/${slotFolder(a.nickname, slot)}`;
}

/** Where Terraform keeps local state when no backend is configured. */
export function localStateFolder(settings: Paths): string {
  return `${stateFolder(settings)}/state`;
}

/** `karma test`'s scratch folder for the component. */
export function testWorkFolder(settings: Paths, a: ComponentAddress): string {
  return `${stateFolder(settings)}/test/${a.env}/${a.type}/${a.nickname}`;
}

/** A new log file per run; the timestamp sorts runs in order and never collides within a process. */
export function runLogFile(settings: Paths, a: ComponentAddress, action: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  return `${stateFolder(settings)}/logs/${a.env}/${a.type}/${a.nickname}/${stamp}-${action}.log`;
}

// ── parameter names ──────────────────────────────────────────────────────────────────────────

export type ParameterKind = "config" | "runtime";

export function componentParameterName(
  prefix: string,
  type: string,
  nickname: string,
  kind: ParameterKind,
): string {
  return `${prefix}/${type}/${nickname}/${kind}`;
}

export function environmentParameterName(prefix: string): string {
  return `${prefix}/environment`;
}

export const EXTERNAL_PREFIX = "/external";

export interface ParsedParameterName {
  type: string;
  nickname: string;
  kind: ParameterKind;
}

const SLASH = 0x2f;

/** Recognises `<prefix>/<type>/<nickname>/config|runtime`; anything else is not a component parameter. */
export function parseComponentParameterName(prefix: string, name: string): ParsedParameterName | undefined {
  // scans for the two separators instead of splitting: this runs for every parameter of a tree
  const start = prefix.length + 1;
  if (name.charCodeAt(prefix.length) !== SLASH || !name.startsWith(prefix)) return undefined;
  const typeEnd = name.indexOf("/", start);
  if (typeEnd < 0) return undefined;
  const nicknameEnd = name.indexOf("/", typeEnd + 1);
  if (nicknameEnd < 0 || name.indexOf("/", nicknameEnd + 1) >= 0) return undefined;
  const kind = name.slice(nicknameEnd + 1);
  if (kind !== "config" && kind !== "runtime") return undefined;
  return { type: name.slice(start, typeEnd), nickname: name.slice(typeEnd + 1, nicknameEnd), kind };
}
