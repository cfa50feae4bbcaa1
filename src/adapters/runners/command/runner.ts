/**
 * The command runner: components deployed by a script (code uploads, site publishing, anything
 * that is not Terraform). The type declares an argv, run without a shell. The program gets the
 * same inputs a Terraform module gets — as JSON on stdin and as `KARMA_*` environment variables —
 * and prints ONE JSON object of outputs on stdout. stderr goes to the run log (and progress).
 *
 * Outputs named in a top-level `"$sensitive": ["key", …]` array are sensitive (the runtime becomes
 * a SecureString); the `$sensitive` entry itself is not an output.
 *
 * A command cannot say what it would change, so `plan` compares the inputs with those of the last
 * successful run (kept in the work dir): identical inputs plan as no change. A timeout stops the
 * whole process tree (SIGTERM, then SIGKILL) and fails the run; output that is not a JSON object
 * fails it too, so a broken script can never produce a partial runtime.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";
import type { JsonObject } from "../../../core/estate/model.js";
import {
  type ApplyResult,
  type DestroyResult,
  type PlanResult,
  type PlanSummary,
  type RunInputs,
  type RunJob,
  type Runner,
  RunnerFailedError,
  type RunnerTool,
  type RunOutputs,
  type RunSource,
  type RunStep,
} from "../../../ports/runner.js";
import { makePrivateDir } from "../../fs/private-files.js";
import { ChildStartError, runChild } from "../child-process.js";
import { componentLabel, inputsDigest } from "../inputs.js";
import { stepProgress } from "../progress.js";
import { type RunLog, stringLeaves, withRunLog } from "../run-log.js";

export interface CommandRunnerOptions {
  /** Used when the job has no `timeoutMs`. Default 30 minutes. */
  defaultTimeoutMs?: number;
  /** After SIGTERM, how long the program gets before SIGKILL. Default 5 s. */
  graceMs?: number;
  /** How often a running program is reported as "still running". Default 30 s (HEARTBEAT_MS). */
  heartbeatMs?: number;
}

/** The largest stdout accepted; a runtime parameter holds at most 8 KB anyway. */
const STDOUT_LIMIT = 1024 * 1024;
const SENSITIVE_KEY = "$sensitive";
const LAST_RUN_FILE = "last-run.json";

interface LastRun {
  inputsDigest: string;
  outputs: RunOutputs;
}

type CommandSource = Extract<RunSource, { kind: "command" }>;

export class CommandRunner implements Runner {
  readonly tool: RunnerTool = { name: "command", version: "1" };

  constructor(private readonly options: CommandRunnerOptions = {}) {}

  async plan(job: RunJob, options: { destroy?: boolean } = {}): Promise<PlanResult> {
    const source = this.sourceOf(job);
    const last = readLastRun(job.workDir);
    const address = `command:${basename(source.argv[0] ?? "")}`;
    const digest = inputsDigest(job.inputs);
    const summary = emptySummary();
    if (options.destroy) {
      if (last) summary.changes.delete.push(address);
    } else if (!last) {
      summary.changes.create.push(address);
    } else if (last.inputsDigest !== digest) {
      summary.changes.update.push(address);
    } else {
      summary.changes.noop.push(address);
    }
    finishSummary(summary);
    return {
      component: job.component,
      destroy: options.destroy === true,
      summary,
      inputsDigest: digest,
      tool: this.toolFor(source),
      logFile: job.logFile,
    };
  }

  async apply(job: RunJob, plan?: PlanResult): Promise<ApplyResult> {
    const source = this.sourceOf(job);
    return withRunLog(job, async (log) => {
      if (plan && plan.inputsDigest !== inputsDigest(job.inputs)) {
        throw new RunnerFailedError(
          job.component,
          "apply",
          "stale-plan",
          "the inputs changed since the plan was made",
          log.path,
          {
            fix: "plan again and apply the new plan",
          },
        );
      }
      const stdout = await this.run(job, log, source.argv, source.cwd, "apply");
      const outputs = parseOutputs(job, log, stdout, source.argv);
      log.scrub(outputs.sensitiveKeys.flatMap((k) => stringLeaves(outputs.values[k])));
      log.note(
        `outputs: ${Object.keys(outputs.values).join(", ") || "(none)"}; sensitive: ${outputs.sensitiveKeys.join(", ") || "(none)"}`,
      );
      writeLastRun(job.workDir, { inputsDigest: inputsDigest(job.inputs), outputs });
      const summary = plan?.summary ?? (await this.plan(job)).summary;
      return { component: job.component, outputs, summary, tool: this.toolFor(source), logFile: log.path };
    });
  }

