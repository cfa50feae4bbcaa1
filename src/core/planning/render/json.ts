/**
 * The plan as a JSON document (`--format json`): the plan value with waves as ids, plus a
 * summary. The CLI adds `version`.
 */
import type { JsonObject } from "../../estate/model.js";
import { isBlocking } from "../../policies/model.js";
import type { PlanReport } from "../model.js";

export interface PlanSummaryCounts {
  changed: number;
  removed: number;
  /** Changed ∪ dependents. */
  affected: number;
  dependents: number;
  waves: number;
  errors: number;
  warnings: number;
  /** Verdicts that stop the change (errors not approved). */
  blocking: number;
}

export function planSummary(report: PlanReport): PlanSummaryCounts {
  const { plan } = report;
  const verdictErrors = plan.verdicts.filter((v) => v.severity === "error").length;
  const problemErrors = report.problems.filter((p) => p.severity === "error").length;
  return {
    changed: plan.changed.length,
    removed: plan.removed.length,
    affected: plan.entries.length,
    dependents: plan.entries.filter((e) => e.kind === "dependent").length,
    waves: plan.waves.length,
    errors: verdictErrors + problemErrors,
    warnings:
      plan.verdicts.length -
      verdictErrors +
      report.problems.filter((p) => p.severity === "warning").length +
      report.warnings.length,
    blocking: plan.verdicts.filter(isBlocking).length + problemErrors,
  };
}

/**
 * JSON-safe document of the report. Deterministic: every list is already sorted. Waves are
 * numbered from 1 here, as in the text and Markdown plans (the model's index is 0-based).
 */
export function planDocument(report: PlanReport): JsonObject {
  const { plan } = report;
  const document = {
    base: plan.base,
    graph: plan.graph,
    summary: planSummary(report),
    changed: plan.changed,
    removed: plan.removed,
    affected: plan.entries.map((e) => ({ ...e, wave: e.wave + 1 })),
    waves: plan.waves.map((wave) => wave.map((e) => e.id)),
    verdicts: plan.verdicts,
    warnings: report.warnings,
    contractBreaks: plan.contractBreaks ?? [],
    problems: report.problems,
    ...(report.terraform ? { terraform: report.terraform } : {}),
  };
  // the plan is built from JSON-safe records; this drops undefined fields the same way printing would
  return JSON.parse(JSON.stringify(document)) as JsonObject;
}
