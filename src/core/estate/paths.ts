/**
 * Where things live in an estate, spelled once. Every path is estate-relative with `/`
 * separators; adapters resolve them against the estate root.
 *
 *   karma.json                                         the estate's settings, at its root
 *   <components>/<env>/<type>/<nickname>/config.json   a component's intent (default `iac/`)
 *   <types>/<type>/schema.json                         the type's config schema (default `types/`)
 *   <types>/<type>/outputs.schema.json                 the type's output contract
 *   <types>/<type>/                                    the type's module
 */
import type { ComponentAddress, ProjectSettings } from "./model.js";

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
export function componentConfigFile(settings: Paths, a: ComponentAddress): string {
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

/** The type's output contract: karma.json's `outputs`, else `<types>/<type>/outputs.schema.json`. */
export function typeOutputsFile(settings: Typed, type: string): string {
  return settings.types[type]?.outputs ?? `${typeFolder(settings, type)}/${OUTPUTS_SCHEMA_FILE}`;
}
