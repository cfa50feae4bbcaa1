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

/**
 * Adds to `types` every type that appears in the trees' component parameter names
 * (`<prefix>/<type>/<nickname>/<kind>`); returns `types`. O(parameters): names are scanned, not
 * split, and a run of names under one type (the tree is read sorted) adds it once.
 */
export function addPublishedTypes(types: Set<string>, trees: readonly EnvironmentTree[]): Set<string> {
  for (const tree of trees) {
    const start = tree.prefix.length + 1;
    let last = "";
    for (const { name } of tree.parameters) {
      if (last !== "" && name.startsWith(last, start) && name.charCodeAt(start + last.length) === SLASH)
        continue;
      const typeEnd = name.indexOf("/", start);
      if (typeEnd <= start) continue;
      const nicknameEnd = name.indexOf("/", typeEnd + 1);
      if (nicknameEnd < 0 || name.indexOf("/", nicknameEnd + 1) >= 0) continue;
      last = name.slice(start, typeEnd);
      types.add(last);
    }
  }
  return types;
}

const SLASH = 0x2f;