  async destroy(job: RunJob): Promise<DestroyResult> {
    const source = this.sourceOf(job);
    return withRunLog(job, async (log) => {
      let note: string | undefined;
      if (source.destroyArgv && source.destroyArgv.length > 0) {
        // What a destroy command prints is not a runtime; it is only logged.
        const stdout = await this.run(job, log, source.destroyArgv, source.cwd, "destroy");
        for (const line of stdout.split("\n")) if (line) log.line(line);
      } else {
        note =
          "the type declares no destroy command: nothing was run, only Karma's record of the deployment is removed";
        log.note(note);
      }
      rmSync(join(job.workDir, LAST_RUN_FILE), { force: true });
      return {
        component: job.component,
        tool: this.toolFor(source),
        logFile: log.path,
        ...(note ? { note } : {}),
      };
    });
  }

  async outputs(job: RunJob): Promise<RunOutputs> {
    return readLastRun(job.workDir)?.outputs ?? { values: {}, sensitiveKeys: [] };
  }

  /** The command runner keeps only a digest of its inputs, so it cannot replay them. */
  lastInputs(): RunInputs | undefined {
    return undefined;
  }

  private sourceOf(job: RunJob): CommandSource {
    if (job.source.kind !== "command" || job.source.argv.length === 0) {
      throw new RunnerFailedError(
        job.component,
        "prepare",
        "failed",
        `the command runner needs a command (argv), but the job has ${job.source.kind === "command" ? "an empty argv" : `a ${job.source.kind}`}`,
        job.logFile,
        { fix: `declare "command": ["program", "arg", …] for type "${job.component.type}" in karma.json` },
      );
    }
    return job.source;
  }

  private toolFor(source: CommandSource): RunnerTool {
    return { name: "command", version: basename(source.argv[0] ?? "") };
  }

  /** Runs the program; returns its stdout or throws a `RunnerFailedError`. */
  private async run(
    job: RunJob,
    log: RunLog,
    argv: readonly string[],
    cwd: string,
    action: "apply" | "destroy",
  ): Promise<string> {
    const step: RunStep = "command";
    const program = resolveProgram(argv[0] ?? "", cwd);
    const timeoutMs = job.timeoutMs ?? this.options.defaultTimeoutMs ?? 30 * 60_000;
    log.note(`${action}: ${[program, ...argv.slice(1)].join(" ")} (cwd ${cwd}, timeout ${timeoutMs} ms)`);
    makePrivateDir(job.workDir);
    const progress = stepProgress(job, step, this.options.heartbeatMs);
    let result: Awaited<ReturnType<typeof runChild>>;
    try {
      result = await runChild({
        argv: [program, ...argv.slice(1)],
        cwd,
        env: childEnv(job, action),
        stdin: `${JSON.stringify(job.inputs)}\n`,
        timeoutMs,
        interruptSignal: "SIGTERM",
        graceMs: this.options.graceMs ?? 5_000,
        captureStdoutBytes: STDOUT_LIMIT,
        ...(job.signal ? { signal: job.signal } : {}),
        ...(progress.heartbeat ? { heartbeat: progress.heartbeat } : {}),
        onStderrLine: (line) => {
          log.line(line);
          if (line.trim()) progress.line(log.redact(line));
        },
      });
    } catch (error) {
      if (error instanceof ChildStartError) {
        throw new RunnerFailedError(job.component, step, "failed", error.message, log.path, {
          fix: `check "command" of type "${job.component.type}" in karma.json: ${program} must exist and be executable`,
          cause: error,
        });
      }
      throw error;
    }
    log.note(`command exited ${result.exitCode ?? `by signal ${result.signal}`}`);
    const stderr = log.redact(result.stderrTail.slice(-20).join("\n"));
    if (result.timedOut) {
      throw new RunnerFailedError(
        job.component,
        step,
        "timeout",
        `${basename(program)} did not finish within ${timeoutMs} ms and was stopped${stderr ? `\n${stderr}` : ""}`,
        log.path,
        { exitCode: result.exitCode, fix: "make the command faster or give the type a longer timeout" },
      );
    }
    if (result.aborted) {
      throw new RunnerFailedError(
        job.component,
        step,
        "aborted",
        `${basename(program)} was stopped`,
        log.path,
        {
          exitCode: result.exitCode,
        },
      );
    }
    if (result.exitCode !== 0) {
      throw new RunnerFailedError(
        job.component,
        step,
        "failed",
        `${basename(program)} exited ${result.exitCode ?? `by signal ${result.signal}`}${stderr ? `:\n${stderr}` : ""}`,
        log.path,
        { exitCode: result.exitCode },
      );
    }
    if (result.stdoutOverflow) {
      throw new RunnerFailedError(
        job.component,
        step,
        "bad-output",
        `${basename(program)} printed more than ${STDOUT_LIMIT} bytes on stdout`,
        log.path,
        { fix: "print only the JSON object of outputs on stdout; send logs to stderr" },
      );
    }
    return result.stdout;
  }
}

