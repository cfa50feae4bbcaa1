import { hostname, userInfo } from "node:os";

import type { GitState } from "../../ports/git-reader.js";
import { builtin } from "../builtins.js";

export type { GitState };

/** Commit and dirtiness of the estate's work tree; empty when it is not a git repository. */
export function readGitState(root: string): GitState {
  try {
    const commit = builtin("node:child_process")
      .execFileSync("git", ["rev-parse", "HEAD"], {
        cwd: root,
        stdio: ["ignore", "pipe", "ignore"],
      })
      .toString()
      .trim();
    const status = builtin("node:child_process")
      .execFileSync("git", ["status", "--porcelain", "--", "."], {
        cwd: root,
        stdio: ["ignore", "pipe", "ignore"],
      })
      .toString();
    return { commit, dirty: status.trim() !== "" };
  } catch {
    return {};
  }
}

/** Who is acting: `KARMA_ACTOR`, else `user@host`. */
export function currentActor(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.KARMA_ACTOR) return env.KARMA_ACTOR;
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `${user}@${hostname()}`;
}
