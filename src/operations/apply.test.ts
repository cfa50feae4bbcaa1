/**
 * `applyEstate` on a small estate deployed by the command runner (a real child process per
 * component, the embedded SQLite store): propagation only along changed consumed keys, resume
 * after a failure, keep-going, stale consumers found and applied, and the environment lock held
 * by apply while publish and deploy run inside it.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSession } from "../adapters/session/open-session.js";
import { gitCommitAll, tempDir } from "../testing/cli.js";
import { type ApplyOptions, type ApplyResult, applyEstate } from "./apply.js";
import { type Session, withSession } from "./session.js";
import { estateStatus } from "./status.js";
import { withLocks } from "./stores.js";

const STEP = `
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { config, nickname } = JSON.parse(input);
if (config.fail) {
  process.stderr.write("step " + nickname + ": failing on purpose\\n");
  process.exit(1);
}
process.stdout.write(JSON.stringify({ id: config.id ?? nickname + "-1", other: config.other ?? "same", seen: config.in ?? null }));
`;

/** a ← b (a#/id) ← d (b#/id… via seen), a ← c (a#/other), e alone. */
const CONFIGS: Record<string, object> = {
  a: { id: "a-1" },
  b: { in: { $ref: "step/a#/id" } },
  c: { in: { $ref: "step/a#/other" } },
  d: { in: { $ref: "step/b#/seen" } },
  e: { id: "e-1" },
};

function makeEstate(label: string, extra: object = {}): string {
  const dir = tempDir(label);
  writeFileSync(
    join(dir, "karma.json"),
    JSON.stringify({
      environments: ["dev"],
      types: { step: { runner: "command", command: ["node", "types/step/deploy.mjs"], timeout: 60 } },
      ...extra,
    }),
  );
  mkdirSync(join(dir, "types/step"), { recursive: true });
  writeFileSync(join(dir, "types/step/deploy.mjs"), STEP);
  for (const [nickname, config] of Object.entries(CONFIGS)) writeConfig(dir, nickname, config);
  return dir;
}

function writeConfig(dir: string, nickname: string, config: object): void {
  mkdirSync(join(dir, "iac/dev/step", nickname), { recursive: true });
  writeFileSync(join(dir, "iac/dev/step", nickname, "config.json"), JSON.stringify(config));
}

/** Each call is one command: its own session on the estate, closed afterwards. */
const inSession = <T>(dir: string, fn: (session: Session) => Promise<T>): Promise<T> =>
  withSession(openSession({ root: dir, source: "cli" }), fn);

const apply = (dir: string, options?: ApplyOptions): Promise<ApplyResult> =>
  inSession(dir, async (session) => applyEstate(session, await session.estate.load(), options));

const status = (dir: string, selector?: string) =>
  inSession(dir, async (session) => estateStatus(session, await session.estate.load(), selector));

const statuses = (result: ApplyResult) => Object.fromEntries(result.results.map((r) => [r.id, r.status]));

async function deployCount(dir: string, id: string): Promise<number> {
  return inSession(
    dir,
    async (session) =>
      (await (await session.auditLog()).query({ action: "deploy", component: id, status: "ok" })).length,
  );
}

