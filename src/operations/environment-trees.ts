/**
 * Every environment's published parameters in one read: what the graph build and the change plan
 * start from (configs and runtimes under each prefix, plus the `/external` runtimes).
 */
import { EXTERNAL_PREFIX } from "../core/estate/paths.js";
import type { TreeParameter } from "../ports/parameter-store.js";
import type { Session } from "./session.js";

export interface EnvironmentTree {
  env: string;
  prefix: string;
  parameters: TreeParameter[];
  external: TreeParameter[];
}

/** Reads each environment's tree under its prefix and `/external` (SecureStrings not decrypted). */
export async function readEnvironmentTrees(session: Session): Promise<EnvironmentTree[]> {
  const trees: EnvironmentTree[] = [];
  for (const env of session.settings.environments) {
    const store = await session.store(env.name);
    trees.push({
      env: env.name,
      prefix: env.prefix,
      parameters: await store.readTree(env.prefix),
      external: await store.readTree(EXTERNAL_PREFIX),
    });
  }
  return trees;
}
