/**
 * The planner — the one place a change becomes a Plan. `plan`, `apply`, `propose-change` and the
 * HTTP API call it; apply executes the Plan it returns (or a saved one) and nothing else.
 *
 * A change reader (`read-since.ts`, `read-published.ts`, a proposed patch) says what changed and
 * hands over the dependency edges of every kind — `$ref`, by name, inferred from pasted values —
 * then `planFromChange` selects, walks every consumer, orders waves, evaluates every policy once
 * (with what the rules need: new configs, references, whether the type has a schema) and words
 * the warnings about pasted copies.
 */
import { relative } from "node:path";
import { UserError } from "../../core/errors.js";
import type { Estate, ProjectSettings } from "../../core/estate/model.js";
import { parseComponentId } from "../../core/ids.js";
import { computeChangePlan } from "../../core/planning/compute-plan.js";
import {
  type ChangePlan,
  type ChangeReason,
  PLAN_VERSION,
  type PlanReport,
  type ToolPlan,
} from "../../core/planning/model.js";
import type { PolicyMode } from "../../core/policies/model.js";
import type { PolicySubject } from "../../core/policies/rules.js";
import { readPolicies } from "../../core/policies/settings.js";
import { selectComponents } from "../../core/selectors/evaluate.js";
import { contractChanges } from "../contract-changes.js";
import { type ProvisionHooks, planComponent } from "../provision.js";
import { selectorContext } from "../selector-context.js";
import type { Session } from "../session.js";
import type { ChangeInputs, PlanGraphChoice } from "./change.js";
import { storedGraph } from "./graph-edges.js";
import { hasSchema, type Intent } from "./intents.js";
import type { ProposedChanges } from "./proposed.js";
import { changeFromProposed } from "./read-patch.js";
import { changeAgainstPublished } from "./read-published.js";
import { changeSince } from "./read-since.js";

export interface PlanRequest {
  /**
   * Plan these proposed config changes (component → JSON Merge Patch) on top of the working tree,
   * without writing them. Excludes `since` and `touchedSince`.
   */
  changes?: ProposedChanges;
  /** Plan the change from the merge base of this revision and HEAD to the working tree. */
  since?: string;
  /**
   * Without `since`: keep only what files changed since this revision touched (apply's
   * `--since`), plus components whose type's module or schema changed.
   */
  touchedSince?: string;
  /** Only changes of the selected components (selector language) are planned, with their dependents. */
  selector?: string;
  /** Also plan every affected component with its runner (needs Terraform and credentials). */
  terraform?: boolean;
  /** `--approve`: approvable policy verdicts pass. */
  approve?: boolean;
  /** `apply` makes every policy violation an error. Default `plan`. */
  mode?: PolicyMode;
  graph?: PlanGraphChoice;
  /** With `since`: count untracked files too (default: only what git tracks is intent). */
  untracked?: boolean;
  /** Progress and cancellation for `terraform`. */
  hooks?: ProvisionHooks;
}

async function selectReasons(
  session: Session,
  selector: string,
  reasons: ChangeReason[],
): Promise<ChangeReason[]> {
  const universe = [...new Set(reasons.map((r) => r.id))].flatMap((id) => {
    const address = parseComponentId(id);
    return address ? [{ id, ...address }] : [];
  });
  const stored = await storedGraph(session);
  const context = selectorContext(session, {
    components: universe,
    ...(stored ? { graph: stored.store } : {}),
  });
  const selected = new Set(await selectComponents(selector, context));
  return reasons.filter((r) => selected.has(r.id));
}

function shown(settings: ProjectSettings, path: string): string {
  const rel = relative(settings.root, path);
  return rel.startsWith("..") ? path : rel;
}

async function terraformPlans(
  session: Session,
  estate: Estate,
  plan: ChangePlan,
  hooks: ProvisionHooks,
): Promise<ToolPlan[]> {
  const plans: ToolPlan[] = [];
  for (const wave of plan.waves) {
    for (const entry of wave) {
      const address = parseComponentId(entry.id)!;
      try {
        const outcome = await planComponent(session, estate, address, hooks);
        const { summary } = outcome.plan;
        plans.push({
          id: entry.id,
          status: "planned",
          counts: { ...summary.counts },
          hasChanges: summary.hasChanges,
          outputChanges: summary.outputChanges,
          logFile: shown(estate.settings, outcome.plan.logFile),
        });
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        const fix = error instanceof UserError && error.fix ? ` (${error.fix})` : "";
        plans.push({ id: entry.id, status: "failed", message: `${error.message.split("\n")[0]}${fix}` });
      }
    }
  }
  return plans;
}

