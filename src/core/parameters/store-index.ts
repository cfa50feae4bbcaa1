import { environmentParameterName, parseComponentParameterName } from "../estate/paths.js";
import type { TreeParameter } from "./model.js";

export interface ComponentParameters {
  type: string;
  nickname: string;
  config?: TreeParameter;
  runtime?: TreeParameter;
}

/** One environment's store contents under its prefix, grouped by component (`type/nickname`). */
export interface StoreIndex {
  env: string;
  prefix: string;
  /** Keyed by `type/nickname`. */
  components: Map<string, ComponentParameters>;
  /** Value of `<prefix>/environment`, when set. */
  environmentMarker?: string;
}

/** Groups a `readTree(prefix)` result by component. O(n). */
export function indexStoreTree(
  env: string,
  prefix: string,
  parameters: readonly TreeParameter[],
): StoreIndex {
  const components = new Map<string, ComponentParameters>();
  let environmentMarker: string | undefined;
  const markerName = environmentParameterName(prefix);
  for (const parameter of parameters) {
    if (parameter.name === markerName) {
      environmentMarker = parameter.value;
      continue;
    }
    const parsed = parseComponentParameterName(prefix, parameter.name);
    if (!parsed) continue;
    const key = `${parsed.type}/${parsed.nickname}`;
    let entry = components.get(key);
    if (!entry) {
      entry = { type: parsed.type, nickname: parsed.nickname };
      components.set(key, entry);
    }
    entry[parsed.kind] = parameter;
  }
  return { env, prefix, components, environmentMarker };
}
