import type { PlanReport } from "../../core/planning/model.js";
import type { Verdict } from "../../core/policies/model.js";
import type { SavedPlan } from "../plan/saved.js";
import type { ProvisionHooks } from "../provision/types.js";

export interface ApplyOptions
  extends Pick<ProvisionHooks, "signal" | "onProgress" | "onWarning" | "lockTimeout"> {
  /** Which components (selector language); all when omitted. */
  selector?: string;
  /** Only components touched since this git revision, plus those whose type's module or schema changed. */
  since?: string;
  /** Execute this saved plan (`karma plan --out`) instead of making one; refused if its inputs moved. */
  saved?: SavedPlan;
  /** Make the plan and return it; nothing is locked, written or audited. */
  dryRun?: boolean;
  /** Components deploying at once (default 4). */
  parallelism?: number;
  /** Continue past failures with everything that does not depend on them. */
  keepGoing?: boolean;
  /** `--approve`: lets approvable policy rules (protected, blast radius) pass. */
  approve?: boolean;
  /** Shown the plan before anything is written; resolve false to stop. Absent = proceed. */
  confirm?: (plan: ApplyPlan) => Promise<boolean>;
  /** Progress: each component as it starts and ends. */
  onEvent?: (event: ApplyEvent) => void;
  /**
   * Skip (with the reason) components whose runner is not installed here, instead of failing
   * them; only consumers of their values are skipped with them. For the demo, which must run on
   * machines without Terraform.
   */
  skipUnavailableRunners?: boolean;
  /** Who asked, as the apply's audit entries record it (default: the session's actor; the door is the session's). */
  requestedBy?: string;
}

export interface ApplyPlanEntry {
  id: string;
  wave: number;
  /** Why it runs on its own (the plan's reasons); absent for components in the run only as dependents. */
  cause?: string;
  /** For dependents: the shortest path from a changed component. */
  path?: string[];
}

/** The Plan as apply executes it. */
export interface ApplyPlan {
  /** Sorted by wave, then id. */
  entries: ApplyPlanEntry[];
  waves: string[][];
  /** Changed components whose Git config gets published first. */
  publish: string[];
  /** Components whose config is gone from Git: apply does not destroy them (`karma destroy` does). */
  removed: string[];
  /** Affected nodes with no config in Git (runtime-only): not deployed. */
  notInGit: string[];
  verdicts: Verdict[];
  /** Consumers holding pasted copies of values the run may change. */
  warnings: string[];
  /** The Plan this came from. */
  report: PlanReport;
}

export type ApplyStatus = "deployed" | "unchanged" | "unaffected" | "attention" | "skipped" | "failed";

export interface ApplyComponentResult {
  id: string;
  wave: number;
  status: ApplyStatus;
  /** Why it ran, was skipped or unaffected, or how it failed. Keys and versions only, never values. */
  reason?: string;
  /** The run's log, relative to the estate root. */
  logFile?: string;
  runtimeVersion?: number;
}

export type ApplyEvent =
  | { kind: "published"; ids: string[] }
  | { kind: "started"; id: string; wave: number; reason?: string }
  | { kind: "ended"; result: ApplyComponentResult };

export interface ApplyResult {
  plan: ApplyPlan;
  /** False when the plan was not confirmed (or a dry run): nothing was written. */
  confirmed: boolean;
  published: string[];
  /** In start order (wave, then id). */
  results: ApplyComponentResult[];
  summary: Record<ApplyStatus, number>;
  /** Audit entry of the apply's end. */
  auditEntry?: number;
}
