/** The git reader over the `git` binary, run without a shell in the estate root. */
import type { GitReader } from "../../ports/git-reader.js";
import { changedFiles } from "./changed-files.js";
import { readGitState } from "./provenance.js";
import { baseCommit, changedSince, commitFiles, fileAt, filesAt, initRepository } from "./revisions.js";

export function cliGitReader(root: string): GitReader {
  return {
    state: () => readGitState(root),
    changedFiles: (range) => changedFiles(range, root),
    baseCommit: (ref) => baseCommit(root, ref),
    changedSince: (ref, paths, options) => changedSince(root, ref, paths, options),
    fileAt: (commit, file) => fileAt(root, commit, file),
    filesAt: (commit, dir) => filesAt(root, commit, dir),
    commit: (files, message, options) => commitFiles(root, files, message, options),
    init: () => initRepository(root),
  };
}
