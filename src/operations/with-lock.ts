import { type AcquireOptions, type EnvironmentLock, type LockHandle, LockLostError } from "../ports/lock.js";

/**
 * Runs `fn` holding the environment's lock and always releases it. Throws `LockHeldError` when
 * the lock is taken (after waiting `options.wait` ms), and `LockLostError` when the lock was
 * force-released or taken over while `fn` ran — its writes may have interleaved with another
 * writer's, which the user must hear about even though `fn` itself succeeded.
 */
export async function withEnvironmentLock<T>(
  lock: EnvironmentLock,
  env: string,
  options: AcquireOptions,
  fn: (handle: LockHandle) => Promise<T>,
): Promise<T> {
  const handle = await lock.acquire(env, options);
  try {
    const result = await fn(handle);
    // Background renewal may not have noticed yet: check the lock is still this handle's.
    const current = await lock.inspect(env);
    if (handle.lost || current?.lockId !== handle.holder.lockId)
      throw new LockLostError(env, handle.holder, current);
    return result;
  } finally {
    await handle.release();
  }
}
