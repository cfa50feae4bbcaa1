/**
 * Which configs to publish: compare each component's canonical JSON with the latest published
 * config. Pure; the command reads the store and writes the plan.
 */
import type { Component } from "../estate/model.js";
import { componentParameterName } from "../estate/paths.js";
import { formatComponentId } from "../ids.js";
import { canonicalJson } from "../json/canonical.js";
import type { StoreIndex } from "../parameters/store-index.js";

export interface PublishEntry {
  component: Component;
  /** Parameter name to write. */
  name: string;
  /** Latest published version, undefined when never published. */
  previousVersion?: number;
}

/** A config in the store whose file is gone from Git. */
export interface MissingEntry {
  id: string;
  env: string;
  type: string;
  nickname: string;
  name: string;
  version: number;
}

export interface PublishPlan {
  publish: PublishEntry[];
  unchanged: Component[];
  missing: MissingEntry[];
}

/** True when the published value is the same intent as the component's config. */
export function isPublished(component: Component, publishedValue: string | undefined): boolean {
  if (publishedValue === undefined) return false;
  if (publishedValue === component.canonical) return true;
  // written by another tool (not canonical)? compare by meaning, not bytes
  try {
    return canonicalJson(JSON.parse(publishedValue)) === component.canonical;
  } catch {
    return false;
  }
}

/**
 * @param components the selected components (any environments)
 * @param stores each environment's store index
 * @param inScope whether a store-only component falls under the selection (for `missing`)
 */
export function planPublish(
  components: readonly Component[],
  stores: ReadonlyMap<string, StoreIndex>,
  inScope: (address: { env: string; type: string; nickname: string }) => boolean,
): PublishPlan {
  const publish: PublishEntry[] = [];
  const unchanged: Component[] = [];
  const inGit = new Set<string>();
  for (const component of components) {
    inGit.add(component.id);
    const index = stores.get(component.env);
    if (!index) throw new Error(`planPublish: no store index for environment ${component.env}`);
    const published = index.components.get(`${component.type}/${component.nickname}`)?.config;
    if (isPublished(component, published?.value)) {
      unchanged.push(component);
    } else {
      publish.push({
        component,
        name: componentParameterName(index.prefix, component.type, component.nickname, "config"),
        previousVersion: published?.version,
      });
    }
  }
  const missing: MissingEntry[] = [];
  for (const [env, index] of [...stores].sort(([a], [b]) => a.localeCompare(b))) {
    for (const entry of index.components.values()) {
      const id = formatComponentId({ env, type: entry.type, nickname: entry.nickname });
      if (!entry.config || inGit.has(id) || !inScope({ env, type: entry.type, nickname: entry.nickname }))
        continue;
      missing.push({
        id,
        env,
        type: entry.type,
        nickname: entry.nickname,
        name: entry.config.name,
        version: entry.config.version,
      });
    }
  }
  missing.sort((a, b) => a.id.localeCompare(b.id));
  return { publish, unchanged, missing };
}
