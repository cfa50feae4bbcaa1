/** `karma lock status|release` as operations: who holds each lock, and an audited forced release. */
import type { EnvironmentSettings, JsonObject } from "../core/estate/model.js";
import { isExpired, type LockHolder } from "../ports/lock.js";
import type { Session } from "./session.js";

export type LockState = "free" | "held" | "expired";

export interface EnvironmentLockStatus {
  env: string;
  state: LockState;
  holder: LockHolder | null;
  /** Where the lock lives, e.g. "sqlite .karma/karma.db". */
  lock: string;
}

export async function lockStatuses(
  session: Session,
  environments: readonly EnvironmentSettings[],
): Promise<EnvironmentLockStatus[]> {
  const now = session.now();
  const statuses: EnvironmentLockStatus[] = [];
  for (const env of environments) {
    const lock = await session.lock(env.name);
    const holder = await lock.inspect(env.name);
    const state: LockState = holder === null ? "free" : isExpired(holder, now) ? "expired" : "held";
    statuses.push({ env: env.name, state, holder, lock: lock.description });
  }
  return statuses;
}

/** Removes the environment's lock whoever holds it; audited. Returns the holder removed. */
export async function forceReleaseLock(session: Session, env: string): Promise<LockHolder | null> {
  const released = await (await session.lock(env)).forceRelease(env);
  await session.record({
    action: "lock_release",
    status: "ok",
    env,
    message: released
      ? `force-released the lock held by ${released.owner} for "${released.operation}"`
      : "force release: the environment was not locked",
    details: { forced: true, holder: released ? holderDetails(released) : null },
  });
  return released;
}

export function holderDetails(h: LockHolder): JsonObject {
  return {
    lockId: h.lockId,
    env: h.env,
    owner: h.owner,
    pid: h.pid,
    host: h.host,
    operation: h.operation,
    acquiredAt: h.acquiredAt,
    expiresAt: h.expiresAt,
  };
}
