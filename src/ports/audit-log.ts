/**
 * The audit log port: an append-only record of everything Karma did — publish, deploy, destroy,
 * graph builds, change requests, policy verdicts, lock releases and their failures.
 *
 * Entries are never updated or deleted. A long action that wants to show it began appends a
 * `started` entry and later a second entry with the outcome; readers correlate them by
 * `inputsDigest` / component / time, not by mutating the first.
 *
 * Every implementation must pass `auditLogContract` in `adapters/audit/contract.ts`.
 */
import type { AuditEntry, AuditStatus, NewAuditEntry } from "../core/audit/entry.js";

export * from "../core/audit/entry.js";

export interface AuditQuery {
  /**
   * `env:type/nickname` matches exactly; `type/nickname` matches that component in any
   * environment.
   */
  component?: string;
  /** Exact action name. */
  action?: string;
  env?: string;
  status?: AuditStatus;
  /** Inclusive lower bound on `timestamp`. */
  since?: Date;
  /** Exclusive upper bound on `timestamp`. */
  until?: Date;
  /**
   * Matched against message, component, action, actor and details (as JSON). A string matches
   * as a case-insensitive substring; a RegExp is tested as given.
   */
  text?: string | RegExp;
  /** At most this many entries (the newest ones). */
  limit?: number;
}

export interface AuditLog {
  /** For humans, e.g. "sqlite .karma/karma.db". */
  readonly description: string;
  /** Validates and stores one entry; returns it as stored (with id, timestamp, redactions). */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Several entries, all or none (one batch: a publish of 10k components is one write). */
  appendAll(entries: readonly NewAuditEntry[]): Promise<AuditEntry[]>;
  /** Matching entries, newest first (by timestamp, then by id for entries of the same instant). */
  query(query?: AuditQuery): Promise<AuditEntry[]>;
  close(): Promise<void>;
}
