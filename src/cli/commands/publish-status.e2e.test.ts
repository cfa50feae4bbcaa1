/**
 * publish / status / demo as a user runs them: the built CLI on a real estate and the embedded
 * store.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_TEMPLATE } from "../../adapters/fs/demo-estate.js";
import { readProjectSettings } from "../../adapters/fs/settings-reader.js";
import { openEnvironmentLock } from "../../adapters/lock/factory.js";
import { openParameterStore } from "../../adapters/parameter-store/factory.js";
import { terraformForTests } from "../../adapters/runners/terraform/binary-for-tests.js";
import { filesContaining, runKarma, tempDir } from "../../testing/cli.js";

const terraform = await terraformForTests();
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** A Terraform that cannot be found: Karma must not fall back to another one. */
const NO_TERRAFORM = { KARMA_TERRAFORM: "/nonexistent/terraform" };

describe("karma demo", () => {
  let dir: string;
  let first: ReturnType<typeof runKarma>;
  beforeAll(() => {
    dir = join(tempDir("demo"), "estate");
    first = runKarma(["demo", "--dir", dir, "--no-deploy"]);
  });

  it("writes the estate, publishes every component, builds the graph and shows status", () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/15 components in 2 environments \(dev, prod\); 0 problems/);
    expect(first.stdout).toMatch(/published 15, unchanged 0/);
    expect(first.stdout).toMatch(
      /graph v1: 16 nodes, \d+ edges \(\d+ consumes, \d+ depends_on\), 0 findings/,
    );
    expect(first.stdout).toMatch(/15 components: 0 in sync, 0 unpublished, 15 never deployed/);
  });

  it("is idempotent: a second run publishes nothing", () => {
    const again = runKarma(["demo", "--dir", dir, "--no-deploy"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/using the existing demo estate/);
    expect(again.stdout).toMatch(/published 0, unchanged 15/);
  });

  it("without Terraform deploys the script-run components and says what it skipped and why", () => {
    const run = runKarma(["demo", "--dir", join(tempDir("demo-no-tf"), "estate")], { env: NO_TERRAFORM });
    expect(run.code).toBe(0);
    // ordering-only references (a runtime path) do not hold a script back; a $ref does
    expect(run.stdout).toMatch(/deployed dev:monitoring\/ops/);
    expect(run.stdout).toMatch(
      /skipped dev:network\/main: cannot use \/nonexistent\/terraform \(from KARMA_TERRAFORM\)/,
    );
    expect(run.stdout).toMatch(/skipped dev:site-content\/www: depends on dev:site\/www, which was skipped/);
    expect(run.stdout).toMatch(/1 deployed, 0 unchanged, 0 unaffected, 14 skipped, 0 failed/);
    expect(run.stdout).toMatch(/the skipped components need Terraform/);
  });

  it.skipIf(!terraform)("with Terraform deploys the whole estate and ends in sync", () => {
    const run = runKarma(["demo", "--dir", join(tempDir("demo-tf"), "estate")], {
      env: { KARMA_TERRAFORM: terraform!.path },
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/15 deployed, 0 unchanged, 0 unaffected, 0 skipped, 0 failed/);
    expect(run.stdout).toMatch(/15 components: 15 in sync/);
  });

  it("never prints or writes the SecureString it seeded", () => {
    const secret = runKarma([
      "-C",
      dir,
      "param",
      "get",
      "/external/datadog/main/runtime",
      "--env",
      "dev",
      "--decrypt",
      "--json",
    ]);
    expect(secret.code).toBe(0);
    const { value } = json(secret.stdout).parameter as { value: string };
    const canary = (JSON.parse(value) as { api_key: string }).api_key;
    expect(canary).toMatch(/^dd-[0-9a-f]{32}$/);
    const outputs = [
      first.stdout,
      first.stderr,
      runKarma(["-C", dir, "status", "--json"]).stdout,
      runKarma(["-C", dir, "param", "get", "/external/datadog/main/runtime", "--env", "dev"]).stdout,
      runKarma(["-C", dir, "param", "ls", "/", "--recursive", "--env", "dev", "--json"]).stdout,
    ];
    for (const out of outputs) expect(out).not.toContain(canary);
    // only the encrypted database may hold it, and even there only as ciphertext
    expect(filesContaining(dir, canary)).toEqual([]);
  });
});

