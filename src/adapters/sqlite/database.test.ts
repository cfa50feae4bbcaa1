import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { acquireDatabase, migrate, openDatabase } from "./database.js";

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-db-"));
  dirs.push(dir);
  return path.join(dir, "nested", "karma.db");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("openDatabase", () => {
  it("creates the parent directory and enables WAL and foreign keys", () => {
    const db = openDatabase(tempFile());
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(Number(db.pragma("busy_timeout", { simple: true }))).toBeGreaterThan(0);
    db.close();
  });
});

describe("migrate", () => {
  it("applies each statement once, per module, and only new ones later", () => {
    const db = openDatabase(tempFile());
    expect(migrate(db, "a", ["CREATE TABLE a1 (x)"])).toBe(1);
    expect(migrate(db, "a", ["CREATE TABLE a1 (x)", "CREATE TABLE a2 (y)"])).toBe(2);
    expect(migrate(db, "b", ["CREATE TABLE b1 (x)"])).toBe(1);
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(["a1", "a2", "b1", "schema_migrations"]);
    db.close();
  });

  it("rolls a failing step back and refuses a newer schema", () => {
    const db = openDatabase(tempFile());
    expect(() => migrate(db, "m", ["CREATE TABLE ok (x)", "CREATE TABLE broken ("])).toThrow();
    expect(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()).toEqual({ n: 0 });
    migrate(db, "m", ["CREATE TABLE ok (x)", "CREATE TABLE t2 (y)"]);
    expect(() => migrate(db, "m", ["CREATE TABLE ok (x)"])).toThrow(UserError);
    db.close();
  });

  it("takes the write lock only when a step is due: a current schema opens while another process writes", () => {
    const file = tempFile();
    const writer = openDatabase(file);
    migrate(writer, "m", ["CREATE TABLE t1 (x)"]);
    const reader = openDatabase(file);
    reader.pragma("busy_timeout = 0"); // fail at once rather than wait for the writer
    writer.exec("BEGIN IMMEDIATE");
    try {
      expect(migrate(reader, "m", ["CREATE TABLE t1 (x)"])).toBe(1);
      expect(() => migrate(reader, "m", ["CREATE TABLE t1 (x)", "CREATE TABLE t2 (y)"])).toThrow(
        /locked|busy/i,
      );
      expect(() => migrate(reader, "newcomer", ["CREATE TABLE n1 (x)"])).toThrow(/locked|busy/i);
    } finally {
      writer.exec("ROLLBACK");
    }
    expect(migrate(reader, "m", ["CREATE TABLE t1 (x)", "CREATE TABLE t2 (y)"])).toBe(2);
    reader.close();
    writer.close();
  });
});

describe("acquireDatabase", () => {
  it("shares one connection per path and closes it after the last release", () => {
    const file = tempFile();
    const a = acquireDatabase(file);
    const b = acquireDatabase(path.join(path.dirname(file), ".", "karma.db"));
    expect(b.db).toBe(a.db);
    a.release();
    a.release(); // idempotent
    expect(b.db.open).toBe(true);
    b.release();
    expect(b.db.open).toBe(false);
    const c = acquireDatabase(file);
    expect(c.db.open).toBe(true);
    c.release();
  });
});
