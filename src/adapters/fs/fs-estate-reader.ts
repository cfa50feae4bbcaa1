/** The estate reader over the local file system: the estate is a directory holding karma.json. */
import {
  type Dirent,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { ProjectSettings } from "../../core/estate/model.js";
import type { EstateFiles, EstateReader } from "../../ports/estate-reader.js";
import { builtin } from "../builtins.js";

import { loadEstate, readEstateSources } from "./estate-loader.js";

function entries(dir: string, keep: (entry: Dirent) => boolean): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter(keep)
      .map((e) => e.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
}

function digest(bytes: Buffer): string {
  return builtin("node:crypto").createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}

function fileDigests(root: string, paths: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (rel: string) => {
    files[rel] = digest(readFileSync(join(root, rel)));
  };
  for (const path of paths) {
    const abs = join(root, path);
    if (!existsSync(abs)) continue;
    if (statSync(abs).isFile()) {
      add(path);
      continue;
    }
    for (const entry of readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const rel = relative(root, join(entry.parentPath, entry.name)).replace(/\\/g, "/");
      if (rel.split("/").some((part) => part.startsWith(".terraform"))) continue;
      add(rel);
    }
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function fsEstateReader(settings: ProjectSettings): EstateReader {
  return {
    ...fsEstateFiles(settings.root),
    load: (options) => loadEstate(settings, options),
    sources: () => readEstateSources(settings),
  };
}

/** The files under `root` (which need not hold an estate yet). */
export function fsEstateFiles(root: string): EstateFiles {
  const at = (path: string) => resolve(root, path);
  return {
    root,
    readText(path) {
      try {
        return readFileSync(at(path), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    exists: (path) => existsSync(at(path)),
    folders: (path) => entries(at(path), (e) => e.isDirectory()),
    files: (path) => entries(at(path), (e) => e.isFile()),
    digests: (paths) => fileDigests(root, paths),
    writeText(path, text) {
      mkdirSync(dirname(at(path)), { recursive: true });
      writeFileSync(at(path), text);
    },
  };
}
