/**
 * The Terraform/OpenTofu runner. One component per call, in its own work dir:
 *   init → plan -detailed-exitcode -out → show -json (summary) → apply <that plan> → output -json.
 * Every step runs non-interactively (`-input=false`, `TF_IN_AUTOMATION`, `CHECKPOINT_DISABLE`),
 * waits for a busy state lock (`-lock-timeout`), streams the machine-readable log into the run
 * log and `@message`s as progress. A failure throws `RunnerFailedError` with Terraform's own
 * diagnostics; an abort interrupts Terraform once (SIGINT), so it stops at a safe point and
 * releases the state lock, and only escalates if it does not exit within the grace period.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ComponentAddress } from "../../../core/estate/model.js";
import { slotFolder } from "../../../core/estate/paths.js";
import type {
  ApplyResult,
  DestroyResult,
  PlanResult,
  PlanSummary,
  RunInputs,
  RunJob,
  Runner,
  RunnerTool,
  RunOutputs,
  RunStep,
} from "../../../ports/runner.js";
import { RunnerFailedError } from "../../../ports/runner.js";
import { restrictToOwner } from "../../fs/private-files.js";
import { ChildStartError, runChild } from "../child-process.js";
import { inputsDigest } from "../inputs.js";
import { stepProgress } from "../progress.js";
import { type RunLog, stringLeaves, withRunLog } from "../run-log.js";
import type { TerraformBinary } from "./binary.js";
import { formatDiagnostic, isProgress, parseMachineLogLine } from "./machine-log.js";
import { summarisePlan } from "./plan-summary.js";
import {
  type PreparedWorkDir,
  prepareWorkDir,
  type TerraformStateSettings,
  TFVARS_FILE,
  valueFiles,
  workDirPaths,
} from "./workdir.js";

export interface TerraformRunnerOptions {
  binary: TerraformBinary;
  state: TerraformStateSettings;
  /** How long to wait for a state lock held by someone else. Default "60s". */
  lockTimeout?: string;
  /** After an interrupt, how long Terraform gets before SIGTERM (and as long again before SIGKILL). Default 30 s. */
  graceMs?: number;
  /** How often a running step reports "still running". Default 30 s (HEARTBEAT_MS). */
  heartbeatMs?: number;
}

/** Show JSON can be large for big modules; it never goes to the log (it carries sensitive values). */
const SHOW_JSON_LIMIT = 512 * 1024 * 1024;

export class TerraformRunner implements Runner {
  readonly tool: RunnerTool;

  constructor(private readonly options: TerraformRunnerOptions) {
    this.tool = { name: options.binary.flavor, version: options.binary.version };
  }

  async plan(job: RunJob, options: { destroy?: boolean } = {}): Promise<PlanResult> {
    return withRunLog(job, async (log) => {
      const prepared = await this.prepareAndInit(job, log);
      return this.planIn(job, log, prepared, options.destroy === true);
    });
  }

  async apply(job: RunJob, plan?: PlanResult): Promise<ApplyResult> {
    return withRunLog(job, async (log) => {
      let prepared: Pick<PreparedWorkDir, "rootDir" | "dataDir" | "planFile">;
      if (plan) {
        this.checkPlanMatches(job, plan, log);
        prepared = workDirPaths(job.workDir);
      } else {
        const p = await this.prepareAndInit(job, log);
        plan = await this.planIn(job, log, p, false);
        prepared = p;
      }
      if (plan.summary.hasChanges) {
        await this.step(
          job,
          log,
          "apply",
          ["apply", "-input=false", this.lockArg(), "-json", prepared.planFile],
          {
            cwd: prepared.rootDir,
            dataDir: prepared.dataDir,
          },
        );
      } else {
        log.note("plan has no changes; nothing to apply");
      }
      rmSync(prepared.planFile, { force: true });
      const outputs = await this.readOutputs(job, log, prepared);
      return { component: job.component, outputs, summary: plan.summary, tool: this.tool, logFile: log.path };
    });
  }

  async destroy(job: RunJob): Promise<DestroyResult> {
    return withRunLog(job, async (log) => {
      const prepared = await this.prepareAndInit(job, log);
      rmSync(prepared.planFile, { force: true });
      await this.step(
        job,
        log,
        "destroy",
        ["apply", "-destroy", "-auto-approve", "-input=false", this.lockArg(), "-json"],
        { cwd: prepared.rootDir, dataDir: prepared.dataDir },
      );
      return { component: job.component, tool: this.tool, logFile: log.path };
    });
  }

