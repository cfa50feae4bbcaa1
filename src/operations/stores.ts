import { AsyncLocalStorage } from "node:async_hooks";
import { currentActor } from "../adapters/git/provenance.js";
import { openEnvironmentLock } from "../adapters/lock/factory.js";
import { withEnvironmentLock } from "../adapters/lock/with-lock.js";
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

/**
 * Locks held by the current async call chain, as `<estate root>\0<env>`. An operation that holds
 * an environment's lock (apply) calls others that take it too (publish, deploy): inside the
 * holder's call chain the lock is already ours, so they run without re-acquiring it (a lease lock
 * is not re-entrant and would otherwise wait for itself).
 */
const heldLocks = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * Runs `fn` holding the write lock of each environment in `envs`. Locks are taken in name order,
 * so two commands locking overlapping sets cannot deadlock; `wait` is how long to wait for each.
 * Locks this call chain already holds are not taken again.
 */
export async function withEnvironmentLocks<T>(
  settings: ProjectSettings,
  stores: OpenStores,
  envs: readonly EnvironmentSettings[],
  options: { operation: string; wait?: number },
  fn: () => Promise<T>,
): Promise<T> {
  const held = heldLocks.getStore() ?? new Set<string>();
  const keyOf = (env: EnvironmentSettings) => `${settings.root}\u0000${env.name}`;
  const sorted = [...envs]
    .filter((env) => !held.has(keyOf(env)))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (sorted.length === 0) return fn();
  const nowHeld = new Set([...held, ...sorted.map(keyOf)]);
  const owner = currentActor();
  const lockNext = async (i: number): Promise<T> => {
    const env = sorted[i];
    if (!env) return heldLocks.run(nowHeld, fn);
    const lock = openEnvironmentLock(settings, env, stores.get(env.name));
    try {
      return await withEnvironmentLock(
        lock,
        env.name,
        { owner, operation: options.operation, wait: options.wait },
        () => lockNext(i + 1),
      );
    } finally {
      await lock.close();
    }
  };
  return lockNext(0);
}
