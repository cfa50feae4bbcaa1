/**
 * `karma log …` and `karma lock …` as a user runs them: the built CLI (run `npm run build` first)
 * on a temp estate with the embedded store, audit log and lock in `.karma/karma.db`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteAuditLog } from "../../adapters/audit/sqlite/sqlite-audit-log.js";
import { LeaseLock } from "../../adapters/lock/lease-lock.js";
import { SqliteLockBackend } from "../../adapters/lock/sqlite/sqlite-lock-backend.js";
import { lazySecretCipher, loadSecretKey } from "../../adapters/parameter-store/secrets.js";
import { SqliteParameterStore } from "../../adapters/parameter-store/sqlite/sqlite-store.js";
import type { AuditEntry } from "../../ports/audit-log.js";
import { LockLostError } from "../../ports/lock.js";
import { runKarma, tempDir } from "../../testing/cli.js";

function estate(): string {
  const dir = join(tempDir("log-lock"), "estate");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "karma.json"), JSON.stringify({ environments: ["dev", "prod"] }));
  for (const env of ["dev", "prod"]) writeConfig(dir, env, "vpc/main", { cidr: "10.0.0.0/16" });
  return dir;
}

function writeConfig(dir: string, env: string, component: string, config: object): void {
  mkdirSync(join(dir, "iac", env, component), { recursive: true });
  writeFileSync(join(dir, "iac", env, component, "config.json"), JSON.stringify(config));
}

const db = (dir: string) => join(dir, ".karma", "karma.db");

function karma(dir: string, ...args: string[]) {
  return runKarma(["-C", dir, ...args]);
}

function ok(dir: string, ...args: string[]) {
  const run = karma(dir, ...args);
  expect(run.stderr, args.join(" ")).toBe("");
  expect(run.code, args.join(" ")).toBe(0);
  return run;
}

function entriesOf(dir: string, ...args: string[]): AuditEntry[] {
  const doc = JSON.parse(ok(dir, ...args, "--json").stdout) as { version: number; entries: AuditEntry[] };
  expect(doc.version).toBe(1);
  return doc.entries;
}

function expectUserError(run: ReturnType<typeof runKarma>, pattern: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/internal error| {4}at /);
}

describe("karma log list and grep", () => {
  let dir: string;
  beforeAll(async () => {
    // entries only (publishing would add real, current ones beside these fixed-time entries)
    dir = estate();
    const log = new SqliteAuditLog({ file: db(dir) });
    const base = { status: "ok", actor: "alice@laptop", source: "cli" } as const;
    await log.append({
      ...base,
      action: "publish",
      component: "dev:vpc/main",
      after: { config: 1 },
      timestamp: "2026-01-10T10:00:00Z",
      message: "published",
    });
    await log.append({
      ...base,
      action: "terraform_apply",
      status: "failed",
      actor: "bob@ci",
      component: "prod:vpc/main",
      timestamp: "2026-01-10T11:00:00Z",
      message: "Error: quota exceeded",
      details: { exit: 1 },
    });
    await log.append({
      ...base,
      action: "graph_build",
      after: { graph: 1 },
      timestamp: "2026-01-11T09:00:00Z",
      message: "graph v1",
    });
    await log.append({
      ...base,
      action: "deploy",
      status: "refused",
      source: "http-api",
      component: "dev:db/orders",
      timestamp: "2026-01-12T09:00:00Z",
      message: "protected component",
    });
    await log.close();
  });

  it("lists every entry newest first, as JSON and as a table", () => {
    expect(entriesOf(dir, "log", "list").map((e) => e.action)).toEqual([
      "deploy",
      "graph_build",
      "terraform_apply",
      "publish",
    ]);
    const table = ok(dir, "log", "list").stdout;
    expect(table.split("\n")[0]).toMatch(/^ID\s+TIME\s+ACTION\s+STATUS\s+SUBJECT\s+ACTOR\s+WHAT$/);
    expect(table).toMatch(/terraform_apply\s+failed\s+prod:vpc\/main\s+bob@ci\s+Error: quota exceeded/);
    expect(table).toMatch(/publish\s+ok\s+dev:vpc\/main\s+alice@laptop\s+config v1 {2}published/);
  });

  it("filters by component, action, env, status and time", () => {
    const actions = (...args: string[]) => entriesOf(dir, "log", "list", ...args).map((e) => e.action);
    expect(actions("--component", "vpc/main")).toEqual(["terraform_apply", "publish"]);
    expect(actions("--component", "dev:vpc/main")).toEqual(["publish"]);
    expect(actions("--action", "terraform_apply")).toEqual(["terraform_apply"]);
    expect(actions("--env", "prod")).toEqual(["terraform_apply"]);
    expect(actions("--status", "refused")).toEqual(["deploy"]);
    expect(actions("--since", "2026-01-11")).toEqual(["deploy", "graph_build"]);
    expect(actions("--until", "2026-01-10")).toEqual(["terraform_apply", "publish"]);
    expect(actions("--since", "2026-01-10T10:30:00Z", "--until", "2026-01-12T00:00:00Z")).toEqual([
      "graph_build",
      "terraform_apply",
    ]);
    expect(actions("--since", "1h")).toEqual([]);
  });

  it("limits to the newest entries and says so", () => {
    const doc = JSON.parse(ok(dir, "log", "list", "--limit", "1", "--json").stdout) as {
      entries: AuditEntry[];
      truncated: boolean;
    };
    expect(doc.entries.map((e) => e.action)).toEqual(["deploy"]);
    expect(doc.truncated).toBe(true);
    expect(ok(dir, "log", "list", "--limit", "1").stdout).toMatch(
      /showing the newest 1; use --limit N or --limit 0/,
    );
    expect(entriesOf(dir, "log", "list", "--limit", "0")).toHaveLength(4);
  });

  it("greps message, component, action, actor and details with a regular expression", () => {
    const messages = (...args: string[]) => entriesOf(dir, "log", "grep", ...args).map((e) => e.message);
    expect(messages("quota")).toEqual(["Error: quota exceeded"]);
    expect(messages("QUOTA")).toEqual([]);
    expect(messages("-i", "QUOTA")).toEqual(["Error: quota exceeded"]);
    expect(messages("db/orders")).toEqual(["protected component"]);
    expect(messages("^bob@")).toEqual(["Error: quota exceeded"]);
    expect(messages('"exit":1')).toEqual(["Error: quota exceeded"]);
    expect(messages("graph v\\d")).toEqual(["graph v1"]);
    expect(messages("--action", "terraform_apply")).toEqual(["Error: quota exceeded"]);
    expect(messages("published|protected", "--component", "dev:db/orders")).toEqual(["protected component"]);
    expect(ok(dir, "log", "grep", "nothing-matches-this").stdout).toBe("no audit entries match\n");
  });

  it("rejects bad filters with the option, the reason and the fix", () => {
    expectUserError(
      karma(dir, "log", "list", "--since", "yesterdayish"),
      /--since "yesterdayish" is not a time[\s\S]*fix: use an ISO timestamp/,
    );
    expectUserError(
      karma(dir, "log", "list", "--until", "2026-02-30"),
      /--until "2026-02-30" is not a time I understand: no such date/,
    );
    expectUserError(karma(dir, "log", "list", "--component", "VPC/main"), /--component: the type "VPC"/);
    expectUserError(
      karma(dir, "log", "list", "--action", "Terraform Apply"),
      /--action "Terraform Apply" is not an action name/,
    );
    expectUserError(
      karma(dir, "log", "list", "--status", "done"),
      /--status "done"[\s\S]*ok, failed, refused, started/,
    );
    expectUserError(karma(dir, "log", "list", "--limit", "many"), /--limit "many" is not a whole number/);
    expectUserError(karma(dir, "log", "grep", "vpc["), /PATTERN "vpc\[" is not a valid regular expression/);
  });
});

/** Returns once the wall clock has moved to a later millisecond: an explicit condition, not a guess. */
function nextMillisecond(): void {
  const now = Date.now();
  while (Date.now() <= now) {
    // spin: a millisecond at most
  }
}