  async outputs(job: RunJob): Promise<RunOutputs> {
    return withRunLog(job, async (log) => {
      const paths = workDirPaths(job.workDir);
      const prepared = existsSync(paths.rootDir) ? paths : await this.prepareAndInit(job, log);
      return this.readOutputs(job, log, prepared);
    });
  }

  /** The tfvars file Karma wrote for the last run. */
  lastInputs(workDir: string): RunInputs | undefined {
    try {
      return JSON.parse(readFileSync(join(workDirPaths(workDir).rootDir, TFVARS_FILE), "utf8")) as RunInputs;
    } catch {
      return undefined;
    }
  }

  // ── steps ────────────────────────────────────────────────────────────────────────────────

  private async prepareAndInit(job: RunJob, log: RunLog): Promise<PreparedWorkDir> {
    const moduleDir = job.source.kind === "module" ? job.source.dir : undefined;
    if (moduleDir === undefined) {
      throw new RunnerFailedError(
        job.component,
        "prepare",
        "failed",
        `the Terraform runner needs a module, but the job has a ${job.source.kind}`,
        log.path,
      );
    }
    log.note(`prepare ${job.workDir} from ${moduleDir}`);
    const prepared = prepareWorkDir(
      job.workDir,
      moduleDir,
      { ...job.component, nickname: slotFolder(job.component.nickname, job.slot) },
      job.inputs,
      this.options.state,
    );
    await this.step(
      job,
      log,
      "init",
      ["init", "-input=false", "-reconfigure", "-no-color", ...prepared.backendArgs],
      {
        cwd: prepared.rootDir,
        dataDir: prepared.dataDir,
      },
    );
    return prepared;
  }

  private async planIn(
    job: RunJob,
    log: RunLog,
    prepared: Pick<PreparedWorkDir, "rootDir" | "dataDir" | "planFile">,
    destroy: boolean,
  ): Promise<PlanResult> {
    rmSync(prepared.planFile, { force: true });
    const args = [
      "plan",
      "-input=false",
      this.lockArg(),
      "-detailed-exitcode",
      "-json",
      `-out=${prepared.planFile}`,
      ...(destroy ? ["-destroy"] : []),
    ];
    const exitCode = await this.step(job, log, "plan", args, {
      cwd: prepared.rootDir,
      dataDir: prepared.dataDir,
      okExitCodes: [0, 2],
    });
    const show = await this.step(job, log, "show", ["show", "-json", "-no-color", prepared.planFile], {
      cwd: prepared.rootDir,
      dataDir: prepared.dataDir,
      captureStdout: true,
    });
    let summary: PlanSummary;
    try {
      summary = summarisePlan(JSON.parse(show.stdout));
    } catch (error) {
      throw new RunnerFailedError(
        job.component,
        "show",
        "bad-output",
        "`show -json` did not print JSON",
        log.path,
        {
          cause: error,
        },
      );
    }
    // -detailed-exitcode is authoritative for "anything to do"; the summary says what.
    summary = { ...summary, hasChanges: exitCode.code === 2 };
    log.note(
      `plan summary: ${JSON.stringify(summary.counts)} outputs changing: ${summary.outputChanges.join(",") || "none"}`,
    );
    return {
      component: job.component,
      destroy,
      summary,
      planFile: prepared.planFile,
      inputsDigest: inputsDigest(job.inputs),
      tool: this.tool,
      logFile: log.path,
    };
  }

  private checkPlanMatches(job: RunJob, plan: PlanResult, log: RunLog): void {
    const same = (a: ComponentAddress, b: ComponentAddress) =>
      a.env === b.env && a.type === b.type && a.nickname === b.nickname;
    const problem = !same(plan.component, job.component)
      ? "the plan was made for another component"
      : plan.inputsDigest !== inputsDigest(job.inputs)
        ? "the inputs changed since the plan was made"
        : plan.planFile === undefined || !existsSync(plan.planFile)
          ? "the saved plan file is gone (already applied, or the work dir was cleaned)"
          : undefined;
    if (problem) {
      throw new RunnerFailedError(job.component, "apply", "stale-plan", problem, log.path, {
        fix: "plan again and apply the new plan",
      });
    }
  }

