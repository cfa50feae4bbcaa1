/** The public shapes of `karma plan | deploy | destroy | outputs` (see ../provision.ts). */
import type { Problem } from "../../core/errors.js";
import type { Dependent } from "../../core/provisioning/dependents.js";
import type { ConsumedRuntime } from "../../core/provisioning/resolve-references.js";
import type { PlanResult, RunProgress } from "../../ports/runner.js";

export interface ProvisionTarget {
  type: string;
  nickname: string;
  /** Environment name; may be omitted when the estate has exactly one. */
  env?: string;
}

export interface ProvisionHooks {
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** Non-fatal trouble (e.g. the audit log could not be written), waiting for a lock, a lock taken over. */
  onWarning?: (message: string) => void;
  /** How long to wait for an environment lock another command holds, in ms (`--lock-timeout`); 0 (default) fails at once. */
  lockTimeout?: number;
}

/** The run hooks of a wider set of options (apply's, drift's), for one component's run. */
export function runHooksOf(
  options: Pick<ProvisionHooks, "signal" | "onProgress" | "onWarning">,
): ProvisionHooks {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  };
}

export interface PlanOutcome {
  component: string;
  plan: PlanResult;
  /** Config parameter version the plan was made from. */
  configVersion: number;
  consumed: ConsumedRuntime[];
}

export type RuntimeOutcome =
  | { kind: "written"; version: number; secure: boolean }
  | { kind: "unchanged"; version: number }
  | { kind: "module-published"; version: number };

export interface DeployOutcome extends PlanOutcome {
  /** False when the plan was not confirmed. */
  applied: boolean;
  runtime?: RuntimeOutcome;
  /** Output names; values are in the store (sensitive ones only as a SecureString). */
  outputKeys: string[];
  sensitiveKeys: string[];
  logFile: string;
  /** The new runtime against the type's output contract (empty: it keeps the contract, or there is none). */
  contractViolations: Problem[];
  /** Blue-green: the slot deployed into and the label the runtime got (absent for unslotted components). */
  slot?: string;
  label?: string;
}

export interface DestroyOutcome {
  component: string;
  /** Dependents that were overridden with --force. */
  forcedPast: Dependent[];
  runtimeDeleted: boolean;
  logFile: string;
  note?: string;
}
