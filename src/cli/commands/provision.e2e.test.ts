/**
 * `karma plan | deploy | destroy | outputs` as a user runs them: the built CLI (`npm run build`
 * first) on a temp git estate with the embedded store and a REAL Terraform (KARMA_TERRAFORM, else
 * tofu/terraform on PATH; required on CI). Covers the refusals (unpublished config, no terminal to
 * confirm on, destroy with dependents), provenance, a failure midway (runtime untouched, failure
 * recorded with its log), a sensitive canary that never leaves the store, a module that
 * publishes its runtime itself through the SSM endpoint, and the command runner.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditLog } from "../../adapters/audit/factory.js";
import { readProjectSettings } from "../../adapters/fs/settings-reader.js";
import { terraformForTests } from "../../adapters/runners/terraform/binary-for-tests.js";
import { openSession } from "../../adapters/session/open-session.js";
import {
  type CliRun,
  filesContaining,
  git,
  gitCommitAll,
  KARMA_BIN,
  runKarma,
  tempDir,
  writeFiles,
} from "../../testing/cli.js";

const binary = await terraformForTests();
const CANARY = "k4rma-canary-5e1d-never-shown";

const VARIABLES = `
variable "config" { type = any }
variable "component_name" { type = string }
variable "nickname" { type = string }
variable "environment" { type = string }
variable "iac_prefix" { type = string }
`;

const FILES: Record<string, string> = {
  "karma.json": JSON.stringify({
    environments: ["dev"],
    // no waiting for locks: a lock left behind by an interrupted run would fail the next one
    terraform: { lockTimeout: "0s" },
    types: {
      net: { runner: "terraform" },
      app: { runner: "terraform" },
      zone: { runner: "terraform" },
      slow: { runner: "terraform" },
      script: { runner: "command", command: ["node", "types/script/deploy.mjs"], timeout: 60 },
    },
  }),
  "types/net/main.tf": `${VARIABLES}
resource "terraform_data" "net" { input = var.config.cidr }
output "id" { value = "net-\${var.nickname}" }
output "cidr" { value = terraform_data.net.output }
output "token" {
  value     = "${CANARY}"
  sensitive = true
}
`,
  "types/app/main.tf": `${VARIABLES}
resource "terraform_data" "app" { input = var.config.net_id }
resource "terraform_data" "fail" {
  count      = try(var.config.fail, false) ? 1 : 0
  depends_on = [terraform_data.app]
  provisioner "local-exec" { command = "echo 'quota exceeded for app' >&2; exit 1" }
}
output "url" { value = "http://\${var.nickname}.local/\${terraform_data.app.output}" }
`,
  "types/zone/main.tf": `${VARIABLES}
locals {
  body = jsonencode({
    Name        = "\${var.iac_prefix}/\${var.component_name}/\${var.nickname}/runtime"
    Type        = "String"
    Overwrite   = true
    Value       = jsonencode({ zone = "z-\${var.nickname}", from = "module" })
    Description = "written by the zone module"
  })
}
resource "terraform_data" "zone" {
  input = local.body
  provisioner "local-exec" {
    command     = "curl -sS --fail -X POST \\"$AWS_ENDPOINT_URL_SSM/\\" -H 'Content-Type: application/x-amz-json-1.1' -H 'X-Amz-Target: AmazonSSM.PutParameter' --data-binary \\"$BODY\\""
    environment = { BODY = self.input }
  }
}
output "zone" { value = "z-\${var.nickname}" }
`,
  "types/slow/main.tf": `${VARIABLES}
resource "terraform_data" "slow" {
  input = var.config.seconds
  provisioner "local-exec" { command = "sleep \${self.input}" }
}
`,
  "types/script/deploy.mjs": `let input = "";
for await (const chunk of process.stdin) input += chunk;
const { config, nickname } = JSON.parse(input);
process.stderr.write("uploading " + nickname + "\\n");
process.stdout.write(JSON.stringify({ uploaded_to: config.net, files: 3 }));
`,
  "iac/dev/net/main/config.json": JSON.stringify({ cidr: "10.0.0.0/16" }),
  "iac/dev/app/web/config.json": JSON.stringify({ net_id: { $ref: "net/main#/id" } }),
  "iac/dev/slow/one/config.json": JSON.stringify({ seconds: 60 }),
  "iac/dev/zone/main/config.json": JSON.stringify({ domain: "dev.test" }),
  "iac/dev/script/upload/config.json": JSON.stringify({ net: { $ref: "net/main#/cidr" } }),
};

describe.skipIf(!binary)("karma plan/deploy/destroy/outputs with a real Terraform", () => {
  let dir: string;
  const all: CliRun[] = [];
  const karma = (...args: string[]): CliRun => {
    const run = runKarma(["-C", dir, ...args], { env: { KARMA_TERRAFORM: binary!.path } });
    all.push(run);
    return run;
  };
  const ok = (run: CliRun) => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    return run;
  };
  const runtime = (name: string) => {
    const run = karma("param", "history", `/iac/${name}/runtime`, "--json");
    return run.code === 0
      ? (JSON.parse(run.stdout).versions as Array<{ version: number; description?: string }>)
      : [];
  };

  beforeAll(() => {
    dir = tempDir("provision");
    writeFiles(dir, FILES);
    gitCommitAll(dir);
  });
  afterAll(() => {
    // the canary may live in Terraform's state, the module sources and the encrypted DB — nowhere else
    const leaks = filesContaining(dir, CANARY, (p) => /\/(types|state|work|\.git)(\/|$)|karma\.db/.test(p));
    expect(leaks).toEqual([]);
    for (const run of all) expect(run.stdout + run.stderr).not.toContain(CANARY);
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses config that is not published, with the command to publish it", () => {
    const run = karma("deploy", "net", "main", "--auto-approve");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("dev:net/main has no published config");
    expect(run.stderr).toContain("fix: publish it first: karma publish dev:net/main");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    ok(karma("publish"));
  });

  it("refuses to apply without a terminal unless --auto-approve", () => {
    const run = karma("deploy", "net", "main");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no terminal to confirm on \(nothing was changed\)/);
    expect(run.stderr).toContain("--auto-approve");
    expect(runtime("net/main")).toEqual([]);
  });

  it("waits for nobody: a deploy into a locked environment is refused, naming the holder", async () => {
    const session = openSession({ root: dir, source: "cli" });
    const handle = await (await session.lock("dev")).acquire("dev", {
      owner: "alice@ci",
      operation: "apply",
    });
    try {
      const run = karma("deploy", "net", "main", "--auto-approve");
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/environment "dev" is locked by alice@ci .*running "apply"/);
      expect(runtime("net/main")).toEqual([]);
    } finally {
      await handle.release();
      await session.close();
    }
  });

  it("plans (exit 2 with --check), deploys, and publishes a SecureString runtime for sensitive outputs", () => {
    expect(karma("plan", "net", "main", "--check").code).toBe(2);
    const plan = JSON.parse(ok(karma("plan", "net", "main", "--json")).stdout);
    expect(plan).toMatchObject({ component: "dev:net/main", hasChanges: true, counts: { create: 1 } });
    expect(plan.changes.create).toEqual(["terraform_data.net"]);

    const deployed = JSON.parse(ok(karma("deploy", "net", "main", "--auto-approve", "--json")).stdout);
    expect(deployed).toMatchObject({ applied: true, runtime: { kind: "written", version: 1, secure: true } });
    expect(deployed.sensitiveKeys).toEqual(["token"]);
    expect(existsSync(deployed.logFile)).toBe(true);

    const outputs = ok(karma("outputs", "net", "main")).stdout;
    expect(outputs).toMatch(/token\s+\(sensitive\)/);
    expect(outputs).toMatch(/id\s+net-main/);
    expect(ok(karma("param", "get", "/iac/net/main/runtime")).stdout).not.toContain("net-main");
    expect(karma("plan", "net", "main", "--check").code).toBe(0);
  });

  it("resolves $refs and records provenance; a redeploy without changes writes no new version", () => {
    ok(karma("deploy", "app", "web", "--auto-approve"));
    const [first] = runtime("app/web");
    const provenance = JSON.parse(first!.description!);
    expect(provenance).toMatchObject({
      by: "karma deploy",
      configVersion: 1,
      consumed: { "dev:net/main": 1 },
      tool: `${binary!.flavor} ${binary!.version}`,
      commit: git(dir, "rev-parse", "HEAD"),
    });
    expect(ok(karma("param", "get", "/iac/app/web/runtime")).stdout.trim()).toBe(
      '{"url":"http://web.local/net-main"}',
    );
    expect(ok(karma("deploy", "app", "web", "--auto-approve")).stdout).toContain("runtime unchanged (v1)");
    expect(runtime("app/web")).toHaveLength(1);
  });

  it("a failure midway leaves the runtime untouched, exits 1 with Terraform's error, and is recorded", async () => {
    writeFiles(dir, {
      "iac/dev/app/web/config.json": JSON.stringify({ net_id: { $ref: "net/main#/id" }, fail: true }),
    });
    ok(karma("publish"));
    const run = karma("deploy", "app", "web", "--auto-approve");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/apply of dev:app\/web failed/);
    expect(run.stderr).toMatch(/local-exec provisioner error/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const logPath = /log: (\S+)/.exec(run.stderr)?.[1];
    expect(logPath && existsSync(logPath)).toBe(true);
    expect(runtime("app/web")).toHaveLength(1);

    const audit = openAuditLog(readProjectSettings(dir));
    try {
      const [failed] = await audit.query({ component: "dev:app/web", action: "deploy", status: "failed" });
      expect(failed?.logPath && join(dir, failed.logPath)).toBe(logPath);
      expect(failed?.details).toMatchObject({ step: "apply", reason: "failed" });
    } finally {
      await audit.close();
    }
  });

  it("keeps a runtime the module published itself through the SSM endpoint", () => {
    const out = ok(karma("deploy", "zone", "main", "--auto-approve")).stdout;
    expect(out).toContain("was published by the module itself");
    // the module's version is kept; Karma adds one with the same value and its provenance, so
    // status can tell which config the runtime came from
    const history = runtime("zone/main");
    expect(
      history.map((h) =>
        h.description?.startsWith("{") ? JSON.parse(h.description).configVersion : h.description,
      ),
    ).toEqual(["written by the zone module", 1]);
    expect(history).toHaveLength(2);
    expect((history[1] as { value?: string }).value).toBe((history[0] as { value?: string }).value);
    expect((history[0] as { value?: string }).value).toContain("z-main");
    expect(JSON.parse(ok(karma("param", "get", "/iac/zone/main/runtime")).stdout)).toEqual({
      zone: "z-main",
      from: "module",
    });
  });

  it("deploys a command-runner component with its outputs as runtime", () => {
    ok(karma("deploy", "script", "upload", "--auto-approve"));
    expect(JSON.parse(ok(karma("param", "get", "/iac/script/upload/runtime")).stdout)).toEqual({
      files: 3,
      uploaded_to: "10.0.0.0/16",
    });
  });

  it("refuses to destroy what deployed components depend on, naming them; destroys in order", () => {
    const refused = karma("destroy", "net", "main");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /refusing to destroy dev:net\/main: 2 deployed component\(s\) depend on it/,
    );
    expect(refused.stderr).toContain("dev:app/web (ref at /net_id)");
    expect(refused.stderr).toContain("dev:script/upload (ref at /net)");
    expect(refused.stderr).toContain("karma destroy app web --env dev");
    expect(runtime("net/main")).toHaveLength(1);

    // the failed config is still published; destroy tears down what exists regardless
    ok(karma("destroy", "app", "web"));
    expect(runtime("app/web")).toEqual([]);
    ok(karma("destroy", "script", "upload"));
    const destroyed = ok(karma("destroy", "net", "main")).stdout;
    expect(destroyed).toContain("destroyed dev:net/main; runtime deleted");
    expect(runtime("net/main")).toEqual([]);
    expect(JSON.parse(ok(karma("outputs", "net", "main", "--json")).stdout).outputs).toEqual({});
  });
});

describe.skipIf(!binary)("Ctrl-C during karma deploy", () => {
  it("stops Terraform cleanly: exit 1, nothing published, the state lock released", async () => {
    const dir = writeFiles(tempDir("interrupt"), FILES);
    const env = { ...process.env, NO_COLOR: "1", KARMA_TERRAFORM: binary!.path };
    expect(runKarma(["-C", dir, "publish"], { env }).code).toBe(0);

    const child = spawn(process.execPath, [KARMA_BIN, "-C", dir, "deploy", "slow", "one", "--auto-approve"], {
      env,
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    // wait until Terraform is inside the slow provisioner, then press Ctrl-C
    const logs = join(dir, ".karma", "logs", "dev", "slow", "one");
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      if (filesContaining(existsSync(logs) ? logs : dir, "sleep 60").some((f) => f.endsWith("deploy.log")))
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // a deploy that ignored Ctrl-C would sit in `sleep 60` past the test's timeout
    child.kill("SIGINT");
    const code = await exited;
    expect(code).toBe(1);
    expect(stderr).toContain("interrupted; stopping the run cleanly");
    expect(stderr).toMatch(/apply of dev:slow\/one was interrupted/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(runKarma(["-C", dir, "param", "get", "/iac/slow/one/runtime"], { env }).code).toBe(1);
    // lockTimeout is 0s: this plan fails at once if the interrupted run left its lock behind
    const plan = runKarma(["-C", dir, "plan", "slow", "one"], { env });
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: "" });
    rmSync(dir, { recursive: true, force: true });
  });
});
