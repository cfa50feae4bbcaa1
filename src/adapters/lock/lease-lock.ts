/**
 * The lease algorithm shared by every lock backend: build the holder record, try to take the
 * lock, wait with backoff while someone else holds it, renew the lease in the background while
 * held, and release only what is still ours.
 *
 * A backend supplies the atomic primitives on its storage (a SQLite row, a parameter created
 * with no-overwrite); everything else is here so all backends behave the same.
 */
import { hostname } from "node:os";
import {
  type AcquireOptions,
  DEFAULT_LOCK_TTL_MS,
  type EnvironmentLock,
  type LockHandle,
  LockHeldError,
  type LockHolder,
  LockLostError,
} from "../../ports/lock.js";
import { builtin } from "../builtins.js";

/** `tookOver`: the lock id replaced when the lock was taken from a dead holder (`replace`). */
export type TryAcquireResult =
  | { acquired: true; tookOver?: string }
  | { acquired: false; holder: LockHolder };

/** Atomic operations on one storage. `now` is the caller's clock, for expiry decisions. */
export interface LockBackend {
  readonly description: string;
  /**
   * Takes the lock for `holder` if it is free, expired, or still held by the lock id `replace`
   * (a holder known to be dead), atomically; else reports the holder.
   */
  tryAcquire(holder: LockHolder, now: Date, replace?: string): Promise<TryAcquireResult>;
  /** Writes `holder` (a new `expiresAt`) if the lock is still `holder.lockId`'s; false otherwise. */
  renew(holder: LockHolder): Promise<boolean>;
  /** Removes the lock if it is still `holder.lockId`'s. */
  release(holder: LockHolder): Promise<void>;
  inspect(env: string): Promise<LockHolder | null>;
  forceRelease(env: string): Promise<LockHolder | null>;
  close(): Promise<void>;
}

/**
 * Runs `tick` every `ms` until the returned function stops it. Tests pass one they drive by
 * hand, so background renewal happens exactly when the test says, with no waiting.
 */
export type Repeat = (ms: number, tick: () => Promise<void>) => () => void;

