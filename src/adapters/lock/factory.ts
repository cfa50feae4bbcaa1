/**
 * Picks the lock for an environment from its store settings: environments on the embedded store
 * lock in the same SQLite file; environments on SSM lock with a parameter in their own store, so
 * everyone sharing that AWS account sees the same lock.
 */
import path from "node:path";
import type { EnvironmentSettings, ProjectSettings } from "../../core/estate/model.js";
import type { EnvironmentLock } from "../../ports/lock.js";
import type { ParameterStore } from "../../ports/parameter-store.js";
import { LeaseLock } from "./lease-lock.js";
import { ParameterLockBackend } from "./parameter-store/parameter-lock-backend.js";
import { SqliteLockBackend } from "./sqlite/sqlite-lock-backend.js";

/**
 * `store` is the environment's open parameter store (used by SSM environments; the caller keeps
 * owning it and closes it after the lock).
 */
export function openEnvironmentLock(
  settings: ProjectSettings,
  env: EnvironmentSettings,
  store: ParameterStore,
): EnvironmentLock {
  switch (env.store.kind) {
    case "sqlite":
      return new LeaseLock(
        new SqliteLockBackend({ file: path.resolve(settings.root, env.store.path), root: settings.root }),
      );
    case "ssm":
      return new LeaseLock(new ParameterLockBackend({ store, prefix: env.prefix }));
    default: {
      const unknown: never = env.store;
      throw new Error(`unknown store kind ${JSON.stringify(unknown)}`);
    }
  }
}
