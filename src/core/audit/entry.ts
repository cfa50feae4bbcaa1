/**
 * Audit entries as Karma's domain sees them. The audit log port (`ports/audit-log.ts`)
 * re-exports these; they live here so that the pure core can name them without importing a port.
 */
import type { JsonObject } from "../estate/model.js";

/**
 * Actions Karma itself records. The log accepts any action matching {@link AUDIT_ACTION_PATTERN}
 * so that new commands can audit without a schema change; these are the ones to reuse.
 */
export const KNOWN_AUDIT_ACTIONS = [
  "publish",
  "deploy",
  "plan",
  "apply",
  "destroy",
  "terraform_plan",
  "terraform_apply",
  "terraform_destroy",
  "graph_build",
  "change_request",
  "policy_verdict",
  "lock_acquire",
  "lock_release",
  "unpublish",
  "param_put",
  "param_delete",
  "param_label",
  "param_unlabel",
  "param_tag",
  "param_untag",
  "lock_takeover",
  "drift_check",
] as const;

export type KnownAuditAction = (typeof KNOWN_AUDIT_ACTIONS)[number];

/** Lower-case words joined by `_`, e.g. `terraform_apply`. */
export const AUDIT_ACTION_PATTERN = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** The door a write came through: the CLI, the SSM API of `karma serve`, or the HTTP API. */
export const AUDIT_SOURCES = ["cli", "ssm-api", "http-api"] as const;

export type AuditSource = (typeof AUDIT_SOURCES)[number];

export type AuditStatus = "ok" | "failed" | "refused" | "started";

export const AUDIT_STATUSES: readonly AuditStatus[] = ["ok", "failed", "refused", "started"];

/** Versions of what an action read or wrote; absent fields were not involved. */
export interface AuditVersions {
  /** Version of the component's config parameter. */
  config?: number;
  /** Version of the component's runtime parameter. */
  runtime?: number;
  /** Graph version. */
  graph?: number;
}

/** What a caller hands to `append`; the log assigns `id` and (unless given) `timestamp`. */
export interface NewAuditEntry {
  /** e.g. `publish`, `terraform_apply`; see {@link KNOWN_AUDIT_ACTIONS}. */
  action: KnownAuditAction | (string & {});
  status: AuditStatus;
  /** `user@host`, `KARMA_ACTOR`, or the API caller. */
  actor: string;
  source: AuditSource;
  /** `env:type/nickname`, or null for estate-wide actions (graph build, publish of many). */
  component?: string | null;
  /** Environment acted on, or null when several / none. */
  env?: string | null;
  /** `sha256:<hex>` of the canonical JSON of the action's inputs (see `core/audit/digest.ts`). */
  inputsDigest?: string | null;
  before?: AuditVersions;
  after?: AuditVersions;
  /** Where the action's full log (terraform output, runner log) was written, relative to the estate root. */
  logPath?: string | null;
  /** One line for humans. */
  message?: string;
  /**
   * Structured context (plan summary, policy verdicts, error name, lock holder). Never secrets:
   * values under secret-looking keys are redacted on append as a last line of defence.
   */
  details?: JsonObject;
  /** ISO 8601; defaults to the log's clock. Accepted for imports and tests. */
  timestamp?: string;
}

export interface AuditEntry {
  /** Increasing with append order; unique within one log. */
  id: number;
  /** ISO 8601 UTC, millisecond precision. */
  timestamp: string;
  action: string;
  status: AuditStatus;
  actor: string;
  source: AuditSource;
  component: string | null;
  env: string | null;
  inputsDigest: string | null;
  before: AuditVersions;
  after: AuditVersions;
  logPath: string | null;
  message: string;
  details: JsonObject;
}
