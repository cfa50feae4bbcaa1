/**
 * The contract every AuditLog implementation passes. Run it from the implementation's test:
 *
 *   auditLogContract("sqlite", async (now) => new SqliteAuditLog({ file, now }));
 *
 * `create` must return an empty log using `now` as its clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { AuditLog, NewAuditEntry } from "../../ports/audit-log.js";

export function auditLogContract(name: string, create: (now: () => Date) => Promise<AuditLog>): void {
  describe(`AuditLog contract: ${name}`, () => {
    let clock = new Date("2026-11-28T10:00:00.000Z");
    const tick = (minutes: number) => {
      clock = new Date(clock.getTime() + minutes * 60_000);
    };
    const open: AuditLog[] = [];
    const fresh = async () => {
      clock = new Date("2026-11-28T10:00:00.000Z");
      const log = await create(() => clock);
      open.push(log);
      return log;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((log) => log.close()));
    });

    const base: NewAuditEntry = { action: "publish", status: "ok", actor: "alice@host", source: "cli" };

    /** Six entries, one minute apart from 10:01 to 10:06. */
    async function seed(log: AuditLog) {
      const entries: NewAuditEntry[] = [
        { ...base, component: "dev:vpc/main", after: { config: 1 }, message: "published vpc" },
        {
          ...base,
          action: "terraform_apply",
          component: "dev:vpc/main",
          before: { runtime: 1 },
          after: { runtime: 2 },
          message: "Apply complete! Resources: 3 added",
          details: { plan: { add: 3 } },
        },
        {
          ...base,
          action: "terraform_apply",
          component: "prod:vpc/main",
          status: "failed",
          message: "Error: quota exceeded",
          actor: "bob@ci",
        },
        { ...base, action: "graph_build", after: { graph: 7 }, env: null, message: "graph v7" },
        {
          ...base,
          action: "deploy",
          component: "dev:db/orders",
          status: "refused",
          source: "http-api",
          message: "protected component",
        },
        {
          ...base,
          action: "policy_verdict",
          component: "dev:db/orders",
          details: { rule: "protected", verdict: "deny" },
        },
      ];
      const stored = [];
      for (const entry of entries) {
        tick(1);
        stored.push(await log.append(entry));
      }
      return stored;
    }

    it("stores an entry with an increasing id and the log's clock, and returns it as stored", async () => {
      const log = await fresh();
      const [first, second] = await seed(log);
      expect(first).toEqual({
        id: first!.id,
        timestamp: "2026-11-28T10:01:00.000Z",
        action: "publish",
        status: "ok",
        actor: "alice@host",
        source: "cli",
        component: "dev:vpc/main",
        env: "dev",
        inputsDigest: null,
        before: {},
        after: { config: 1 },
        logPath: null,
        message: "published vpc",
        details: {},
      });
      expect(second!.id).toBeGreaterThan(first!.id);
      expect((await log.query({ limit: 1, action: "publish" }))[0]).toEqual(first);
    });

    it("keeps a given timestamp, digest, log path and details", async () => {
      const log = await fresh();
      const digest = `sha256:${"ab".repeat(32)}`;
      const stored = await log.append({
        ...base,
        timestamp: "2026-01-02T03:04:05.678+01:00",
        inputsDigest: digest,
        logPath: ".karma/logs/x.log",
        details: { nested: { list: [1, "two", null, true] } },
      });
      expect(stored).toMatchObject({
        timestamp: "2026-01-02T02:04:05.678Z",
        inputsDigest: digest,
        logPath: ".karma/logs/x.log",
      });
      expect(await log.query()).toEqual([stored]);
    });

    it("lists newest first, by time, whatever the append order", async () => {
      const log = await fresh();
      const stored = await seed(log);
      const late = await log.append({ ...base, timestamp: "2026-11-28T09:00:00.000Z", message: "imported" });
      const all = await log.query();
      expect(all.map((e) => e.id)).toEqual([...stored.map((e) => e.id)].reverse().concat(late.id));
    });

    it("filters by component (full id or type/nickname in any env), action, env and status", async () => {
      const log = await fresh();
      await seed(log);
      const messages = async (q: Parameters<AuditLog["query"]>[0]) =>
        (await log.query(q)).map((e) => e.message);
      expect(await messages({ component: "dev:vpc/main" })).toEqual([
        "Apply complete! Resources: 3 added",
        "published vpc",
      ]);
      expect(await messages({ component: "vpc/main" })).toEqual([
        "Error: quota exceeded",
        "Apply complete! Resources: 3 added",
        "published vpc",
      ]);
      expect(await messages({ component: "vpc/mai" })).toEqual([]);
      expect(await messages({ action: "terraform_apply" })).toEqual([
        "Error: quota exceeded",
        "Apply complete! Resources: 3 added",
      ]);
      expect(await messages({ action: "terraform_apply", env: "dev" })).toEqual([
        "Apply complete! Resources: 3 added",
      ]);
      expect(await messages({ status: "refused" })).toEqual(["protected component"]);
      expect(await messages({ component: "db/orders", action: "deploy" })).toEqual(["protected component"]);
    });

    it("bounds time with since (inclusive) and until (exclusive)", async () => {
      const log = await fresh();
      await seed(log);
      const at = (hhmm: string) => new Date(`2026-11-28T${hhmm}:00.000Z`);
      const ts = async (since?: Date, until?: Date) =>
        (await log.query({ since, until })).map((e) => e.timestamp.slice(11, 16));
      expect(await ts(at("10:02"), at("10:04"))).toEqual(["10:03", "10:02"]);
      expect(await ts(at("10:05"))).toEqual(["10:06", "10:05"]);
      expect(await ts(undefined, at("10:02"))).toEqual(["10:01"]);
      expect(await ts(at("10:04"), at("10:04"))).toEqual([]);
    });

    it("matches text against message, component, action, actor and details", async () => {
      const log = await fresh();
      await seed(log);
      const ids = async (text: string | RegExp) => (await log.query({ text })).map((e) => e.message);
      expect(await ids("QUOTA")).toEqual(["Error: quota exceeded"]);
      expect(await ids("db/orders")).toEqual(["", "protected component"]);
      expect(await ids("graph_build")).toEqual(["graph v7"]);
      expect(await ids("bob@")).toEqual(["Error: quota exceeded"]);
      expect(await ids('"verdict":"deny"')).toEqual([""]);
      expect(await ids(/resources: \d+ added/i)).toEqual(["Apply complete! Resources: 3 added"]);
      expect(await ids(/^nothing-like-this$/)).toEqual([]);
    });

    it("limits to the newest matches, also together with a text filter", async () => {
      const log = await fresh();
      await seed(log);
      expect((await log.query({ limit: 2 })).map((e) => e.action)).toEqual(["policy_verdict", "deploy"]);
      expect((await log.query({ text: "vpc", limit: 2 })).map((e) => e.message)).toEqual([
        "Error: quota exceeded",
        "Apply complete! Resources: 3 added",
      ]);
      expect(await log.query({ limit: 0 })).toEqual([]);
    });

    it("redacts secret-looking detail values before storing them", async () => {
      const log = await fresh();
      await log.append({
        ...base,
        details: { db_password: "hunter2", config: { api_key: "k-42", size: 1 } },
      });
      const [stored] = await log.query();
      expect(JSON.stringify(stored)).not.toMatch(/hunter2|k-42/);
      expect(stored!.details).toEqual({
        db_password: "[redacted]",
        config: { api_key: "[redacted]", size: 1 },
      });
    });

    it("rejects a malformed entry and stores nothing", async () => {
      const log = await fresh();
      await expect(log.append({ ...base, action: "Not An Action" })).rejects.toThrow(/lower_snake_case/);
      await expect(log.append({ ...base, component: "no-env/x" } as NewAuditEntry)).rejects.toThrow(
        /env:type\/nickname/,
      );
      expect(await log.query()).toEqual([]);
    });

    it("appends a batch in order, or nothing when any entry is malformed", async () => {
      const log = await fresh();
      const batch = ["dev:a/one", "dev:a/two", "dev:a/three"].map((component) => ({ ...base, component }));
      await expect(log.appendAll([...batch, { ...base, action: "Bad Action" }])).rejects.toThrow(
        /lower_snake_case/,
      );
      expect(await log.query()).toEqual([]);
      const stored = await log.appendAll(batch);
      expect(stored.map((e) => e.component)).toEqual(["dev:a/one", "dev:a/two", "dev:a/three"]);
      expect(stored[1]!.id).toBeGreaterThan(stored[0]!.id);
      expect((await log.query()).map((e) => e.component).sort()).toEqual([
        "dev:a/one",
        "dev:a/three",
        "dev:a/two",
      ]);
    });
  });
}
