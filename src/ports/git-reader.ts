/**
 * The git reader port: what operations ask of the estate's git repository. Paths are relative to
 * the estate root. Implementations turn git's refusals (unknown revision, not a repository, git
 * missing) into `UserError`s naming the revision and how to fix it.
 */

export interface GitState {
  commit?: string;
  /** Uncommitted changes under the estate root. */
  dirty?: boolean;
}

export interface GitReader {
  /** Commit and dirtiness of the work tree; empty when the estate is not in a git repository. */
  state(): GitState;
  /**
   * Files changed in `range` (`a...b`, `a..b`, or one revision against the working tree), limited
   * to the estate, sorted.
   */
  changedFiles(range: string): Promise<string[]>;
  /** The merge base of `ref` and HEAD: what a pull request's changes are measured from. */
  baseCommit(ref: string): Promise<string>;
  /**
   * Files that differ between the merge base of `ref` and the working tree under `paths`, sorted;
   * untracked files only with `untracked`.
   */
  changedSince(ref: string, paths: readonly string[], options?: { untracked?: boolean }): Promise<string[]>;
  /** The text of `file` at `commit`, or undefined when it did not exist there. */
  fileAt(commit: string, file: string): Promise<string | undefined>;
  /** The files directly inside folder `dir` at `commit` (as `dir/name`), sorted; empty when it did not exist. */
  filesAt(commit: string, dir: string): Promise<string[]>;
  /**
   * The write (with `init`): stages and commits exactly `files` with `message`, returning the new commit.
   * A refusal (nothing to commit, no identity, hooks) is a UserError carrying git's message.
   */
  commit(files: readonly string[], message: string, options?: CommitOptions): Promise<string>;
  /** Makes the estate root a new repository (branch `main`). */
  init(): Promise<void>;
}

export interface CommitOptions {
  /** Who commits when git has no identity configured (GIT_AUTHOR_* / GIT_COMMITTER_* win). */
  fallbackIdentity?: { name: string; email: string };
}
