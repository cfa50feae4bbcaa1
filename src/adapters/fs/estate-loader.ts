/**
 * Reads an estate from disk: finds its root, collects the component config files and type
 * schemas, and hands them to the pure `buildEstate`.
 *
 * Reading is synchronous on purpose: on 50k components, `readdirSync(withFileTypes)` plus
 * `readFileSync` took ~1 s where an async walk with bounded read concurrency took ~6 s (libuv's
 * thread pool and promise overhead dominate for small files).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { type Problem, UserError } from "../../core/errors.js";
import { isConfigCandidate } from "../../core/estate/layout.js";
import type { Estate, ProjectSettings } from "../../core/estate/model.js";
import { CONFIG_FILE } from "../../core/estate/paths.js";
import { SETTINGS_FILE } from "../../core/estate/settings.js";
import type { EstateSources, SchemaFile, SourceFile } from "../../core/estate/validate.js";
import { isValidName } from "../../core/ids.js";
import { builtin } from "../builtins.js";

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

export async function loadEstate(
  settings: ProjectSettings,
  options: { digest?: boolean } = {},
): Promise<Estate> {
  // validation brings in ajv's schema compiler: loaded only by commands that load the estate
  const { buildEstate } = await import("../../core/estate/validate.js");
  const sources = readEstateSources(settings);
  const estate = buildEstate(sources);
  if (options.digest) estate.sourceDigest = sourcesDigest(sources);
  return estate;
}

/**
 * `sha256:<hex>` over every field of `sources`, each variable-length one length-prefixed (no two
 * different sources share a byte stream), fed to the hash in chunks of many files: one native
 * call per file costs more than the hashing.
 */
export function sourcesDigest(sources: EstateSources): string {
  const hash = builtin("node:crypto").createHash("sha256");
  let chunk = "karma estate sources\n";
  const add = (text: string) => {
    chunk += `${text.length}:${text}`;
    if (chunk.length >= 1 << 16) {
      hash.update(chunk);
      chunk = "";
    }
  };
  // all settings, the root included: a moved estate is keyed anew (one rebuild), never mistaken
  add(JSON.stringify(sources.settings));
  add(JSON.stringify(sources.problems ?? []));
  for (const [tag, files] of [
    ["configs", sources.configFiles],
    ["schemas", sources.schemaFiles],
    ["contracts", sources.contractFiles ?? []],
  ] as const) {
    add(`${tag} ${files.length}`);
    for (const f of files) {
      add("type" in f ? f.type : "");
      add(f.path);
      add(f.text);
    }
  }
  hash.update(chunk);
  return `sha256:${hash.digest("hex")}`;
}

/** Everything `buildEstate` needs, read from disk. Unreadable files become problems, not exceptions. */
export function readEstateSources(settings: ProjectSettings): EstateSources {
  const problems: Problem[] = [];
  const configFiles: SourceFile[] = [];
  const componentsRoot = join(settings.root, settings.paths.components);
  if (existsSync(componentsRoot)) {
    const walk: Walk = {
      root: settings.root,
      realRoot: realpathSync(settings.root),
      out: configFiles,
      problems,
    };
    const estateDir = toEstatePath(settings.root, componentsRoot);
    walkComponents(walk, componentsRoot, estateDir, [], [realpathSync(componentsRoot)], false);
  }
  return {
    settings,
    configFiles,
    schemaFiles: readTypeFiles(settings, "schema.json", "schema", problems),
    contractFiles: readTypeFiles(settings, "outputs.schema.json", "outputs", problems),
    problems,
  };
}

interface Walk {
  root: string;
  /** The estate root with symlinks resolved: configs must live below it. */
  realRoot: string;
  out: SourceFile[];
  problems: Problem[];
}

/**
 * Depth-first walk of the components folder. `ancestors` are the resolved paths of the folders
 * being walked, so a symlink back to one of them is reported once as a loop instead of being
 * followed until the path is too long. `viaLink` is set below a symlinked folder, where a config
 * may resolve to a file outside the estate.
 *
 * Paths are built by appending entry names to the folder's path and to its estate path (`estateDir`)
 * rather than with `join`/`relative` per entry: a name read from a folder holds no separator and
 * is never `.` or `..`, so the result is the same, and on 10k components the per-entry path
 * normalisation cost about as much as the reads it named.
 */
