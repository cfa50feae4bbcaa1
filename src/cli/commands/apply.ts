import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { UserError } from "../../core/errors.js";
import { describeVerdict } from "../../core/planning/render/text.js";
import { blockingVerdicts } from "../../core/policies/evaluate.js";
import { applyDocument } from "../../operations/apply/document.js";
import { policyRefusal } from "../../operations/apply/refusal.js";
import {
  type ApplyComponentResult,
  type ApplyEvent,
  type ApplyPlan,
  type ApplyResult,
  type ApplyStatus,
  applyEstate,
  DEFAULT_PARALLELISM,
} from "../../operations/apply.js";
import { parseSavedPlan, type SavedPlan } from "../../operations/plan/saved.js";
import { withSessionFrom } from "../context.js";
import { lockTimeoutOption } from "../lock-timeout.js";
import { ExitCode, formatTable, printJson, style } from "../output.js";
import { runHooks, withInterrupt } from "./provision-output.js";

interface ApplyFlags {
  since?: string;
  dryRun?: boolean;
  parallelism?: number;
  keepGoing?: boolean;
  autoApprove?: boolean;
  approve?: boolean;
  lockTimeout?: number;
  json?: boolean;
}

function positiveInt(flag: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1)
      throw new UserError(`${flag} must be a whole number ≥ 1, got "${text}"`, `e.g. ${flag} 4`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command("apply")
    .description(
      "publish changed configs and deploy them wave by wave; dependents redeploy only when a key they consume changed",
    )
    .argument(
      "[selector-or-plan]",
      "which components (default: all), or a saved plan file from `karma plan --out plan.json`",
    )
    .option("--since <ref>", "only components changed since this git revision (config, module or schema)")
    .option(
      "--parallelism <n>",
      `components deploying at once (default ${DEFAULT_PARALLELISM})`,
      positiveInt("--parallelism"),
    )
    .option("--keep-going", "continue past failures with everything that does not depend on them")
    .option("--auto-approve", "apply without asking (required when there is no terminal)")
    .option("--approve", "approve policy rules that allow it (protected components, blast radius)")
    .addOption(lockTimeoutOption())
    .option("--dry-run", "show the plan apply would execute (the same Plan as `karma plan`); write nothing")
    .option("--json", "machine-readable output (nothing is asked: use with --auto-approve)")
    .addHelpText(
      "after",
      `
Saved plans:
  karma plan --out plan.json      make the plan, show it, and save it with a fingerprint of its inputs
  karma apply plan.json           execute exactly that plan; refused, naming what moved, if the estate
                                  files, a published config or a producer's runtime changed since
A saved plan is judged as apply judges (every policy violation is an error unless --approve was
given when it was made); a selector, --since or --approve cannot be combined with a plan file.`,
    )
    .action(async (first: string | undefined, opts: ApplyFlags, cmd: Command) => {
      const human = !opts.json;
      const saved = first !== undefined && isPlanFile(first) ? readSavedPlanFile(first) : undefined;
      if (saved && (opts.since !== undefined || opts.approve))
        throw new UserError(
          "a saved plan is applied as it was made: --since and --approve cannot be combined with a plan file",
          "make a new plan with those options: `karma plan --out plan.json …`",
        );
      const selector = saved ? undefined : first;
      const result = await withSessionFrom(cmd, async (session) => {
        const estate = await session.estate.load();
        return withInterrupt((signal) =>
          applyEstate(session, estate, {
            ...(saved ? { saved } : {}),
            ...(opts.dryRun ? { dryRun: true } : {}),
            ...(selector !== undefined ? { selector } : {}),
            ...(opts.since !== undefined ? { since: opts.since } : {}),
            ...(opts.parallelism !== undefined ? { parallelism: opts.parallelism } : {}),
            keepGoing: opts.keepGoing === true,
            approve: opts.approve === true,
            ...(opts.lockTimeout !== undefined ? { lockTimeout: opts.lockTimeout } : {}),
            ...runHooks(signal, opts.json),
            ...(human ? { onEvent: printEvent } : {}),
            confirm: async (plan) => {
              if (human) printApplyPlan(plan);
              if (opts.autoApprove || saved) return true;
              return ask(plan);
            },
          }),
        );
      });
      if (opts.dryRun) {
        if (opts.json) printJson(applyDocument(result));
        else printApplyPlan(result.plan);
        if (blockingVerdicts(result.plan.verdicts).length > 0)
          throw policyRefusal("apply", blockingVerdicts(result.plan.verdicts));
        return;
      }
      if (opts.json) printJson(applyDocument(result));
      else printSummary(result);
      if (
        result.summary.failed > 0 ||
        (result.confirmed && result.summary.skipped > 0 && signalAborted(result))
      )
        process.exitCode = ExitCode.error;
    });
}

