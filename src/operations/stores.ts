import { AsyncLocalStorage } from "node:async_hooks";
import type { EnvironmentSettings, ProjectSettings } from "../core/estate/model.js";
import { indexStoreTree, type StoreIndex } from "../core/parameters/store-index.js";
import { describeHolder, type EnvironmentLock, type LockHolder } from "../ports/lock.js";
import type { ParameterStore } from "../ports/parameter-store.js";
import { holderDetails } from "./locks.js";
import type { AuditRecord, Session } from "./session.js";
import { withEnvironmentLock } from "./with-lock.js";

/** The stores of several environments, open. */
export interface EnvironmentStores {
  get(env: string): ParameterStore;
  /** Reads each environment's tree (latest values, SecureString not decrypted) and indexes it. */
  readIndexes(): Promise<Map<string, StoreIndex>>;
}

/** The session's stores of `environments` (the session closes them). */
export async function sessionStores(
  session: Session,
  environments: readonly EnvironmentSettings[],
): Promise<EnvironmentStores> {
  const stores = new Map<string, { env: EnvironmentSettings; store: ParameterStore }>();
  for (const env of environments) stores.set(env.name, { env, store: await session.store(env.name) });
  return storesView(stores);
}

function storesView(
  stores: ReadonlyMap<string, { env: EnvironmentSettings; store: ParameterStore }>,
): EnvironmentStores {
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
  };
}

/**
 * Locks held by the current async call chain, as `<estate root>\0<env>`. An operation that holds
 * an environment's lock (apply) calls others that take it too (publish, deploy): inside the
 * holder's call chain the lock is already ours, so they run without re-acquiring it (a lease lock
 * is not re-entrant and would otherwise wait for itself).
 */
const heldLocks = new AsyncLocalStorage<ReadonlySet<string>>();

export interface EnvironmentLockOptions {
  /** What the holder is doing, shown to whoever finds the lock taken. */
  operation: string;
  /** How long to wait for each lock another command holds, in ms (`--lock-timeout`); 0 fails at once. */
  wait?: number;
  /** Told when we wait for a holder, and when a dead holder's lock was taken over. */
  onWarning?: (message: string) => void;
}

/** The lock options of an operation run with `--lock-timeout` (absent: fail at once) and a warning sink. */
export function lockOptionsFor(
  operation: string,
  options: { lockTimeout?: number; onWarning?: (message: string) => void },
): EnvironmentLockOptions {
  return {
    operation,
    wait: options.lockTimeout ?? 0,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  };
}

/**
 * Runs `fn` holding the write lock of each environment in `envs`, taken as the session's actor.
 * Locks are taken in name order, so two commands locking overlapping sets cannot deadlock;
 * `wait` is how long to wait for each. Locks this call chain already holds are not taken again.
 * A lock left by a killed run on this host is taken over at once, audited and reported through
 * `onWarning`.
 */
export function withLocks<T>(
  session: Session,
  envs: readonly EnvironmentSettings[],
  options: EnvironmentLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  return lockInOrder(
    session.settings,
    envs,
    session.actor,
    options,
    (env) => session.lock(env.name),
    async (entry) => {
      await session.record(entry);
    },
    fn,
  );
}

async function lockInOrder<T>(
  settings: ProjectSettings,
  envs: readonly EnvironmentSettings[],
  owner: string,
  options: EnvironmentLockOptions,
  lockOf: (env: EnvironmentSettings) => Promise<EnvironmentLock>,
  record: (entry: AuditRecord) => Promise<void>,
  fn: () => Promise<T>,
): Promise<T> {
  const held = heldLocks.getStore() ?? new Set<string>();
  const keyOf = (env: EnvironmentSettings) => `${settings.root}\u0000${env.name}`;
  const sorted = [...envs]
    .filter((env) => !held.has(keyOf(env)))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (sorted.length === 0) return fn();
  const nowHeld = new Set([...held, ...sorted.map(keyOf)]);
  const lockNext = async (i: number): Promise<T> => {
    const env = sorted[i];
    if (!env) return heldLocks.run(nowHeld, fn);
    // taking and releasing a lock are writes like any other: both are audited
    const wait = options.wait ?? 0;
    let dead: LockHolder | undefined;
    let holder: LockHolder | undefined;
    try {
      return await withEnvironmentLock(
        await lockOf(env),
        env.name,
        {
          owner,
          operation: options.operation,
          wait,
          onWait: (current) =>
            options.onWarning?.(
              `environment "${env.name}" is locked by ${describeHolder(current)}; waiting up to ${Math.round(wait / 1000)}s for it (--lock-timeout)`,
            ),
          onTakeOver: (previous) => {
            dead = previous;
          },
        },
        async (handle) => {
          holder = handle.holder;
          if (dead !== undefined) await recordTakeOver(env.name, dead, options, record);
          await record(lockRecord("lock_acquire", `locked for "${options.operation}"`, holder));
          return lockNext(i + 1);
        },
      );
    } finally {
      if (holder) await record(lockRecord("lock_release", `released after "${options.operation}"`, holder));
    }
  };
  return lockNext(0);
}

function lockRecord(
  action: "lock_acquire" | "lock_release",
  message: string,
  holder: LockHolder,
): AuditRecord {
  return { action, status: "ok", env: holder.env, message, details: holderDetails(holder) };
}

/** A killed run's lock was taken over: say so, and keep a trace in the audit log. */
async function recordTakeOver(
  env: string,
  dead: LockHolder,
  options: EnvironmentLockOptions,
  record: (entry: AuditRecord) => Promise<unknown>,
): Promise<void> {
  const message = `took over the lock of environment "${env}" from ${dead.owner} (pid ${dead.pid} on ${dead.host}, "${dead.operation}" since ${dead.acquiredAt}): that process is no longer running`;
  options.onWarning?.(message);
  await record({
    action: "lock_takeover",
    status: "ok",
    env,
    message,
    details: { operation: options.operation, previous: holderDetails(dead) },
  });
}
