/**
 * A bridge for operations not yet handed a session (apply, plan, drift, status, propose-change,
 * graph: being rewritten onto the one planner): they call session-taking operations through a
 * CLI session opened on the estate's settings for that one call. Delete once they take a Session.
 */
import { openSession } from "../adapters/session/open-session.js";
import type { ProjectSettings } from "../core/estate/model.js";
import { type Session, withSession } from "./session.js";

export function withCliSession<T>(
  settings: ProjectSettings,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  return withSession(openSession({ settings, source: "cli" }), fn);
}
