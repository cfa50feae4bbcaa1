/** Picking an environment by name, as every command and the HTTP API do. */
import { UserError } from "../core/errors.js";
import type { EnvironmentSettings, ProjectSettings } from "../core/estate/model.js";
import { defaultEnvironment } from "../core/estate/settings.js";

/** The named environment, or the only one when there is exactly one. */
export function selectEnvironment(settings: ProjectSettings, name?: string): EnvironmentSettings {
  const names = settings.environments.map((e) => e.name);
  if (name !== undefined) {
    const env = settings.environments.find((e) => e.name === name);
    if (!env)
      throw new UserError(
        `unknown environment "${name}"`,
        names.length
          ? `use one of: ${names.join(", ")}`
          : `create ${settings.paths.components}/${name}/ or list it in karma.json "environments"`,
      );
    return env;
  }
  const only = settings.environments[0];
  if (settings.environments.length === 1 && only) return only;
  if (settings.environments.length === 0) return defaultEnvironment(settings);
  throw new UserError(`this estate has several environments (${names.join(", ")})`, "pass --env <name>");
}