function signalAborted(result: ApplyResult): boolean {
  return result.results.some((r) => r.status === "skipped" && r.reason === "not started: interrupted");
}

async function ask(plan: ApplyPlan): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new UserError(
      `not applying ${plan.entries.length} component(s): there is no terminal to confirm on (nothing was changed)`,
      "review the plan above (or with `karma plan`), then pass --auto-approve",
    );
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`apply this plan? only "yes" is accepted: `);
    return answer.trim() === "yes";
  } finally {
    rl.close();
  }
}

export function printApplyPlan(plan: ApplyPlan): void {
  const out = process.stdout;
  const targets = plan.entries.filter((e) => e.cause !== undefined).length;
  out.write(
    `${style.bold("apply plan")}: ${targets} to apply, ${plan.entries.length - targets} dependent(s) to check, in ${plan.waves.length} wave(s)\n`,
  );
  const byId = new Map(plan.entries.map((e) => [e.id, e]));
  plan.waves.forEach((wave, i) => {
    out.write(`  wave ${i + 1}\n`);
    for (const id of wave) {
      const e = byId.get(id)!;
      out.write(
        e.cause !== undefined
          ? `    ${id}  ${style.dim(e.cause)}\n`
          : `    ${id}  ${style.dim(`dependent (${(e.path ?? []).join(" ← ")}): runs only if a key it consumes changes`)}\n`,
      );
    }
  });
  if (plan.publish.length) out.write(`  publishes first: ${plan.publish.join(", ")}\n`);
  if (plan.removed.length)
    out.write(
      `  ${style.yellow("removed from Git")} (apply does not destroy; use karma destroy): ${plan.removed.join(", ")}\n`,
    );
  if (plan.notInGit.length)
    out.write(`  ${style.yellow("no config in Git")} (not deployed): ${plan.notInGit.join(", ")}\n`);
  for (const w of plan.warnings) out.write(`  ${style.yellow("needs attention")}: ${w}\n`);
  for (const v of plan.verdicts) out.write(`  ${describeVerdict(v)}\n`);
}

const paint: Record<ApplyStatus, (t: string) => string> = {
  deployed: style.green,
  unchanged: style.dim,
  unaffected: style.dim,
  attention: style.yellow,
  skipped: style.yellow,
  failed: style.red,
};

function printEvent(event: ApplyEvent): void {
  const out = process.stdout;
  switch (event.kind) {
    case "published":
      if (event.ids.length) out.write(`published ${event.ids.join(", ")}\n`);
      return;
    case "started":
      out.write(`→ ${event.id} (wave ${event.wave + 1})${event.reason ? `: ${event.reason}` : ""}\n`);
      return;
    case "ended": {
      const r = event.result;
      out.write(
        `${paint[r.status](r.status.padEnd(10))} ${r.id}${r.reason ? `  ${style.dim(r.reason)}` : ""}\n`,
      );
      return;
    }
  }
}

function printSummary(result: ApplyResult): void {
  const out = process.stdout;
  if (!result.confirmed) {
    out.write(`${style.yellow("not applied")}: the plan was not approved; nothing changed\n`);
    return;
  }
  if (result.plan.entries.length === 0) {
    out.write("nothing to apply: every selected component is published, deployed and up to date\n");
    return;
  }
  const rows = result.results.map((r: ApplyComponentResult) => [
    r.id,
    paint[r.status](r.status),
    r.runtimeVersion === undefined ? "-" : `v${r.runtimeVersion}`,
    r.logFile ?? "-",
    r.reason ?? "",
  ]);
  out.write(`\n${formatTable(["COMPONENT", "RESULT", "RUNTIME", "LOG", "WHY"], rows)}\n`);
  const s = result.summary;
  out.write(
    `${s.deployed} deployed, ${s.unchanged} unchanged, ${s.unaffected} unaffected, ${s.attention} need attention, ${s.skipped} skipped, ${s.failed} failed\n`,
  );
  if (s.failed > 0 || s.skipped > 0)
    out.write(style.dim("run karma apply again once fixed: it resumes with what failed or was skipped\n"));
}

/** A first argument naming an existing file (e.g. plan.json) is a saved plan, not a selector. */
function isPlanFile(arg: string): boolean {
  const path = resolvePath(arg);
  return (arg.endsWith(".json") || arg.includes("/")) && existsSync(path) && statSync(path).isFile();
}

/** The saved plan in `arg` (the user's file, read where the user ran karma). */
function readSavedPlanFile(arg: string): SavedPlan {
  let text: string;
  try {
    text = readFileSync(resolvePath(arg), "utf8");
  } catch (error) {
    throw new UserError(
      `${resolvePath(arg)} is not a readable saved plan: ${(error as Error).message}`,
      "make one with `karma plan --out <file>`",
    );
  }
  return parseSavedPlan(resolvePath(arg), text);
}
