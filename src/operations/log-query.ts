/**
 * The audit log's filters as `karma log list|grep` and `GET /api/log` take them (text in, checked
 * `AuditQuery` out), so both doors accept the same values and refuse bad ones with the same
 * messages. `name` says how the caller spells a filter (`--since` on the CLI, `since` in a URL).
 */
import { parseTimeSpec } from "../core/audit/time-spec.js";
import { UserError } from "../core/errors.js";
import { parseComponentRef } from "../core/ids.js";
import {
  AUDIT_ACTION_PATTERN,
  AUDIT_STATUSES,
  type AuditQuery,
  type AuditStatus,
} from "../ports/audit-log.js";

export const DEFAULT_LOG_LIMIT = 50;

export interface AuditFilters {
  component?: string;
  action?: string;
  env?: string;
  status?: string;
  since?: string;
  until?: string;
  /** A whole number; 0 = all. Default {@link DEFAULT_LOG_LIMIT}. */
  limit?: string;
}

export function auditQueryFrom(
  filters: AuditFilters,
  now: Date,
  name: (filter: keyof AuditFilters) => string = (filter) => `--${filter}`,
): AuditQuery {
  const query: AuditQuery = {};
  if (filters.component !== undefined) {
    // "any" only fills a missing env part so the other parts get checked; it is not matched.
    const parsed = parseComponentRef(filters.component, "any");
    if (!parsed.ok)
      throw new UserError(
        `${name("component")}: ${parsed.reason}`,
        "pass type/nickname or env:type/nickname",
      );
    query.component = filters.component;
  }
  if (filters.action !== undefined) {
    if (!AUDIT_ACTION_PATTERN.test(filters.action))
      throw new UserError(
        `${name("action")} "${filters.action}" is not an action name`,
        "actions are lower_snake_case, e.g. publish, deploy, terraform_apply, graph_build",
      );
    query.action = filters.action;
  }
  // Any environment name: the log keeps history of environments since removed from karma.json.
  if (filters.env !== undefined) query.env = filters.env;
  if (filters.status !== undefined) {
    if (!AUDIT_STATUSES.includes(filters.status as AuditStatus))
      throw new UserError(
        `${name("status")} "${filters.status}" is not a status`,
        `use one of ${AUDIT_STATUSES.join(", ")}`,
      );
    query.status = filters.status as AuditStatus;
  }
  if (filters.since !== undefined) query.since = parseTimeSpec(filters.since, { now, option: name("since") });
  if (filters.until !== undefined)
    query.until = parseTimeSpec(filters.until, { now, option: name("until"), dateOnly: "end" });
  const limit = filters.limit === undefined ? DEFAULT_LOG_LIMIT : Number(filters.limit);
  if (!Number.isInteger(limit) || limit < 0)
    throw new UserError(
      `${name("limit")} "${filters.limit}" is not a whole number`,
      `pass ${name("limit")} 20, or ${name("limit")} 0 for all`,
    );
  if (limit > 0) query.limit = limit;
  return query;
}
