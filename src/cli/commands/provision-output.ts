/**
 * What `karma plan | deploy | destroy | outputs` share on the terminal: progress lines on a TTY,
 * Ctrl-C turned into a clean stop of the child, the approval prompt, and the plan summary.
 */
import { relative } from "node:path";
import { createInterface } from "node:readline/promises";
import { UserError } from "../../core/errors.js";
import { formatComponentId } from "../../core/ids.js";
import type { ConsumedRuntime } from "../../core/provisioning/resolve-references.js";
import type { ProvisionHooks, ProvisionTarget } from "../../operations/provision.js";
import type { PlanResult, RunOutputs, RunProgress } from "../../ports/runner.js";
import { style } from "../output.js";
import { printProgress } from "../progress.js";

export const envOption = [
  "--env <name>",
  "environment (default: the only one, or the one the component is in)",
] as const;

/** The `<type> <nickname> [--env]` of a single-component command. */
export function targetOf(type: string, nickname: string, env: string | undefined): ProvisionTarget {
  return { type, nickname, ...(env ? { env } : {}) };
}

/**
 * The hooks every command that runs tools passes down: Ctrl-C's signal, progress lines on a
 * terminal (none with --json), and warnings (e.g. an unwritable audit log) on stderr.
 */
export function runHooks(signal: AbortSignal, json: boolean | undefined): ProvisionHooks {
  const onProgress = json ? undefined : progressPrinter();
  return {
    signal,
    ...(onProgress ? { onProgress } : {}),
    onWarning: (m) => process.stderr.write(`karma: warning: ${m}\n`),
  };
}

/** Every tool line on a terminal; elsewhere only "still running" beats (the run log has everything). */
export function progressPrinter(): (p: RunProgress) => void {
  return printProgress({
    isTTY: process.stderr.isTTY === true,
    write: (text) => process.stderr.write(text),
    dim: style.dim,
  });
}

/**
 * Runs `fn` with an AbortSignal that Ctrl-C (or SIGTERM, e.g. a CI job cancelled) triggers. The
 * child runs in its own process group, so the terminal's SIGINT reaches only Karma, which
 * interrupts the child exactly once; the run then ends normally: outcome audited, locks released.
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write(
      controller.signal.aborted
        ? "karma: still stopping; waiting for the tool to release its lock\n"
        : "\nkarma: interrupted; stopping the run cleanly (state lock released, nothing published)\n",
    );
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
}

/** Asks on the terminal; refuses outright when there is no terminal to ask on. */
export function approvalPrompt(what: string): (plan: PlanResult) => Promise<boolean> {
  return async (plan) => {
    if (!process.stdin.isTTY) {
      throw new UserError(
        `not applying the plan for ${what}: there is no terminal to confirm on (nothing was changed)`,
        "review it with `karma plan`, then pass --auto-approve",
      );
    }
    printPlan(plan, undefined);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`apply this plan to ${what}? only "yes" is accepted: `);
      return answer.trim() === "yes";
    } finally {
      rl.close();
    }
  };
}

const MARKS = { create: "+", update: "~", replace: "-/+", delete: "-", read: "<=" } as const;

export function printPlan(
  plan: PlanResult,
  meta: { configVersion: number; consumed: ConsumedRuntime[] } | undefined,
): void {
  const id = formatComponentId(plan.component);
  const from = meta ? `, config v${meta.configVersion}` : "";
  process.stdout.write(
    `${style.bold(`${plan.destroy ? "destroy plan" : "plan"} ${id}`)} (${plan.tool.name} ${plan.tool.version}${from})\n`,
  );
  if (meta?.consumed.length) {
    process.stdout.write(
      `  reads ${meta.consumed.map((c) => `${c.producer} runtime v${c.version} (${c.keys.join(", ") || "all"})`).join("; ")}\n`,
    );
  }
  const paint = {
    create: style.green,
    update: style.yellow,
    replace: style.red,
    delete: style.red,
    read: style.cyan,
  };
  for (const action of ["create", "update", "replace", "delete", "read"] as const) {
    for (const address of plan.summary.changes[action]) {
      process.stdout.write(`  ${paint[action](MARKS[action].padEnd(3))} ${address}\n`);
    }
  }
  if (plan.summary.outputChanges.length) {
    process.stdout.write(`  outputs changing: ${plan.summary.outputChanges.join(", ")}\n`);
  }
  process.stdout.write(`${summaryLine(plan)}\n`);
}

/** "2 to create, 1 to replace, …" — only the non-zero parts — or that only outputs change, or none. */
export function summaryLine(plan: Pick<PlanResult, "summary">): string {
  const c = plan.summary.counts;
  if (!plan.summary.hasChanges) return "no changes";
  const parts = [
    c.create && `${c.create} to create`,
    c.update && `${c.update} to update`,
    c.replace && `${c.replace} to replace`,
    c.delete && `${c.delete} to delete`,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : `only outputs change (${plan.summary.outputChanges.join(", ")})`;
}

export function planJson(plan: PlanResult) {
  return {
    destroy: plan.destroy,
    hasChanges: plan.summary.hasChanges,
    counts: plan.summary.counts,
    changes: plan.summary.changes,
    outputChanges: plan.summary.outputChanges,
    tool: plan.tool,
  };
}

/** Outputs with sensitive values replaced; the only form outputs are ever printed in. */
export function redactedOutputs(outputs: RunOutputs): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs.values))
    shown[k] = outputs.sensitiveKeys.includes(k) ? "(sensitive)" : v;
  return shown;
}

export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}
