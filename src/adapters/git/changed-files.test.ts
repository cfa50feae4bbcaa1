import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { git } from "../../testing/cli.js";
import { changedFiles } from "./changed-files.js";

describe("changedFiles (real git)", () => {
  let repo: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };

  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "karma-git-"));
    git(repo, "init", "-q", "-b", "main");
    write("estate/iac/dev/vpc/main/config.json", "{}");
    write("estate/iac/dev/eks/main/config.json", "{}");
    write("other/readme.md", "x");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "one");
    write("estate/iac/dev/vpc/main/config.json", '{"cidr":"10.0.0.0/16"}');
    write("other/readme.md", "y");
    git(repo, "commit", "-qam", "two");
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("lists files changed in a range relative to the estate directory, ignoring files outside it", async () => {
    expect(await changedFiles("HEAD~1...HEAD", path.join(repo, "estate"))).toEqual([
      "iac/dev/vpc/main/config.json",
    ]);
    expect(await changedFiles("HEAD~1..HEAD", repo)).toEqual([
      "estate/iac/dev/vpc/main/config.json",
      "other/readme.md",
    ]);
  });

  it("compares a single revision with the working tree", async () => {
    write("estate/iac/dev/eks/main/config.json", '{"x":1}');
    expect(await changedFiles("HEAD", path.join(repo, "estate"))).toEqual(["iac/dev/eks/main/config.json"]);
    git(repo, "checkout", "-q", "--", ".");
  });

  it("turns unknown revisions and option-looking ranges into user errors", async () => {
    await expect(changedFiles("nope...HEAD", repo)).rejects.toThrow(/git could not diff "nope...HEAD"/);
    await expect(changedFiles("--output=/tmp/x", repo)).rejects.toBeInstanceOf(UserError);
  });
});
