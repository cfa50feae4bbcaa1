import type { Command } from "commander";
import { planComponent } from "../../operations/provision.js";
import { loadEstateFrom } from "../context.js";
import { ExitCode, printJson } from "../output.js";
import {
  envOption,
  planJson,
  printPlan,
  progressPrinter,
  shownPath,
  withInterrupt,
} from "./provision-output.js";

export function register(program: Command): void {
  program
    .command("plan")
    .description("show what deploying a component would change (its published config, $refs resolved)")
    .argument("<type>", "component type")
    .argument("<nickname>", "component nickname")
    .option(...envOption)
    .option("--destroy", "plan destroying it instead")
    .option("--check", "exit 2 when the plan has changes")
    .option("--json", "machine-readable output")
    .action(
      async (
        type: string,
        nickname: string,
        opts: { env?: string; destroy?: boolean; check?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const estate = await loadEstateFrom(cmd);
        const onProgress = opts.json ? undefined : progressPrinter();
        const outcome = await withInterrupt((signal) =>
          planComponent(
            estate,
            { type, nickname, ...(opts.env ? { env: opts.env } : {}) },
            {
              signal,
              ...(onProgress ? { onProgress } : {}),
              ...(opts.destroy ? { destroy: true } : {}),
            },
          ),
        );
        if (opts.json) {
          printJson({
            component: outcome.component,
            configVersion: outcome.configVersion,
            consumed: outcome.consumed,
            ...planJson(outcome.plan),
            logFile: outcome.plan.logFile,
          });
        } else {
          printPlan(outcome.plan, outcome);
          process.stdout.write(`log: ${shownPath(outcome.plan.logFile)}\n`);
        }
        if (opts.check && outcome.plan.summary.hasChanges) process.exitCode = ExitCode.changes;
      },
    );
}