describe("karma apply (operation)", () => {
  it("deploys everything, then has nothing to do; a change reaches only consumers of a changed key", async () => {
    const dir = makeEstate("apply-propagate");
    const first = await apply(dir, { parallelism: 2 });
    expect(first.plan.waves).toEqual([
      ["dev:step/a", "dev:step/e"],
      ["dev:step/b", "dev:step/c"],
      ["dev:step/d"],
    ]);
    expect(first.published).toEqual(["dev:step/a", "dev:step/b", "dev:step/c", "dev:step/d", "dev:step/e"]);
    expect(Object.values(statuses(first))).toEqual(Array(5).fill("deployed"));
    expect(first.results.every((r) => r.logFile?.startsWith(".karma/"))).toBe(true);

    const again = await apply(dir);
    expect(again.plan.entries).toEqual([]);
    expect(again.results).toEqual([]);

    writeConfig(dir, "a", { id: "a-2" });
    const changed = await apply(dir);
    expect(changed.plan.entries.map((e) => [e.id, e.cause === undefined ? "dependent" : "target"])).toEqual([
      ["dev:step/a", "target"],
      ["dev:step/b", "dependent"],
      ["dev:step/c", "dependent"],
      ["dev:step/d", "dependent"],
    ]);
    expect(statuses(changed)).toEqual({
      "dev:step/a": "deployed",
      "dev:step/b": "deployed",
      "dev:step/c": "unaffected",
      "dev:step/d": "deployed",
    });
    const reasons = Object.fromEntries(changed.results.map((r) => [r.id, r.reason]));
    expect(reasons["dev:step/b"]).toMatch(/^consumes dev:step\/a#\/id, which changed/);
    expect(reasons["dev:step/c"]).toBe("unaffected: consumed keys unchanged (dev:step/a#/other)");
    expect(reasons["dev:step/d"]).toMatch(/^consumes dev:step\/b#\/seen, which changed/);
    expect(await deployCount(dir, "dev:step/c")).toBe(1);
    expect(await deployCount(dir, "dev:step/e")).toBe(1);
  });

  it("fail-fast stops at a failure; re-running after the fix resumes with the failed one and its skipped dependents", async () => {
    const dir = makeEstate("apply-resume");
    await apply(dir);
    writeConfig(dir, "a", { id: "a-2" });
    writeConfig(dir, "b", { in: { $ref: "step/a#/id" }, fail: true });
    const failed = await apply(dir, { parallelism: 1 });
    expect(statuses(failed)).toEqual({
      "dev:step/a": "deployed",
      "dev:step/b": "failed",
      // decided as soon as a ended: a's /other did not change
      "dev:step/c": "unaffected",
      "dev:step/d": "skipped",
    });
    const b = failed.results.find((r) => r.id === "dev:step/b")!;
    expect(b.reason).toMatch(/failing on purpose/);
    expect(b.logFile).toMatch(/^\.karma\/logs\//);
    expect(failed.results.find((r) => r.id === "dev:step/d")?.reason).toBe(
      "depends on dev:step/b, which failed",
    );

    writeConfig(dir, "b", { in: { $ref: "step/a#/id" } });
    const resumed = await apply(dir, { parallelism: 1 });
    // only the failed one and its skipped dependent: a is deployed, c was unaffected
    expect(statuses(resumed)).toEqual({ "dev:step/b": "deployed", "dev:step/d": "deployed" });
    expect(resumed.plan.entries.find((e) => e.id === "dev:step/d")?.cause).toMatch(
      /skipped in the previous apply/,
    );
    expect(await deployCount(dir, "dev:step/a")).toBe(2);
    expect(await deployCount(dir, "dev:step/e")).toBe(1);
    const report = await status(dir);
    expect(report.summary["in-sync"]).toBe(5);

    const done = await apply(dir);
    expect(done.plan.entries).toEqual([]);
  });

  it("a redeploy that leaves the outputs alone still records what it was deployed from (no endless re-apply, no false stale)", async () => {
    const dir = makeEstate("apply-same-outputs");
    await apply(dir);
    // e's outputs do not depend on `note`; b's do not change when a's /other changes
    writeConfig(dir, "e", { id: "e-1", note: "a comment" });
    writeConfig(dir, "b", { in: { $ref: "step/a#/id" }, note: "x" });
    const result = await apply(dir);
    // the command runner cannot plan, so it always runs ("deployed"); b's runtime value is the same
    expect(statuses(result)).toEqual({
      "dev:step/b": "deployed",
      "dev:step/d": "unaffected",
      "dev:step/e": "deployed",
    });
    const report = await status(dir);
    expect(report.summary["in-sync"]).toBe(5);
    expect((await apply(dir)).plan.entries).toEqual([]);
  });

  it("keep-going runs everything that does not depend on the failure", async () => {
    const dir = makeEstate("apply-keep-going");
    writeConfig(dir, "a", { id: "a-1", fail: true });
    const result = await apply(dir, { keepGoing: true, parallelism: 1 });
    expect(statuses(result)).toEqual({
      "dev:step/a": "failed",
      "dev:step/e": "deployed",
      "dev:step/b": "skipped",
      "dev:step/c": "skipped",
      "dev:step/d": "skipped",
    });
    expect(result.summary).toEqual({
      deployed: 1,
      unchanged: 0,
      unaffected: 0,
      attention: 0,
      skipped: 3,
      failed: 1,
    });
  });

  it("finds a consumer made stale out of band, reports it in status, and applies only what it affects", async () => {
    const dir = makeEstate("apply-stale");
    await apply(dir);
    await inSession(dir, async (session) =>
      // a's runtime rewritten by someone else: id changes (b consumes it), other does not (c)
      (await session.store("dev")).putParameter({
        name: "/iac/step/a/runtime",
        value: JSON.stringify({ id: "a-out-of-band", other: "same", seen: null }),
        type: "String",
        overwrite: true,
      }),
    );
    const report = await status(dir);
    const byId = new Map(report.components.map((c) => [c.id, c]));
    expect(byId.get("dev:step/b")).toMatchObject({
      state: "stale",
      reason: "consumed dev:step/a v1, now v2 (#/id changed)",
    });
    expect(byId.get("dev:step/c")?.state).toBe("in-sync");

    const result = await apply(dir, { selector: "dev:step/b,dev:step/d" });
    expect(result.plan.entries.find((e) => e.id === "dev:step/b")?.cause).toMatch(/^stale consumer: /);
    expect(statuses(result)).toEqual({ "dev:step/b": "deployed", "dev:step/d": "deployed" });
    expect((await status(dir, "dev:step/b")).components[0]?.state).toBe("in-sync");
  });

  it("policies in apply mode: a protected component stops the run before anything is written; --approve lets it pass", async () => {
    const dir = makeEstate("apply-policy", {
      policies: { protected: [{ match: "dev:step/a", reason: "shared" }] },
    });
    await expect(apply(dir)).rejects.toThrow(/apply refused by policy:\n {2}protected: .*dev:step\/a/);
    const report = await status(dir);
    expect(report.summary.unpublished).toBe(5);
    const approved = await apply(dir, { approve: true });
    expect(approved.summary.deployed).toBe(5);
    expect(approved.plan.verdicts).toMatchObject([{ rule: "protected", approved: true }]);
  });

  it("--since REF: a module change since REF redeploys every component of the type, nothing else is new", async () => {
    const dir = makeEstate("apply-since");
    gitCommitAll(dir);
    await apply(dir);
    appendFileSync(join(dir, "types/step/deploy.mjs"), "// a comment\n");
    const result = await apply(dir, { since: "HEAD", parallelism: 5 });
    expect(result.plan.entries.map((e) => e.cause)).toEqual(
      Array(5).fill("module changed (types/step/deploy.mjs)"),
    );
    expect(result.summary.failed).toBe(0);
  });

  it("a confirm that says no writes nothing", async () => {
    const dir = makeEstate("apply-no");
    const result = await apply(dir, { confirm: async (plan) => plan.entries.length < 0 });
    expect(result).toMatchObject({ confirmed: false, published: [], results: [] });
    expect((await status(dir)).summary.unpublished).toBe(5);
  });

  it("holds the environment lock for the whole run: another writer is refused naming apply", async () => {
    const dir = makeEstate("apply-lock");
    const holder = openSession({ root: dir, source: "cli", actor: "holder@test" });
    const envs = holder.settings.environments;
    try {
      await withLocks(holder, envs, { operation: "test holder" }, async () => {
        // inside the holder's own call chain the lock is re-entrant (apply → publish → deploy)
        const nested = await applyEstate(holder, await holder.estate.load(), { selector: "dev:step/e" });
        expect(statuses(nested)).toEqual({ "dev:step/e": "deployed" });
      });
      // an unrelated call chain while the lock is held elsewhere is refused with the holder's name
      let release!: () => void;
      let acquired!: () => void;
      const locked = new Promise<void>((r) => {
        acquired = r;
      });
      const held = withLocks(
        holder,
        envs,
        { operation: "apply" },
        () =>
          new Promise<void>((r) => {
            release = r;
            acquired();
          }),
      );
      await locked;
      await expect(
        inSession(dir, (other) => withLocks(other, envs, { operation: "publish" }, async () => undefined)),
      ).rejects.toThrow(/locked by .*running "apply"/);
      release();
      await held;
    } finally {
      await holder.close();
    }
  });
});