describe("karma log diff", () => {
  const canary = "canary-s3cret-4f1d2b";
  let dir: string;
  let before: string;
  beforeAll(async () => {
    dir = estate();
    ok(dir, "publish");
    ok(dir, "graph", "build");
    // the window's start falls strictly between the two publishes' audit timestamps (ms)
    nextMillisecond();
    before = new Date().toISOString();
    nextMillisecond();
    writeConfig(dir, "dev", "vpc/main", { cidr: "10.1.0.0/16", tags: { team: "net" } });
    writeConfig(dir, "dev", "app/web", { vpc_nickname: "main" });
    ok(dir, "publish");
    const store = new SqliteParameterStore({
      file: db(dir),
      namespace: "dev",
      secrets: lazySecretCipher(() => loadSecretKey(join(dir, ".karma"))),
    });
    await store.putParameter({
      name: "/iac/vpc/main/runtime",
      type: "String",
      value: JSON.stringify({ vpc_id: "vpc-0abc" }),
    });
    await store.putParameter({
      name: "/iac/db/orders/runtime",
      type: "SecureString",
      value: JSON.stringify({ password: canary }),
    });
    await store.close();
    const log = new SqliteAuditLog({ file: db(dir) });
    await log.append({
      action: "deploy",
      status: "ok",
      actor: "alice@laptop",
      source: "cli",
      component: "dev:vpc/main",
      after: { runtime: 1 },
      message: "deployed",
    });
    await log.close();
    ok(dir, "graph", "build");
  });

  it("shows config and runtime changes with their keys, the window's audit entries, never secret values", () => {
    const diff = JSON.parse(ok(dir, "log", "diff", "--before", before, "--json").stdout) as {
      window: { before: string };
      parameters: Array<{
        component: string;
        kind: string;
        change: string;
        before: { version: number } | null;
        after: { version: number };
        keys: unknown;
        secure: boolean;
      }>;
      graph: {
        source: string;
        beforeVersion: number | null;
        afterVersion: number | null;
        diff: {
          nodes: { added: Array<{ id: string }> };
          edges: { added: Array<{ from: string; to: string }> };
        };
      };
      activity: AuditEntry[];
      summary: Record<string, unknown>;
    };
    expect(diff.window.before).toBe(before);
    expect(
      diff.parameters.map((p) => [p.component, p.kind, p.change, p.before?.version ?? null, p.after.version]),
    ).toEqual([
      ["dev:app/web", "config", "created", null, 1],
      ["dev:db/orders", "runtime", "created", null, 1],
      ["dev:vpc/main", "config", "updated", 1, 2],
      ["dev:vpc/main", "runtime", "created", null, 1],
    ]);
    expect(diff.parameters[1]).toMatchObject({ secure: true, keys: null });
    expect(diff.parameters[2]!.keys).toEqual({ added: ["/tags/team"], removed: [], changed: ["/cidr"] });
    expect(diff.parameters[3]!.keys).toEqual({ added: ["/vpc_id"], removed: [], changed: [] });
    // the window holds the second publish (its announced batch, then one entry per component),
    // the deploy and the graph build
    expect(diff.activity.map((e) => [e.action, e.component ?? null])).toEqual([
      ["publish", null],
      ["publish", "dev:app/web"],
      ["publish", "dev:vpc/main"],
      ["deploy", "dev:vpc/main"],
      ["graph_build", null],
    ]);
    expect(diff.graph).toMatchObject({ source: "graph-store", beforeVersion: 1, afterVersion: 2 });
    expect(diff.graph.diff.nodes.added.map((n) => n.id)).toContain("dev:app/web");
    expect(diff.graph.diff.edges.added.map((e) => `${e.from} -> ${e.to}`)).toContain(
      "dev:app/web -> dev:vpc/main",
    );
    expect(diff.summary).toMatchObject({
      configChanges: 2,
      runtimeChanges: 2,
      graphChanged: true,
      entries: 5,
    });

    const text = ok(dir, "log", "diff", "--before", before, "--after", "now").stdout;
    expect(text).toMatch(
      /config\n\s+COMPONENT\s+VERSION\s+WRITES\s+KEYS\n\s+dev:app\/web\s+created v1\s+1 write\s+added \/vpc_nickname\n\s+dev:vpc\/main\s+v1→v2\s+1 write\s+changed \/cidr; added \/tags\/team/,
    );
    expect(text).toMatch(/dev:db\/orders\s+created v1\s+1 write\s+SecureString: values are never compared/);
    expect(text).toMatch(/graph\n\s+v1→v2: nodes \+\d+ -0 ~\d+, edges \+1 -0 ~0/);
    expect(text).toMatch(/2 config change\(s\), 2 runtime change\(s\), graph changed/);
    for (const out of [text, JSON.stringify(diff)]) {
      expect(out).not.toContain(canary);
      expect(out).not.toContain("10.1.0.0");
      expect(out).not.toContain("vpc-0abc");
    }
  });

  it("narrows to one environment and to the window's end", () => {
    const prod = JSON.parse(ok(dir, "log", "diff", "--before", before, "--env", "prod", "--json").stdout) as {
      parameters: unknown[];
      activity: AuditEntry[];
    };
    expect(prod.parameters).toEqual([]);
    // estate-wide entries (graph builds) concern every environment
    expect(prod.activity.map((e) => [e.action, e.env])).toEqual([["graph_build", null]]);
    const early = JSON.parse(
      ok(dir, "log", "diff", "--before", "1d", "--after", before, "--json").stdout,
    ) as { parameters: Array<{ component: string; change: string }> };
    expect(early.parameters.map((p) => `${p.component} ${p.change}`)).toEqual([
      "dev:vpc/main created",
      "prod:vpc/main created",
    ]);
    expect(early).toMatchObject({ graph: { beforeVersion: null, afterVersion: 1 } });
  });

  it("refuses a backwards window and unknown times", () => {
    expectUserError(
      karma(dir, "log", "diff", "--before", "now", "--after", "1h"),
      /--before .* must be earlier than --after/,
    );
    expectUserError(
      karma(dir, "log", "diff", "--before", "last tuesday"),
      /--before "last tuesday" is not a time/,
    );
    expect(karma(dir, "log", "diff").stderr).toMatch(/required option '--before <time>'/);
    expectUserError(
      karma(dir, "log", "diff", "--before", "1h", "--env", "staging"),
      /unknown environment "staging"/,
    );
  });
});

