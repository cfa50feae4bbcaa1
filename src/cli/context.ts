/**
 * What commands share: locating the estate and opening a session on it. Commands get these from
 * here so that `-C`, env selection and the lifetime of stores behave the same everywhere.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { findEstateRoot } from "../adapters/fs/estate-loader.js";
import { openSession } from "../adapters/session/open-session.js";
import type { Session } from "../operations/session.js";

export { selectEnvironment } from "../operations/environments.js";

export function estateRootFrom(command: Command): string {
  const dir = command.optsWithGlobals<{ dir?: string }>().dir;
  return findEstateRoot(resolve(dir ?? process.cwd()));
}

/**
 * Runs `fn` with a session on the command's estate (`-C` or the nearest karma.json) acting for
 * the CLI's user, and closes the session afterwards.
 */
export async function withSessionFrom<T>(command: Command, fn: (session: Session) => Promise<T>): Promise<T> {
  const session = openSession({ root: estateRootFrom(command), source: "cli" });
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