describe("karma publish and status", () => {
  function estate(): string {
    const dir = join(tempDir("publish"), "estate");
    cpSync(DEMO_TEMPLATE, dir, { recursive: true });
    return dir;
  }

  it("publishes only what changed, with provenance, and status follows", () => {
    const dir = estate();
    const dry = runKarma(["-C", dir, "publish", "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    expect(json(dry.stdout)).toMatchObject({ version: 1, dryRun: true, unchanged: [] });
    expect((json(dry.stdout).published as string[]).length).toBe(15);
    // dry run wrote nothing
    expect(json(runKarma(["-C", dir, "status", "--json"]).stdout).summary).toMatchObject({ unpublished: 15 });

    expect(runKarma(["-C", dir, "publish"]).code).toBe(0);
    const api = join(dir, "iac/dev/service/api/config.json");
    writeFileSync(
      api,
      JSON.stringify({
        network_id: { $ref: "network/main#/network_id" },
        database_nickname: "orders",
        dns_zone_nickname: "main",
        port: 8443,
        replicas: 2,
      }),
    );
    const status = json(runKarma(["-C", dir, "status", "--json"]).stdout) as {
      components: Array<{ id: string; state: string; reason: string }>;
    };
    expect(status.components.filter((c) => c.state === "unpublished").map((c) => c.id)).toEqual([
      "dev:service/api",
    ]);

    const check = runKarma(["-C", dir, "status", "--check"]);
    expect(check.code).toBe(2);

    const second = json(runKarma(["-C", dir, "publish", "--json"]).stdout);
    expect(second.published).toEqual(["dev:service/api"]);
    expect((second.unchanged as string[]).length).toBe(14);

    const history = json(
      runKarma(["-C", dir, "param", "history", "/iac/service/api/config", "--env", "dev", "--json"]).stdout,
    );
    const text = JSON.stringify(history);
    expect(text).toContain('\\"by\\":\\"karma publish\\"');
    expect(text).toContain("test@karma");
  });

  it("refuses an invalid estate and writes nothing", () => {
    const dir = estate();
    writeFileSync(join(dir, "iac/dev/network/main/config.json"), '{ "cidr": "10.0.0.0/16", }');
    writeFileSync(
      join(dir, "iac/dev/site/www/config.json"),
      JSON.stringify({ api_url: { $ref: "service/nope#/url" } }),
    );
    const run = runKarma(["-C", dir, "publish"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("iac/dev/network/main/config.json");
    expect(run.stderr).toContain("iac/dev/site/www/config.json");
    expect(run.stderr).toMatch(/nothing was written/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const ls = runKarma(["-C", dir, "param", "ls", "/", "--recursive", "--env", "dev", "--json"]);
    expect(ls.stdout).not.toContain("/iac/");
  });

  it("reports configs whose file is gone and deletes them only with --prune", () => {
    const dir = estate();
    expect(runKarma(["-C", dir, "publish"]).code).toBe(0);
    rmSync(join(dir, "iac/dev/monitoring"), { recursive: true });
    const kept = json(runKarma(["-C", dir, "publish", "--json"]).stdout);
    expect(kept.missing).toEqual(["dev:monitoring/ops"]);
    expect(kept.pruned).toEqual([]);
    const orphan = json(runKarma(["-C", dir, "status", "--json"]).stdout) as {
      components: Array<{ id: string; state: string }>;
    };
    expect(orphan.components.find((c) => c.id === "dev:monitoring/ops")?.state).toBe("orphaned");
    // a dry run says what --prune would delete, and deletes nothing
    const dry = runKarma(["-C", dir, "publish", "--prune", "--dry-run"]);
    expect(dry.stdout).toContain(
      "- dev:monitoring/ops  would delete /iac/monitoring/ops/config v1 (config.json is gone)",
    );
    expect(dry.stdout).toContain("missing from Git 1, would delete 1");
    expect(dry.stdout).not.toContain("kept");
    expect(json(runKarma(["-C", dir, "publish", "--prune", "--dry-run", "--json"]).stdout).pruned).toEqual([
      "dev:monitoring/ops",
    ]);
    expect(json(runKarma(["-C", dir, "publish", "--json"]).stdout).missing).toEqual(["dev:monitoring/ops"]);
    const pruned = json(runKarma(["-C", dir, "publish", "--prune", "--json"]).stdout);
    expect(pruned.pruned).toEqual(["dev:monitoring/ops"]);
    const after = json(runKarma(["-C", dir, "status", "--json"]).stdout) as {
      components: Array<{ id: string }>;
    };
    expect(after.components.map((c) => c.id)).not.toContain("dev:monitoring/ops");
  });

  it("refuses to write into a store that serves another environment", () => {
    const dir = estate();
    mkdirSync(join(dir, ".karma"), { recursive: true });
    expect(
      runKarma(["-C", dir, "param", "put", "/iac/environment", "prod", "--type", "String", "--env", "dev"])
        .code,
    ).toBe(0);
    const run = runKarma(["-C", dir, "publish"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/says it serves "prod"/);
  });

  it("takes the environment lock and audits every published component", async () => {
    const dir = estate();
    const settings = readProjectSettings(dir);
    const dev = settings.environments.find((e) => e.name === "dev")!;
    const store = await openParameterStore(settings, dev);
    const lock = openEnvironmentLock(settings, dev, store);
    const held = await lock.acquire("dev", { owner: "alice@ci", operation: "apply" });
    try {
      const refused = runKarma(["-C", dir, "publish", "dev:*/*"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/environment "dev" is locked by alice@ci/);
      expect(refused.stderr).toMatch(/karma lock release --force --env dev/);
    } finally {
      await held.release();
      await lock.close();
      await store.close();
    }
    const ok = runKarma(["-C", dir, "publish", "dev:*/*"]);
    expect(ok.code).toBe(0);
    const log = json(
      runKarma(["-C", dir, "log", "list", "--action", "publish", "--limit", "0", "--json"]).stdout,
    ) as {
      entries: Array<{ component: string; status: string; after: { config?: number } }>;
    };
    const published = log.entries
      .filter((e) => e.status === "ok")
      .map((e) => e.component)
      .sort();
    expect(published).toEqual(json(runKarma(["-C", dir, "validate", "dev:*/*", "--json"]).stdout).components);
    expect(log.entries.filter((e) => e.status === "ok").every((e) => e.after.config === 1)).toBe(true);
    // announced before the write: what a publish killed after its write had written is recorded later
    expect(log.entries.filter((e) => e.status === "started")).toHaveLength(1);
  });

  it("shows the latest graph's findings", () => {
    const dir = estate();
    expect(runKarma(["-C", dir, "publish"]).code).toBe(0);
    const before = json(runKarma(["-C", dir, "status", "--json"]).stdout);
    expect(before.graph).toBeNull();
    const put = ["param", "put", "/iac/queue/legacy/runtime", '{"queue_url":"https://q.example/legacy"}'];
    expect(runKarma(["-C", dir, ...put, "--type", "String", "--env", "dev"]).code).toBe(0);
    expect(runKarma(["-C", dir, "graph", "build"]).code).toBe(0);
    const after = json(runKarma(["-C", dir, "status", "--json"]).stdout) as {
      graph: { version: number; findings: Array<{ kind: string; node?: string }> };
    };
    expect(after.graph.version).toBe(1);
    expect(after.graph.findings).toContainEqual(
      expect.objectContaining({ kind: "orphan", node: "dev:queue/legacy" }),
    );
    const human = runKarma(["-C", dir, "status"]).stdout;
    // the external system the demo references was never seeded here: a dangling reference
    expect(human).toMatch(/graph v1 \(.*\): 2 findings/);
    expect(human).toMatch(
      /error dev:monitoring\/ops references dev:\/external\/datadog\/main at \/datadog_runtime_path/,
    );
    expect(human).toMatch(/warning dev:queue\/legacy is deployed \(runtime published\) but has no config/);
  });
});
