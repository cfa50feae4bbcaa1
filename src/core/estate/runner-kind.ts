/** Which runner deploys a type, as karma.json says: `runner`, else `command` if one is given, else Terraform. */
import type { ProjectSettings, TypeSettings } from "./model.js";

export function typeSettingsOf(settings: ProjectSettings, type: string): TypeSettings {
  return settings.types[type] ?? { name: type };
}

export function runnerKindOf(type: TypeSettings): "terraform" | "command" {
  return type.runner ?? (type.command ? "command" : "terraform");
}
