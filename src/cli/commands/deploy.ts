import type { Command } from "commander";
import { CANDIDATE } from "../../core/contracts/labels.js";
import { formatProblem } from "../../core/errors.js";
import { deployComponent } from "../../operations/provision.js";
import { withSessionFrom } from "../context.js";
import { lockTimeoutOption } from "../lock-timeout.js";
import { ExitCode, printJson, style } from "../output.js";
import {
  approvalPrompt,
  envOption,
  planJson,
  printPlan,
  runHooks,
  shownPath,
  summaryLine,
  targetOf,
  withInterrupt,
} from "./provision-output.js";

export function register(program: Command): void {
  program
    .command("deploy")
    .description("deploy a component's published config and publish what was deployed as its runtime")
    .argument("<type>", "component type")
    .argument("<nickname>", "component nickname")
    .option(...envOption)
    .option("--auto-approve", "apply without asking (required when there is no terminal)")
    .option(
      "--candidate",
      "blue-green: deploy beside the live version and label the new runtime `candidate`; consumers keep the `live` one until `karma promote`",
    )
    .addOption(lockTimeoutOption())
    .option("--json", "machine-readable output (implies nothing is asked: use with --auto-approve)")
    .action(
      async (
        type: string,
        nickname: string,
        opts: {
          env?: string;
          lockTimeout?: number;
          autoApprove?: boolean;
          json?: boolean;
          candidate?: boolean;
        },
        cmd: Command,
      ) => {
        const what = `${opts.env ? `${opts.env}:` : ""}${type}/${nickname}`;
        const outcome = await withSessionFrom(cmd, async (session) => {
          const estate = await session.estate.load();
          return withInterrupt((signal) =>
            deployComponent(session, estate, targetOf(type, nickname, opts.env), {
              ...runHooks(signal, opts.json),
              ...(opts.candidate ? { candidate: true } : {}),
              ...(opts.lockTimeout !== undefined ? { lockTimeout: opts.lockTimeout } : {}),
              ...(opts.autoApprove ? {} : { confirm: approvalPrompt(what) }),
            }),
          );
        });
        if (opts.json) {
          printJson({
            component: outcome.component,
            applied: outcome.applied,
            configVersion: outcome.configVersion,
            consumed: outcome.consumed,
            ...planJson(outcome.plan),
            runtime: outcome.runtime ?? null,
            outputKeys: outcome.outputKeys,
            sensitiveKeys: outcome.sensitiveKeys,
            logFile: outcome.logFile,
            slot: outcome.slot ?? null,
            label: outcome.label ?? null,
            contractViolations: outcome.contractViolations,
          });
          if (outcome.contractViolations.length > 0) process.exitCode = ExitCode.error;
          return;
        }
        if (opts.autoApprove || !outcome.plan.summary.hasChanges) printPlan(outcome.plan, outcome);
        if (!outcome.applied) {
          process.stdout.write(
            `${style.yellow("not applied")}: the plan was not approved; nothing changed\n`,
          );
          return;
        }
        const r = outcome.runtime;
        const runtime =
          r?.kind === "written"
            ? `runtime v${r.version} published${r.secure ? " as a SecureString (sensitive outputs)" : ""}`
            : r?.kind === "module-published"
              ? `runtime v${r.version} was published by the module itself; kept as is`
              : `runtime unchanged (v${r?.version})`;
        process.stdout.write(
          `${style.green("deployed")} ${outcome.component}: ${summaryLine(outcome.plan)}; ${runtime}\n` +
            `outputs: ${outcome.outputKeys.join(", ") || "(none)"}${outcome.sensitiveKeys.length ? ` (sensitive: ${outcome.sensitiveKeys.join(", ")})` : ""}\n` +
            `log: ${shownPath(outcome.logFile)}\n`,
        );
        if (outcome.label === CANDIDATE)
          process.stdout.write(
            `candidate: runtime v${r?.version} (slot ${outcome.slot}); consumers still read the live version. Next: karma test '...${type}/${nickname}' --against candidate, then karma promote ${type} ${nickname}\n`,
          );
        if (outcome.contractViolations.length > 0) {
          for (const p of outcome.contractViolations)
            process.stdout.write(`${style.red("error")} ${formatProblem(p)}\n`);
          process.stdout.write(
            `${style.red("contract broken")}: the new runtime of ${outcome.component} breaks its output contract; consumers must not be redeployed from it\n`,
          );
          process.exitCode = ExitCode.error;
        }
      },
    );
}
