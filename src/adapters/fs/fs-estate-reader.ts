/** The estate reader over the local file system: the estate is a directory holding karma.json. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ProjectSettings } from "../../core/estate/model.js";
import type { EstateReader } from "../../ports/estate-reader.js";
import { loadEstate, readEstateSources } from "./estate-loader.js";

export function fsEstateReader(settings: ProjectSettings): EstateReader {
  const at = (path: string) => resolve(settings.root, path);
  return {
    root: settings.root,
    load: () => loadEstate(settings),
    sources: () => readEstateSources(settings),
    readText(path) {
      try {
        return readFileSync(at(path), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    exists: (path) => existsSync(at(path)),
    writeText(path, text) {
      mkdirSync(dirname(at(path)), { recursive: true });
      writeFileSync(at(path), text);
    },
  };
}
