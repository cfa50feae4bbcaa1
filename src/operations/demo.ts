import { randomBytes } from "node:crypto";
import { isParameterStoreError } from "../ports/parameter-store.js";
import type { Session } from "./session.js";

/** The external system the demo references; its runtime holds an API key, so it is a SecureString. */
export const DEMO_EXTERNAL_RUNTIME = "/external/datadog/main/runtime";

/**
 * Seeds what an operator would put in by hand: the runtime of an external system (not deployed
 * by Karma) that components reference. Returns true when it was created now.
 */
export async function seedDemoExternals(session: Session): Promise<boolean> {
  if (!session.settings.environments.some((e) => e.name === "dev")) return false;
  const store = await session.store("dev");
  try {
    const value = JSON.stringify({ api_key: `dd-${randomBytes(16).toString("hex")}`, site: "datadoghq.eu" });
    const { version } = await store.putParameter({
      name: DEMO_EXTERNAL_RUNTIME,
      value,
      type: "SecureString",
      description: JSON.stringify({ by: "karma demo", note: "external system runtime, seeded by hand" }),
    });
    await session.record({
      action: "param_put",
      status: "ok",
      env: "dev",
      message: `put ${DEMO_EXTERNAL_RUNTIME} (SecureString) v${version}`,
      details: { name: DEMO_EXTERNAL_RUNTIME, type: "SecureString", version },
    });
    return true;
  } catch (error) {
    if (isParameterStoreError(error, "ParameterAlreadyExists")) return false;
    throw error;
  }
}
