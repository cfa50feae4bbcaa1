/**
 * Karma's state folder is for its owner only: after the demo's whole loop (embedded store, a
 * SecureString, command components and, where installed, Terraform), the folders Karma created
 * are 0700 and every file holding values (database, key, Terraform state and plans, command
 * outputs, run logs) is 0600 — whatever the tool that wrote it chose.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runKarma, tempDir } from "../testing/cli.js";

const VALUE_FILE =
  /(^karma\.db(-wal|-shm)?$|^secret\.key$|\.tfstate(\.backup)?$|\.tfplan$|^last-run\.json$|\.log$)/;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    out.push(full);
    if (entry.isDirectory()) walk(full, out);
  }
  return out;
}

const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8).padStart(4, "0");

describe.skipIf(process.platform === "win32")("state folder permissions", () => {
  it("creates .karma and its folders 0700 and every file holding values 0600", () => {
    const dir = join(tempDir("perms"), "estate");
    const demo = runKarma(["demo", "--dir", dir]);
    expect(demo.code, demo.stderr).toBe(0);
    const state = join(dir, ".karma");
    expect(modeOf(state)).toBe("0700");
    for (const sub of ["work", "logs"]) expect([sub, modeOf(join(state, sub))]).toEqual([sub, "0700"]);

    const paths = walk(state);
    const valueFiles = paths.filter((p) => statSync(p).isFile() && VALUE_FILE.test(p.split("/").pop()!));
    const open = valueFiles
      .filter((p) => (statSync(p).mode & 0o077) !== 0)
      .map((p) => `${relative(dir, p)} ${modeOf(p)}`);
    expect(open).toEqual([]);
    // the check saw what it is about: the database, the key, command outputs and run logs
    const names = valueFiles.map((p) => p.split("/").pop()!);
    expect(names).toEqual(expect.arrayContaining(["karma.db", "secret.key", "last-run.json"]));
    expect(names.some((n) => n.endsWith(".log"))).toBe(true);
    if (!/skipped/.test(demo.stdout + demo.stderr))
      expect(
        names.some((n) => n.endsWith(".tfstate")),
        "Terraform ran: its state is checked",
      ).toBe(true);

    // folders Karma made for components' runs (not the tools' own caches inside them)
    const karmaFolders = paths.filter(
      (p) => statSync(p).isDirectory() && /^\.karma\/(work|logs|state)(\/[^/]+){0,3}$/.test(relative(dir, p)),
    );
    expect(karmaFolders.filter((p) => modeOf(p) !== "0700").map((p) => relative(dir, p))).toEqual([]);
  });
});
