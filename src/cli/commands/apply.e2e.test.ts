/**
 * `karma apply`, `karma status` and `karma drift` as a user runs them: the built CLI (`npm run
 * build` first) on temp git estates with the embedded store.
 *
 * 1. The demo estate with a REAL Terraform (KARMA_TERRAFORM, else tofu/terraform on PATH; required
 *    on CI): apply everything in dev, change the shared network's cidr, check `karma plan`
 *    (affected set, waves, markdown), apply, and check that only dependents consuming a changed
 *    key were redeployed; then make a consumer stale out of band and see status and drift say so.
 * 2. Two concurrent applies on one estate (command runner, no Terraform needed): the second is
 *    refused naming the holder, or waits with --lock-timeout; nothing is corrupted.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openAuditLog } from "../../adapters/audit/factory.js";
import { writeDemoEstateAt } from "../../adapters/fs/demo-estate.js";
import { readProjectSettings } from "../../adapters/fs/settings-reader.js";
import { terraformForTests } from "../../adapters/runners/terraform/binary-for-tests.js";
import { openSession } from "../../adapters/session/open-session.js";
import { driftedComponents } from "../../core/drift/resource-checks.js";
import { seedDemoExternals } from "../../operations/demo.js";
import { withSession } from "../../operations/session.js";
import { type CliRun, git, gitCommitAll, KARMA_BIN, runKarma, tempDir } from "../../testing/cli.js";

const binary = await terraformForTests();

interface ApplyJson {
  confirmed: boolean;
  plan: { entries: Array<{ id: string; wave: number; cause?: string }>; waves: string[][] };
  results: Array<{ id: string; wave: number; status: string; reason?: string; logFile?: string }>;
  summary: Record<string, number>;
}

const statuses = (doc: ApplyJson) => Object.fromEntries(doc.results.map((r) => [r.id, r.status]));

describe.skipIf(!binary)("karma apply on the demo estate with a real Terraform", () => {
  let dir: string;
  const karma = (...args: string[]): CliRun =>
    runKarma(["-C", dir, ...args], { env: { KARMA_TERRAFORM: binary!.path } });
  const json = <T>(run: CliRun): T => {
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/); // no stack traces
    return JSON.parse(run.stdout) as T;
  };

  beforeAll(async () => {
    dir = join(tempDir("apply-demo"), "estate");
    await writeDemoEstateAt(dir);
    await withSession(openSession({ root: dir, source: "cli" }), seedDemoExternals);
  });

  it("applies the whole dev environment in waves, then finds nothing to do", () => {
    const run = karma("apply", "env=dev", "--auto-approve", "--json", "--parallelism", "3");
    expect(run.code, run.stderr).toBe(0);
    const doc = json<ApplyJson>(run);
    expect(doc.plan.waves[0]).toEqual(["dev:dns-zone/main", "dev:network/main", "dev:s3-bucket/assets"]);
    expect(Object.keys(statuses(doc)).sort()).toEqual([
      "dev:database/orders",
      "dev:dns-zone/main",
      "dev:monitoring/ops",
      "dev:network/main",
      "dev:s3-bucket/assets",
      "dev:service/api",
      "dev:service/worker",
      "dev:site-content/www",
      "dev:site/www",
    ]);
    expect(new Set(Object.values(statuses(doc)))).toEqual(new Set(["deployed"]));
    for (const r of doc.results) expect(r.logFile).toMatch(/^\.karma\/logs\//);
    // waves are numbered from 1, as in the printed plan
    expect(doc.results.find((r) => r.id === "dev:network/main")?.wave).toBe(1);

    const again = karma("apply", "env=dev", "--auto-approve");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/nothing to apply/);
  });

  it("a shared component's change is planned, then redeploys only the dependents consuming a changed key", () => {
    // network_id and cidr both derive from the cidr: everything reading them must follow
    writeFileSync(
      join(dir, "iac/dev/network/main/config.json"),
      JSON.stringify({ cidr: "10.20.0.0/16", zones: ["a", "b"] }),
    );
    git(dir, "commit", "-qam", "dev network: new cidr");

    const plan = karma("plan", "env=dev", "--format", "json");
    expect(plan.code, plan.stderr).toBe(0);
    const planned = json<{
      changed: string[];
      affected: Array<{ id: string; kind: string; path?: string[] }>;
      waves: string[][];
    }>(plan);
    expect(planned.changed).toEqual(["dev:network/main"]);
    expect(planned.affected.map((e) => e.id)).toEqual([
      "dev:database/orders",
      "dev:monitoring/ops",
      "dev:network/main",
      "dev:service/api",
      "dev:service/worker",
      "dev:site-content/www",
      "dev:site/www",
    ]);
    expect(planned.waves[0]).toEqual(["dev:network/main"]);
    expect(planned.affected.find((e) => e.id === "dev:site/www")?.path).toEqual([
      "dev:network/main",
      "dev:service/api",
      "dev:site/www",
    ]);
    const markdown = karma("plan", "env=dev", "--format", "markdown");
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toContain("<details>");
    expect(markdown.stdout).toContain("dev:network/main");

    const run = karma("apply", "env=dev", "--auto-approve", "--json");
    expect(run.code, run.stderr).toBe(0);
    const doc = json<ApplyJson>(run);
    expect(statuses(doc)).toEqual({
      "dev:network/main": "deployed",
      // consume #/network_id, which changed
      "dev:service/api": "deployed",
      "dev:service/worker": "deployed",
      // names the network (network_nickname): its module may read any key, so it runs; Terraform finds nothing to change
      "dev:database/orders": "unchanged",
      // consume service/api#/url (and its runtime by path), which did not change: not redeployed
      "dev:site/www": "unaffected",
      "dev:monitoring/ops": "unaffected",
      "dev:site-content/www": "unaffected",
    });
    const why = Object.fromEntries(doc.results.map((r) => [r.id, r.reason ?? ""]));
    expect(why["dev:service/api"]).toMatch(/consumes dev:network\/main#\/network_id, which changed/);
    expect(why["dev:database/orders"]).toMatch(/references dev:network\/main by name/);
    expect(why["dev:site/www"]).toBe(
      "unaffected: consumed keys unchanged (dev:service/api#/url; the runtime is identical)",
    );
    expect(doc.summary).toEqual({
      deployed: 3,
      unchanged: 1,
      attention: 0,
      unaffected: 3,
      skipped: 0,
      failed: 0,
    });

    const statusRun = karma("status", "env=dev", "--json");
    const status = json<{ summary: Record<string, number> }>(statusRun);
    expect(status.summary).toMatchObject({ "in-sync": 9, stale: 0, undeployed: 0 });

    // the database runtime is a SecureString (a sensitive password): never in apply or status output
    const db = karma("param", "get", "/iac/database/orders/runtime", "--env", "dev", "--decrypt", "--json");
    const password = (JSON.parse(JSON.parse(db.stdout).parameter.value) as { password: string }).password;
    expect(password.length).toBeGreaterThan(8);
    for (const out of [run.stdout, run.stderr, statusRun.stdout, markdown.stdout, plan.stdout])
      expect(out).not.toContain(password);
  });

  it("status and drift report a consumer made stale by an out-of-band producer change", async () => {
    const api = JSON.parse(
      karma("param", "get", "/iac/service/api/runtime", "--env", "dev", "--json").stdout,
    ) as {
      parameter?: { value: string };
      value?: string;
    };
    const current = JSON.parse(api.parameter?.value ?? api.value ?? "{}") as Record<string, unknown>;
    expect(current.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const put = karma(
      "param",
      "put",
      "/iac/service/api/runtime",
      JSON.stringify({ ...current, url: "http://127.0.0.1:9999" }),
      "--overwrite",
      "--env",
      "dev",
    );
    expect(put.code, put.stderr).toBe(0);

    const status = json<{ components: Array<{ id: string; state: string; reason: string }> }>(
      karma("status", "env=dev", "--json"),
    );
    const byId = new Map(status.components.map((c) => [c.id, c]));
    expect(byId.get("dev:site/www")?.state).toBe("stale");
    expect(byId.get("dev:site/www")?.reason).toMatch(
      /^consumed dev:service\/api v\d+, now v\d+ \(#\/url changed\)$/,
    );
    // names the api without $ref (its module may read any key): the changed runtime makes it stale too
    expect(byId.get("dev:monitoring/ops")?.state).toBe("stale");
    expect(byId.get("dev:monitoring/ops")?.reason).toMatch(
      /^consumed dev:service\/api v\d+, now v\d+ \(whole runtime changed\)$/,
    );
    expect(karma("status", "env=dev").stdout).toMatch(/dev:site\/www\s+stale/);

    const drift = karma("drift", "env=dev", "--check");
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/dev:site\/www\s+stale/);

    // resource drift: the network is as Terraform left it; the site would change (its api_url input)
    const tf = karma("drift", "dev:network/main,dev:site/www", "--terraform", "--json");
    expect(tf.code, tf.stderr).toBe(0);
    const report = json<{ terraform: Array<{ id: string; status: string }> }>(tf);
    expect(report.terraform.map((d) => [d.id, d.status])).toEqual([
      ["dev:network/main", "none"],
      ["dev:site/www", "drift"],
    ]);
    // each check is remembered in the audit log: the explorer colours the site drifted until a deploy
    const checks = openAuditLog(readProjectSettings(dir));
    try {
      const recorded = await checks.query({ action: "drift_check" });
      expect(recorded.map((e) => [e.component, e.details.drift]).sort()).toEqual([
        ["dev:network/main", false],
        ["dev:site/www", true],
      ]);
      expect(driftedComponents(recorded, []).map((d) => d.id)).toEqual(["dev:site/www"]);
    } finally {
      await checks.close();
    }

    // plan shows what apply will do about it
    const plan = karma("plan", "env=dev", "--format", "json");
    expect(plan.code, plan.stderr).toBe(0);
    const planned = JSON.parse(plan.stdout) as {
      changed: string[];
      affected: Array<{ id: string; kind: string; reasons?: Array<{ kind: string }> }>;
    };
    // by-name consumers of the api (its module may read any key) are stale as well
    expect(planned.changed).toEqual(["dev:monitoring/ops", "dev:service/worker", "dev:site/www"]);
    expect(planned.affected.find((e) => e.id === "dev:site/www")?.reasons?.map((r) => r.kind)).toEqual([
      "stale",
    ]);
    expect(karma("plan", "env=dev").stdout).toMatch(
      /stale consumer: consumed dev:service\/api v\d+, now v\d+ \(#\/url changed\)/,
    );

    // apply brings the stale consumer back, and nothing else
    const run = karma("apply", "env=dev", "--auto-approve", "--json");
    expect(run.code, run.stderr).toBe(0);
    const doc = json<ApplyJson>(run);
    expect(doc.plan.entries.find((e) => e.id === "dev:site/www")?.cause).toMatch(/^stale consumer: /);
    expect(statuses(doc)["dev:site/www"]).toBe("deployed");
    expect(statuses(doc)["dev:network/main"]).toBeUndefined();

    const audit = openAuditLog(readProjectSettings(dir));
    try {
      const applies = await audit.query({ action: "apply" });
      expect(applies.filter((e) => e.status === "started")).toHaveLength(3);
      expect(applies.filter((e) => e.status === "ok")).toHaveLength(3);
    } finally {
      await audit.close();
    }
  });
});

// ── two applies at once ────────────────────────────────────────────────────────────────────

// a gated step waits until the test creates GATE_DIR/open: the first apply holds its lock until then
const STEP = `
import fs from "node:fs";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { config, nickname } = JSON.parse(input);
if (config.gate) while (!fs.existsSync(process.env.GATE_DIR + "/open")) await new Promise((r) => setTimeout(r, 20));
process.stdout.write(JSON.stringify({ id: nickname + "-" + (config.v ?? 1) }));
`;

function stepEstate(): string {
  const dir = tempDir("apply-concurrent");
  writeFileSync(
    join(dir, "karma.json"),
    JSON.stringify({
      environments: ["dev"],
      types: { step: { runner: "command", command: ["node", "types/step/deploy.mjs"], timeout: 60 } },
    }),
  );
  mkdirSync(join(dir, "types/step"), { recursive: true });
  writeFileSync(join(dir, "types/step/deploy.mjs"), STEP);
  const configs: Record<string, object> = {
    slow: { gate: true },
    next: { in: { $ref: "step/slow#/id" } },
  };
  for (const [nickname, config] of Object.entries(configs)) {
    mkdirSync(join(dir, "iac/dev/step", nickname), { recursive: true });
    writeFileSync(join(dir, "iac/dev/step", nickname, "config.json"), JSON.stringify(config));
  }
  gitCommitAll(dir);
  return dir;
}

/**
 * Starts `karma apply` in the background; `deploying` resolves once it printed `marker` (by
 * default: it is deploying the gated step, so it holds the lock until the gate opens).
 */