/** Policy subjects of the components with a reason (the rules judge only changed components). */
function subjectsOf(
  session: Session,
  next: ReadonlyMap<string, Intent>,
  reasons: readonly ChangeReason[],
): Map<string, PolicySubject> {
  const schemaKnown = new Map<string, boolean>();
  const subjects = new Map<string, PolicySubject>();
  for (const { id } of reasons) {
    const intent = next.get(id);
    if (intent === undefined || subjects.has(id)) continue;
    if (!schemaKnown.has(intent.type)) schemaKnown.set(intent.type, hasSchema(session, intent.type));
    subjects.set(intent.id, {
      id: intent.id,
      env: intent.env,
      type: intent.type,
      nickname: intent.nickname,
      config: intent.config,
      references: intent.references,
      hasSchema: schemaKnown.get(intent.type)!,
    });
  }
  return subjects;
}

/**
 * Consumers that hold a pasted copy of a value of a component the change deploys: redeploying
 * them cannot take a new value. Keys only, never values.
 */
export function pastedWarnings(plan: ChangePlan): string[] {
  const deployed = new Set(plan.entries.map((e) => e.id));
  const warnings: string[] = [];
  for (const entry of plan.entries)
    for (const consumed of entry.consumes) {
      if (!deployed.has(consumed.producer)) continue;
      for (const key of consumed.keys.filter((k) => k.inferred))
        warnings.push(
          `${entry.id} holds the old ${key.producerKey || "(whole runtime)"} of ${consumed.producer} once its deploy changes it: ` +
            `${key.pointer || "/"} is a pasted copy, not a $ref, so a redeploy cannot take the new value ` +
            `(karma refs adopt ${entry.id})`,
        );
    }
  return warnings;
}

/** The shared tail of every plan: selection, the walk over every edge kind, waves, policies, warnings. */
export async function planFromChange(
  session: Session,
  change: ChangeInputs,
  request: Pick<PlanRequest, "selector" | "approve" | "mode">,
): Promise<PlanReport> {
  const { settings } = session;
  const reasons =
    request.selector !== undefined && request.selector !== ""
      ? await selectReasons(session, request.selector, change.reasons)
      : change.reasons;
  // contract-aware planning: type changes that break what consumers read from a producer
  const contracts = await contractChanges(
    session,
    async () => (change.estate ??= await session.estate.load()),
    change.base.kind === "commit" && change.base.commit ? { commit: change.base.commit } : undefined,
  );
  const plan = computeChangePlan({
    contractBreaks: contracts.broken,
    base: change.base,
    graph: change.graph.source,
    reasons,
    edges: change.graph.edges,
    nodes: change.graph.nodes,
    policies: readPolicies(settings.policies),
    mode: request.mode ?? "plan",
    approved: request.approve === true,
    subjects: subjectsOf(session, change.next, reasons),
  });
  return { version: PLAN_VERSION, plan, problems: change.problems, warnings: pastedWarnings(plan) };
}

/**
 * The Plan of the session's estate. Throws `PlanCycleError` when the affected set cannot
 * be ordered, and UserErrors for unreadable git ranges or stores.
 */
export async function makePlan(session: Session, request: PlanRequest = {}): Promise<PlanReport> {
  const choice = request.graph ?? "auto";
  if (request.changes !== undefined && (request.since !== undefined || request.touchedSince !== undefined))
    throw new UserError(
      "proposed changes are planned against the working tree: they cannot be combined with a revision to compare against",
      "plan the proposed changes, or what changed since the revision, one at a time",
    );
  const change =
    request.changes !== undefined
      ? await changeFromProposed(session, request.changes)
      : request.since !== undefined
        ? await changeSince(
            session,
            request.since,
            request.terraform ? "working-tree" : choice,
            request.untracked === true,
          )
        : await changeAgainstPublished(
            session,
            request.touchedSince !== undefined ? { touchedSince: request.touchedSince } : {},
          );
  const report = await planFromChange(session, change, request);
  if (request.terraform) {
    const estate = change.estate ?? (await session.estate.load());
    report.terraform = await terraformPlans(session, estate, report.plan, request.hooks ?? {});
  }
  return report;
}
