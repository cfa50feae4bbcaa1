/**
 * `karma lock status|release`: who holds each environment's write lock, and removing a stuck one
 * (`--force`, recorded in the audit log).
 */
import type { Command } from "commander";
import { UserError } from "../../core/errors.js";
import {
  type EnvironmentLockStatus,
  forceReleaseLock,
  type LockState,
  lockStatuses,
} from "../../operations/locks.js";
import { selectEnvironment, withSessionFrom } from "../context.js";
import { formatTable, printJson, style } from "../output.js";

export type { EnvironmentLockStatus };

export function register(program: Command): void {
  const lock = program.command("lock").description("environment write locks (one writer per environment)");

  lock
    .command("status")
    .description("who holds each environment's lock")
    .option("--env <name>", "only this environment (default: all)")
    .option("--json", "machine-readable output")
    .action(async (opts: { env?: string; json?: boolean }, cmd: Command) => {
      const statuses = await withSessionFrom(cmd, (session) => {
        const { settings } = session;
        const environments =
          opts.env !== undefined || settings.environments.length === 0
            ? [selectEnvironment(settings, opts.env)]
            : settings.environments;
        return lockStatuses(session, environments);
      });
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
      const { env, released } = await withSessionFrom(cmd, async (session) => {
        const env = selectEnvironment(session.settings, opts.env);
        if (!opts.force)
          throw new UserError(
            `not releasing the lock of "${env.name}" without --force`,
            `check the holder is gone with: karma lock status --env ${env.name}; then run: karma lock release --force --env ${env.name}`,
          );
        return { env, released: await forceReleaseLock(session, env.name) };
      });
      if (opts.json) printJson({ env: env.name, released });
      else if (released)
        process.stdout.write(
          `released the lock of "${env.name}" held by ${released.owner} (pid ${released.pid} on ${released.host}, "${released.operation}" since ${released.acquiredAt})\n`,
        );
      else process.stdout.write(`"${env.name}" was not locked\n`);
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
