/**
 * Reads an estate from disk: finds its root, collects the component config files and type
 * schemas, and hands them to the pure `buildEstate`.
 *
 * Reading is synchronous on purpose: on 50k components, `readdirSync(withFileTypes)` plus
 * `readFileSync` took ~1 s where an async walk with bounded read concurrency took ~6 s (libuv's
 * thread pool and promise overhead dominate for small files).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { type Problem, UserError } from "../../core/errors.js";
import { isConfigCandidate } from "../../core/estate/layout.js";
import type { Estate, ProjectSettings } from "../../core/estate/model.js";
import { SETTINGS_FILE } from "../../core/estate/settings.js";
import {
  buildEstate,
  type EstateSources,
  type SchemaFile,
  type SourceFile,
} from "../../core/estate/validate.js";
import { isValidName } from "../../core/ids.js";

/** The nearest directory at or above `start` holding karma.json. */
export function findEstateRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, SETTINGS_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new UserError(
        `no ${SETTINGS_FILE} found in ${start} or any directory above it`,
        "run `karma init` to create an estate here, or pass -C <estate directory>",
      );
    dir = parent;
  }
}

export async function loadEstate(settings: ProjectSettings): Promise<Estate> {
  return buildEstate(readEstateSources(settings));
}

/** Everything `buildEstate` needs, read from disk. Unreadable files become problems, not exceptions. */
export function readEstateSources(settings: ProjectSettings): EstateSources {
  const problems: Problem[] = [];
  const configFiles: SourceFile[] = [];
  const componentsRoot = join(settings.root, settings.paths.components);
  if (existsSync(componentsRoot)) walkComponents(settings.root, componentsRoot, [], configFiles, problems);
  return {
    settings,
    configFiles,
    schemaFiles: readTypeFiles(settings, "schema.json", "schema", problems),
    contractFiles: readTypeFiles(settings, "outputs.schema.json", "outputs", problems),
    problems,
  };
}

function walkComponents(
  root: string,
  dir: string,
  segments: string[],
  out: SourceFile[],
  problems: Problem[],
): void {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    problems.push(unreadable(root, dir, error));
    return;
  }
  for (const entry of entries) {
    // dot folders hold tool state (.terraform, .git), never components
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    const below = [...segments, entry.name];
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(path);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // dangling link
      }
    }
    if (isDirectory) walkComponents(root, path, below, out, problems);
    else if (isFile && isConfigCandidate(below)) {
      try {
        out.push({ path: toEstatePath(root, path), text: readFileSync(path, "utf8") });
      } catch (error) {
        problems.push(unreadable(root, path, error));
      }
    }
  }
}

/**
 * One schema file per type: declared in karma.json types (`key`), else `types/<type>/<fileName>`
 * for every type folder that has one. Config schemas are `schema.json`, output contracts
 * `outputs.schema.json`.
 */
function readTypeFiles(
  settings: ProjectSettings,
  fileName: string,
  key: "schema" | "outputs",
  problems: Problem[],
): SchemaFile[] {
  const byType = new Map<string, { path: string; declared: boolean }>();
  const typesRoot = join(settings.root, settings.paths.types);
  if (existsSync(typesRoot)) {
    for (const entry of readdirSync(typesRoot, { withFileTypes: true })) {
      if (!isValidName(entry.name)) continue;
      const schema = join(typesRoot, entry.name, fileName);
      if (existsSync(schema)) byType.set(entry.name, { path: schema, declared: false });
    }
  }
  for (const type of Object.values(settings.types)) {
    const declared = type[key];
    if (declared) byType.set(type.name, { path: join(settings.root, declared), declared: true });
  }

  const files: SchemaFile[] = [];
  for (const [type, { path, declared }] of [...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    try {
      files.push({ type, path: toEstatePath(settings.root, path), text: readFileSync(path, "utf8") });
    } catch (error) {
      if (declared && (error as NodeJS.ErrnoException).code === "ENOENT")
        problems.push({
          code: "schema.missing-file",
          file: SETTINGS_FILE,
          pointer: `/types/${type}/${key}`,
          message: `the ${key === "schema" ? "schema" : "output contract"} of type "${type}" is declared as ${toEstatePath(settings.root, path)}, which does not exist`,
          fix: `create ${toEstatePath(settings.root, path)} or correct "${key}" for type "${type}" in ${SETTINGS_FILE}`,
          severity: "error",
        });
      else problems.push(unreadable(settings.root, path, error));
    }
  }
  return files;
}

function unreadable(root: string, path: string, error: unknown): Problem {
  const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
  return {
    code: "fs.unreadable",
    file: toEstatePath(root, path),
    message: `cannot read it (${code})`,
    fix: "check the file's permissions",
    severity: "error",
  };
}

function toEstatePath(root: string, path: string): string {
  return relative(root, path).split(sep).join("/");
}
