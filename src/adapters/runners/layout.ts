/**
 * Where runs keep their files inside the estate's state directory (`.karma/` by default):
 *   work/<env>/<type>/<nickname>/   the runner's work dir for the component
 *   state/<env>/<type>/<nickname>/  local Terraform state (unless a backend is configured)
 *   logs/<env>/<type>/<nickname>/<timestamp>-<action>.log
 */
import { join, resolve } from "node:path";
import type { ComponentAddress, ProjectSettings } from "../../core/estate/model.js";

export function stateDirectory(settings: ProjectSettings): string {
  return resolve(settings.root, settings.paths.state);
}

/**
 * A deployment slot's folder name: the default ("blue") slot is the nickname itself, so estates
 * that never deploy a candidate keep their layout; the other is `<nickname>@green`.
 */
export function slotFolder(nickname: string, slot?: string): string {
  return slot === undefined || slot === "blue" ? nickname : `${nickname}@${slot}`;
}

export function componentWorkDir(settings: ProjectSettings, a: ComponentAddress, slot?: string): string {
  return join(stateDirectory(settings), "work", a.env, a.type, slotFolder(a.nickname, slot));
}

export function localStateRoot(settings: ProjectSettings): string {
  return join(stateDirectory(settings), "state");
}

/** A new log file per run; the timestamp sorts runs in order and never collides within a process. */
export function newRunLogFile(
  settings: ProjectSettings,
  a: ComponentAddress,
  action: string,
  now = new Date(),
): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  return join(stateDirectory(settings), "logs", a.env, a.type, a.nickname, `${stamp}-${action}.log`);
}
