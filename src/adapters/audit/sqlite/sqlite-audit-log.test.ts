import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../sqlite/database.js";
import { auditLogContract } from "../contract.js";
import { AUDIT_LOG_MIGRATIONS, AUDIT_LOG_MODULE } from "./schema.js";
import { SqliteAuditLog } from "./sqlite-audit-log.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-audit-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => path.join(dir, `audit-${++n}`, "karma.db");

auditLogContract("sqlite", async (now) => new SqliteAuditLog({ file: freshFile(), now }));

describe("SqliteAuditLog", () => {
  it("is append-only in the database itself: UPDATE and DELETE abort", async () => {
    const file = freshFile();
    const log = new SqliteAuditLog({ file });
    await log.append({ action: "publish", status: "ok", actor: "a@h", source: "cli", message: "original" });
    await log.close();
    const db = openDatabase(file);
    try {
      expect(() => db.prepare("UPDATE audit_entries SET message = 'forged'").run()).toThrow(/append-only/);
      expect(() => db.prepare("DELETE FROM audit_entries").run()).toThrow(/append-only/);
      expect(db.prepare("SELECT message FROM audit_entries").all()).toEqual([{ message: "original" }]);
    } finally {
      db.close();
    }
  });

  it("upgrades a first-schema log: its 'api' entries become 'http-api', ids continue, still append-only", async () => {
    const file = freshFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = openDatabase(file);
    migrate(db, AUDIT_LOG_MODULE, AUDIT_LOG_MIGRATIONS.slice(0, 1));
    db.prepare(
      `INSERT INTO audit_entries (ts_ms, timestamp, action, status, actor, source, before_json, after_json, message, details_json)
       VALUES (0, '1970-01-01T00:00:00.000Z', 'deploy', 'ok', 'web', 'api', '{}', '{}', 'old', '{}')`,
    ).run();
    db.close();
    const log = new SqliteAuditLog({ file });
    const added = await log.append({ action: "param_put", status: "ok", actor: "AKID", source: "ssm-api" });
    expect((await log.query()).map((e) => [e.id, e.source])).toEqual([
      [added.id, "ssm-api"],
      [1, "http-api"],
    ]);
    expect(added.id).toBe(2);
    await log.close();
    const raw = openDatabase(file);
    try {
      expect(() => raw.prepare("DELETE FROM audit_entries").run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
  });

  it("keeps entries across reopening and never reuses ids", async () => {
    const file = freshFile();
    const first = new SqliteAuditLog({ file });
    const a = await first.append({ action: "publish", status: "ok", actor: "a@h", source: "cli" });
    await first.close();
    const second = new SqliteAuditLog({ file, root: path.dirname(path.dirname(file)) });
    expect(second.description).toBe(`sqlite ${path.join(path.basename(path.dirname(file)), "karma.db")}`);
    const b = await second.append({ action: "deploy", status: "failed", actor: "a@h", source: "http-api" });
    expect(b.id).toBeGreaterThan(a.id);
    expect((await second.query()).map((e) => e.action)).toEqual(["deploy", "publish"]);
    await second.close();
    await expect(second.query()).rejects.toThrow(/closed/);
  });

  it("takes appends from several processes at once without losing any", async () => {
    const file = freshFile();
    await new SqliteAuditLog({ file }).close();
    const moduleUrl = new URL("./sqlite-audit-log.ts", import.meta.url).href;
    const script = `
      const { SqliteAuditLog } = await import(${JSON.stringify(moduleUrl)});
      const log = new SqliteAuditLog({ file: ${JSON.stringify(file)} });
      for (let i = 0; i < 50; i++)
        await log.append({ action: "publish", status: "ok", actor: "p" + process.argv[1] + "@h", source: "cli", message: String(i) });
      await log.close();`;
    // Four writers started together; WAL + busy_timeout make them queue instead of failing.
    const stderr = await Promise.all(
      [1, 2, 3, 4].map(
        (i) =>
          new Promise<string>((resolve) => {
            const child = spawn(process.execPath, [
              "--import",
              "tsx",
              "--input-type=module",
              "-e",
              script,
              String(i),
            ]);
            let err = "";
            child.stderr.on("data", (chunk) => {
              err += chunk;
            });
            child.on("close", (code) => resolve(code === 0 ? err : `exit ${code}: ${err}`));
          }),
      ),
    );
    expect(stderr).toEqual(["", "", "", ""]);
    const db = openDatabase(file);
    try {
      const rows = db
        .prepare("SELECT actor, COUNT(*) AS n FROM audit_entries GROUP BY actor ORDER BY actor")
        .all();
      expect(rows).toEqual([
        { actor: "p1@h", n: 50 },
        { actor: "p2@h", n: 50 },
        { actor: "p3@h", n: 50 },
        { actor: "p4@h", n: 50 },
      ]);
    } finally {
      db.close();
    }
  });
});
