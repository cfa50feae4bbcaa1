/**
 * The JSON document of an apply (`karma apply --json`, `POST /api/plan {apply: true}`): the plan
 * it executed, what it published and each component's result.
 */
import type { ApplyResult } from "./types.js";

/** Waves are numbered from 1, as in the printed plan and `karma plan --format json`. */
export function applyDocument(result: ApplyResult) {
  const { report, ...rest } = result.plan;
  // the same affected set and waves as `karma plan --json`
  const plan = {
    ...rest,
    affected: report.plan.entries.map((e) => e.id),
    planWaves: report.plan.waves.map((w) => w.map((e) => e.id)),
  };
  return {
    confirmed: result.confirmed,
    plan: { ...plan, entries: plan.entries.map((e) => ({ ...e, wave: e.wave + 1 })) },
    published: result.published,
    results: result.results.map((r) => ({ ...r, wave: r.wave + 1 })),
    summary: result.summary,
    auditEntry: result.auditEntry ?? null,
  };
}
