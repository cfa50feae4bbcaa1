/**
 * A session is what one command (or one API request) works with: the estate's settings, who is
 * acting and through which door, and the estate's stores, graph store, audit log, locks, runners
 * and readers — each opened at most once, on first use, and closed together by `close()`.
 *
 * Operations take a session and do no file, git or child-process work of their own, so the same
 * operation runs behind the CLI, the SSM API and the HTTP API, and against real adapters in a
 * temporary directory in tests. Open one with `openSession` (adapters/session/open-session.ts).
 */
import type { AuditSource } from "../core/audit/entry.js";
import type { EnvironmentSettings, ProjectSettings } from "../core/estate/model.js";
import type { AuditEntry, AuditLog, NewAuditEntry } from "../ports/audit-log.js";
import type { TesterChoice } from "../ports/component-tests.js";
import type { EstateReader } from "../ports/estate-reader.js";
import type { GitReader } from "../ports/git-reader.js";
import type { GraphStore } from "../ports/graph-store.js";
import type { EnvironmentLock } from "../ports/lock.js";
import type { ParameterStore } from "../ports/parameter-store.js";
import type { RunnerChoice } from "../ports/runner.js";

/** A local SSM endpoint serving one environment's store (to child processes); writes through it are audited. */
export interface StoreEndpoint {
  /** e.g. `http://127.0.0.1:4510` */
  readonly url: string;
  close(): Promise<void>;
}

/** An audit entry as an operation states it; the session stamps its actor and source. */
export type AuditRecord = Omit<NewAuditEntry, "actor" | "source"> & {
  /** Overrides the session's actor (e.g. the access key id of an SSM API caller). */
  actor?: string;
  /** Overrides the session's source (a write through the SSM endpoint a deploy serves). */
  source?: AuditSource;
};

export interface Session {
  readonly settings: ProjectSettings;
  /** Who is acting: `KARMA_ACTOR`, `user@host`, or the API caller. Stamped on audit entries and locks. */
  readonly actor: string;
  /** The door the session's writes come through. */
  readonly source: AuditSource;
  /** The session's clock (injected in tests). */
  readonly now: () => Date;
  readonly estate: EstateReader;
  readonly git: GitReader;
  /** The environment (by name), or a UserError naming the environments there are. */
  environment(name: string): EnvironmentSettings;
  /** The environment's parameter store, opened on first use. */
  store(env: string): Promise<ParameterStore>;
  /**
   * The estate's graph store, opened on first use; with `whatIf`, the what-if area (graphs of the
   * working tree, `graph build --from-git`), whose versions never become the estate's latest.
   */
  graph(options?: { whatIf?: boolean }): Promise<GraphStore>;
  /**
   * The graph store when a graph was ever stored there, else undefined — without creating an
   * empty database, so that read commands leave a fresh estate as they found it.
   */
  builtGraph(): Promise<GraphStore | undefined>;
  /** The estate's audit log, opened on first use. */
  auditLog(): Promise<AuditLog>;
  /** Appends entries stamped with the session's actor and source, all or none. */
  record(entries: AuditRecord | readonly AuditRecord[]): Promise<AuditEntry[]>;
  /** The environment's lock, opened on first use. */
  lock(env: string): Promise<EnvironmentLock>;
  /** Starts an SSM endpoint on a free local port serving the environment's store; the caller closes it. */
  serveStore(env: string): Promise<StoreEndpoint>;
  /** The runner a component type deploys with (the runner's tool is located once per process). */
  runner(type: string): Promise<RunnerChoice>;
  /** The tester a component type's tests run with (`karma test`). */
  tester(type: string): Promise<TesterChoice>;
  /** Closes everything the session opened. Idempotent. */
  close(): Promise<void>;
}

/** Runs `fn` with the session and closes it afterwards, whatever happens. */
export async function withSession<T>(session: Session, fn: (session: Session) => Promise<T>): Promise<T> {
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
