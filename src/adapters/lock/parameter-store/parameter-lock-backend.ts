/**
 * Environment locks in any ParameterStore (SSM, an SSM-compatible endpoint, the embedded store):
 * the lock is one parameter, `<prefix>/.karma/lock`, whose value is the holder as JSON.
 *
 * - Take: PutParameter with overwrite=false — SSM creates a name at most once, so of two
 *   acquirers exactly one succeeds; the other gets ParameterAlreadyExists and reads the holder.
 * - Take over an expired lock (or one whose holder is known to be dead): PutParameter overwrite=true with `expectedVersion` = the expired
 *   version, then check that the write produced exactly the next version and the value read back
 *   is ours. Stores that enforce `expectedVersion` atomically (the embedded one) make this exact;
 *   on real SSM two takeovers landing within the same few milliseconds are resolved by the
 *   version check, which at worst makes both give up and retry.
 * - Renew: overwrite with `expectedVersion` = our last version, only if the value is still ours.
 * - Release: delete, only if the value is still ours.
 *
 * The store serves one environment (one store per environment), so the name carries no env.
 */

import type { LockHolder } from "../../../ports/lock.js";
import {
  isParameterStoreError,
  type Parameter,
  type ParameterStore,
} from "../../../ports/parameter-store.js";
import type { LockBackend, TryAcquireResult } from "../lease-lock.js";

export function lockParameterName(prefix: string): string {
  return `${prefix.replace(/\/+$/, "")}/.karma/lock`;
}

const DESCRIPTION =
  "Karma environment lock: one writer per environment (karma lock status / release --force)";

/** A value that is not a holder (hand-edited, truncated) is shown as such and expires with its lease. */
function parseHolder(parameter: Parameter, env: string, fallbackTtlMs: number): LockHolder {
  try {
    const value = JSON.parse(parameter.value) as Partial<LockHolder>;
    if (
      typeof value.lockId === "string" &&
      typeof value.expiresAt === "string" &&
      !Number.isNaN(Date.parse(value.expiresAt))
    )
      return {
        lockId: value.lockId,
        env: typeof value.env === "string" ? value.env : env,
        owner: String(value.owner ?? "unknown"),
        pid: Number(value.pid ?? 0),
        host: String(value.host ?? "unknown"),
        operation: String(value.operation ?? "unknown"),
        acquiredAt: String(value.acquiredAt ?? parameter.lastModifiedDate.toISOString()),
        expiresAt: value.expiresAt,
      };
  } catch {
    // fall through
  }
  return {
    lockId: `unreadable-v${parameter.version}`,
    env,
    owner: `unknown (unreadable value in ${parameter.name})`,
    pid: 0,
    host: "unknown",
    operation: "unknown",
    acquiredAt: parameter.lastModifiedDate.toISOString(),
    expiresAt: new Date(parameter.lastModifiedDate.getTime() + fallbackTtlMs).toISOString(),
  };
}

function holderJson(holder: LockHolder): string {
  return JSON.stringify(holder);
}

export interface ParameterLockBackendOptions {
  store: ParameterStore;
  /** The environment's parameter prefix, e.g. `/iac`. */
  prefix: string;
  /** Lease assumed for an unreadable lock value, counted from its last modification. */
  fallbackTtlMs?: number;
}

export class ParameterLockBackend implements LockBackend {
  readonly description: string;
  private readonly name: string;

  constructor(private readonly options: ParameterLockBackendOptions) {
    this.name = lockParameterName(options.prefix);
    this.description = `parameter ${this.name} in ${options.store.description}`;
  }

  private get store(): ParameterStore {
    return this.options.store;
  }

  private async read(): Promise<Parameter | undefined> {
    try {
      return await this.store.getParameter(this.name);
    } catch (error) {
      if (isParameterStoreError(error, "ParameterNotFound")) return undefined;
      throw error;
    }
  }

  private holderOf(parameter: Parameter, env: string): LockHolder {
    return parseHolder(parameter, env, this.options.fallbackTtlMs ?? 15 * 60_000);
  }

  async tryAcquire(holder: LockHolder, now: Date, replace?: string): Promise<TryAcquireResult> {
    // Two rounds: a lock released between our failed create and our read is simply free again.
    for (let round = 0; round < 2; round++) {
      try {
        await this.store.putParameter({
          name: this.name,
          value: holderJson(holder),
          type: "String",
          overwrite: false,
          description: DESCRIPTION,
        });
        return { acquired: true };
      } catch (error) {
        if (!isParameterStoreError(error, "ParameterAlreadyExists")) throw error;
      }
      const current = await this.read();
      if (current === undefined) continue;
      const existing = this.holderOf(current, holder.env);
      if (Date.parse(existing.expiresAt) > now.getTime() && existing.lockId !== replace)
        return { acquired: false, holder: existing };
      if (await this.takeOver(holder, current.version)) return { acquired: true, tookOver: existing.lockId };
      const now2 = await this.read();
      if (now2 !== undefined) return { acquired: false, holder: this.holderOf(now2, holder.env) };
    }
    const last = await this.read();
    if (last !== undefined) return { acquired: false, holder: this.holderOf(last, holder.env) };
    // Freed and retaken repeatedly while we looked: report it as held by "someone" briefly.
    return {
      acquired: false,
      holder: { ...holder, owner: "another writer (the lock changed hands while we looked)" },
    };
  }

  /** Overwrites the expired version `expected`; true only if our write is the one that landed. */
  private async takeOver(holder: LockHolder, expected: number): Promise<boolean> {
    let written: number;
    try {
      written = (
        await this.store.putParameter({
          name: this.name,
          value: holderJson(holder),
          type: "String",
          overwrite: true,
          expectedVersion: expected,
          description: DESCRIPTION,
        })
      ).version;
    } catch (error) {
      if (isParameterStoreError(error, "TooManyUpdates") || isParameterStoreError(error, "ParameterNotFound"))
        return false;
      throw error;
    }
    const after = await this.read();
    if (written !== expected + 1 || after === undefined || after.version !== written) return false;
    if (this.holderOf(after, holder.env).lockId !== holder.lockId) return false;
    return true;
  }

  async renew(holder: LockHolder): Promise<boolean> {
    const current = await this.read();
    if (current === undefined || this.holderOf(current, holder.env).lockId !== holder.lockId) return false;
    try {
      await this.store.putParameter({
        name: this.name,
        value: holderJson(holder),
        type: "String",
        overwrite: true,
        expectedVersion: current.version,
        description: DESCRIPTION,
      });
      return true;
    } catch (error) {
      if (isParameterStoreError(error, "TooManyUpdates") || isParameterStoreError(error, "ParameterNotFound"))
        return false;
      throw error;
    }
  }

  async release(holder: LockHolder): Promise<void> {
    const current = await this.read();
    if (current === undefined || this.holderOf(current, holder.env).lockId !== holder.lockId) return;
    try {
      await this.store.deleteParameter(this.name);
    } catch (error) {
      if (!isParameterStoreError(error, "ParameterNotFound")) throw error;
    }
  }

  async inspect(env: string): Promise<LockHolder | null> {
    const current = await this.read();
    return current === undefined ? null : this.holderOf(current, env);
  }

  async forceRelease(env: string): Promise<LockHolder | null> {
    const current = await this.read();
    if (current === undefined) return null;
    try {
      await this.store.deleteParameter(this.name);
    } catch (error) {
      if (isParameterStoreError(error, "ParameterNotFound")) return null;
      throw error;
    }
    return this.holderOf(current, env);
  }

  /** The store belongs to the caller, who closes it. */
  async close(): Promise<void> {}
}
