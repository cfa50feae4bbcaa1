/**
 * The Runner contract: what every runner (Terraform/OpenTofu, the command runner, the next one)
 * must do for the deploy pipeline, run unchanged over each implementation. A fixture provides a
 * runner and the source of one "thing" that every implementation deploys the same way:
 *
 *   config `{ name, fail?, slow? }` → outputs `{ name, where: "<env>/<nickname>", password }`,
 *   `password` sensitive (`<SECRET>-<name>`); `fail` makes the run fail with "disk on fire" on
 *   stderr; `slow` makes it take a minute (so that aborting and timeouts can be seen).
 *
 * Runs real tools in a temporary directory; nothing is mocked.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../core/estate/model.js";
import {
  type RunJob,
  type Runner,
  RunnerFailedError,
  type RunProgress,
  type RunSource,
} from "../../ports/runner.js";

/** The sensitive output's value starts with this; it must never reach a log or a progress line. */
export const RUNNER_CONTRACT_SECRET = "canary-runner-contract-5e1f";

export interface RunnerFixture {
  /** Sets up the thing's source (a module, a script) under `dir` and returns the runner. */
  create(dir: string): Promise<{ runner: Runner; source: RunSource }>;
  /** True for the progress line that shows a `slow` run has reached its long wait. */
  slowStarted(progress: RunProgress): boolean;
  /** Whether a plan can say before applying that nothing would change (Terraform can; a command cannot). */
  plansNoChanges: boolean;
}

export function runnerContract(name: string, fixture: RunnerFixture | undefined): void {
  describe.skipIf(fixture === undefined)(`Runner contract: ${name}`, () => {
    let dir: string;
    let runner: Runner;
    let source: RunSource;
    let seq = 0;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "karma-runner-contract-"));
      ({ runner, source } = await fixture!.create(dir));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const job = (config: JsonObject, extra: Partial<RunJob> = {}): RunJob => {
      const nickname = `n${++seq}`;
      return {
        component: { env: "dev", type: "thing", nickname },
        source,
        workDir: join(dir, "work", nickname),
        inputs: { config, component_name: "thing", nickname, environment: "dev", iac_prefix: "/iac" },
        logFile: join(dir, "logs", `${nickname}.log`),
        ...extra,
      };
    };

    it("applies with the five inputs and returns the outputs, sensitive keys listed; outputs() reads them again", async () => {
      const j = job({ name: "one" });
      const applied = await runner.apply(j);
      expect(applied.component).toEqual(j.component);
      expect(applied.outputs.values).toEqual({
        name: "one",
        where: `dev/${j.inputs.nickname}`,
        password: `${RUNNER_CONTRACT_SECRET}-one`,
      });
      expect(applied.outputs.sensitiveKeys).toEqual(["password"]);
      expect(applied.tool.name).toBe(runner.tool.name);
      expect(existsSync(applied.logFile)).toBe(true);
      expect(await runner.outputs(j)).toEqual(applied.outputs);
    });

    it("plans, then applies exactly that plan; the plan carries the tool and the inputs' digest", async () => {
      const j = job({ name: "two" });
      const plan = await runner.plan(j);
      expect(plan.component).toEqual(j.component);
      expect(plan.destroy).toBe(false);
      expect(plan.summary.hasChanges).toBe(true);
      expect(plan.tool.name).toBe(runner.tool.name);
      expect(plan.inputsDigest).toMatch(/\S/);
      const applied = await runner.apply(j, plan);
      expect(applied.outputs.values.name).toBe("two");
      const again = await runner.plan(j);
      expect(again.inputsDigest).toBe(plan.inputsDigest);
      if (fixture!.plansNoChanges) expect(again.summary.hasChanges).toBe(false);
    });

    it("never writes a sensitive value or a job secret to the log or a progress line", async () => {
      const progress: RunProgress[] = [];
      const j = job(
        { name: "three" },
        { secrets: [`${RUNNER_CONTRACT_SECRET}-three`], onProgress: (p) => progress.push(p) },
      );
      await runner.apply(j);
      expect(readFileSync(j.logFile, "utf8")).not.toContain(RUNNER_CONTRACT_SECRET);
      expect(JSON.stringify(progress)).not.toContain(RUNNER_CONTRACT_SECRET);
      for (const p of progress) expect(p.component).toEqual(j.component);
    });

    it("a failing run is a RunnerFailedError with the tool's own message and the log's path", async () => {
      const j = job({ name: "four", fail: true });
      const error = await runner.apply(j).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunnerFailedError);
      const failure = error as RunnerFailedError;
      expect(failure.reason).toBe("failed");
      expect(failure.component).toEqual(j.component);
      expect(failure.toolMessage).toContain("disk on fire");
      expect(failure.logFile).toBe(j.logFile);
      expect(readFileSync(j.logFile, "utf8")).toContain("disk on fire");
    });

    it("an aborted run stops and fails as aborted", async () => {
      const controller = new AbortController();
      const j = job(
        { name: "five", slow: true },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (fixture!.slowStarted(p)) controller.abort();
          },
        },
      );
      // a runner that ignored the abort would sit in the minute-long wait past the test's timeout
      const error = await runner.apply(j).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunnerFailedError);
      expect((error as RunnerFailedError).reason).toBe("aborted");
    });

    it("a run past its timeout is stopped and fails as timed out", async () => {
      const j = job({ name: "six", slow: true }, { timeoutMs: 1_000 });
      const error = await runner.apply(j).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunnerFailedError);
      expect((error as RunnerFailedError).reason).toBe("timeout");
    });

    it("destroys what it applied; afterwards there are no outputs", async () => {
      const j = job({ name: "seven" });
      await runner.apply(j);
      const destroyed = await runner.destroy(j);
      expect(destroyed.component).toEqual(j.component);
      expect(destroyed.tool.name).toBe(runner.tool.name);
      expect((await runner.outputs(j)).values).toEqual({});
    });

    it("remembers the last run's inputs, or says it keeps none", async () => {
      const j = job({ name: "eight" });
      await runner.apply(j);
      const remembered = runner.lastInputs(j.workDir);
      if (remembered !== undefined) expect(remembered).toEqual(j.inputs);
    });
  });
}
