import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../../core/estate/model.js";
import { type RunJob, RunnerFailedError, type RunProgress } from "../../../ports/runner.js";
import type { TerraformBinary } from "./binary.js";
import { terraformForTests } from "./binary-for-tests.js";
import { TerraformRunner } from "./runner.js";

const binary: TerraformBinary | undefined = await terraformForTests();
const CANARY = "canary-7f3a9c1e-never-print-me";

const MODULE = `
variable "config" { type = any }
variable "nickname" { type = string }
variable "environment" { type = string }

resource "terraform_data" "marker" {
  input = var.config.name
  provisioner "local-exec" {
    command = "echo created $NAME > $DIR/marker.txt"
    environment = { NAME = self.input, DIR = var.config.dir }
  }
}

resource "terraform_data" "fragile" {
  count = try(var.config.fail, false) ? 1 : 0
  depends_on = [terraform_data.marker]
  provisioner "local-exec" {
    command = "echo 'disk on fire' >&2; exit 1"
  }
}

resource "terraform_data" "slow" {
  count = try(var.config.slow, false) ? 1 : 0
  provisioner "local-exec" { command = "sleep 60" }
}

output "name" { value = terraform_data.marker.output }
output "where" { value = "\${var.environment}/\${var.nickname}" }
output "password" {
  value     = "${CANARY}-\${var.config.name}"
  sensitive = true
}
`;

describe.skipIf(!binary)("TerraformRunner against a real binary", () => {
  let dir: string;
  let moduleDir: string;
  let runner: TerraformRunner;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "karma-tf-"));
    moduleDir = join(dir, "types", "thing");
    mkdirSync(moduleDir, { recursive: true });
    writeFileSync(join(moduleDir, "main.tf"), MODULE);
    mkdirSync(join(dir, "infra"));
    runner = new TerraformRunner({
      binary: binary!,
      state: { kind: "local", root: join(dir, ".karma", "state") },
      graceMs: 5_000,
    });
  });
  afterAll(() => {
    if (!process.env.KEEP_TEST_DIR) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  });

  const job = (nickname: string, config: JsonObject, extra: Partial<RunJob> = {}): RunJob => ({
    component: { env: "dev", type: "thing", nickname },
    source: { kind: "module", dir: moduleDir },
    workDir: join(dir, ".karma", "work", "dev", "thing", nickname),
    inputs: {
      config: { dir: join(dir, "infra"), ...config },
      component_name: "thing",
      nickname,
      environment: "dev",
      iac_prefix: "/iac",
    },
    logFile: join(dir, ".karma", "logs", `${nickname}-${Date.now()}.log`),
    ...extra,
  });

  it("plans, applies, re-plans with no changes, changes, and destroys", async () => {
    const progress: RunProgress[] = [];
    const first = job("alpha", { name: "one" }, { onProgress: (p) => progress.push(p) });

    const plan = await runner.plan(first);
    expect(plan.summary.hasChanges).toBe(true);
    expect(plan.summary.changes.create).toEqual(["terraform_data.marker"]);
    expect(plan.summary.counts).toMatchObject({ create: 1, update: 0, replace: 0, delete: 0 });
    expect(plan.summary.outputChanges).toEqual(["name", "password", "where"]);
    expect(plan.tool).toEqual({ name: binary!.flavor, version: binary!.version });

    const applied = await runner.apply(first, plan);
    expect(applied.outputs.values).toEqual({ name: "one", password: `${CANARY}-one`, where: "dev/alpha" });
    expect(applied.outputs.sensitiveKeys).toEqual(["password"]);
    expect(readFileSync(join(dir, "infra", "marker.txt"), "utf8")).toBe("created one\n");
    expect(existsSync(join(dir, ".karma", "state", "dev", "thing", "alpha", "terraform.tfstate"))).toBe(true);
    expect(progress.some((p) => p.step === "apply" && /Creat/.test(p.message))).toBe(true);

    // the canary is in the outputs (the caller stores it as a SecureString) but nowhere we print or log
    expect(readFileSync(first.logFile, "utf8")).not.toContain(CANARY);
    expect(JSON.stringify(progress)).not.toContain(CANARY);

    const again = await runner.plan(job("alpha", { name: "one" }));
    expect(again.summary.hasChanges).toBe(false);
    expect(again.summary.counts.noop).toBe(1);

    const changed = job("alpha", { name: "two" });
    const changedPlan = await runner.plan(changed);
    expect(changedPlan.summary.changes.update).toEqual(["terraform_data.marker"]);
    const reapplied = await runner.apply(changed, changedPlan);
    expect(reapplied.outputs.values.name).toBe("two");
    expect(await runner.outputs(changed)).toEqual(reapplied.outputs);

    const destroyPlan = await runner.plan(changed, { destroy: true });
    expect(destroyPlan.summary.changes.delete).toEqual(["terraform_data.marker"]);
    await runner.destroy(changed);
    expect((await runner.outputs(changed)).values).toEqual({});
  });

  it("refuses to apply a plan made from other inputs", async () => {
    const plan = await runner.plan(job("beta", { name: "b1" }));
    const error = await runner.apply(job("beta", { name: "b2" }), plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerFailedError);
    expect((error as RunnerFailedError).reason).toBe("stale-plan");
    expect((error as RunnerFailedError).fix).toMatch(/plan again/);
  });

  it("a failure midway throws Terraform's error with the log path, after the earlier resource was created", async () => {
    const failing = job("gamma", { name: "g", fail: true });
    const error = await runner.apply(failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerFailedError);
    const failure = error as RunnerFailedError;
    expect(failure.step).toBe("apply");
    expect(failure.reason).toBe("failed");
    expect(failure.toolMessage).toMatch(/local-exec provisioner error/);
    expect(failure.toolMessage).toMatch(/exit status 1/);
    expect(failure.logFile).toBe(failing.logFile);
    expect(failure.message).toContain(`log: ${failing.logFile}`);
    const log = readFileSync(failing.logFile, "utf8");
    expect(log).toContain("disk on fire");
    expect(log).not.toContain(CANARY);
    // the resource before the failure exists: Terraform recorded partial progress in its state
    expect(readFileSync(join(dir, "infra", "marker.txt"), "utf8")).toBe("created g\n");
  });

  it("reports invalid configuration with the file and line", async () => {
    const error = await runner.plan(job("delta", {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerFailedError);
    expect((error as RunnerFailedError).step).toBe("plan");
    expect((error as RunnerFailedError).toolMessage).toMatch(/Unsupported attribute \(main\.tf line \d+\)/);
  });

  it("an abort interrupts Terraform, which stops and releases the state lock", async () => {
    const controller = new AbortController();
    const slow = job(
      "epsilon",
      { name: "e", slow: true },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step === "apply" && /Provisioning with 'local-exec'/.test(p.message)) controller.abort();
        },
      },
    );
    // a run that ignored the abort would sit in `sleep 60` past the test's timeout
    const error = await runner.apply(slow).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerFailedError);
    expect((error as RunnerFailedError).reason).toBe("aborted");
    // no lock left behind: a plan that may not wait for a lock still runs
    const quick = new TerraformRunner({
      binary: binary!,
      state: { kind: "local", root: join(dir, ".karma", "state") },
      lockTimeout: "0s",
    });
    const plan = await quick.plan(job("epsilon", { name: "e" }));
    expect(plan.summary.hasChanges).toBe(true);
  });
});
