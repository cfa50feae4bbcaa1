/**
 * The runner port: how one component is provisioned. A runner owns a tool (Terraform/OpenTofu,
 * or a user's command) and runs it for one component at a time in that component's own work
 * directory. Results are plain values; failures are `RunnerFailedError`s carrying the tool's own
 * error text and the path of the log that holds the full story.
 *
 * Runners never touch the parameter store: reading producers' runtime, publishing runtime and
 * recording provenance are the caller's job (the deploy command), so a failed run can never leave
 * a half-written runtime behind.
 */
import { UserError } from "../core/errors.js";
import type { ComponentAddress, JsonObject } from "../core/estate/model.js";
import { formatComponentId } from "../core/ids.js";

/** What a module or command receives: the same five inputs for every runner. */
export interface RunInputs {
  /** The published config object with every `$ref` resolved from the producers' runtime. */
  config: JsonObject;
  /** The component's type (`vpc`) — the classic header's `var.component_name`. */
  component_name: string;
  nickname: string;
  environment: string;
  /** Parameter prefix of the environment's store, e.g. `/iac`. */
  iac_prefix: string;
}

/** A progress line for humans (shown on a TTY). Never carries sensitive values. */
export interface RunProgress {
  component: ComponentAddress;
  step: RunStep;
  message: string;
  /** Time since the step's tool started. */
  elapsedMs: number;
  /** A "still running" beat while the tool is silent, so a long apply never looks hung. */
  heartbeat?: true;
}

export type RunStep = "prepare" | "init" | "plan" | "show" | "apply" | "destroy" | "outputs" | "command";

/** What deploys the component, from its type's settings. */
export type RunSource =
  /** A Terraform/OpenTofu module directory (absolute). */
  | { kind: "module"; dir: string }
  /**
   * A program run without a shell. `argv[0]` is resolved against `cwd` when it contains a `/`,
   * else looked up on PATH. `destroyArgv` undoes a deployment; without it destroy runs nothing.
   */
  | { kind: "command"; argv: readonly string[]; destroyArgv?: readonly string[]; cwd: string };

/** The runner a component type deploys with, and what it runs. */
export interface RunnerChoice {
  kind: "terraform" | "command";
  runner: Runner;
  source: RunSource;
  /** From the type's `timeout` (seconds). */
  timeoutMs?: number;
}

export interface RunJob {
  component: ComponentAddress;
  source: RunSource;
  /**
   * Blue-green slot the run deploys into ("blue" when absent): each slot keeps its own state, so a
   * candidate is deployed beside the live infrastructure.
   */
  slot?: string;
  /** Directory the runner owns for this component (`.karma/work/<env>/<type>/<nickname>/`); created if missing. */
  workDir: string;
  inputs: RunInputs;
  /** Values to keep out of logs and progress (e.g. resolved from SecureString runtimes). */
  secrets?: readonly string[];
  /** Extra environment for the child (e.g. `AWS_ENDPOINT_URL_SSM`, region, dummy credentials). */
  env?: Readonly<Record<string, string>>;
  /** File the run's full log is appended to (created with its directory if missing). */
  logFile: string;
  /** Whole-step timeout; the child is stopped and the run fails when it is exceeded. */
  timeoutMs?: number;
  /** Aborting stops the child cleanly (SIGINT, then SIGTERM after a grace period). */
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
}

/** Resource addresses by planned action. `replace` holds anything planned as both delete and create. */
export interface PlanChanges {
  create: string[];
  update: string[];
  replace: string[];
  delete: string[];
  read: string[];
  noop: string[];
}

export interface PlanSummary {
  /** Sorted addresses per action. */
  changes: PlanChanges;
  counts: { create: number; update: number; replace: number; delete: number; read: number; noop: number };
  /** Root outputs that would change (names only, values never). */
  outputChanges: string[];
  /** True when applying would change anything (resources or outputs). */
  hasChanges: boolean;
}

/** The tool that did the work, for provenance: `terraform 1.5.7`, `tofu 1.6.3`, `command ./deploy.sh`. */
export interface RunnerTool {
  name: string;
  version: string;
}

export interface PlanResult {
  component: ComponentAddress;
  destroy: boolean;
  summary: PlanSummary;
  /** The saved plan `apply` will carry out exactly (Terraform); absent for runners that cannot plan. */
  planFile?: string;
  /** Digest of the inputs the plan was made from; `apply` refuses a plan made from other inputs. */
  inputsDigest: string;
  tool: RunnerTool;
  logFile: string;
}

/** Outputs as a value. Sensitive keys are listed; their values must never be printed. */
export interface RunOutputs {
  values: JsonObject;
  /** Sorted. */
  sensitiveKeys: string[];
}

export interface ApplyResult {
  component: ComponentAddress;
  /** Outputs read right after a successful apply: the component's new runtime. */
  outputs: RunOutputs;
  summary?: PlanSummary;
  tool: RunnerTool;
  logFile: string;
}

export interface DestroyResult {
  component: ComponentAddress;
  tool: RunnerTool;
  logFile: string;
  /** Human note when nothing was run (e.g. a command runner with no destroy command). */
  note?: string;
}

export interface Runner {
  /** Which tool this runner drives. */
  readonly tool: RunnerTool;
  plan(job: RunJob, options?: { destroy?: boolean }): Promise<PlanResult>;
  /** Applies exactly `plan` when given (it must come from `plan(job)` with the same inputs), else plans and applies. */
  apply(job: RunJob, plan?: PlanResult): Promise<ApplyResult>;
  destroy(job: RunJob): Promise<DestroyResult>;
  /** The outputs of the last successful apply. */
  outputs(job: RunJob): Promise<RunOutputs>;
  /**
   * The inputs of the last run in `workDir`, when the runner keeps them (so a component can be
   * torn down after its config was unpublished); undefined otherwise.
   */
  lastInputs(workDir: string): RunInputs | undefined;
}

export type RunnerFailureReason = "failed" | "timeout" | "aborted" | "bad-output" | "stale-plan";

/** A run that did not succeed. Nothing was published; `logFile` holds the full story. */
export class RunnerFailedError extends UserError {
  override name = "RunnerFailedError";
  constructor(
    readonly component: ComponentAddress,
    readonly step: RunStep,
    readonly reason: RunnerFailureReason,
    /** The tool's own error text (Terraform's diagnostics, the command's stderr tail). */
    readonly toolMessage: string,
    readonly logFile: string,
    options?: { fix?: string; exitCode?: number | null; cause?: unknown },
  ) {
    const id = formatComponentId(component);
    const what = reason === "timeout" ? "timed out" : reason === "aborted" ? "was interrupted" : "failed";
    super(
      `${step} of ${id} ${what}${toolMessage ? `:\n${indent(toolMessage)}` : ""}\n  log: ${logFile}`,
      options?.fix,
      { cause: options?.cause },
    );
    this.toolExitCode = options?.exitCode ?? null;
  }
  /** The child's exit code, when it exited. */
  readonly toolExitCode: number | null;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
