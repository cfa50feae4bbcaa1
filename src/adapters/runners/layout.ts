/**
 * Where runs keep their files, as absolute paths for the runners: the layout itself is spelled
 * in core/estate/paths.ts (work dirs, local state, logs under the state folder).
 */
import type { ComponentAddress, ProjectSettings } from "../../core/estate/model.js";
import {
  componentWorkFolder,
  inEstate,
  localStateFolder,
  runLogFile,
  stateFolder,
} from "../../core/estate/paths.js";

export function stateDirectory(settings: ProjectSettings): string {
  return inEstate(settings, stateFolder(settings));
}

export function componentWorkDir(settings: ProjectSettings, a: ComponentAddress, slot?: string): string {
  return inEstate(settings, componentWorkFolder(settings, a, slot));
}

export function localStateRoot(settings: ProjectSettings): string {
  return inEstate(settings, localStateFolder(settings));
}

export function newRunLogFile(
  settings: ProjectSettings,
  a: ComponentAddress,
  action: string,
  now = new Date(),
): string {
  return inEstate(settings, runLogFile(settings, a, action, now));
}
