import { openParameterStore } from "../adapters/parameter-store/factory.js";
import type { EnvironmentSettings, ProjectSettings } from "../core/estate/model.js";
import { indexStoreTree, type StoreIndex } from "../core/parameters/store-index.js";
import type { ParameterStore } from "../ports/parameter-store.js";

/** The open stores of several environments; close them all with `close()`. */
export interface OpenStores {
  get(env: string): ParameterStore;
  /** Reads each environment's tree (latest values, SecureString not decrypted) and indexes it. */
  readIndexes(): Promise<Map<string, StoreIndex>>;
  close(): Promise<void>;
}

export async function openStores(
  settings: ProjectSettings,
  environments: readonly EnvironmentSettings[],
): Promise<OpenStores> {
  const stores = new Map<string, { env: EnvironmentSettings; store: ParameterStore }>();
  try {
    for (const env of environments)
      stores.set(env.name, { env, store: await openParameterStore(settings, env) });
  } catch (error) {
    await Promise.all([...stores.values()].map((s) => s.store.close()));
    throw error;
  }
  return {
    get(name) {
      const entry = stores.get(name);
      if (!entry) throw new Error(`store for environment ${name} is not open`);
      return entry.store;
    },
    async readIndexes() {
      const indexes = new Map<string, StoreIndex>();
      for (const { env, store } of stores.values()) {
        indexes.set(env.name, indexStoreTree(env.name, env.prefix, await store.readTree(env.prefix)));
      }
      return indexes;
    },
    async close() {
      await Promise.all([...stores.values()].map((s) => s.store.close()));
    },
  };
}
