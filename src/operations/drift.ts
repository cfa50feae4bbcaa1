/**
 * `karma drift`: what differs between intent, the stores and the real infrastructure.
 *
 * - Status drift: unpublished / undeployed / never-deployed / orphaned components (`karma status`).
 * - Stale consumers: deployed components whose consumed producer keys changed since their deploy,
 *   found from runtime provenance (`stale-consumers.ts`); status reports them as `stale`.
 * - With `terraform: true`, resource drift: a `plan -detailed-exitcode` per selected deployed
 *   component (its published config and producers' current runtimes), reported as the counts and
 *   addresses Terraform would change.
 */
import { relative } from "node:path";
import { driftCheckEntry } from "../core/drift/resource-checks.js";
import { UserError } from "../core/errors.js";
import type { Estate } from "../core/estate/model.js";
import { runnerKindOf } from "../core/estate/runner-kind.js";
import type { ComponentStatus } from "../core/status/compute-status.js";
import { type PlanChanges, type PlanSummary, RunnerFailedError } from "../ports/runner.js";
import type { ProvisionHooks } from "./provision/types.js";
import { runHooksOf } from "./provision/types.js";
import { planComponent } from "./provision.js";
import type { Session } from "./session.js";
import { estateStatus } from "./status.js";

export interface ResourceDrift {
  id: string;
  /** `drift`: Terraform would change something; `none`: no changes; `not-checked`: see `reason`. */
  status: "drift" | "none" | "not-checked";
  reason?: string;
  counts?: PlanSummary["counts"];
  /** Resource addresses per action (no values). */
  changes?: Partial<PlanChanges>;
  /** Root outputs that would change (names only). */
  outputChanges?: string[];
  logFile?: string;
}

export interface DriftReport {
  /** Every selected component that is not in sync (unpublished, undeployed, stale, orphaned, …). */
  components: ComponentStatus[];
  /** With `terraform`: one entry per selected deployed component, sorted by id. */
  terraform?: ResourceDrift[];
  /** True when anything drifted (what `--check` exits 2 on). */
  drift: boolean;
}

export interface DriftOptions extends Pick<ProvisionHooks, "signal" | "onProgress" | "onWarning"> {
  selector?: string;
  /** Run `plan -detailed-exitcode` per selected deployed component. */
  terraform?: boolean;
  /** Called as each Terraform check ends. */
  onChecked?: (drift: ResourceDrift) => void;
}

function withoutEmpty(changes: PlanChanges): Partial<PlanChanges> {
  return Object.fromEntries(
    Object.entries(changes).filter(([kind, list]) => kind !== "noop" && list.length > 0),
  ) as Partial<PlanChanges>;
}

async function resourceDrift(
  session: Session,
  estate: Estate,
  status: ComponentStatus,
  options: DriftOptions,
): Promise<ResourceDrift> {
  const id = status.id;
  if (status.runtimeVersion === undefined) return { id, status: "not-checked", reason: "never deployed" };
  if (status.state === "orphaned") return { id, status: "not-checked", reason: "no config in Git" };
  const declared = estate.settings.types[status.type];
  if (declared && runnerKindOf(declared) === "command")
    return { id, status: "not-checked", reason: "deployed by the command runner, which cannot plan" };
  try {
    const { plan } = await planComponent(
      session,
      estate,
      { env: status.env, type: status.type, nickname: status.nickname },
      runHooksOf(options),
    );
    const logFile = relative(estate.settings.root, plan.logFile);
    if (!plan.summary.hasChanges) return { id, status: "none", logFile };
    return {
      id,
      status: "drift",
      counts: plan.summary.counts,
      changes: withoutEmpty(plan.summary.changes),
      outputChanges: plan.summary.outputChanges,
      logFile,
    };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return {
      id,
      status: "not-checked",
      reason: error.message.split("\n")[0] ?? error.name,
      ...(error instanceof RunnerFailedError
        ? { logFile: relative(estate.settings.root, error.logFile) }
        : {}),
    };
  }
}

/** Status drift and stale consumers; with `terraform`, resource drift per deployed component. */
export async function driftReport(
  session: Session,
  estate: Estate,
  options: DriftOptions = {},
): Promise<DriftReport> {
  const status = await estateStatus(session, estate, options.selector);
  const components = status.components.filter((c) => c.state !== "in-sync");
  const report: DriftReport = { components, drift: components.length > 0 };
  if (options.terraform) {
    report.terraform = [];
    for (const c of status.components) {
      if (options.signal?.aborted) break;
      const drift = await resourceDrift(session, estate, c, options);
      report.terraform.push(drift);
      options.onChecked?.(drift);
      if (drift.status === "drift") report.drift = true;
    }
    // what was checked is remembered, so the explorer and the API can show it without Terraform
    const checks = report.terraform
      .filter((d) => d.status !== "not-checked")
      .map((d) =>
        driftCheckEntry({
          id: d.id,
          drift: d.status === "drift",
          ...(d.counts ? { counts: Object.fromEntries(Object.entries(d.counts)) } : {}),
        }),
      );
    if (checks.length > 0) await session.record(checks);
  }
  return report;
}
