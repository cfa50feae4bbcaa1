/** Test helpers: run the built CLI as a user would, in temp estates (git repositories or not). */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const KARMA_BIN = fileURLToPath(new URL("../../bin/karma.js", import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runKarma(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): CliRun {
  const result = spawnSync(process.execPath, [KARMA_BIN, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", KARMA_ACTOR: "test@karma", ...options.env },
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `karma-${label}-`));
}

/** Writes each `relative path → text` under `dir`, creating folders; returns `dir`. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs git in `dir` as a fixed test identity (no global git config needed); trimmed stdout. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@karma.invalid", "-c", "user.name=t", ...args], {
    cwd: dir,
    encoding: "utf8",
  }).trim();
}

/** Makes `dir` a git repository (branch main) with everything in it committed. */
export function gitCommitAll(dir: string, message = "estate"): void {
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", message);
}

/** Every file under `dir` (recursive), excluding paths for which `skip` is true. */
export function listFiles(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (skip(path)) continue;
    if (statSync(path).isDirectory()) out.push(...listFiles(path, skip));
    else out.push(path);
  }
  return out;
}

/** Files under `dir` whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string, skip?: (path: string) => boolean): string[] {
  return listFiles(dir, skip).filter((file) => readFileSync(file).includes(needle));
}
