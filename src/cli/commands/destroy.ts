import type { Command } from "commander";
import { destroyComponent } from "../../operations/provision.js";
import { withSessionFrom } from "../context.js";
import { lockTimeoutOption } from "../lock-timeout.js";
import { printJson, style } from "../output.js";
import { envOption, runHooks, shownPath, targetOf, withInterrupt } from "./provision-output.js";

export function register(program: Command): void {
  program
    .command("destroy")
    .description(
      "destroy a deployed component and delete its runtime (refused while deployed components depend on it)",
    )
    .argument("<type>", "component type")
    .argument("<nickname>", "component nickname")
    .option(...envOption)
    .option("--force", "destroy even though deployed components depend on it")
    .addOption(lockTimeoutOption())
    .option("--json", "machine-readable output")
    .action(
      async (
        type: string,
        nickname: string,
        opts: { env?: string; lockTimeout?: number; force?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const outcome = await withSessionFrom(cmd, async (session) => {
          const estate = await session.estate.load();
          return withInterrupt((signal) =>
            destroyComponent(session, estate, targetOf(type, nickname, opts.env), {
              ...runHooks(signal, opts.json),
              ...(opts.lockTimeout !== undefined ? { lockTimeout: opts.lockTimeout } : {}),
              ...(opts.force ? { force: true } : {}),
            }),
          );
        });
        if (opts.json) {
          printJson({
            component: outcome.component,
            runtimeDeleted: outcome.runtimeDeleted,
            forcedPast: outcome.forcedPast.map((d) => d.id),
            note: outcome.note ?? null,
            logFile: outcome.logFile,
          });
          return;
        }
        if (outcome.forcedPast.length) {
          process.stderr.write(
            `karma: warning: destroyed although ${outcome.forcedPast.map((d) => d.id).join(", ")} depend on it (--force)\n`,
          );
        }
        if (outcome.note) process.stdout.write(`note: ${outcome.note}\n`);
        process.stdout.write(
          `${style.green("destroyed")} ${outcome.component}${outcome.runtimeDeleted ? "; runtime deleted" : ""}\nlog: ${shownPath(outcome.logFile)}\n`,
        );
      },
    );
}