/** Every `ms` on the event loop; never keeps a finished process alive. */
export const repeatOnTimer: Repeat = (ms, tick) => {
  const timer = setInterval(() => {
    void tick();
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export interface LeaseLockOptions {
  /** Clock, for tests. */
  now?: () => Date;
  /** Sleep, for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Background renewal's schedule, for tests; default {@link repeatOnTimer}. */
  repeat?: Repeat;
  pid?: number;
  host?: string;
  /** Whether a process of this host is running, for tests; default: signal 0. */
  isAlive?: (pid: number) => boolean;
}

/** Signal 0 checks existence: ESRCH means no such process; EPERM means it runs as someone else. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 1_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every handle this process holds, whichever lock object took it: what a signal must release. */
const heldHandles = new Set<LeaseHandle>();

/**
 * Releases every lock this process holds and returns their holders; for a signal handler that is
 * about to end the process (a lock released on the way out is not left for the next run).
 */
export async function releaseHeldLocks(): Promise<LockHolder[]> {
  const handles = [...heldHandles];
  const results = await Promise.allSettled(handles.map((h) => h.release()));
  return handles
    .filter((_, i) => results[i]?.status === "fulfilled" && !handles[i]!.lost)
    .map((h) => h.holder);
}

export class LeaseLock implements EnvironmentLock {
  readonly description: string;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly handles = new Set<LeaseHandle>();

  constructor(
    private readonly backend: LockBackend,
    private readonly options: LeaseLockOptions = {},
  ) {
    this.description = backend.description;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? realSleep;
  }

  async acquire(env: string, options: AcquireOptions): Promise<LockHandle> {
    const ttl = options.ttl ?? DEFAULT_LOCK_TTL_MS;
    if (!(ttl > 0)) throw new TypeError(`lock ttl must be positive, got ${ttl}`);
    const wait = Math.max(0, options.wait ?? 0);
    const started = this.now().getTime();
    let poll = FIRST_POLL_MS;
    let announced = false;
    // a holder on this host whose process is gone is taken over at once, not after its lease;
    // each dead holder is tried once, so losing that race to a third process is not retried forever
    let dead: LockHolder | undefined;
    const triedDead = new Set<string>();
    for (;;) {
      const now = this.now();
      const holder: LockHolder = {
        lockId: builtin("node:crypto").randomUUID(),
        env,
        owner: options.owner,
        pid: this.options.pid ?? process.pid,
        host: this.options.host ?? hostname(),
        operation: options.operation,
        acquiredAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ttl).toISOString(),
      };
      const result = await this.backend.tryAcquire(holder, now, dead?.lockId);
      if (result.acquired) {
        if (dead !== undefined && result.tookOver === dead.lockId) options.onTakeOver?.(dead);
        const renewEvery = options.renewEvery ?? Math.max(1, Math.floor(ttl / 3));
        const handle = new LeaseHandle(
          this.backend,
          holder,
          ttl,
          renewEvery,
          this.now,
          this.options.repeat ?? repeatOnTimer,
          (h) => this.handles.delete(h),
        );
        this.handles.add(handle);
        return handle;
      }
      dead = undefined;
      if (this.holderIsDead(result.holder, holder.host) && !triedDead.has(result.holder.lockId)) {
        dead = result.holder;
        triedDead.add(dead.lockId);
        continue;
      }
      const waited = this.now().getTime() - started;
      if (waited >= wait) throw new LockHeldError(env, result.holder, waited);
      if (!announced) {
        announced = true;
        options.onWait?.(result.holder);
      }
      await this.sleep(Math.min(poll, wait - waited));
      poll = Math.min(MAX_POLL_MS, poll * 2);
    }
  }

  /** Only a holder on this host can be checked; one elsewhere keeps its lease. */
  private holderIsDead(holder: LockHolder, host: string): boolean {
    if (holder.host !== host || !Number.isInteger(holder.pid) || holder.pid <= 0) return false;
    return !(this.options.isAlive ?? processIsAlive)(holder.pid);
  }

  inspect(env: string): Promise<LockHolder | null> {
    return this.backend.inspect(env);
  }

  forceRelease(env: string): Promise<LockHolder | null> {
    return this.backend.forceRelease(env);
  }

  /** Releases every handle still held by this lock object, then closes the backend. */
  async close(): Promise<void> {
    for (const handle of [...this.handles]) await handle.release();
    await this.backend.close();
  }
}

class LeaseHandle implements LockHandle {
  private current: LockHolder;
  private stopTimer: (() => void) | undefined;
  private isLost = false;
  private released = false;

  constructor(
    private readonly backend: LockBackend,
    holder: LockHolder,
    private readonly ttl: number,
    renewEvery: number | false,
    private readonly now: () => Date,
    repeat: Repeat,
    private readonly forget: (handle: LeaseHandle) => void,
  ) {
    this.current = holder;
    heldHandles.add(this);
    if (renewEvery !== false)
      // Background renewal: a failure marks the handle lost; `renew()` callers see the error.
      this.stopTimer = repeat(renewEvery, () => this.renew().catch(() => {}));
  }

  get env(): string {
    return this.current.env;
  }

  get holder(): LockHolder {
    return this.current;
  }

  get lost(): boolean {
    return this.isLost;
  }

  async renew(): Promise<void> {
    if (this.released) throw new Error(`the lock on "${this.env}" was already released`);
    if (this.isLost) throw new LockLostError(this.env, this.current, await this.backend.inspect(this.env));
    const next = { ...this.current, expiresAt: new Date(this.now().getTime() + this.ttl).toISOString() };
    if (await this.backend.renew(next)) {
      this.current = next;
      return;
    }
    this.isLost = true;
    this.stopRenewing();
    throw new LockLostError(this.env, this.current, await this.backend.inspect(this.env));
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopRenewing();
    this.forget(this);
    heldHandles.delete(this);
    if (!this.isLost) await this.backend.release(this.current);
  }

  private stopRenewing(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }
}
