/** What git vouches for by content: clean tracked files by blob id; everything else is the caller's to hash. */
import { rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, gitCommitAll, tempDir, writeFiles } from "../../testing/cli.js";
import { worktreeBlobs } from "./worktree-blobs.js";

describe("worktreeBlobs", () => {
  it("gives clean tracked files their blob ids and leaves changed, untracked, ignored and deleted ones to the caller", async () => {
    const root = writeFiles(tempDir("blobs"), {
      "iac/a.json": "{}",
      "iac/b.json": '{"b": 1}',
      "iac/gone.json": "{}",
      "iac/same.json": '{"v": 1}',
      "other/x.json": "{}",
      ".gitignore": "iac/ignored.json\n",
    });
    utimesSync(join(root, "iac/same.json"), 1_700_000_000, 1_700_000_000);
    gitCommitAll(root);
    git(root, "update-index", "--refresh");
    writeFileSync(join(root, "iac/b.json"), '{"b": 2, "c": 3}');
    rmSync(join(root, "iac/gone.json"));
    writeFiles(root, { "iac/new.json": "{}", "iac/ignored.json": "{}" });
    // same size, same modification time, within the second git recorded it
    writeFileSync(join(root, "iac/same.json"), '{"v": 2}');
    utimesSync(join(root, "iac/same.json"), 1_700_000_000, 1_700_000_000);

    const blobs = (await worktreeBlobs(root, "iac"))!;
    expect([...blobs.clean]).toEqual([["iac/a.json", git(root, "hash-object", "iac/a.json")]]);
    expect(blobs.unknown).toEqual([
      "iac/b.json",
      "iac/gone.json",
      "iac/ignored.json",
      "iac/new.json",
      "iac/same.json",
    ]);
    expect(blobs.links).toEqual([]);
  });

  it("names symbolic links, which git records as links and the walk follows", async () => {
    const root = writeFiles(tempDir("blobs"), { "shared/config.json": "{}", "iac/a.json": "{}" });
    symlinkSync(join(root, "shared"), join(root, "iac/linked"));
    gitCommitAll(root);
    expect((await worktreeBlobs(root, "iac"))!.links).toEqual(["iac/linked"]);
  });

  it("is undefined outside a git work tree", async () => {
    expect(await worktreeBlobs(writeFiles(tempDir("blobs"), { "iac/a.json": "{}" }), "iac")).toBeUndefined();
  });
});
