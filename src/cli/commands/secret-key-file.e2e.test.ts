/**
 * The embedded store's SecureString key can live outside the state folder
 * (`KARMA_SECRET_KEY_FILE`), so copying `.karma/` copies ciphertext only. Run as a user would: the
 * built CLI on temp estates.
 */
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesContaining, runKarma, tempDir } from "../../testing/cli.js";

describe("KARMA_SECRET_KEY_FILE", () => {
  it("keeps the key out of .karma, and a copy of .karma alone cannot decrypt", () => {
    const dir = tempDir("keyfile");
    writeFileSync(join(dir, "karma.json"), "{}");
    const keyFile = join(tempDir("keyfile-home"), "karma", "estate.key");
    const env = { KARMA_SECRET_KEY_FILE: keyFile };
    const canary = `canary-${Date.now().toString(36)}-kf`;

    const put = runKarma(
      ["-C", dir, "param", "put", "/iac/db/password", "--type", "SecureString", "--value-file", "-"],
      { env, input: canary },
    );
    expect(put.stderr).toBe("");
    expect(put.code).toBe(0);
    expect(readdirSync(join(dir, ".karma"))).not.toContain("secret.key");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const got = runKarma(["-C", dir, "param", "get", "/iac/db/password", "--decrypt"], { env });
    expect(got.stdout).toBe(`${canary}\n`);

    // Someone copies the estate with its state folder, but not the key.
    const copy = tempDir("keyfile-copy");
    cpSync(dir, copy, { recursive: true });
    const stolen = runKarma(["-C", copy, "param", "get", "/iac/db/password", "--decrypt"]);
    expect(stolen.code).toBe(1);
    expect(stolen.stdout + stolen.stderr).not.toContain(canary);
    expect(stolen.stderr).toContain("KARMA_SECRET_KEY_FILE");
    expect(filesContaining(copy, canary)).toEqual([]);
  });

  it("tells an existing estate how to move its key instead of minting another", () => {
    const dir = tempDir("keyfile-move");
    writeFileSync(join(dir, "karma.json"), "{}");
    const put = runKarma(
      ["-C", dir, "param", "put", "/iac/db/pw", "--type", "SecureString", "--value-file", "-"],
      {
        input: "s3cret-move",
      },
    );
    expect(put.code).toBe(0);
    const legacy = join(dir, ".karma", "secret.key");
    expect(existsSync(legacy)).toBe(true);

    const keyFile = join(tempDir("keyfile-move-home"), "estate.key");
    const env = { KARMA_SECRET_KEY_FILE: keyFile };
    const refused = runKarma(["-C", dir, "param", "get", "/iac/db/pw", "--decrypt"], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`mv ${legacy} ${keyFile}`);
    expect(refused.stderr).not.toContain("    at ");

    cpSync(legacy, keyFile);
    rmSync(legacy);
    const moved = runKarma(["-C", dir, "param", "get", "/iac/db/pw", "--decrypt"], { env });
    expect(moved.stdout).toBe("s3cret-move\n");
  });
});