function parseOutputs(job: RunJob, log: RunLog, stdout: string, argv: readonly string[]): RunOutputs {
  const program = basename(argv[0] ?? "");
  const bad = (what: string) => {
    const head = log.redact(stdout.trim().slice(0, 200));
    log.note(`bad output: ${what}; stdout began: ${JSON.stringify(head)}`);
    return new RunnerFailedError(
      job.component,
      "command",
      "bad-output",
      `${program} for ${componentLabel(job.component)} must print one JSON object of outputs on stdout, but ${what}.\nstdout began: ${head ? JSON.stringify(head) : "(empty)"}`,
      log.path,
      { fix: 'print only {"key": value, …} on stdout; send progress and logs to stderr' },
    );
  };
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (error) {
    throw bad(
      stdout.trim() === "" ? "it printed nothing" : `it is not valid JSON (${(error as Error).message})`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw bad(
      `it printed ${Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`}`,
    );
  }
  const { [SENSITIVE_KEY]: declared, ...rest } = value as JsonObject;
  if (
    declared !== undefined &&
    !(Array.isArray(declared) && declared.every((k): k is string => typeof k === "string" && k in rest))
  ) {
    throw bad(`"${SENSITIVE_KEY}" must be an array naming some of its output keys`);
  }
  const values: JsonObject = {};
  for (const key of Object.keys(rest).sort()) values[key] = rest[key]!;
  return { values, sensitiveKeys: [...new Set((declared as string[] | undefined) ?? [])].sort() };
}

function childEnv(job: RunJob, action: "apply" | "destroy"): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...job.env,
    KARMA_ACTION: action,
    KARMA_CONFIG: JSON.stringify(job.inputs.config),
    KARMA_COMPONENT_NAME: job.inputs.component_name,
    KARMA_TYPE: job.component.type,
    KARMA_NICKNAME: job.inputs.nickname,
    KARMA_ENVIRONMENT: job.inputs.environment,
    KARMA_IAC_PREFIX: job.inputs.iac_prefix,
    KARMA_WORK_DIR: job.workDir,
  };
}

function resolveProgram(program: string, cwd: string): string {
  return program.includes("/") && !isAbsolute(program) ? resolve(cwd, program) : program;
}

function emptySummary(): PlanSummary {
  return {
    changes: { create: [], update: [], replace: [], delete: [], read: [], noop: [] },
    counts: { create: 0, update: 0, replace: 0, delete: 0, read: 0, noop: 0 },
    outputChanges: [],
    hasChanges: false,
  };
}

function finishSummary(summary: PlanSummary): void {
  const c = summary.changes;
  summary.counts = {
    create: c.create.length,
    update: c.update.length,
    replace: c.replace.length,
    delete: c.delete.length,
    read: c.read.length,
    noop: c.noop.length,
  };
  summary.hasChanges = c.create.length + c.update.length + c.replace.length + c.delete.length > 0;
}

function readLastRun(workDir: string): LastRun | undefined {
  const file = join(workDir, LAST_RUN_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LastRun;
  } catch {
    return undefined;
  }
}

/** Holds outputs (sensitive ones too, like a local tfstate): owner-only. Written after success only. */
function writeLastRun(workDir: string, run: LastRun): void {
  makePrivateDir(workDir);
  const file = join(workDir, LAST_RUN_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(run, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
