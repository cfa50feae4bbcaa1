/**
 * The estate reader port: how operations read (and, for the few that edit, write) the estate's
 * files — components, type schemas and any estate-relative file — without touching the file
 * system themselves. Paths are relative to the estate root, with `/` separators.
 */
import type { Estate } from "../core/estate/model.js";
import type { EstateSources } from "../core/estate/validate.js";

/** The files of a directory that is (or will be, for `karma init`) an estate. */
export interface EstateFiles {
  /** Absolute path of the estate root (the directory holding karma.json). */
  readonly root: string;
  /** The text of an estate-relative file, or undefined when there is no such file. */
  readText(path: string): string | undefined;
  exists(path: string): boolean;
  /** Names of the folders directly inside an estate-relative folder, sorted; empty when it does not exist. */
  folders(path: string): string[];
  /** Names of the files directly inside an estate-relative folder, sorted; empty when it does not exist. */
  files(path: string): string[];
  /**
   * Every file under the estate-relative `paths` (files or folders, recursively), by relative
   * path, with the sha256 of its bytes (16 hex), sorted by path. A module's working files
   * (`.terraform*`) are not intent and are left out.
   */
  digests(paths: readonly string[]): Record<string, string>;
  /** Replaces an estate-relative file's text (creating its directory). */
  writeText(path: string, text: string): void;
}

export interface EstateReader extends EstateFiles {
  /**
   * Reads every component and schema and validates them; reads afresh on each call. With
   * `digest`, the estate carries its `sourceDigest` (a hash of every byte read: a few ms per
   * thousand components, paid only by callers that key something on it).
   */
  load(options?: { digest?: boolean }): Promise<Estate>;
  /** The raw sources `load` validates, for operations that build their own view. */
  sources(): EstateSources;
}
