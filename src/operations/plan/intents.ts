/**
 * Reading one component's intent the way the planner needs it — config, references, the schema
 * and module files of its type — from a file's text, however the change was read (working tree,
 * a git revision, a proposed patch).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Problem } from "../../core/errors.js";
import type { Component, JsonObject, ProjectSettings, Reference } from "../../core/estate/model.js";
import { checkAgainstSchema, compileSchemas, type SchemaFile } from "../../core/estate/schemas.js";
import { isValidName } from "../../core/ids.js";
import { parseJson } from "../../core/json/parse.js";
import type { ConfigSnapshot, TypeFiles } from "../../core/planning/detect.js";
import { declaredEdges, summariseEdges } from "../../core/planning/edges.js";
import { extractReferences, indexTypes, type TypeIndex } from "../../core/references/extract.js";

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

function dirNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && isValidName(e.name))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** Every type name the estate uses: karma.json, type folders, and type folders under each environment. */
export function typeIndexFor(settings: ProjectSettings): { index: TypeIndex; names: string[] } {
  const names = new Set(Object.keys(settings.types));
  for (const t of dirNames(join(settings.root, settings.paths.types))) names.add(t);
  for (const env of settings.environments)
    for (const t of dirNames(join(settings.root, settings.paths.components, env.name))) names.add(t);
  const sorted = [...names].sort();
  return { index: indexTypes(sorted), names: sorted };
}

export function typeFiles(settings: ProjectSettings, types: readonly string[]): Map<string, TypeFiles> {
  const files = new Map<string, TypeFiles>();
  for (const type of types) {
    const declared = settings.types[type];
    files.set(type, {
      schema: declared?.schema ?? `${settings.paths.types}/${type}/schema.json`,
      module: declared?.module ?? `${settings.paths.types}/${type}`,
    });
  }
  return files;
}

export function hasSchema(settings: ProjectSettings, type: string): boolean {
  const declared = settings.types[type]?.schema;
  return existsSync(join(settings.root, declared ?? `${settings.paths.types}/${type}/schema.json`));
}

/** `<components>/<env>/<type>/<nickname>/config.json` → its address, for known environments. */
export function configAddress(
  settings: ProjectSettings,
  file: string,
): { env: string; type: string; nickname: string; id: string } | undefined {
  const head = `${settings.paths.components}/`;
  if (!file.startsWith(head)) return undefined;
  const parts = file.slice(head.length).split("/");
  if (parts.length !== 4 || parts[3] !== "config.json") return undefined;
  const [env, type, nickname] = parts as [string, string, string];
  if (!settings.environments.some((e) => e.name === env) || ![env, type, nickname].every(isValidName))
    return undefined;
  return { env, type, nickname, id: `${env}:${type}/${nickname}` };
}

/** Components of `types` found on disk (for schema/module changes), as {id, type}. */
export function componentsOfTypes(
  settings: ProjectSettings,
  types: ReadonlySet<string>,
): { id: string; type: string }[] {
  const out: { id: string; type: string }[] = [];
  for (const env of settings.environments)
    for (const type of types)
      for (const nickname of dirNames(join(settings.root, settings.paths.components, env.name, type)))
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
export function schemaProblems(settings: ProjectSettings, intents: readonly Intent[]): Problem[] {
  const types = [...new Set(intents.map((i) => i.type))].sort();
  const files: SchemaFile[] = [];
  for (const type of types) {
    const path = settings.types[type]?.schema ?? `${settings.paths.types}/${type}/schema.json`;
    try {
      files.push({ type, path, text: readFileSync(join(settings.root, path), "utf8") });
    } catch {
      // no schema for this type
    }
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
