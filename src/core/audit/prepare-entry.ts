/**
 * Checks and normalises an entry before any audit log stores it, so every backend stores the
 * same thing: known status and source, a well-formed action and component id, an ISO timestamp,
 * integer versions, and details with secret-looking values redacted.
 *
 * A malformed entry is a bug in the caller, not user input: it throws a plain `TypeError`.
 */

import { parseComponentId } from "../ids.js";
import type { AuditEntry, AuditVersions, NewAuditEntry } from "./entry.js";
import { AUDIT_ACTION_PATTERN, AUDIT_SOURCES, AUDIT_STATUSES } from "./entry.js";
import { redactSecrets } from "./redact.js";

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function versions(value: AuditVersions | undefined, field: string): AuditVersions {
  const out: AuditVersions = {};
  for (const key of ["config", "runtime", "graph"] as const) {
    const v = value?.[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 0)
      throw new TypeError(`audit entry ${field}.${key} must be a non-negative integer, got ${String(v)}`);
    out[key] = v;
  }
  return out;
}

export function prepareEntry(entry: NewAuditEntry, now: Date): Omit<AuditEntry, "id"> {
  if (!AUDIT_ACTION_PATTERN.test(entry.action))
    throw new TypeError(
      `audit entry action "${entry.action}" must be lower_snake_case, e.g. terraform_apply`,
    );
  if (!AUDIT_STATUSES.includes(entry.status))
    throw new TypeError(`audit entry status "${entry.status}" must be one of ${AUDIT_STATUSES.join(", ")}`);
  if (!AUDIT_SOURCES.includes(entry.source))
    throw new TypeError(
      `audit entry source "${String(entry.source)}" must be one of ${AUDIT_SOURCES.join(", ")}`,
    );
  if (typeof entry.actor !== "string" || entry.actor.trim() === "")
    throw new TypeError("audit entry actor must be a non-empty string");
  const component = entry.component ?? null;
  if (component !== null && parseComponentId(component) === undefined)
    throw new TypeError(`audit entry component "${component}" must be env:type/nickname`);
  let timestamp = now.toISOString();
  if (entry.timestamp !== undefined) {
    const parsed = new Date(entry.timestamp);
    if (!ISO_TIMESTAMP.test(entry.timestamp) || Number.isNaN(parsed.getTime()))
      throw new TypeError(`audit entry timestamp "${entry.timestamp}" must be ISO 8601 with a zone`);
    timestamp = parsed.toISOString();
  }
  if (entry.inputsDigest != null && !/^sha256:[0-9a-f]{64}$/.test(entry.inputsDigest))
    throw new TypeError("audit entry inputsDigest must be sha256:<64 hex> (use digestInputs)");
  const { details } = redactSecrets(entry.details ?? {});
  return {
    timestamp,
    action: entry.action,
    status: entry.status,
    actor: entry.actor,
    source: entry.source,
    component,
    env: entry.env ?? (component !== null ? (parseComponentId(component)?.env ?? null) : null),
    inputsDigest: entry.inputsDigest ?? null,
    before: versions(entry.before, "before"),
    after: versions(entry.after, "after"),
    logPath: entry.logPath ?? null,
    message: entry.message ?? "",
    details,
  };
}

/**
 * The fields `AuditQuery.text` is matched against, each on its own so that `^` and `$` anchor to
 * a field: action, component, actor, message, and details as JSON.
 */
export function searchableFields(
  entry: Pick<AuditEntry, "message" | "component" | "action" | "actor" | "details">,
): string[] {
  return [entry.action, entry.component ?? "", entry.actor, entry.message, JSON.stringify(entry.details)];
}

/** `AuditQuery.text` as a predicate: strings match case-insensitively as substrings. */
export function textMatcher(text: string | RegExp): (field: string) => boolean {
  if (typeof text === "string") {
    const needle = text.toLowerCase();
    return (haystack) => haystack.toLowerCase().includes(needle);
  }
  // A global/sticky RegExp keeps state between test() calls; use a stateless copy.
  const pattern = new RegExp(text.source, text.flags.replace(/[gy]/g, ""));
  return (haystack) => pattern.test(haystack);
}
