/**
 * makePlan on a real estate in a real git repository: schema, module and removal detection
 * from a range, untracked files, and the policy verdicts apply mode turns into errors.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_TEMPLATE } from "../adapters/fs/demo-estate.js";
import { openSession } from "../adapters/session/open-session.js";
import { isBlocking } from "../core/policies/model.js";
import { tempDir } from "../testing/cli.js";
import { makePlan, type PlanRequest } from "./plan.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.email=t@karma", "-c", "user.name=t", ...args], { cwd, encoding: "utf8" });

function repo(policies?: object): string {
  const dir = join(tempDir("plan-op"), "estate");
  cpSync(DEMO_TEMPLATE, dir, { recursive: true });
  if (policies) {
    const karma = JSON.parse(readFileSync(join(dir, "karma.json"), "utf8"));
    writeFileSync(join(dir, "karma.json"), JSON.stringify({ ...karma, policies }, null, 2));
  }
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "demo");
  return dir;
}

/** One plan, as one command makes it: a session on the estate in `dir`, closed afterwards. */
async function plan(dir: string, request: PlanRequest) {
  const session = openSession({ root: dir, source: "cli" });
  try {
    return await makePlan(session, request);
  } finally {
    await session.close();
  }
}

const ids = (entries: readonly { id: string }[]) => entries.map((e) => e.id);

describe("makePlan --since", () => {
  it("a schema change touches every component of the type; a module change too, with its files", async () => {
    const dir = repo();
    writeFileSync(join(dir, "types/service/schema.json"), '{"type": "object"}\n');
    writeFileSync(join(dir, "types/network/main.tf"), "# changed\n");
    const report = await plan(dir, { since: "HEAD", graph: "working-tree" });
    const reasons = report.plan.entries.flatMap((e) => (e.kind === "changed" ? e.reasons : []));
    expect(reasons.filter((r) => r.kind === "schema").map((r) => r.id)).toEqual([
      "dev:service/api",
      "dev:service/worker",
      "prod:service/api",
    ]);
    expect(reasons.filter((r) => r.kind === "module")).toEqual([
      { kind: "module", id: "dev:network/main", type: "network", files: ["types/network/main.tf"] },
      { kind: "module", id: "prod:network/main", type: "network", files: ["types/network/main.tf"] },
    ]);
  });

  it("a deleted config is a removal: not deployed, its consumers listed and redeployed, policy refuses it", async () => {
    const dir = repo({ noDestroyWithConsumers: { severity: "warning" } });
    rmSync(join(dir, "iac/dev/database/orders"), { recursive: true });
    const report = await plan(dir, { since: "HEAD", graph: "working-tree" });
    expect(report.plan.removed.map((r) => [r.id, r.consumers])).toEqual([
      ["dev:database/orders", ["dev:service/api", "dev:service/worker"]],
    ]);
    expect(ids(report.plan.entries)).not.toContain("dev:database/orders");
    expect(ids(report.plan.entries)).toContain("dev:service/api");
    const [verdict] = report.plan.verdicts;
    expect(verdict).toMatchObject({ rule: "noDestroyWithConsumers", severity: "warning" });
    expect(isBlocking(verdict!)).toBe(false);
    // apply mode: the same violation is an error
    const applied = await plan(dir, { since: "HEAD", graph: "working-tree", mode: "apply" });
    expect(applied.plan.verdicts.filter(isBlocking)).toHaveLength(1);
  });

  it("untracked configs count only with untracked: true", async () => {
    const dir = repo();
    mkdirSync(join(dir, "iac/dev/dns-zone/extra"), { recursive: true });
    writeFileSync(join(dir, "iac/dev/dns-zone/extra/config.json"), '{"domain": "x.test"}\n');
    expect((await plan(dir, { since: "HEAD" })).plan.changed).toEqual([]);
    const withUntracked = await plan(dir, { since: "HEAD", untracked: true });
    expect(withUntracked.plan.changed).toEqual(["dev:dns-zone/extra"]);
    const [reason] =
      withUntracked.plan.entries[0]!.kind === "changed" ? withUntracked.plan.entries[0]!.reasons : [];
    expect(reason).toMatchObject({ kind: "config", status: "added" });
  });

  it("committed changes since a branch point and uncommitted ones are both in the plan", async () => {
    const dir = repo();
    git(dir, "checkout", "-qb", "feature");
    writeFileSync(
      join(dir, "iac/dev/dns-zone/main/config.json"),
      '{"domain": "dev.karma.test", "ttl": 60}\n',
    );
    git(dir, "commit", "-qam", "ttl");
    writeFileSync(
      join(dir, "iac/prod/s3-bucket/assets/config.json"),
      '{"bucket_name": "b", "versioning": false}\n',
    );
    const report = await plan(dir, { since: "main" });
    expect(report.plan.changed).toEqual(["dev:dns-zone/main", "prod:s3-bucket/assets"]);
    expect(report.plan.base).toMatchObject({ kind: "commit", ref: "main" });
  });

  it("an unknown revision is a user error naming it", async () => {
    const dir = repo();
    await expect(plan(dir, { since: "no-such-branch" })).rejects.toThrow(/no-such-branch/);
  });
});
