/**
 * The environment lock port: one writer per environment. publish, apply, deploy and destroy take
 * the lock of the environment they write to, so two of them never interleave their writes.
 *
 * A lock is a lease: it expires (15 minutes by default) unless its holder renews it, which a
 * handle does by itself while held. An expired lock is taken over by the next acquirer, so a
 * crashed process never blocks an environment for longer than one lease; a holder on the same
 * host whose process is gone is taken over at once. `forceRelease` removes
 * a lock whoever holds it (`karma lock release --force`, audited).
 *
 * Every implementation must pass `environmentLockContract` in `adapters/lock/contract.ts`.
 */
import { UserError } from "../core/errors.js";

/** Who holds a lock; stored with the lock and shown to whoever finds it taken. */
export interface LockHolder {
  /** Random id of this acquisition: how a handle tells its own lock from a successor's. */
  lockId: string;
  env: string;
  /** Who: `KARMA_ACTOR` or `user@host`. */
  owner: string;
  pid: number;
  host: string;
  /** What the holder is doing, e.g. `publish`, `apply`, `deploy vpc/main`. */
  operation: string;
  /** ISO 8601. */
  acquiredAt: string;
  /** ISO 8601; after this instant anyone may take the lock over. */
  expiresAt: string;
}

export interface AcquireOptions {
  owner: string;
  operation: string;
  /** How long to wait for a held lock, in ms; 0 (default) fails at once with `LockHeldError`. */
  wait?: number;
  /** Lease length in ms; default {@link DEFAULT_LOCK_TTL_MS}. */
  ttl?: number;
  /** Renew the lease every this many ms while held (default ttl / 3); `false` never renews. */
  renewEvery?: number | false;
  /** Called once when the lock is found taken and the caller is going to wait. */
  onWait?: (holder: LockHolder) => void;
  /**
   * Called when the lock was taken over from a holder on this host whose process is gone (a
   * killed run): such a lock is taken at once, not after its lease.
   */
  onTakeOver?: (previous: LockHolder) => void;
}

export const DEFAULT_LOCK_TTL_MS = 15 * 60_000;

export interface LockHandle {
  readonly env: string;
  /** The holder record as last written (its `expiresAt` moves with each renewal). */
  readonly holder: LockHolder;
  /** True once the lock turned out to be someone else's (force-released, or taken over after expiry). */
  readonly lost: boolean;
  /** Extends the lease now; throws `LockLostError` if the lock is no longer ours. */
  renew(): Promise<void>;
  /** Stops renewing and removes the lock if it is still ours. Idempotent; never throws for a lost lock. */
  release(): Promise<void>;
}

export interface EnvironmentLock {
  /** For humans, e.g. "sqlite .karma/karma.db" or "parameter /iac/.karma/lock". */
  readonly description: string;
  acquire(env: string, options: AcquireOptions): Promise<LockHandle>;
  /** The current holder, expired or not; null when the environment is not locked. */
  inspect(env: string): Promise<LockHolder | null>;
  /** Removes the lock whoever holds it; returns the holder removed, or null when there was none. */
  forceRelease(env: string): Promise<LockHolder | null>;
  close(): Promise<void>;
}

export function isExpired(holder: LockHolder, now: Date): boolean {
  return Date.parse(holder.expiresAt) <= now.getTime();
}

/** `alice@host (pid 42 on build-7), running "apply" since 2026-…, lease until 2026-…` */
export function describeHolder(holder: LockHolder): string {
  return `${holder.owner} (pid ${holder.pid} on ${holder.host}), running "${holder.operation}" since ${holder.acquiredAt}, lease until ${holder.expiresAt}`;
}

/** The environment is locked by someone else (and waiting, if asked, did not help). */
export class LockHeldError extends UserError {
  override name = "LockHeldError";
  constructor(
    readonly env: string,
    readonly holder: LockHolder,
    waitedMs = 0,
  ) {
    super(
      `environment "${env}" is locked by ${describeHolder(holder)}${waitedMs > 0 ? `; waited ${Math.round(waitedMs / 1000)}s` : ""}`,
      `wait for it to finish (--lock-timeout 5m waits for you) and retry; if that process is gone, the lock expires at ${holder.expiresAt}, or release it now with: karma lock release --force --env ${env}`,
    );
  }
}

/** A held lock was force-released or taken over; the work done under it may have raced. */
export class LockLostError extends UserError {
  override name = "LockLostError";
  constructor(
    readonly env: string,
    readonly holder: LockHolder,
    readonly current: LockHolder | null,
  ) {
    super(
      `the lock on environment "${env}" taken for "${holder.operation}" was lost${current ? `: it is now held by ${describeHolder(current)}` : ": it was released by someone else"}`,
      `check what else wrote to "${env}" with: karma log list --since ${holder.acquiredAt}; then rerun the command`,
    );
  }
}
