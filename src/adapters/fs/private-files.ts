/**
 * Karma's state (the embedded database, run logs, Terraform state, command outputs, the secret
 * key) is for its owner only: folders Karma creates for it are 0700 and files holding values
 * 0600, so a shared machine's other users cannot read what a deploy produced.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` and any missing parents, each owner-only; an existing folder is left as it is. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates `file` empty and owner-only when it does not exist yet (so a later writer keeps that mode). */
export function touchPrivateFile(file: string): void {
  closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
}

/**
 * Makes existing files owner-only: for files a tool wrote with its own mode (Terraform writes its
 * state 0644). Missing files are skipped; on Windows modes mean nothing and this does nothing.
 */
export function restrictToOwner(files: readonly string[]): void {
  if (process.platform === "win32") return;
  for (const file of files) if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}
