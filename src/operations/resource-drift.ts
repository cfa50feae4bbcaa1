/**
 * Resource drift as the last `karma drift --terraform` found it, read from the audit log (see
 * core/drift/resource-checks.ts): what the explorer colours `drifted` and `GET /api/drift/resources`
 * answers, without running Terraform on a page load.
 */
import {
  DRIFT_CHECK_ACTION,
  type DriftedComponent,
  driftedComponents,
} from "../core/drift/resource-checks.js";
import type { Session } from "./session.js";

/** Enough history for any estate's latest check per component; older entries cannot matter more. */
const HISTORY = 20_000;

export async function lastResourceDrift(session: Session): Promise<DriftedComponent[]> {
  const log = await session.auditLog();
  const checks = await log.query({ action: DRIFT_CHECK_ACTION, limit: HISTORY });
  const deploys = await log.query({ action: "deploy", status: "ok", limit: HISTORY });
  return driftedComponents(checks, deploys);
}
