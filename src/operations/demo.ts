import { randomBytes } from "node:crypto";
import type { ProjectSettings } from "../core/estate/model.js";
import { isParameterStoreError } from "../ports/parameter-store.js";
import { openStores } from "./stores.js";

/** The external system the demo references; its runtime holds an API key, so it is a SecureString. */
export const DEMO_EXTERNAL_RUNTIME = "/external/datadog/main/runtime";

/**
 * Seeds what an operator would put in by hand: the runtime of an external system (not deployed
 * by Karma) that components reference. Returns true when it was created now.
 */
export async function seedDemoExternals(settings: ProjectSettings): Promise<boolean> {
  const dev = settings.environments.find((e) => e.name === "dev");
  if (!dev) return false;
  const stores = await openStores(settings, [dev]);
  try {
    const value = JSON.stringify({ api_key: `dd-${randomBytes(16).toString("hex")}`, site: "datadoghq.eu" });
    await stores.get("dev").putParameter({
      name: DEMO_EXTERNAL_RUNTIME,
      value,
      type: "SecureString",
      description: JSON.stringify({ by: "karma demo", note: "external system runtime, seeded by hand" }),
    });
    return true;
  } catch (error) {
    if (isParameterStoreError(error, "ParameterAlreadyExists")) return false;
    throw error;
  } finally {
    await stores.close();
  }
}
