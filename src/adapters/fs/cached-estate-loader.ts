/**
 * Loading the estate through the estate-read cache (`<state>/estate-cache.json`): only configs
 * whose content changed since the last load are read, parsed and validated; the others come from
 * the cache, keyed by their git blob id.
 *
 * Which files changed is known from content, never from timestamps: in a git work tree, git's
 * index gives the blob id of every tracked file whose work-tree copy still matches it (git's own
 * stat cache, with racy entries re-hashed); modified, untracked and ignored files are read and
 * hashed here. Outside git, or when the components folder holds something git records differently
 * from how the walk reads it (symbolic links, nested repositories, dot folders holding a config),
 * every file is read as by `loadEstate` and hashed — the cache then saves validation only.
 *
 * The cache is written atomically (a temporary file renamed over it), only when it changed and
 * only when the state folder exists (a load never creates Karma's state). A missing, corrupt or
 * foreign cache is a silent miss, and a cache that cannot be written is only not kept.
 */
import { existsSync, lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Problem } from "../../core/errors.js";
import { isConfigCandidate } from "../../core/estate/layout.js";
import type { Estate, ProjectSettings } from "../../core/estate/model.js";
import {
  CONFIG_FILE,
  componentsFolder,
  estateCacheFile,
  inEstate,
  stateFolder,
} from "../../core/estate/paths.js";
import {
  type EstateReadCache,
  gitBlobId,
  parseEstateCache,
  serializeEstateCache,
} from "../../core/estate/read-cache.js";
import type { DigestedFile } from "../../core/estate/validate.js";
import { type WorktreeBlobs, worktreeBlobs } from "../git/worktree-blobs.js";
import { readTypeSources, unreadable, walkConfigs } from "./estate-loader.js";
import { PRIVATE_FILE_MODE } from "./private-files.js";

let version: string | undefined;

/** Karma's version (package.json): entries made by another version are not used. */
function toolVersion(): string {
  if (version === undefined) {
    try {
      const file = fileURLToPath(new URL("../../../package.json", import.meta.url));
      version = String((JSON.parse(readFileSync(file, "utf8")) as { version?: unknown }).version);
    } catch {
      version = "unknown";
    }
  }
  return version;
}

function readCache(file: string): EstateReadCache | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return parseEstateCache(text);
}

function writeCache(settings: ProjectSettings, cache: EstateReadCache): void {
  const file = inEstate(settings, estateCacheFile(settings));
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    // the state folder is made (owner-only) by whatever opens the store; a load does not create it
    if (!lstatSync(inEstate(settings, stateFolder(settings))).isDirectory()) return;
    writeFileSync(temporary, serializeEstateCache(cache), { mode: PRIVATE_FILE_MODE });
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

type ReadResult = { text: string; blob: string } | { problem: Problem };

function readConfig(settings: ProjectSettings, path: string): ReadResult {
  const abs = join(settings.root, path);
  try {
    const bytes = readFileSync(abs);
    return { text: bytes.toString("utf8"), blob: gitBlobId(bytes) };
  } catch (error) {
    return { problem: unreadable(settings.root, abs, error) };
  }
}

/** What a path below the components folder is to the walk: a config candidate, skipped, or a case only the walk handles. */
function classify(segments: readonly string[]): "candidate" | "skip" | "walk" {
  for (let i = 0; i < segments.length - 1; i++) {
    const name = segments[i]!;
    if (name === CONFIG_FILE) return "walk"; // a folder where a config belongs: the walk reports it
    if (name.startsWith(".")) {
      // the walk skips dot folders, but reports one at env/type/nickname depth holding a config
      return i < 3 && segments.length === i + 2 && segments[i + 1] === CONFIG_FILE ? "walk" : "skip";
    }
  }
  const name = segments[segments.length - 1]!;
  if (name.startsWith(".")) return "skip";
  return isConfigCandidate(segments) ? "candidate" : "skip";
}

/**
 * The candidate configs as git knows them: clean tracked files by their index blob id (not
 * read), the rest read and hashed. Undefined when the walk must decide (see the module comment).
 */
function listFromGit(
  settings: ProjectSettings,
  blobs: WorktreeBlobs | undefined,
  cache: EstateReadCache | undefined,
  problems: Problem[],
): DigestedFile[] | undefined {
  if (!blobs || blobs.links.length > 0) return undefined;
  const folder = componentsFolder(settings);
  const head = `${folder}/`;
  const files: DigestedFile[] = [];
  const segmentsOf = (path: string) =>
    path.startsWith(head) ? path.slice(head.length).split("/") : undefined;
  for (const [path, blob] of blobs.clean) {
    const segments = segmentsOf(path);
    if (!segments) return undefined;
    const kind = classify(segments);
    if (kind === "walk") return undefined;
    if (kind === "skip") continue;
    if (cache?.entries.get(path)?.blob === blob) files.push({ path, blob });
    else {
      // not in the cache: read now, so that an unreadable file is left out as the walk leaves it
      const got = readConfig(settings, path);
      if ("problem" in got) problems.push(got.problem);
      else files.push({ path, ...got });
    }
  }
  for (const path of blobs.unknown) {
    const segments = segmentsOf(path);
    if (!segments) return undefined;
    const kind = classify(segments);
    if (kind === "walk") return undefined;
    if (kind === "skip" && segments.some((s) => s.startsWith("."))) continue;
    let isLink: boolean;
    let isFile: boolean;
    try {
      const stat = lstatSync(join(settings.root, path));
      isLink = stat.isSymbolicLink();
      isFile = stat.isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // deleted
      return undefined;
    }
    // a link (maybe to a folder of configs) is followed by the walk, not by git
    if (isLink) return undefined;
    if (kind === "skip" || !isFile) continue;
    const got = readConfig(settings, path);
    if ("problem" in got) problems.push(got.problem);
    else files.push({ path, ...got });
  }
  return files;
}

/** The estate, validated, with unchanged configs served from the estate-read cache. */
export async function loadEstateCached(settings: ProjectSettings): Promise<Estate> {
  // validation brings in ajv's schema compiler: loaded only by commands that load the estate
  const { buildEstateCached } = await import("../../core/estate/validate.js");
  const folder = componentsFolder(settings);
  const cacheFile = inEstate(settings, estateCacheFile(settings));
  // without a cache every file is read anyway: the walk reads them without asking git first; a
  // components folder outside the estate (or the estate itself) is walked too
  const listing =
    !existsSync(cacheFile) ||
    folder === "." ||
    folder === "" ||
    folder.startsWith("/") ||
    folder.split("/").includes("..")
      ? undefined
      : worktreeBlobs(settings.root, folder);
  const cache = readCache(cacheFile);
  const problems: Problem[] = [];
  let configFiles = listFromGit(settings, await listing, cache, problems);
  if (!configFiles) {
    problems.length = 0;
    configFiles = walkConfigs(settings, problems, true);
  }
  const built = buildEstateCached(
    { settings, configFiles, ...readTypeSources(settings, problems), problems },
    { toolVersion: toolVersion(), read: (path) => readConfig(settings, path), ...(cache ? { cache } : {}) },
  );
  if (built.changed) writeCache(settings, built.cache);
  return built.estate;
}
