/**
 * Picks the ParameterStore backend an environment is configured with. Commands never construct
 * a backend themselves; they call this (usually through `cli/context.ts`).
 */
import path from "node:path";
import { UserError } from "../../core/errors.js";
import type { EnvironmentSettings, ProjectSettings } from "../../core/estate/model.js";
import { inEstate, stateDatabaseFile } from "../../core/estate/paths.js";
import type { ParameterStore } from "../../ports/parameter-store.js";
import { lazySecretCipher, loadSecretKey } from "./secrets.js";
import { SqliteParameterStore } from "./sqlite/sqlite-store.js";

export async function openParameterStore(
  settings: ProjectSettings,
  env: EnvironmentSettings,
): Promise<ParameterStore> {
  const store = env.store;
  switch (store.kind) {
    case "sqlite": {
      const stateDir = path.resolve(settings.root, settings.paths.state);
      return new SqliteParameterStore({
        file: path.resolve(settings.root, store.path),
        namespace: env.name,
        // The key is read (or generated) only when a SecureString is first written or decrypted.
        secrets: lazySecretCipher(() => loadSecretKey(stateDir)),
      });
    }
    case "ssm": {
      // The incremental-sync cache lives in the embedded database, scoped to this environment.
      const { kind: _kind, ...ssm } = store;
      // the AWS SDK loads only for estates that use SSM
      const { SsmParameterStore } = await import("./ssm/ssm-parameter-store.js");
      return new SsmParameterStore({
        ...ssm,
        cacheDatabase: inEstate(settings, stateDatabaseFile(settings)),
        cacheScope: [env.name, store.endpoint ?? "aws", store.region ?? "", store.profile ?? ""].join("|"),
      });
    }
    default: {
      const unknown: never = store;
      throw new UserError(`Unknown store kind in karma.json: ${JSON.stringify(unknown)}`);
    }
  }
}
