/**
 * Reading one component's intent the way the planner needs it — config, references, the schema
 * and module files of its type — from a file's text, however the change was read (working tree,
 * a git revision, a proposed patch).
 */
import type { Problem } from "../../core/errors.js";
import type { Component, JsonObject, ProjectSettings, Reference } from "../../core/estate/model.js";
import { CONFIG_FILE, environmentFolder, typeSchemaFile } from "../../core/estate/paths.js";
import { checkAgainstSchema, compileSchemas, type SchemaFile } from "../../core/estate/schemas.js";
import { isValidName } from "../../core/ids.js";
import { parseJson } from "../../core/json/parse.js";
import type { ConfigSnapshot } from "../../core/planning/detect.js";
import { declaredEdges, summariseEdges } from "../../core/planning/edges.js";
import { extractReferences, indexTypes, type TypeIndex } from "../../core/references/extract.js";
import type { EstateReader } from "../../ports/estate-reader.js";
import type { Session } from "../session.js";

/** One component's config and references as the change leaves them. */
export interface Intent {
  id: string;
  env: string;
  type: string;
  nickname: string;
  file: string;
  config: JsonObject;
  references: readonly Reference[];
}

/** What reading intents needs: the estate's settings and its files. */
export type EstateFiles = Pick<Session, "settings" | "estate">;

function dirNames(estate: EstateReader, dir: string): string[] {
  return estate.folders(dir).filter(isValidName);
}

/** Every type name the estate uses: karma.json, type folders, and type folders under each environment. */
export function typeIndexFor({ settings, estate }: EstateFiles): { index: TypeIndex; names: string[] } {
  const names = new Set(Object.keys(settings.types));
  for (const t of dirNames(estate, settings.paths.types)) names.add(t);
  for (const env of settings.environments)
    for (const t of dirNames(estate, environmentFolder(settings, env.name))) names.add(t);
  const sorted = [...names].sort();
  return { index: indexTypes(sorted), names: sorted };
}

export { typeFiles } from "../../core/estate/paths.js";

export function hasSchema({ settings, estate }: EstateFiles, type: string): boolean {
  return estate.exists(typeSchemaFile(settings, type));
}

/** `<components>/<env>/<type>/<nickname>/config.json` → its address, for known environments. */
export function configAddress(
  settings: ProjectSettings,
  file: string,
): { env: string; type: string; nickname: string; id: string } | undefined {
  const head = `${settings.paths.components}/`;
  if (!file.startsWith(head)) return undefined;
  const parts = file.slice(head.length).split("/");
  if (parts.length !== 4 || parts[3] !== CONFIG_FILE) return undefined;
  const [env, type, nickname] = parts as [string, string, string];
  if (!settings.environments.some((e) => e.name === env) || ![env, type, nickname].every(isValidName))
    return undefined;
  return { env, type, nickname, id: `${env}:${type}/${nickname}` };
}

/** Components of `types` found on disk (for schema/module changes), as {id, type}. */
export function componentsOfTypes(
  { settings, estate }: EstateFiles,
  types: ReadonlySet<string>,
): { id: string; type: string }[] {
  const out: { id: string; type: string }[] = [];
  for (const env of settings.environments)
    for (const type of types)
      for (const nickname of dirNames(estate, `${environmentFolder(settings, env.name)}/${type}`))
        out.push({ id: `${env.name}:${type}/${nickname}`, type });
  return out;
}

function prefixOf(settings: ProjectSettings, env: string): string {
  return settings.environments.find((e) => e.name === env)?.prefix ?? settings.prefix;
}

/** Parses one side of a changed config; problems (malformed JSON, not an object) are collected. */
export function intentFrom(
  settings: ProjectSettings,
  types: TypeIndex,
  address: { env: string; type: string; nickname: string; id: string },
  file: string,
  text: string,
  problems: Problem[] | undefined,
): Intent | undefined {
  const parsed = parseJson(text, file);
  problems?.push(...parsed.problems.map((p) => ({ ...p, component: address.id })));
  const value = parsed.value;
  if (value === undefined || value === null || typeof value !== "object" || Array.isArray(value)) {
    if (value !== undefined)
      problems?.push({
        code: "config.not-object",
        file,
        pointer: "",
        component: address.id,
        message: "a component config must be a JSON object",
        fix: 'wrap the settings in an object, e.g. {"name": "…"}',
        severity: "error",
      });
    return undefined;
  }
  const extracted = extractReferences(value, {
    env: address.env,
    prefix: prefixOf(settings, address.env),
    types,
    file,
    component: address.id,
  });
  problems?.push(...extracted.problems);
  return { ...address, file, config: value, references: extracted.references };
}

export function intentOf(c: Component): Intent {
  return {
    id: c.id,
    env: c.env,
    type: c.type,
    nickname: c.nickname,
    file: c.file,
    config: c.config,
    references: c.references,
  };
}

export function snapshot(intent: Intent): ConfigSnapshot {
  return {
    id: intent.id,
    file: intent.file,
    config: intent.config,
    edges: summariseEdges(declaredEdges(intent.id, intent.references)),
  };
}

/** Schema violations of the changed components (the rest of the estate is `karma validate`'s business). */
export function schemaProblems({ settings, estate }: EstateFiles, intents: readonly Intent[]): Problem[] {
  const types = [...new Set(intents.map((i) => i.type))].sort();
  const files: SchemaFile[] = [];
  for (const type of types) {
    const path = typeSchemaFile(settings, type);
    const text = estate.readText(path);
    // no schema for this type: nothing to check
    if (text !== undefined) files.push({ type, path, text });
  }
  if (files.length === 0) return [];
  const compiled = compileSchemas(files);
  const problems = [...compiled.problems];
  for (const intent of intents) {
    const schema = compiled.byType.get(intent.type);
    if (!schema) continue;
    const refPointers = intent.references.filter((r) => r.form === "ref").map((r) => r.pointer);
    problems.push(
      ...checkAgainstSchema(schema, intent.config, { file: intent.file, component: intent.id }, refPointers),
    );
  }
  return problems;
}
