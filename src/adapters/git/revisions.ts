/**
 * The git reads behind `karma plan --since REF`: the base commit (merge base of REF and HEAD),
 * the files that differ between it and the working tree (committed, staged, unstaged and
 * untracked), and a file's text at the base. Runs `git` without a shell, in the estate root;
 * paths are relative to it.
 */
import { promisify } from "node:util";
import { UserError } from "../../core/errors.js";
import type { CommitOptions } from "../../ports/git-reader.js";
import { builtin } from "../builtins.js";

async function git(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const { stdout } = await promisify(builtin("node:child_process").execFile)("git", [...args], {
    cwd,
    env,
    maxBuffer: 256 * 1024 * 1024,
    encoding: "utf8",
  });
  return stdout;
}

function gitFailure(error: unknown, what: string, fix: string): UserError {
  if ((error as NodeJS.ErrnoException).code === "ENOENT")
    return new UserError("git is not installed or not on PATH.", "Install git to plan from a git range.", {
      cause: error,
    });
  const stderr = (error as { stderr?: string }).stderr?.trim();
  return new UserError(`${what}: ${stderr || (error as Error).message}`, fix, { cause: error });
}

/** The commit changes are measured from: the merge base of `ref` and HEAD (what a pull request changes). */
export async function baseCommit(root: string, ref: string): Promise<string> {
  if (ref === "" || ref.startsWith("-") || /\s/.test(ref))
    throw new UserError(
      `not a git revision: ${JSON.stringify(ref)}`,
      "pass --since main, --since HEAD~1 or a commit id",
    );
  try {
    return (await git(root, ["merge-base", ref, "HEAD"])).trim();
  } catch (error) {
    throw gitFailure(
      error,
      `git cannot find a common ancestor of ${JSON.stringify(ref)} and HEAD in ${root}`,
      "check that the estate is a git repository with at least one commit and that the revision exists (git fetch may be needed)",
    );
  }
}

/**
 * Files that differ between the merge base of `ref` and HEAD and the working tree (committed,
 * staged or modified tracked files) under `paths` (estate-root-relative), sorted and unique.
 * Untracked files count only with `untracked` — they are not intent until `git add`ed, and
 * finding them walks every directory of the estate.
 */
export async function changedSince(
  root: string,
  ref: string,
  paths: readonly string[],
  options: { untracked?: boolean } = {},
): Promise<string[]> {
  try {
    const [tracked, untracked] = await Promise.all([
      git(root, ["diff", "--name-only", "--relative", "-z", "--merge-base", ref, "--", ...paths]),
      options.untracked
        ? git(root, ["ls-files", "--others", "--exclude-standard", "-z", "--", ...paths])
        : Promise.resolve(""),
    ]);
    const files = new Set([...tracked.split("\0"), ...untracked.split("\0")].filter((f) => f !== ""));
    return [...files].sort();
  } catch (error) {
    throw gitFailure(
      error,
      `git cannot diff ${ref} in ${root}`,
      "check that the directory is a git repository",
    );
  }
}

/** The text of `file` (estate-root-relative) at `commit`, or undefined when it did not exist there. */
export async function fileAt(root: string, commit: string, file: string): Promise<string | undefined> {
  try {
    return await git(root, ["show", `${commit}:./${file}`]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw gitFailure(error, "git show failed", "");
    return undefined;
  }
}

/** File names (estate-root-relative) directly in `dir` at `commit`; empty when it did not exist. */
export async function filesAt(root: string, commit: string, dir: string): Promise<string[]> {
  try {
    const out = await git(root, ["ls-tree", "--name-only", "-z", `${commit}:./${dir}`]);
    return out
      .split("\0")
      .filter((f) => f !== "")
      .map((f) => `${dir}/${f}`)
      .sort();
  } catch {
    return [];
  }
}

/** Stages and commits exactly `files`; the new commit id. A refusal throws git's own message. */
export async function commitFiles(
  root: string,
  files: readonly string[],
  message: string,
  options: CommitOptions = {},
): Promise<string> {
  const who = options.fallbackIdentity;
  const env = who
    ? {
        ...process.env,
        GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME ?? who.name,
        GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL ?? who.email,
        GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? who.name,
        GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? who.email,
      }
    : process.env;
  try {
    await git(root, ["add", "--", ...files], env);
    await git(root, ["commit", "-q", "-m", message, "--", ...files], env);
    return (await git(root, ["rev-parse", "HEAD"], env)).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(stderr || (error as Error).message, { cause: error });
  }
}

/** A new repository at `root` on branch main. */
export async function initRepository(root: string): Promise<void> {
  try {
    await git(root, ["init", "-q", "-b", "main"]);
  } catch (error) {
    throw gitFailure(error, `git cannot create a repository in ${root}`, "check that git is installed");
  }
}