  private async readOutputs(
    job: RunJob,
    log: RunLog,
    prepared: Pick<PreparedWorkDir, "rootDir" | "dataDir">,
  ): Promise<RunOutputs> {
    const result = await this.step(job, log, "outputs", ["output", "-json", "-no-color"], {
      cwd: prepared.rootDir,
      dataDir: prepared.dataDir,
      captureStdout: true,
    });
    let parsed: Record<string, { sensitive?: boolean; value?: unknown }>;
    try {
      parsed = JSON.parse(result.stdout || "{}");
    } catch (error) {
      throw new RunnerFailedError(
        job.component,
        "outputs",
        "bad-output",
        "`output -json` did not print JSON",
        log.path,
        {
          cause: error,
        },
      );
    }
    const values: RunOutputs["values"] = {};
    const sensitiveKeys: string[] = [];
    for (const name of Object.keys(parsed).sort()) {
      const output = parsed[name];
      values[name] = (output?.value ?? null) as RunOutputs["values"][string];
      if (output?.sensitive) sensitiveKeys.push(name);
    }
    // Sensitive values are only known now; take them out of everything already logged.
    log.scrub(sensitiveKeys.flatMap((k) => stringLeaves(values[k])));
    log.note(
      `outputs: ${Object.keys(values).join(", ") || "(none)"}; sensitive: ${sensitiveKeys.join(", ") || "(none)"}`,
    );
    return { values, sensitiveKeys };
  }

  private lockArg(): string {
    return `-lock-timeout=${this.options.lockTimeout ?? "60s"}`;
  }

  /** Runs one Terraform command; throws `RunnerFailedError` unless it exits with an accepted code. */
  private async step(
    job: RunJob,
    log: RunLog,
    step: RunStep,
    args: string[],
    options: { cwd: string; dataDir: string; okExitCodes?: number[]; captureStdout?: boolean },
  ): Promise<{ code: number; stdout: string }> {
    const diagnostics: string[] = [];
    const textLines: string[] = [];
    const stepLines = stepProgress(job, step, this.options.heartbeatMs);
    const progress = (message: string) => stepLines.line(log.redact(message));
    log.note(`${this.options.binary.path} ${args.join(" ")}`);
    const onLine = (line: string) => {
      const parsed = parseMachineLogLine(line);
      if (!parsed) {
        if (line.trim() !== "") textLines.push(line);
        log.line(line);
        return;
      }
      log.line(line);
      if (parsed.diagnostic && parsed.diagnostic.severity !== "warning")
        diagnostics.push(formatDiagnostic(parsed.diagnostic));
      if (isProgress(parsed) && parsed.message) progress(parsed.message);
    };
    let result: Awaited<ReturnType<typeof runChild>>;
    try {
      result = await runChild({
        argv: [this.options.binary.path, ...args],
        cwd: options.cwd,
        env: this.childEnv(job, options.dataDir),
        interruptSignal: "SIGINT",
        graceMs: this.options.graceMs ?? 30_000,
        ...(job.signal ? { signal: job.signal } : {}),
        ...(job.timeoutMs !== undefined ? { timeoutMs: job.timeoutMs } : {}),
        ...(stepLines.heartbeat ? { heartbeat: stepLines.heartbeat } : {}),
        // show/output print values (sensitive ones too): captured, never logged line by line
        ...(options.captureStdout ? { captureStdoutBytes: SHOW_JSON_LIMIT } : { onStdoutLine: onLine }),
        onStderrLine: (line) => {
          if (line.trim() !== "") textLines.push(line);
          log.line(line);
        },
      });
    } catch (error) {
      if (error instanceof ChildStartError) {
        throw new RunnerFailedError(job.component, step, "failed", error.message, log.path, {
          fix: "check the Terraform/OpenTofu binary (KARMA_TERRAFORM or karma.json terraform.binary)",
          cause: error,
        });
      }
      throw error;
    } finally {
      // whatever the step wrote, failed or not, is for the owner only
      restrictToOwner(
        valueFiles(
          job.workDir,
          { ...job.component, nickname: slotFolder(job.component.nickname, job.slot) },
          this.options.state,
        ),
      );
    }
    const code = result.exitCode ?? -1;
    log.note(`${step} exited ${result.exitCode ?? `by signal ${result.signal}`}`);
    if (result.aborted || result.timedOut) {
      throw new RunnerFailedError(
        job.component,
        step,
        result.aborted ? "aborted" : "timeout",
        result.timedOut
          ? `no result within ${job.timeoutMs} ms; Terraform was interrupted`
          : "interrupted; Terraform was stopped",
        log.path,
        { exitCode: result.exitCode, fix: "run it again; Terraform released its state lock when it stopped" },
      );
    }
    if (!(options.okExitCodes ?? [0]).includes(code)) {
      const message = diagnostics.length ? diagnostics.join("\n\n") : textLines.slice(-20).join("\n");
      throw new RunnerFailedError(job.component, step, "failed", log.redact(message), log.path, {
        exitCode: result.exitCode,
      });
    }
    return { code, stdout: result.stdout };
  }

  private childEnv(job: RunJob, dataDir: string): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...job.env,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      TF_DATA_DIR: dataDir,
    };
  }
}
