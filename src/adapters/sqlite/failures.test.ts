/**
 * Store paths that cannot hold a database, files that are not one or are corrupted, and a full
 * disk: each is a `DatabaseFileError` naming the file and the way out, never an internal error.
 * The full disk is simulated with SQLite's `max_page_count`, which makes SQLite fail exactly as
 * on a full disk (SQLITE_FULL, "database or disk is full"); the CLI test in
 * `cli/commands/hostile-input.e2e.test.ts` uses a real full tmpfs where the test may mount one.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { publishEstate } from "../../operations/publish.js";
import { withSession } from "../../operations/session.js";
import { tempDir, writeFiles } from "../../testing/cli.js";
import { loadEstate } from "../fs/estate-loader.js";
import { readProjectSettings } from "../fs/settings-reader.js";
import { openSession } from "../session/open-session.js";
import { acquireDatabase, openDatabase } from "./database.js";
import { DatabaseFileError, databaseFailure } from "./failures.js";

const dirs: string[] = [];
const dir = (label: string) => {
  const d = tempDir(label);
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function failureOf(fn: () => unknown): DatabaseFileError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DatabaseFileError) return error;
    throw error;
  }
  throw new Error("expected a DatabaseFileError");
}

describe("opening a store path that cannot hold a database", () => {
  it.each([
    ["/proc/karma-test.db", /cannot open or create the database \/proc\/karma-test\.db/],
    ["/sys/karma-test.db", /cannot open or create the database \/sys\/karma-test\.db/],
    ["/dev/null/x.db", /cannot create the database \/dev\/null\/x\.db: a parent of it is not a directory/],
  ])("%s", (file, message) => {
    const error = failureOf(() => openDatabase(file));
    expect(error.message).toMatch(message);
    expect(error.fix).toContain("store.path");
  });

  it("a directory", () => {
    const d = dir("db-dir");
    const error = failureOf(() => openDatabase(d));
    expect(error.message).toBe(`the database path ${d} is a directory, not a file`);
    expect(error.fix).toContain(path.join(d, "karma.db"));
  });

  it("a file of random bytes is 'not a database', and is left untouched", () => {
    const file = path.join(dir("db-random"), "karma.db");
    const bytes = Buffer.alloc(64 * 1024, 7);
    fs.writeFileSync(file, bytes);
    const error = failureOf(() => openDatabase(file));
    expect(error.message).toBe(
      `${file} is not a SQLite database (SQLite: file is not a database); nothing was written to it`,
    );
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });
});

describe("failures while using an open database", () => {
  it("corrupted pages: names the file and how to get back to the last good state", () => {
    const file = path.join(dir("db-corrupt"), "karma.db");
    const db = openDatabase(file);
    db.exec("CREATE TABLE t (x TEXT)");
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    for (let i = 0; i < 500; i++) insert.run("x".repeat(200));
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    // overwrite the middle of every page after the schema page, as a failing disk would
    const fd = fs.openSync(file, "r+");
    for (let page = 2; page * 4096 < fs.statSync(file).size; page++)
      fs.writeSync(fd, Buffer.alloc(1000, 0xab), 0, 1000, page * 4096 + 8);
    fs.closeSync(fd);

    const reopened = openDatabase(file);
    let thrown: unknown;
    try {
      reopened.prepare("SELECT count(*), max(length(x)) FROM t").get();
    } catch (error) {
      thrown = error;
    } finally {
      reopened.close();
    }
    expect(thrown).toBeInstanceOf(Database.SqliteError);
    const failure = databaseFailure(new Error("publish failed", { cause: thrown }));
    expect(failure?.message).toBe(
      `the database ${file} is corrupted (SQLite: database disk image is malformed); the command stopped`,
    );
    expect(failure?.fix).toContain(`restore ${file} from your last backup`);
    expect(failure?.fix).toContain("karma publish");
  });

  it("anything else is not a database failure (stays an internal error)", () => {
    expect(databaseFailure(new TypeError("x is undefined"))).toBeUndefined();
  });

  it("a full disk during publish: the whole batch is rolled back and the error names the file", async () => {
    const root = writeFiles(dir("db-full"), {
      "karma.json": JSON.stringify({ prefix: "/iac", environments: ["dev"] }),
      ...Object.fromEntries(
        Array.from({ length: 300 }, (_, i) => [
          `iac/dev/app/c${i}/config.json`,
          JSON.stringify({ pad: "p".repeat(500) }),
        ]),
      ),
    });
    const settings = readProjectSettings(root);
    const file = path.join(root, ".karma/karma.db");
    // hold the process's shared connection so publish uses it, and let the file barely grow
    const lease = acquireDatabase(file);
    try {
      const publish = (selector?: string) =>
        withSession(openSession({ settings, source: "cli" }), async (session) =>
          publishEstate(session, await loadEstate(settings), selector ? { selector } : {}),
        );
      await publish("app/c0");
      const versions = () =>
        lease.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM ps_versions").get()!.n;
      const before = versions();
      lease.db.pragma(`max_page_count = ${lease.db.pragma("page_count", { simple: true })}`);
      const thrown = await publish().catch((error: unknown) => error);
      const failure = databaseFailure(thrown);
      expect(failure?.message).toBe(
        `the disk holding ${file} is full (SQLite: database or disk is full); the failed transaction was rolled back`,
      );
      lease.db.pragma("max_page_count = 1073741823");
      expect(versions()).toBe(before);
      expect(lease.db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      lease.release();
    }
  });
});
