/**
 * `karma publish`: write changed configs to each environment's store, in one batch per store,
 * with provenance. Refuses invalid estates and writes nothing then.
 */
import { digestInputs } from "../core/audit/digest.js";
import { UserError, ValidationFailedError } from "../core/errors.js";
import type { ComponentAddress, Estate } from "../core/estate/model.js";
import { environmentParameterName } from "../core/estate/paths.js";
import { formatComponentId } from "../core/ids.js";
import { STANDARD_VALUE_LIMIT, valueSize } from "../core/parameters/rules.js";
import type { StoreIndex } from "../core/parameters/store-index.js";
import { formatProvenance } from "../core/provenance/provenance.js";
import { type MissingEntry, type PublishPlan, planPublish } from "../core/publish/plan-publish.js";
import type { PutParameterInput } from "../ports/parameter-store.js";
import { announceBatch, recordInterruptedPublishes } from "./publish-recovery.js";
import { resolveSelection } from "./selection.js";
import type { Session } from "./session.js";
import { type EnvironmentStores, lockOptionsFor, sessionStores, withLocks } from "./stores.js";

export interface PublishOptions {
  /** Selector over the estate's components and the store's (all when omitted). */
  selector?: string;
  dryRun?: boolean;
  /** Delete published configs whose file is gone from Git. */
  prune?: boolean;
  /** How long to wait for an environment lock another command holds, in ms; 0 (default) fails at once. */
  lockTimeout?: number;
  /** Waiting for a lock, taking over a dead holder's lock. */
  onWarning?: (message: string) => void;
}

export interface PublishResult {
  dryRun: boolean;
  published: string[];
  unchanged: string[];
  /** In the store, no file in Git (deleted when pruned). */
  missing: MissingEntry[];
  pruned: string[];
}

export function assertValid(estate: Estate): void {
  if (estate.problems.some((p) => p.severity === "error"))
    throw new ValidationFailedError(
      estate.problems,
      "the estate is invalid; fix the problems above (nothing was written)",
    );
}

/** Refuses to write into a store that says it serves another environment. */
export function assertStoreServes(index: StoreIndex): void {
  if (index.environmentMarker !== undefined && index.environmentMarker !== index.env)
    throw new UserError(
      `the store for environment "${index.env}" says it serves "${index.environmentMarker}" (${environmentParameterName(index.prefix)})`,
      `check the store settings of "${index.env}" in karma.json (prefix, profile, endpoint); nothing was written`,
    );
}

export async function publishEstate(
  session: Session,
  estate: Estate,
  options: PublishOptions = {},
): Promise<PublishResult> {
  assertValid(estate);
  const { settings } = estate;
  const stores = await sessionStores(session, settings.environments);
  const planNow = async () => {
    const indexes = await stores.readIndexes();
    for (const index of indexes.values()) assertStoreServes(index);
    const select = await resolveSelection(session, options.selector, universeOf(estate, indexes));
    const selected = estate.components.filter(select);
    return { indexes, selected, plan: planPublish(selected, indexes, select) };
  };
  const preview = await planNow();
  if (options.dryRun)
    return {
      ...resultOf(preview.plan),
      dryRun: true,
      // a dry run reports what --prune would delete
      pruned: options.prune ? preview.plan.missing.map((m) => m.id) : [],
    };

  // a dev publish must not wait for a prod apply: lock only the environments written to
  const touched = new Set(preview.selected.map((c) => c.env));
  const locked = settings.environments.filter((e) => options.prune || touched.has(e.name));
  return withLocks(session, locked, lockOptionsFor("publish", options), async () => {
    // planned again under the lock: a publish we waited for has changed the store. The writes
    // still state the versions they expect, so a writer that takes no lock (param put) in
    // between makes this fail cleanly (TooManyUpdates) instead of being overwritten
    const { plan: publishPlan, indexes } = await planNow();
    await recordInterruptedPublishes(session, indexes);
    const result = resultOf(publishPlan);
    try {
      await writePlan(session, publishPlan, indexes, stores);
      if (options.prune) result.pruned = await prune(session, publishPlan.missing, stores);
    } catch (error) {
      await session.record({
        action: "publish",
        status: "failed",
        message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      // records what the failed batch wrote before it stopped (a remote store writes in chunks)
      await stores
        .readIndexes()
        .then((now) => recordInterruptedPublishes(session, now))
        .catch(() => undefined); // the store may be what failed: the next publish records it then
      throw error;
    }
    return result;
  });
}

/** The estate's components and every component the stores know of (which may be gone from Git). */
export function universeOf(estate: Estate, indexes: ReadonlyMap<string, StoreIndex>): ComponentAddress[] {
  const universe: ComponentAddress[] = [...estate.components];
  const known = new Set(estate.components.map((c) => c.id));
  for (const [env, index] of indexes)
    for (const { type, nickname } of index.components.values())
      if (!known.has(formatComponentId({ env, type, nickname }))) universe.push({ env, type, nickname });
  return universe;
}

function resultOf(plan: PublishPlan): PublishResult {
  return {
    dryRun: false,
    published: plan.publish.map((e) => e.component.id),
    unchanged: plan.unchanged.map((c) => c.id),
    missing: plan.missing,
    pruned: [],
  };
}

/**
 * One batch per environment (atomic on the embedded store), announced by a `started` entry and
 * followed by one audit entry per component that points back to it (see publish-recovery.ts).
 */
async function writePlan(
  session: Session,
  plan: PublishPlan,
  indexes: ReadonlyMap<string, StoreIndex>,
  stores: EnvironmentStores,
): Promise<void> {
  const git = session.git.state();
  const description = formatProvenance({ by: "karma publish", ...git, actor: session.actor });
  for (const [env, index] of indexes) {
    const entries = plan.publish.filter((e) => e.component.env === env);
    if (entries.length === 0) continue;
    const writes: PutParameterInput[] = entries.map((e) => ({
      name: e.name,
      value: e.component.canonical,
      type: "String",
      overwrite: true,
      // omitted on overwrite: SSM keeps the tier, and refuses Advanced → Standard
      tier: valueSize(e.component.canonical) > STANDARD_VALUE_LIMIT ? "Advanced" : undefined,
      description,
      expectedVersion: e.previousVersion ?? 0,
    }));
    if (index.environmentMarker === undefined)
      writes.push({
        name: environmentParameterName(index.prefix),
        value: env,
        type: "String",
        overwrite: true,
        description,
      });
    const started = await announceBatch(session, env, entries);
    const written = await stores.get(env).putParameters(writes);
    await session.record(
      entries.map((e, i) => ({
        action: "publish",
        status: "ok",
        component: e.component.id,
        env,
        inputsDigest: digestInputs(e.component.config),
        before: e.previousVersion === undefined ? {} : { config: e.previousVersion },
        after: { config: written[i]?.version },
        message: `published ${e.name}`,
        details: { commit: git.commit ?? null, dirty: git.dirty ?? null, batch: started.id },
      })),
    );
  }
}

async function prune(
  session: Session,
  missing: readonly MissingEntry[],
  stores: EnvironmentStores,
): Promise<string[]> {
  for (const env of new Set(missing.map((m) => m.env))) {
    const gone = missing.filter((m) => m.env === env);
    for (let i = 0; i < gone.length; i += 10)
      await stores.get(env).deleteParameters(gone.slice(i, i + 10).map((m) => m.name));
    await session.record(
      gone.map((m) => ({
        action: "unpublish",
        status: "ok",
        component: m.id,
        env,
        before: { config: m.version },
        message: `pruned ${m.name}: its config.json is gone from Git`,
      })),
    );
  }
  return missing.map((m) => m.id);
}
