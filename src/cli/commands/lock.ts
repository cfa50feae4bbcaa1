/**
 * `karma lock status|release`: who holds each environment's write lock, and removing a stuck one
 * (`--force`, recorded in the audit log).
 */
import type { Command } from "commander";
import { openAuditLog } from "../../adapters/audit/factory.js";
import { currentActor } from "../../adapters/git/provenance.js";
import { openEnvironmentLock } from "../../adapters/lock/factory.js";
import { UserError } from "../../core/errors.js";
import type { EnvironmentSettings, JsonObject, ProjectSettings } from "../../core/estate/model.js";
import { type EnvironmentLock, isExpired, type LockHolder } from "../../ports/lock.js";
import { loadSettingsFrom, selectEnvironment, withParameterStore } from "../context.js";
import { formatTable, printJson, style } from "../output.js";

type LockState = "free" | "held" | "expired";

export interface EnvironmentLockStatus {
  env: string;
  state: LockState;
  holder: LockHolder | null;
  /** Where the lock lives, e.g. "sqlite .karma/karma.db". */
  lock: string;
}

export function register(program: Command): void {
  const lock = program.command("lock").description("environment write locks (one writer per environment)");

  lock
    .command("status")
    .description("who holds each environment's lock")
    .option("--env <name>", "only this environment (default: all)")
    .option("--json", "machine-readable output")
    .action(async (opts: { env?: string; json?: boolean }, cmd: Command) => {
      const settings = loadSettingsFrom(cmd);
      const environments =
        opts.env !== undefined || settings.environments.length === 0
          ? [selectEnvironment(settings, opts.env)]
          : settings.environments;
      const now = new Date();
      const statuses: EnvironmentLockStatus[] = [];
      for (const env of environments)
        statuses.push(
          await withLock(settings, env, async (l) => {
            const holder = await l.inspect(env.name);
            const state: LockState = holder === null ? "free" : isExpired(holder, now) ? "expired" : "held";
            return { env: env.name, state, holder, lock: l.description };
          }),
        );
      if (opts.json) printJson({ locks: statuses });
      else printLockStatuses(statuses);
    });

  lock
    .command("release")
    .description("remove an environment's lock whoever holds it (for stuck locks; audited)")
    .option("--env <name>", "the environment (required when there are several)")
    .option("--force", "really remove it: the holder's writes may still be running")
    .option("--json", "machine-readable output")
    .action(async (opts: { env?: string; force?: boolean; json?: boolean }, cmd: Command) => {
      const settings = loadSettingsFrom(cmd);
      const env = selectEnvironment(settings, opts.env);
      if (!opts.force)
        throw new UserError(
          `not releasing the lock of "${env.name}" without --force`,
          `check the holder is gone with: karma lock status --env ${env.name}; then run: karma lock release --force --env ${env.name}`,
        );
      const released = await withLock(settings, env, (l) => l.forceRelease(env.name));
      const audit = openAuditLog(settings);
      try {
        await audit.append({
          action: "lock_release",
          status: "ok",
          actor: currentActor(),
          source: "cli",
          env: env.name,
          message: released
            ? `force-released the lock held by ${released.owner} for "${released.operation}"`
            : "force release: the environment was not locked",
          details: { forced: true, holder: released ? holderDetails(released) : null },
        });
      } finally {
        await audit.close();
      }
      if (opts.json) printJson({ env: env.name, released });
      else if (released)
        process.stdout.write(
          `released the lock of "${env.name}" held by ${released.owner} (pid ${released.pid} on ${released.host}, "${released.operation}" since ${released.acquiredAt})\n`,
        );
      else process.stdout.write(`"${env.name}" was not locked\n`);
    });
}

function holderDetails(h: LockHolder): JsonObject {
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

/** Opens the environment's store and lock, runs `fn`, and closes both. */
function withLock<T>(
  settings: ProjectSettings,
  env: EnvironmentSettings,
  fn: (lock: EnvironmentLock) => Promise<T>,
): Promise<T> {
  return withParameterStore(settings, env, async (store) => {
    const lock = openEnvironmentLock(settings, env, store);
    try {
      return await fn(lock);
    } finally {
      await lock.close();
    }
  });
}

const statePaint: Record<LockState, (t: string) => string> = {
  free: style.green,
  held: style.yellow,
  expired: style.red,
};

export function printLockStatuses(statuses: readonly EnvironmentLockStatus[]): void {
  const rows = statuses.map((s) => [
    s.env,
    statePaint[s.state](s.state),
    s.holder?.owner ?? "-",
    s.holder?.operation ?? "-",
    s.holder ? `${s.holder.pid}@${s.holder.host}` : "-",
    s.holder?.acquiredAt ?? "-",
    s.holder?.expiresAt ?? "-",
  ]);
  process.stdout.write(
    `${formatTable(["ENV", "STATE", "OWNER", "OPERATION", "PROCESS", "SINCE", "EXPIRES"], rows)}\n`,
  );
  const stuck = statuses.filter((s) => s.state !== "free");
  for (const s of stuck)
    process.stdout.write(
      style.dim(
        s.state === "expired"
          ? `${s.env}: the lease expired; the next writer takes it over\n`
          : `${s.env}: if that process is gone: karma lock release --force --env ${s.env}\n`,
      ),
    );
}
