/**
 * Where each component stands between Git, the published config and the deployed runtime.
 * Pure: takes the estate's components, each environment's store index and the stale consumers
 * found from runtime provenance (`core/drift`). `stale` applies to a component that is otherwise
 * in sync: deployed from its latest config, but producer keys it consumes have changed since.
 */
import { describeStaleness, type StaleConsumer } from "../drift/stale.js";
import type { Component } from "../estate/model.js";
import { formatComponentId } from "../ids.js";
import type { StoreIndex } from "../parameters/store-index.js";
import { parseProvenance } from "../provenance/provenance.js";
import { isPublished } from "../publish/plan-publish.js";

export const COMPONENT_STATES = [
  "unpublished",
  "never-deployed",
  "undeployed",
  "stale",
  "orphaned",
  "in-sync",
] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

export interface ComponentStatus {
  id: string;
  env: string;
  type: string;
  nickname: string;
  state: ComponentState;
  /** Why it is in that state, for humans. */
  reason: string;
  /** Config file, when the component is in Git. */
  file?: string;
  /** Latest published config version. */
  configVersion?: number;
  /** Latest runtime version. */
  runtimeVersion?: number;
  /** Config version the current runtime was produced from (from its provenance). */
  deployedConfigVersion?: number;
  /** For `stale`: the producers whose consumed keys changed since this component was deployed. */
  stale?: StaleConsumer["inputs"];
}

export interface StatusReport {
  components: ComponentStatus[];
  summary: Record<ComponentState, number> & { total: number };
}

/**
 * Where `component` stands. Every status is one object literal of one shape (ids, versions, state,
 * reason): spreading a shared base into each, as this did, cost more than the rest of the check
 * when the plan asks it of every component.
 */
function statusOf(
  component: Component,
  index: StoreIndex | undefined,
  stale: StaleConsumer | undefined,
): ComponentStatus {
  const stored = index?.components.get(`${component.type}/${component.nickname}`);
  const configVersion = stored?.config?.version;
  const runtimeVersion = stored?.runtime?.version;
  const deployedConfigVersion = parseProvenance(stored?.runtime?.description)?.configVersion;
  const status = (state: ComponentState, reason: string): ComponentStatus => ({
    id: component.id,
    env: component.env,
    type: component.type,
    nickname: component.nickname,
    file: component.file,
    configVersion,
    runtimeVersion,
    deployedConfigVersion,
    state,
    reason,
  });
  if (!isPublished(component, stored?.config?.value))
    return status(
      "unpublished",
      configVersion === undefined ? "never published" : `Git differs from published config v${configVersion}`,
    );
  if (runtimeVersion === undefined) return status("never-deployed", "no runtime");
  if (deployedConfigVersion === undefined)
    return status("undeployed", "runtime has no provenance (written outside Karma?)");
  if (configVersion !== undefined && deployedConfigVersion < configVersion)
    return status(
      "undeployed",
      `runtime was produced from config v${deployedConfigVersion}, published is v${configVersion}`,
    );
  // deployed from the latest config, but with producer values that have changed since
  if (stale) return { ...status("stale", describeStaleness(stale)), stale: stale.inputs };
  return status("in-sync", "");
}

/**
 * One component's status without stale consumers (a consumer's `stale` needs producer histories):
 * what a caller that only asks "published? deployed from the latest config?" needs, without
 * computing and sorting the whole estate's report.
 */
export function componentStatus(component: Component, index: StoreIndex | undefined): ComponentStatus {
  return statusOf(component, index, undefined);
}

export function computeStatus(
  components: readonly Component[],
  stores: ReadonlyMap<string, StoreIndex>,
  inScope: (address: { env: string; type: string; nickname: string }) => boolean,
  /** Stale consumers (`core/drift`), when the caller read producer histories; none otherwise. */
  stale: readonly StaleConsumer[] = [],
): StatusReport {
  const staleById = new Map(stale.map((s) => [s.id, s]));
  const statuses: ComponentStatus[] = [];
  const inGit = new Set<string>();
  for (const component of components) {
    inGit.add(component.id);
    statuses.push(statusOf(component, stores.get(component.env), staleById.get(component.id)));
  }
  for (const [env, index] of stores) {
    for (const entry of index.components.values()) {
      const id = formatComponentId({ env, type: entry.type, nickname: entry.nickname });
      if (inGit.has(id) || !inScope({ env, type: entry.type, nickname: entry.nickname })) continue;
      const what = [entry.config && "config", entry.runtime && "runtime"].filter(Boolean).join(" and ");
      statuses.push({
        id,
        env,
        type: entry.type,
        nickname: entry.nickname,
        state: "orphaned",
        reason: `${what} in the store, no config file in Git`,
        configVersion: entry.config?.version,
        runtimeVersion: entry.runtime?.version,
      });
    }
  }
  statuses.sort((a, b) => a.id.localeCompare(b.id));
  const summary = Object.fromEntries(COMPONENT_STATES.map((s) => [s, 0])) as Record<ComponentState, number>;
  for (const s of statuses) summary[s.state]++;
  return { components: statuses, summary: { ...summary, total: statuses.length } };
}
