/** The plan for a terminal (`--format text`, the default). Plain text; the CLI adds colour. */
import { describeBrokenUse } from "../../contracts/breaking.js";
import type { Problem } from "../../errors.js";
import { formatProblem } from "../../errors.js";
import type { Verdict } from "../../policies/model.js";
import type { PlanReport, ToolPlan } from "../model.js";
import { describeBase, describeConsumed, describeGraph, describeReason } from "./describe.js";
import { planSummary } from "./json.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function describeVerdict(v: Verdict): string {
  const label = v.approved ? `${v.severity} (approved)` : v.severity;
  return `${label} ${v.rule}: ${v.message}\n    components: ${v.components.join(", ")}\n    fix: ${v.fix}`;
}

export function describeToolPlan(t: ToolPlan): string {
  if (t.status === "failed") return `could not plan: ${t.message ?? "unknown error"}`;
  const c = t.counts ?? {};
  const counts = `+${c.create ?? 0} ~${c.update ?? 0} ±${c.replace ?? 0} -${c.delete ?? 0}`;
  const outputs = t.outputChanges?.length ? `; outputs ${t.outputChanges.join(", ")}` : "";
  return `${t.hasChanges ? "changes" : "no changes"} (${counts})${outputs}`;
}

function problemLines(problems: readonly Problem[]): string[] {
  return problems.flatMap((p) =>
    formatProblem(p)
      .split("\n")
      .map((line) => `  ${line}`),
  );
}

export function renderPlanText(report: PlanReport): string {
  const { plan } = report;
  const s = planSummary(report);
  const lines: string[] = [
    `Plan: ${describeBase(plan.base)} · graph ${describeGraph(plan.graph)}`,
    `${s.changed} changed, ${plural(s.dependents, "dependent")}, ${s.affected} affected in ${plural(s.waves, "wave")}` +
      `${s.removed ? `, ${s.removed} removed` : ""}; ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}`,
  ];
  if (plan.entries.length === 0 && plan.removed.length === 0) {
    lines.push("", "Nothing to do: no component changed.");
  }
  const tool = new Map((report.terraform ?? []).map((t) => [t.id, t]));
  const changed = plan.entries.filter((e) => e.kind === "changed");
  if (changed.length) {
    lines.push("", "Changed:");
    for (const e of changed) {
      lines.push(`  ${e.id}`);
      for (const r of e.kind === "changed" ? e.reasons : []) lines.push(`    ${describeReason(r)}`);
      const t = tool.get(e.id);
      if (t) lines.push(`    terraform: ${describeToolPlan(t)}`);
    }
  }
  const dependents = plan.entries.filter((e) => e.kind === "dependent");
  if (dependents.length) {
    lines.push("", "Dependents (redeployed after what they depend on):");
    for (const e of dependents) {
      if (e.kind !== "dependent") continue;
      lines.push(`  ${e.id}`, `    path: ${e.path.join(" ← ")}`);
      for (const c of e.consumes) lines.push(`    consumes ${describeConsumed(c)}`);
      const t = tool.get(e.id);
      if (t) lines.push(`    terraform: ${describeToolPlan(t)}`);
    }
  }
  if (plan.removed.length) {
    lines.push("", "Removed (would be destroyed):");
    for (const r of plan.removed)
      lines.push(`  ${r.id}${r.consumers.length ? ` — still consumed by ${r.consumers.join(", ")}` : ""}`);
  }
  if (plan.waves.length) {
    lines.push("", "Waves:");
    plan.waves.forEach((wave, i) => {
      lines.push(`  ${i + 1}. ${wave.map((e) => e.id).join(", ")}`);
    });
  }
  if (plan.contractBreaks?.length) {
    lines.push("", "Contract-breaking:");
    for (const b of plan.contractBreaks) lines.push(`  ${describeBrokenUse(b)}`);
  }
  if (plan.verdicts.length) {
    lines.push("", "Policies:");
    for (const v of plan.verdicts) lines.push(`  ${describeVerdict(v)}`);
  }
  if (report.warnings.length) {
    lines.push("", "Needs attention (pasted values):", ...report.warnings.map((w) => `  ${w}`));
  }
  if (report.problems.length) {
    lines.push("", "Problems:", ...problemLines(report.problems));
  }
  return `${lines.join("\n")}\n`;
}