describe("karma lock", () => {
  let dir: string;
  beforeAll(() => {
    dir = estate();
  });

  it("shows who holds a lock, refuses to release it without --force, force-releases it and audits that", async () => {
    const lock = new LeaseLock(new SqliteLockBackend({ file: db(dir) }));
    try {
      const handle = await lock.acquire("dev", {
        owner: "alice@laptop",
        operation: "apply",
        renewEvery: false,
      });
      const status = JSON.parse(ok(dir, "lock", "status", "--json").stdout) as {
        locks: Array<{
          env: string;
          state: string;
          holder: { owner: string; pid: number } | null;
          lock: string;
        }>;
      };
      expect(status.locks.map((l) => [l.env, l.state, l.holder?.owner ?? null])).toEqual([
        ["dev", "held", "alice@laptop"],
        ["prod", "free", null],
      ]);
      expect(status.locks[0]!.holder!.pid).toBe(process.pid);
      expect(status.locks[0]!.lock).toBe(`sqlite ${join(".karma", "karma.db")}`);
      const table = ok(dir, "lock", "status").stdout;
      expect(table).toMatch(/dev\s+held\s+alice@laptop\s+apply\s+\d+@/);
      expect(table).toContain("if that process is gone: karma lock release --force --env dev");

      expectUserError(
        karma(dir, "lock", "release", "--env", "dev"),
        /not releasing the lock of "dev" without --force/,
      );
      expectUserError(karma(dir, "lock", "release", "--force"), /several environments[\s\S]*pass --env/);
      expect((await lock.inspect("dev"))?.owner).toBe("alice@laptop");

      expect(ok(dir, "lock", "release", "--force", "--env", "dev").stdout).toMatch(
        /released the lock of "dev" held by alice@laptop \(pid \d+ on .*"apply" since/,
      );
      expect(await lock.inspect("dev")).toBeNull();
      await expect(handle.renew()).rejects.toBeInstanceOf(LockLostError);
      expect(ok(dir, "lock", "release", "--force", "--env", "dev").stdout).toBe('"dev" was not locked\n');

      const audited = entriesOf(dir, "log", "list", "--action", "lock_release");
      expect(audited.map((e) => [e.env, e.actor, e.status, e.message])).toEqual([
        ["dev", "test@karma", "ok", "force release: the environment was not locked"],
        ["dev", "test@karma", "ok", 'force-released the lock held by alice@laptop for "apply"'],
      ]);
      expect(audited[1]!.details).toMatchObject({
        forced: true,
        holder: { owner: "alice@laptop", operation: "apply", env: "dev" },
      });

      const next = await lock.acquire("dev", { owner: "bob@ci", operation: "deploy", renewEvery: false });
      expect(next.holder.owner).toBe("bob@ci");
      await next.release();
    } finally {
      await lock.close();
    }
  });

  it("shows an expired lease as expired", async () => {
    const lock = new LeaseLock(new SqliteLockBackend({ file: db(dir) }), {
      now: () => new Date(Date.now() - 3_600_000),
    });
    try {
      await lock.acquire("prod", {
        owner: "carol@old",
        operation: "destroy",
        ttl: 60_000,
        renewEvery: false,
      });
      const table = ok(dir, "lock", "status", "--env", "prod").stdout;
      expect(table).toMatch(/prod\s+expired\s+carol@old\s+destroy/);
      expect(table).toContain("prod: the lease expired; the next writer takes it over");
    } finally {
      await lock.close();
    }
  });
});
