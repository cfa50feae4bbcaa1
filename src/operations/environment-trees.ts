/**
 * Every environment's published parameters in one read: what the graph build and the change plan
 * start from (configs and runtimes under each prefix, plus the `/external` runtimes).
 */
import type { ProjectSettings } from "../core/estate/model.js";
import { EXTERNAL_PREFIX } from "../core/parameters/names.js";
import type { TreeParameter } from "../ports/parameter-store.js";
import { openStores } from "./stores.js";

export interface EnvironmentTree {
  env: string;
  prefix: string;
  parameters: TreeParameter[];
  external: TreeParameter[];
}

/** Reads each environment's tree under its prefix and `/external` (SecureStrings not decrypted). */
export async function readEnvironmentTrees(settings: ProjectSettings): Promise<EnvironmentTree[]> {
  const stores = await openStores(settings, settings.environments);
  try {
    const trees: EnvironmentTree[] = [];
    for (const env of settings.environments) {
      const store = stores.get(env.name);
      trees.push({
        env: env.name,
        prefix: env.prefix,
        parameters: await store.readTree(env.prefix),
        external: await store.readTree(EXTERNAL_PREFIX),
      });
    }
    return trees;
  } finally {
    await stores.close();
  }
}
