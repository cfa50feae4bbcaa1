/**
 * The git reader behind the `[a...b]` selector: which files changed in a range, relative to the
 * estate directory. Runs the `git` binary without a shell; a range that git rejects becomes a
 * UserError naming the range.
 */
import { promisify } from "node:util";
import { UserError } from "../../core/errors.js";
import { builtin } from "../builtins.js";

/**
 * Files changed in `range`, relative to `cwd`, limited to files under `cwd`, sorted.
 * `git diff --name-only --relative <range>`: `a...b` compares b with the merge base of a and b
 * (what a pull request changes), `a..b` compares the two commits, a single revision compares it
 * with the working tree.
 */
export async function changedFiles(range: string, cwd: string): Promise<string[]> {
  if (range.startsWith("-") || /\s/.test(range) || range === "") {
    throw new UserError(
      `Not a git range: ${JSON.stringify(range)}.`,
      "Write a range like [main...HEAD] or [HEAD~1].",
    );
  }
  try {
    const { stdout } = await promisify(builtin("node:child_process").execFile)(
      "git",
      ["diff", "--name-only", "--relative", "-z", range, "--"],
      {
        cwd,
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    return stdout
      .split("\0")
      .filter((f) => f !== "")
      .sort();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new UserError("git is not installed or not on PATH.", "Install git to use [range] selectors.", {
        cause: error,
      });
    }
    throw new UserError(
      `git could not diff ${JSON.stringify(range)} in ${cwd}: ${stderr || (error as Error).message}`,
      "Check that the directory is a git repository and that both revisions exist (git fetch may be needed).",
      { cause: error },
    );
  }
}