function walkComponents(
  walk: Walk,
  dir: string,
  estateDir: string,
  segments: string[],
  ancestors: string[],
  viaLink: boolean,
): void {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    walk.problems.push(unreadable(walk.root, dir, error));
    return;
  }
  const dirPrefix = dir.endsWith(sep) ? dir : dir + sep;
  const estatePrefix = estateDir === "" ? "" : `${estateDir}/`;
  const depth = segments.length + 1;
  for (const entry of entries) {
    const name = entry.name;
    const path = dirPrefix + name;
    const isLink = entry.isSymbolicLink();
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (isLink) {
      try {
        const target = statSync(path);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch (error) {
        // a dangling link is not a component; a link loop (ELOOP) is reported where it starts
        if ((error as NodeJS.ErrnoException).code === "ELOOP")
          walk.problems.push(linkLoop(estatePrefix + name));
        continue;
      }
    }
    if (name.startsWith(".")) {
      // dot folders hold tool state (.terraform, .git), never components; say so when one sits
      // where an env, type or nickname folder would and holds a config (`iac/dev/app/.../config.json`)
      if (isDirectory && depth <= 3 && existsSync(path + sep + CONFIG_FILE))
        walk.problems.push(dotFolder(estatePrefix + name, name));
      continue;
    }
    if (isDirectory && name === CONFIG_FILE) {
      // a folder where a component's config belongs would otherwise be walked and skipped silently
      walk.problems.push({
        code: "fs.unreadable",
        file: estatePrefix + name,
        message: `is a folder, not a file: this component's config is not read`,
        fix: `replace the folder with a ${CONFIG_FILE} file holding the component's JSON config`,
        severity: "error",
      });
      continue;
    }
    if (isDirectory) {
      // only links need resolving: a plain folder's real path is its parent's plus its name
      const parentReal = ancestors[ancestors.length - 1]!;
      const real = isLink
        ? realpathSync(path)
        : (parentReal.endsWith(sep) ? parentReal : parentReal + sep) + name;
      if (isLink && ancestors.includes(real)) {
        walk.problems.push(linkLoop(estatePrefix + name));
        continue;
      }
      walkComponents(
        walk,
        path,
        estatePrefix + name,
        [...segments, name],
        [...ancestors, real],
        viaLink || isLink,
      );
    } else if (isFile && isConfigCandidate([...segments, name])) {
      if (isLink || viaLink) {
        const real = realpathSync(path);
        if (!isInside(walk.realRoot, real)) {
          walk.problems.push(outsideLink(estatePrefix + name, real));
          continue;
        }
      }
      try {
        walk.out.push({ path: estatePrefix + name, text: readFileSync(path, "utf8") });
      } catch (error) {
        walk.problems.push(unreadable(walk.root, path, error));
      }
    }
  }
}

function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

function linkLoop(file: string): Problem {
  return {
    code: "fs.symlink-loop",
    file,
    message: "this symbolic link leads back to a folder that contains it (a loop); it is not followed",
    fix: "remove the link, or point it at a folder outside its own ancestors",
    severity: "error",
  };
}

function outsideLink(file: string, real: string): Problem {
  return {
    code: "fs.outside-estate",
    file,
    message: `this config is a symbolic link to ${real}, outside the estate; it is not read (Git would store the link, not the config, so another checkout would publish something else)`,
    fix: "copy the file into the estate instead of linking to it",
    severity: "error",
  };
}

function dotFolder(file: string, name: string): Problem {
  return {
    code: "layout.dot-folder",
    file,
    message: `folder "${name}" holds a config.json but is skipped: folders starting with "." hold tool state, not components`,
    fix: "rename the folder to a valid name (lower-case letters, digits, '.', '_' or '-', starting with a letter or digit)",
    severity: "error",
  };
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
