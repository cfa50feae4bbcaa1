/**
 * Which files under a folder of the work tree git can vouch for, by content: the blob ids git's
 * index holds for tracked files whose work-tree copy still matches (git's own stat cache decides
 * that, re-hashing racily clean entries), and the paths it cannot vouch for — modified, untracked
 * or ignored files — which the caller hashes itself. Deleted tracked files are left out.
 *
 * One `git ls-files` call. git is told to check every stat field (`core.checkStat=default`,
 * `core.trustctime=true`) and to ignore any file-system monitor. Entries git is told not to look
 * at (assume-unchanged, skip-worktree) and unmerged ones count as modified.
 *
 * git compares change times to the second only (unless built with USE_NSEC), so an edit that keeps
 * a file's size and modification time within the second its index entry was recorded would pass
 * as clean. Every entry git calls clean is therefore checked once more against the stat data the
 * index recorded for it (`--debug`), to the nanosecond: a write to a file always moves its change
 * time, so a file whose change time, modification time, inode and size all still match the
 * recorded ones holds the recorded blob.
 */
import { execFile } from "node:child_process";
import { lstatSync } from "node:fs";
import { join } from "node:path";

export interface WorktreeBlobs {
  /** Estate-relative path → blob id, for tracked files whose work-tree content is that blob. */
  clean: Map<string, string>;
  /**
   * Tracked files git sees changed (or deleted), untracked and ignored files: their content is
   * unknown to git.
   */
  unknown: string[];
  /** Symbolic links and nested repositories (as git records them): the caller must walk instead. */
  links: string[];
}

const GIT_CONFIG = [
  "core.checkStat=default",
  "core.trustctime=true",
  "core.fsmonitor=false",
  "core.untrackedCache=false",
  "core.quotePath=false",
];

/**
 * `folder` is relative to `root` (no `..`, no leading `/`). Undefined when `root` is not in a git
 * work tree, or git is missing or fails: the caller then reads every file.
 */
export async function worktreeBlobs(root: string, folder: string): Promise<WorktreeBlobs | undefined> {
  // asynchronous: the caller reads its cache while git lists
  const out = await new Promise<string | undefined>((resolve) => {
    execFile(
      "git",
      [
        ...GIT_CONFIG.flatMap((c) => ["-c", c]),
        "ls-files",
        "-z",
        "-v",
        "-s",
        "--debug",
        "-c",
        "-m",
        "-d",
        "-o",
        "--",
        folder,
      ],
      { cwd: root, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
  if (out === undefined) return undefined;
  const indexed = new Map<string, { blob: string; stat: string }>();
  const changed = new Set<string>();
  const unknown: string[] = [];
  const links: string[] = [];
  let last: { blob: string; stat: string } | undefined;
  for (let line of out.split("\0")) {
    if (line.startsWith("  ctime: ")) {
      // the previous entry's stat data (five lines), then the next entry
      const block = debugBlock(line);
      if (!block) return undefined; // a format this code does not know: read every file instead
      if (last) last.stat = block.stat;
      last = undefined;
      line = line.slice(block.length);
    }
    if (line === "") continue;
    const tag = line[0];
    if (tag === "?") {
      // `? <path>`: untracked or ignored; a trailing "/" is a nested repository
      const path = line.slice(2);
      if (path.endsWith("/")) links.push(path);
      else unknown.push(path);
      continue;
    }
    // `<tag> <mode> <blob> <stage>\t<path>`
    const tab = line.indexOf("\t");
    const [mode, blob, stage] = line.slice(2, tab).split(" ");
    const path = line.slice(tab + 1);
    if (mode === "120000" || mode === "160000") {
      links.push(path);
      continue;
    }
    if (tag === "H" && stage === "0" && blob !== undefined) {
      last = { blob, stat: "" };
      indexed.set(path, last);
    } else changed.add(path); // C (modified), R (deleted), h/S/s (not looked at), M (unmerged), …
  }
  const clean = new Map<string, string>();
  for (const [path, entry] of indexed) {
    if (changed.has(path)) continue;
    if (entry.stat !== "" && entry.stat === statOf(join(root, path))) clean.set(path, entry.blob);
    else changed.add(path);
  }
  // modified, deleted or not looked at: the caller looks at the file itself
  unknown.push(...changed);
  return { clean, unknown: [...new Set(unknown)].sort(), links };
}

const DEBUG_BLOCK =
  /^ {2}ctime: (\d+):(\d+)\n {2}mtime: (\d+):(\d+)\n {2}dev: \d+\tino: (\d+)\n {2}uid: \d+\tgid: \d+\n {2}size: (\d+)\tflags: [0-9a-f]+\n/;

/**
 * The stat data `--debug` prints after an entry, as `statOf` spells it, and its length. Times are
 * milliseconds computed as Node computes `ctimeMs`/`mtimeMs` from the same seconds and
 * nanoseconds, so equal times give equal numbers (distinct file times, at least a clock tick
 * apart, stay distinct at this precision); inode and size are 32-bit, as the index keeps them.
 */
function debugBlock(text: string): { stat: string; length: number } | undefined {
  const match = DEBUG_BLOCK.exec(text);
  if (!match) return undefined;
  const [all, cs, cn, ms, mn, ino, size] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const time = (sec: string, nsec: string) => Number(sec) * 1e3 + Number(nsec) / 1e6;
  return { stat: `${time(cs, cn)} ${time(ms, mn)} ${ino} ${size}`, length: all.length };
}

/** A regular file's change and modification times, inode and size as `debugBlock` spells them. */
function statOf(file: string): string | undefined {
  const s = lstatSync(file, { throwIfNoEntry: false });
  if (!s?.isFile()) return undefined;
  // (the index's 32-bit seconds hold every time before 2106)
  return `${s.ctimeMs} ${s.mtimeMs} ${s.ino >>> 0} ${s.size >>> 0}`;
}