function startApply(
  dir: string,
  {
    args = [],
    actor = "first@karma",
    marker = "→ dev:step/slow",
  }: { args?: string[]; actor?: string; marker?: string } = {},
): { deploying: Promise<void>; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [KARMA_BIN, "-C", dir, "apply", "--auto-approve", ...args], {
    env: { ...process.env, NO_COLOR: "1", KARMA_ACTOR: actor, GATE_DIR: dir },
  });
  let stdout = "";
  let stderr = "";
  let signalDeploying: () => void;
  const deploying = new Promise<void>((resolve) => {
    signalDeploying = resolve;
  });
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes(marker)) signalDeploying();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (stderr.includes(marker)) signalDeploying();
  });
  const done = new Promise<CliRun>((resolve) =>
    child.on("close", (code) => {
      signalDeploying();
      resolve({ code: code ?? -1, stdout, stderr });
    }),
  );
  return { deploying, done };
}

describe("two karma apply at once", () => {
  it("the second is refused naming the holder; nothing is half-written", async () => {
    const dir = stepEstate();
    const first = startApply(dir);
    await first.deploying;
    const second = runKarma(["-C", dir, "apply", "--auto-approve"], { env: { KARMA_ACTOR: "second@karma" } });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/environment "dev" is locked by first@karma .*running "apply"/);
    expect(second.stderr).toMatch(/karma lock release --force --env dev/);
    expect(second.stderr).not.toMatch(/at .*\.js:\d+/);

    writeFileSync(join(dir, "open"), "");
    const result = await first.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /2 deployed, 0 unchanged, 0 unaffected, 0 need attention, 0 skipped, 0 failed/,
    );
    const status = JSON.parse(runKarma(["-C", dir, "status", "--json"]).stdout) as {
      summary: Record<string, number>;
    };
    expect(status.summary).toMatchObject({ total: 2, "in-sync": 2 });
  });

  it("without --auto-approve and no terminal to ask on: shows the plan, refuses, writes nothing", () => {
    const dir = stepEstate();
    const run = runKarma(["-C", dir, "apply"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/apply plan: 2 to apply, 0 dependent\(s\) to check, in 2 wave\(s\)/);
    expect(run.stderr).toMatch(/no terminal to confirm on \(nothing was changed\)/);
    expect(run.stderr).toMatch(/--auto-approve/);
    const status = JSON.parse(runKarma(["-C", dir, "status", "--json"]).stdout) as {
      summary: Record<string, number>;
    };
    expect(status.summary).toMatchObject({ unpublished: 2 });
  });

  it("with --lock-timeout the second waits for the first, then finds nothing left to do", async () => {
    const dir = stepEstate();
    const first = startApply(dir);
    await first.deploying;
    const second = startApply(dir, {
      args: ["--lock-timeout", "60s"],
      actor: "second@karma",
      marker: "waiting up to 60s for it (--lock-timeout)",
    });
    await second.deploying; // it is waiting for the first's lock
    writeFileSync(join(dir, "open"), "");
    const result = await first.done;
    expect(result.code, result.stderr).toBe(0);
    const waited = await second.done;
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toMatch(/environment "dev" is locked by first@karma/);
    expect(waited.stdout).toMatch(/nothing to apply/);
    const audit = openAuditLog(readProjectSettings(dir));
    try {
      expect(await audit.query({ action: "deploy", status: "ok" })).toHaveLength(2);
    } finally {
      await audit.close();
    }
  });
});
