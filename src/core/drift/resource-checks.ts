/**
 * Resource drift as last seen: `karma drift --terraform` runs a plan per deployed component (far
 * too slow for a page load or a scrape) and records each outcome in the audit log as a
 * `drift_check` entry. A component counts as drifted while its latest check found changes and no
 * deploy of it has succeeded since (a deploy puts the resources back as the config says).
 */
import type { AuditEntry, NewAuditEntry } from "../audit/entry.js";
import type { JsonObject } from "../estate/model.js";
import { envOfId } from "../ids.js";

export const DRIFT_CHECK_ACTION = "drift_check";

/** What one Terraform check found, as the audit entry records it (counts only, never values). */
export interface ResourceCheck {
  id: string;
  drift: boolean;
  /** Resources to add, change, destroy (when drift). */
  counts?: JsonObject;
}

export interface DriftedComponent {
  id: string;
  /** When the check that found the drift ran. */
  checkedAt: string;
  /** Its audit entry. */
  logEntry: number;
  counts?: JsonObject;
}

export function driftCheckEntry(check: ResourceCheck): Omit<NewAuditEntry, "actor" | "source"> {
  const counts = check.counts
    ? Object.entries(check.counts)
        .filter(([, n]) => typeof n === "number" && n > 0)
        .map(([action, n]) => `${n} to ${action}`)
        .join(", ")
    : "";
  return {
    action: DRIFT_CHECK_ACTION,
    status: "ok",
    component: check.id,
    env: envOfId(check.id),
    message: check.drift ? `resource drift${counts ? `: ${counts}` : ""}` : "no resource drift",
    details: { drift: check.drift, ...(check.counts ? { counts: check.counts } : {}) },
  };
}

/**
 * Components whose latest `drift_check` found drift with no successful `deploy` after it.
 * `checks` and `deploys` are audit entries in any order; ids give the order they were appended.
 */
export function driftedComponents(
  checks: readonly AuditEntry[],
  deploys: readonly AuditEntry[],
): DriftedComponent[] {
  const latest = new Map<string, AuditEntry>();
  for (const e of checks) {
    if (e.action !== DRIFT_CHECK_ACTION || e.component === null) continue;
    const seen = latest.get(e.component);
    if (!seen || e.id > seen.id) latest.set(e.component, e);
  }
  const deployed = new Map<string, number>();
  for (const e of deploys) {
    if (e.action !== "deploy" || e.status !== "ok" || e.component === null) continue;
    deployed.set(e.component, Math.max(e.id, deployed.get(e.component) ?? 0));
  }
  const drifted: DriftedComponent[] = [];
  for (const [id, check] of latest) {
    if (check.details.drift !== true) continue;
    if ((deployed.get(id) ?? 0) > check.id) continue;
    const counts = check.details.counts;
    drifted.push({
      id,
      checkedAt: check.timestamp,
      logEntry: check.id,
      ...(counts !== null && typeof counts === "object" && !Array.isArray(counts) ? { counts } : {}),
    });
  }
  return drifted.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
