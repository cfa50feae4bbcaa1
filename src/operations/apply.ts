/**
 * `karma apply`: execute the Plan — the one the planner (`plan/planner.ts`) makes for the
 * working tree against what is published, or a saved one (`karma plan --out`) — in dependency order.
 *
 * 1. Lock every environment the plan deploys to (name order), so two applies never interleave.
 * 2. Under the locks, make the plan again (or check that a saved plan's inputs did not move):
 *    changed components with their reasons, every consumer of any edge kind, waves, policy
 *    verdicts in apply mode — a blocking verdict refuses the run with the message plan shows.
 * 3. Publish the changed components whose Git config is not published.
 * 4. Deploy with the execution status machine (`apply/execute.ts`, `core/execution`).
 * 5. Audit the start and the end (with what failed and was skipped: the next apply resumes there).
 */
import { UserError } from "../core/errors.js";
import type { Estate, JsonValue } from "../core/estate/model.js";
import { envOfId } from "../core/ids.js";
import type { StoreIndex } from "../core/parameters/store-index.js";
import type { PlanReport } from "../core/planning/model.js";
import { describeReason } from "../core/planning/render/describe.js";
import { blockingVerdicts } from "../core/policies/evaluate.js";
import type { Verdict } from "../core/policies/model.js";
import { isPublished } from "../core/publish/plan-publish.js";
import { actorOf } from "./apply/actor.js";
import { executePlan } from "./apply/execute.js";
import { policyRefusal } from "./apply/refusal.js";
import type { ApplyOptions, ApplyPlan, ApplyPlanEntry, ApplyResult } from "./apply/types.js";
import { makePlan } from "./plan/planner.js";
import { checkSavedPlan } from "./plan/saved.js";
import { assertStoreServes, assertValid } from "./publish.js";
import type { Session } from "./session.js";
import { lockOptionsFor, sessionStores, withLocks } from "./stores.js";

export * from "./apply/types.js";

export const DEFAULT_PARALLELISM = 4;

/** What apply does with a Plan: which entries it deploys, which it publishes first, and why. */
export function applyPlanOf(
  estate: Estate,
  report: PlanReport,
  indexes: ReadonlyMap<string, StoreIndex>,
): ApplyPlan {
  const { plan } = report;
  const byId = new Map(estate.components.map((c) => [c.id, c]));
  const entries: ApplyPlanEntry[] = [];
  const notInGit: string[] = [];
  for (const wave of plan.waves)
    for (const e of wave) {
      if (!byId.has(e.id)) {
        notInGit.push(e.id);
        continue;
      }
      entries.push({
        id: e.id,
        wave: e.wave,
        ...(e.kind === "changed" ? { cause: e.reasons.map(describeReason).join("; ") } : { path: e.path }),
      });
    }
  const publish = entries
    .filter((e) => e.cause !== undefined)
    .map((e) => byId.get(e.id)!)
    .filter(
      (c) => !isPublished(c, indexes.get(c.env)?.components.get(`${c.type}/${c.nickname}`)?.config?.value),
    )
    .map((c) => c.id)
    .sort();
  return {
    entries,
    waves: plan.waves.map((w) => w.map((e) => e.id).filter((id) => byId.has(id))).filter((w) => w.length > 0),
    publish,
    removed: plan.removed.map((r) => r.id),
    notInGit,
    verdicts: plan.verdicts,
    warnings: report.warnings,
    report,
  };
}

async function planFor(session: Session, options: ApplyOptions): Promise<PlanReport> {
  if (options.saved) {
    await checkSavedPlan(session, options.saved);
    return options.saved.report;
  }
  return makePlan(session, {
    mode: "apply",
    approve: options.approve === true,
    ...(options.selector !== undefined ? { selector: options.selector } : {}),
    ...(options.since !== undefined ? { touchedSince: options.since } : {}),
  });
}

export async function applyEstate(
  session: Session,
  estate: Estate,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  assertValid(estate);
  const { settings } = estate;
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
  if (!Number.isInteger(parallelism) || parallelism < 1)
    throw new UserError(
      `--parallelism must be a whole number ≥ 1, got ${parallelism}`,
      "pass e.g. --parallelism 4",
    );
  const stores = await sessionStores(session, settings.environments);
  const look = async () => {
    const indexes = await stores.readIndexes();
    for (const index of indexes.values()) assertStoreServes(index);
    return { indexes, plan: applyPlanOf(estate, await planFor(session, options), indexes) };
  };
  // a first look, unlocked, tells which environments the run writes to; the plan that runs is
  // made again under the locks, so nothing another writer did in between is missed
  const preview = await look();
  if (options.dryRun)
    return { plan: preview.plan, confirmed: false, published: [], results: [], summary: emptySummary() };
  const envNames = new Set(preview.plan.entries.map((e) => envOfId(e.id)));
  const envs = settings.environments.filter((e) => envNames.has(e.name));
  const run = async () => {
    if (envs.length) await recordInterruptedApplies(session, envNames, options);
    const { plan, indexes } = envs.length ? await look() : preview;
    const outside = plan.entries.find((e) => !envNames.has(envOfId(e.id)));
    if (outside)
      throw new UserError(
        `the estate changed while waiting for the lock: ${outside.id} now needs applying too`,
        "run karma apply again",
      );
    await refuseBlocked(session, plan.verdicts, options);
    return executePlan({ session, estate, stores, indexes, plan, options, parallelism });
  };
  if (envs.length === 0) return await run();
  return await withLocks(session, envs, lockOptionsFor("apply", options), run);
}

function emptySummary(): ApplyResult["summary"] {
  return { deployed: 0, unchanged: 0, unaffected: 0, attention: 0, skipped: 0, failed: 0 };
}

/**
 * An apply killed outright (kill -9, power loss) leaves a `started` entry with no outcome. Called
 * holding the locks of `envs`: an unfinished apply that wrote to one of them cannot still be
 * running (it would hold that lock), so it is closed now as interrupted.
 */
async function recordInterruptedApplies(
  session: Session,
  envs: ReadonlySet<string>,
  options: ApplyOptions,
): Promise<void> {
  const entries = await (await session.auditLog()).query({ action: "apply", limit: 200 });
  const ended = new Set(entries.map((e) => e.details.started).filter((id) => typeof id === "number"));
  const ids = (v: JsonValue | undefined) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  for (const entry of entries) {
    if (entry.status !== "started" || ended.has(entry.id)) continue;
    const touched = [...ids(entry.details.targets), ...ids(entry.details.dependents)].map(envOfId);
    if (!touched.some((env) => envs.has(env))) continue;
    await session.record({
      action: "apply",
      status: "failed",
      ...actorOf(options),
      message: `interrupted: apply #${entry.id} by ${entry.actor}, started ${entry.timestamp}, never finished (its process was killed)`,
      details: { started: entry.id, interrupted: true },
    });
  }
}

async function refuseBlocked(
  session: Session,
  verdicts: readonly Verdict[],
  options: ApplyOptions,
): Promise<void> {
  const blocking = blockingVerdicts(verdicts);
  if (blocking.length === 0) return;
  await session.record({
    action: "apply",
    status: "refused",
    ...actorOf(options),
    message: `refused by policy: ${blocking.map((v) => v.rule).join(", ")}`,
    details: {
      verdicts: blocking.map((v) => ({ rule: v.rule, components: v.components, message: v.message })),
    },
  });
  throw policyRefusal("apply", blocking);
}
