/**
 * Turns `terraform show -json <planfile>` into a `PlanSummary`. Actions are matched by
 * membership, not by exact list, so both replace orders (`["delete","create"]` and
 * `["create","delete"]`) count as a replace and actions added by newer versions still land
 * somewhere sensible. Only addresses and names are kept: the plan JSON also holds values,
 * sensitive ones included, and none of them may leave this function.
 */
import type { PlanChanges, PlanSummary } from "../../../ports/runner.js";

interface ShowJson {
  resource_changes?: Array<{ address?: string; change?: { actions?: string[] } }>;
  output_changes?: Record<string, { actions?: string[] }>;
}

export function summarisePlan(show: unknown): PlanSummary {
  const plan = (show ?? {}) as ShowJson;
  const changes: PlanChanges = { create: [], update: [], replace: [], delete: [], read: [], noop: [] };
  for (const rc of plan.resource_changes ?? []) {
    const address = rc.address ?? "(unknown)";
    changes[classify(rc.change?.actions ?? [])].push(address);
  }
  for (const list of Object.values(changes)) list.sort();
  const outputChanges = Object.entries(plan.output_changes ?? {})
    .filter(([, oc]) => classify(oc.actions ?? []) !== "noop")
    .map(([name]) => name)
    .sort();
  const counts = {
    create: changes.create.length,
    update: changes.update.length,
    replace: changes.replace.length,
    delete: changes.delete.length,
    read: changes.read.length,
    noop: changes.noop.length,
  };
  const hasChanges =
    counts.create + counts.update + counts.replace + counts.delete > 0 || outputChanges.length > 0;
  return { changes, counts, outputChanges, hasChanges };
}

export function classify(actions: readonly string[]): keyof PlanChanges {
  const has = (a: string) => actions.includes(a);
  if (has("create") && has("delete")) return "replace";
  if (has("create")) return "create";
  if (has("delete")) return "delete";
  if (has("update")) return "update";
  if (has("read")) return "read";
  if (actions.length === 0 || actions.every((a) => a === "no-op")) return "noop";
  // an action this version of Karma does not know (e.g. "forget"): count it as a change, not as nothing
  return "update";
}
