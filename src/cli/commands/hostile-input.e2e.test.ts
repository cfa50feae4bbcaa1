/**
 * Hostile estates and store files through the built CLI: each ends in exit 1 and a clear message
 * naming the file and the fix — never "internal error", never a stack trace — and what was
 * published before is not harmed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliRun, runKarma, tempDir, writeFiles } from "../../testing/cli.js";

function estate(label: string, store?: string): string {
  return writeFiles(tempDir(label), {
    "karma.json": JSON.stringify({
      prefix: "/iac",
      environments: ["dev"],
      ...(store ? { store: { kind: "sqlite", path: store } } : {}),
    }),
    "iac/dev/app/web/config.json": '{"port": 80}',
  });
}

/** Exit 1 with `karma: …` lines only: no internal error, no stack frame. */
function expectCleanFailure(run: CliRun): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).not.toContain("internal error");
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("store paths that cannot hold a database", () => {
  it.each([
    ["/proc/karma.db", "cannot open or create the database /proc/karma.db"],
    ["/sys/karma.db", "cannot open or create the database /sys/karma.db"],
    ["/dev/null/x.db", "cannot create the database /dev/null/x.db: a parent of it is not a directory"],
    [".", "is a directory, not a file"],
  ])("store.path %s", (store, message) => {
    const dir = estate("store-path", store);
    const run = runKarma(["-C", dir, "publish"]);
    expectCleanFailure(run);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("fix:");
  });
});

describe("a damaged karma.db", () => {
  it("random bytes: 'not a database', the file untouched", () => {
    const dir = estate("random-db");
    mkdirSync(join(dir, ".karma"));
    const bytes = Buffer.alloc(50_000, 0x5a);
    writeFileSync(join(dir, ".karma/karma.db"), bytes);
    const run = runKarma(["-C", dir, "publish"]);
    expectCleanFailure(run);
    expect(run.stderr).toContain(`${join(dir, ".karma/karma.db")} is not a SQLite database`);
    expect(readFileSync(join(dir, ".karma/karma.db")).equals(bytes)).toBe(true);
  });

  it("corrupted pages: names the file and how to recover", () => {
    const dir = writeFiles(tempDir("corrupt-db"), {
      "karma.json": JSON.stringify({ prefix: "/iac", environments: ["dev"] }),
      ...Object.fromEntries(
        Array.from({ length: 150 }, (_, i) => [
          `iac/dev/app/c${i}/config.json`,
          JSON.stringify({ pad: "p".repeat(400) }),
        ]),
      ),
    });
    expect(runKarma(["-C", dir, "publish"]).code).toBe(0);
    const file = join(dir, ".karma/karma.db");
    const size = statSync(file).size;
    const damaged = readFileSync(file);
    for (let page = 3; page * 4096 < size; page += 2) damaged.fill(0xab, page * 4096 + 8, page * 4096 + 1500);
    writeFileSync(file, damaged);
    writeFileSync(join(dir, "iac/dev/app/c1/config.json"), '{"changed": true}');
    const run = runKarma(["-C", dir, "publish"]);
    expectCleanFailure(run);
    expect(run.stderr).toContain(
      `the database ${file} is corrupted (SQLite: database disk image is malformed)`,
    );
    expect(run.stderr).toContain(`fix: restore ${file} from your last backup`);
  });
});

/** A real full disk: a 200 KiB tmpfs, where this process may mount one (root on Linux). */
const mountPoint = tempDir("tmpfs");
const mounted = (() => {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=200k", "tmpfs", mountPoint], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
afterAll(() => {
  if (mounted) execFileSync("umount", [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)(
  "a full disk during publish (real tmpfs; also simulated in sqlite/failures.test.ts)",
  () => {
    it("one clear line naming the file; nothing of the batch is published", () => {
      const store = join(mountPoint, "karma.db");
      const dir = writeFiles(tempDir("full-disk"), {
        "karma.json": JSON.stringify({
          prefix: "/iac",
          environments: ["dev"],
          store: { kind: "sqlite", path: store },
        }),
        ...Object.fromEntries(
          Array.from({ length: 200 }, (_, i) => [
            `iac/dev/app/c${i}/config.json`,
            JSON.stringify({ pad: "p".repeat(600) }),
          ]),
        ),
      });
      const run = runKarma(["-C", dir, "publish"]);
      expectCleanFailure(run);
      expect(run.stderr).toContain(`the disk holding ${store} is full (SQLite: database or disk is full)`);
      rmSync(join(dir, "iac/dev/app"), { recursive: true });
      writeFiles(dir, { "iac/dev/app/one/config.json": "{}" });
      // the rolled-back batch left nothing behind: only the one new config is there afterwards
      expect(runKarma(["-C", dir, "publish"]).code).toBe(0);
      const listed = runKarma(["-C", dir, "param", "ls", "/iac", "--json"]);
      expect(listed.stdout).not.toContain("/iac/app/c0/");
    });
  },
);

describe("hostile estates are reported, not crashed on or silently skipped", () => {
  it("a config nested 10,000 levels deep", () => {
    const dir = estate("deep");
    writeFiles(dir, { "iac/dev/app/deep/config.json": `{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}` });
    const run = runKarma(["-C", dir, "validate"]);
    expectCleanFailure(run);
    expect(run.stdout).toContain("iac/dev/app/deep/config.json at /a/0/0");
    expect(run.stdout).toContain("nests deeper than 100 levels");
  });

  it("a config.json linked to a file outside the estate is refused, never published", () => {
    const dir = estate("outside-link");
    const outside = writeFiles(tempDir("outside"), { "secret.json": '{"token": "canary-outside"}' });
    mkdirSync(join(dir, "iac/dev/app/leak"));
    symlinkSync(join(outside, "secret.json"), join(dir, "iac/dev/app/leak/config.json"));
    const run = runKarma(["-C", dir, "publish"]);
    expectCleanFailure(run);
    expect(run.stderr).toContain("iac/dev/app/leak/config.json: this config is a symbolic link to");
    expect(run.stdout).not.toContain("canary-outside");
  });

  it("a symlink loop under iac/ is reported once", () => {
    const dir = estate("loop");
    symlinkSync("..", join(dir, "iac/dev/app/up"));
    const run = runKarma(["-C", dir, "validate"]);
    expectCleanFailure(run);
    expect(run.stdout.match(/^error /gm)).toHaveLength(1);
    expect(run.stdout).toContain(
      "iac/dev/app/up: this symbolic link leads back to a folder that contains it",
    );
  });

  it("a nickname folder '...' is reported", () => {
    const dir = estate("dots");
    writeFiles(dir, { "iac/dev/app/.../config.json": "{}" });
    const run = runKarma(["-C", dir, "validate"]);
    expectCleanFailure(run);
    expect(run.stdout).toContain('iac/dev/app/...: folder "..." holds a config.json but is skipped');
  });

  it("a nickname 'a..b' is refused, naming the folder and the fix, and nothing is published", () => {
    const dir = estate("dotdot");
    writeFiles(dir, { "iac/dev/app/a..b/config.json": '{"ok": true}' });
    const run = runKarma(["-C", dir, "publish"]);
    expectCleanFailure(run);
    const out = run.stdout + run.stderr;
    expect(out).toContain(
      'iac/dev/app/a..b: nickname folder name "a..b" is not a valid name (it contains ".."',
    );
    expect(out).toContain('fix: rename the folder to "a.b"');
    expect(runKarma(["-C", dir, "param", "ls", "-r"]).stdout).not.toContain("a..b");
  });
});
