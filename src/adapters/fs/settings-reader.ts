import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationFailedError } from "../../core/errors.js";
import type { ProjectSettings } from "../../core/estate/model.js";
import { parseProjectSettings, SETTINGS_FILE } from "../../core/estate/settings.js";

const ENV_DIR = /^[a-z0-9][a-z0-9._-]*$/;

/** Reads `<root>/karma.json`; environments default to the directories under the components path. */
export function readProjectSettings(
  root: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ProjectSettings {
  const text = readFileSync(join(root, SETTINGS_FILE), "utf8");
  const first = parseProjectSettings({ root, text, env });
  const componentsDir = join(root, first.settings.paths.components);
  const discovered = existsSync(componentsDir)
    ? readdirSync(componentsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && ENV_DIR.test(d.name))
        .map((d) => d.name)
    : [];
  const { settings, problems } = parseProjectSettings({
    root,
    text,
    env,
    discoveredEnvironments: discovered,
  });
  if (problems.some((p) => p.severity === "error"))
    throw new ValidationFailedError(problems, `${SETTINGS_FILE} is invalid`);
  return settings;
}
