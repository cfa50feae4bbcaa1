/**
 * What commands share: locating the estate, loading settings and the estate, and opening the
 * configured stores. Commands get these from here so that `-C`, env selection and store
 * lifetime behave the same everywhere.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { findEstateRoot, loadEstate } from "../adapters/fs/estate-loader.js";
import { readProjectSettings } from "../adapters/fs/settings-reader.js";
import { openParameterStore } from "../adapters/parameter-store/factory.js";
import { openSession } from "../adapters/session/open-session.js";
import type { EnvironmentSettings, Estate, ProjectSettings } from "../core/estate/model.js";
import type { Session } from "../operations/session.js";
import type { ParameterStore } from "../ports/parameter-store.js";

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

export function loadSettingsFrom(command: Command): ProjectSettings {
  return readProjectSettings(estateRootFrom(command));
}

export async function loadEstateFrom(command: Command): Promise<Estate> {
  return loadEstate(loadSettingsFrom(command));
}

/** Opens the environment's store, runs `fn`, and always closes the store. */
export async function withParameterStore<T>(
  settings: ProjectSettings,
  env: EnvironmentSettings,
  fn: (store: ParameterStore) => Promise<T>,
): Promise<T> {
  const store = await openParameterStore(settings, env);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
