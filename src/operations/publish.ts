/**
 * `karma publish`: write changed configs to each environment's store, in one batch per store,
 * with provenance. Refuses invalid estates and writes nothing then.
 */
import { currentActor, readGitState } from "../adapters/git/provenance.js";
import { UserError, ValidationFailedError } from "../core/errors.js";
import type { ComponentAddress, Estate } from "../core/estate/model.js";
import { environmentParameterName } from "../core/parameters/names.js";
import { STANDARD_VALUE_LIMIT, valueSize } from "../core/parameters/rules.js";
import type { StoreIndex } from "../core/parameters/store-index.js";
import { formatProvenance } from "../core/provenance/provenance.js";
import { type MissingEntry, planPublish } from "../core/publish/plan-publish.js";
import type { PutParameterInput } from "../ports/parameter-store.js";
import { openStores } from "./stores.js";

export interface PublishOptions {
  /** Which components are selected (all when omitted). */
  select?: (address: ComponentAddress) => boolean;
  dryRun?: boolean;
  /** Delete published configs whose file is gone from Git. */
  prune?: boolean;
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

export async function publishEstate(estate: Estate, options: PublishOptions = {}): Promise<PublishResult> {
  assertValid(estate);
  const select = options.select ?? (() => true);
  const selected = estate.components.filter(select);
  const stores = await openStores(estate.settings, estate.settings.environments);
  try {
    const indexes = await stores.readIndexes();
    for (const index of indexes.values()) assertStoreServes(index);
    const plan = planPublish(selected, indexes, select);
    const result: PublishResult = {
      dryRun: options.dryRun === true,
      published: plan.publish.map((e) => e.component.id),
      unchanged: plan.unchanged.map((c) => c.id),
      missing: plan.missing,
      pruned: [],
    };
    if (options.dryRun) return result;

    const git = readGitState(estate.settings.root);
    const description = formatProvenance({ by: "karma publish", ...git, actor: currentActor() });
    for (const [env, index] of indexes) {
      const writes: PutParameterInput[] = plan.publish
        .filter((e) => e.component.env === env)
        .map((e) => ({
          name: e.name,
          value: e.component.canonical,
          type: "String",
          overwrite: true,
          tier: valueSize(e.component.canonical) > STANDARD_VALUE_LIMIT ? "Advanced" : "Standard",
          description,
          expectedVersion: e.previousVersion ?? 0,
        }));
      if (writes.length === 0) continue;
      if (index.environmentMarker === undefined)
        writes.push({
          name: environmentParameterName(index.prefix),
          value: env,
          type: "String",
          overwrite: true,
          description,
        });
      await stores.get(env).putParameters(writes);
    }
    if (options.prune) {
      for (const env of new Set(plan.missing.map((m) => m.env))) {
        const names = plan.missing.filter((m) => m.env === env).map((m) => m.name);
        for (let i = 0; i < names.length; i += 10)
          await stores.get(env).deleteParameters(names.slice(i, i + 10));
      }
      result.pruned = plan.missing.map((m) => m.id);
    }
    return result;
  } finally {
    await stores.close();
  }
}
