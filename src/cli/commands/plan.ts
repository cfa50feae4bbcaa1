/**
 * `karma plan` in two forms:
 *   karma plan <type> <nickname>   one component's Terraform/runner plan (its published config);
 *   karma plan [selector]          the change plan: changed components and why, their dependents
 *                                  with paths and consumed keys, deploy waves, policy verdicts.
 * Two positional arguments always mean the component form (a selector is one argument).
 */

import { renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { UserError } from "../../core/errors.js";
import type { JsonValue } from "../../core/estate/model.js";
import type { PlanReport } from "../../core/planning/model.js";
import { planDocument, planSummary } from "../../core/planning/render/json.js";
import { renderPlanMarkdown } from "../../core/planning/render/markdown.js";
import { renderPlanText } from "../../core/planning/render/text.js";
import { blockingVerdicts } from "../../core/policies/evaluate.js";
import { policyRefusal } from "../../operations/apply/refusal.js";
import { savedPlanOf } from "../../operations/plan/saved.js";
import { makePlan, type PlanGraphChoice } from "../../operations/plan.js";
import { planComponent } from "../../operations/provision.js";
import { withSessionFrom } from "../context.js";
import { ExitCode, printJson } from "../output.js";
import { readInputText } from "../read-input.js";
import {
  envOption,
  planJson,
  printPlan,
  progressPrinter,
  runHooks,
  shownPath,
  targetOf,
  withInterrupt,
} from "./provision-output.js";

interface PlanOptions {
  env?: string;
  destroy?: boolean;
  check?: boolean;
  json?: boolean;
  since?: string;
  terraform?: boolean;
  format?: string;
  approve?: boolean;
  graph?: string;
  untracked?: boolean;
  out?: string;
  changes?: string;
}

const FORMATS = ["text", "json", "markdown"] as const;
const GRAPH_CHOICES: readonly PlanGraphChoice[] = ["auto", "stored", "working-tree"];

async function planOneComponent(
  type: string,
  nickname: string,
  opts: PlanOptions,
  cmd: Command,
): Promise<void> {
  const outcome = await withSessionFrom(cmd, async (session) => {
    const estate = await session.estate.load();
    return withInterrupt((signal) =>
      planComponent(session, estate, targetOf(type, nickname, opts.env), {
        ...runHooks(signal, opts.json),
        ...(opts.destroy ? { destroy: true } : {}),
      }),
    );
  });
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
}

function formatOf(opts: PlanOptions): (typeof FORMATS)[number] {
  const format = opts.json ? "json" : (opts.format ?? "text");
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UserError(`unknown --format "${format}"`, `use one of: ${FORMATS.join(", ")}`);
  return format as (typeof FORMATS)[number];
}

/** `--changes file.json`: `{"env:type/nickname": <JSON merge patch>, …}` (- reads stdin). */
function readChanges(input: string): Record<string, JsonValue> {
  const fix =
    'write {"dev:service/api": {"replicas": 3}}: component → JSON merge patch of its config (RFC 7396)';
  const text = readInputText(input, "proposed changes", fix);
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new UserError(`the proposed changes ${input} are not valid JSON: ${(error as Error).message}`, fix);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new UserError(`the proposed changes ${input} are not a JSON object`, fix);
  return value;
}

async function planChange(selector: string | undefined, opts: PlanOptions, cmd: Command): Promise<void> {
  if (opts.destroy)
    throw new UserError("--destroy plans one component", "write `karma plan <type> <nickname> --destroy`");
  const format = formatOf(opts);
  const graph = (opts.graph ?? "auto") as PlanGraphChoice;
  if (!GRAPH_CHOICES.includes(graph))
    throw new UserError(`unknown --graph "${opts.graph}"`, `use one of: ${GRAPH_CHOICES.join(", ")}`);
  const parts = [selector, opts.env === undefined ? undefined : `env=${opts.env}`].filter(
    (s): s is string => s !== undefined && s !== "",
  );
  const combined = parts.length === 0 ? undefined : parts.map((p) => `(${p})`).join(" & ");
  const onProgress = format === "text" ? progressPrinter() : undefined;
  const { report, saved } = await withSessionFrom(cmd, async (session) => {
    const report: PlanReport = await withInterrupt((signal) =>
      makePlan(session, {
        ...(opts.since !== undefined ? { since: opts.since } : {}),
        ...(opts.changes !== undefined ? { changes: readChanges(opts.changes) } : {}),
        ...(combined !== undefined ? { selector: combined } : {}),
        terraform: opts.terraform === true,
        approve: opts.approve === true,
        // a saved plan is judged now as apply will judge it
        ...(opts.out !== undefined ? { mode: "apply" as const } : {}),
        graph,
        untracked: opts.untracked === true,
        hooks: { signal, ...(onProgress ? { onProgress } : {}) },
      }),
    );
    // a blocked plan is never saved
    const keep = opts.out !== undefined && planSummary(report).blocking === 0;
    return { report, saved: keep ? await savedPlanOf(session, report) : undefined };
  });
  if (format === "json") printJson(planDocument(report));
  else if (format === "markdown") process.stdout.write(renderPlanMarkdown(report));
  else process.stdout.write(renderPlanText(report));
  const summary = planSummary(report);
  const blocking = blockingVerdicts(report.plan.verdicts);
  if (blocking.length > 0) process.stderr.write(`${policyRefusal("plan", blocking).message}\n`);
  if (summary.blocking > 0) {
    process.stderr.write(
      `plan blocked: ${summary.blocking} policy error(s) or problem(s); see above (approvable rules pass with --approve)${opts.out !== undefined ? "; no plan was saved" : ""}\n`,
    );
    process.exitCode = ExitCode.error;
    return;
  }
  if (opts.out !== undefined && saved) {
    writeAtomically(resolve(opts.out), `${JSON.stringify(saved, null, 2)}\n`);
    process.stderr.write(
      `saved the plan to ${opts.out}; run \`karma apply ${opts.out}\` to execute exactly this plan\n`,
    );
  }
  if (opts.check && summary.affected + summary.removed > 0) process.exitCode = ExitCode.changes;
}

export function register(program: Command): void {
  program
    .command("plan")
    .description(
      "plan a change: `karma plan [selector]` shows changed components, dependents, waves and policy verdicts; `karma plan <type> <nickname>` shows one component's Terraform plan",
    )
    .argument("[selector-or-type]", "selector (change plan) or component type")
    .argument("[nickname]", "component nickname (component plan)")
    .option(...envOption)
    .option("--since <ref>", "plan what changed from the merge base of <ref> and HEAD to the working tree")
    .option(
      "--changes <file>",
      'plan proposed config changes without writing them: {"env:type/nickname": <JSON merge patch>, …} (- for stdin)',
    )
    .option("--untracked", "with --since: include untracked files (default: only files git tracks)")
    .option("--terraform", "also run each affected component's Terraform/runner plan (needs credentials)")
    .option("--format <format>", "text, json or markdown (a pull-request comment)", "text")
    .option("--approve", "approvable policies (protected components, blast radius) pass")
    .option(
      "--graph <source>",
      "dependency edges from: auto, stored (latest graph version) or working-tree",
      "auto",
    )
    .option("--destroy", "plan destroying the component instead (component plan)")
    .option(
      "--out <file>",
      "save the plan (judged as apply judges) with a fingerprint of its inputs; `karma apply <file>` executes exactly it",
    )
    .option("--check", "exit 2 when the plan has changes")
    .option("--json", "machine-readable output (same as --format json)")
    .addHelpText(
      "after",
      `
Saved plans:
  karma plan --out plan.json      make the plan, show it, and save it with a fingerprint of its inputs
  karma apply plan.json           execute exactly that plan; refused, naming what moved, if the estate
                                  files, a published config or a producer's runtime changed since`,
    )
    .action(
      async (first: string | undefined, second: string | undefined, opts: PlanOptions, cmd: Command) => {
        if (first !== undefined && second !== undefined) await planOneComponent(first, second, opts, cmd);
        else await planChange(first, opts, cmd);
      },
    );
}

/** Writes `file` whole or not at all (a rename over it), so a reader never sees half a plan. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
