/**
 * A deployed runtime against its type's output contract. Messages name keys and rules, never
 * values (a runtime may hold secrets). A key the contract marks `x-sensitive` must arrive in a
 * SecureString runtime.
 */
import type { Problem } from "../errors.js";
import type { JsonObject, JsonValue } from "../estate/model.js";
import { type OutputContract, SENSITIVE_KEYWORD } from "./model.js";

export function checkRuntime(
  contract: OutputContract,
  runtime: JsonValue,
  at: { component: string; secure: boolean },
): Problem[] {
  const problems: Problem[] = [];
  const base = {
    code: "contract.runtime-violation",
    component: at.component,
    file: contract.file,
    severity: "error" as const,
  };
  if (!contract.validate(runtime)) {
    const seen = new Set<string>();
    for (const error of contract.validate.errors ?? []) {
      const params = error.params as Record<string, unknown>;
      const key =
        error.keyword === "required"
          ? `${error.instancePath}/${String(params.missingProperty)}`
          : error.keyword === "additionalProperties"
            ? `${error.instancePath}/${String(params.additionalProperty)}`
            : error.instancePath;
      const text = `${key || "(the runtime)"} ${error.message ?? "does not satisfy the contract"}`;
      if (seen.has(text)) continue;
      seen.add(text);
      problems.push({
        ...base,
        pointer: key,
        message: `the runtime of ${at.component} breaks its output contract: ${text}`,
        fix: `make the module publish what ${contract.file} promises, or change the contract (consumers read it)`,
      });
    }
  }
  const properties = contract.schema.properties;
  if (!at.secure && properties && typeof properties === "object" && !Array.isArray(properties)) {
    const runtimeKeys =
      runtime !== null && typeof runtime === "object" && !Array.isArray(runtime) ? runtime : {};
    for (const [key, schema] of Object.entries(properties as JsonObject)) {
      const flagged =
        schema !== null &&
        typeof schema === "object" &&
        !Array.isArray(schema) &&
        schema[SENSITIVE_KEYWORD] === true;
      if (flagged && Object.hasOwn(runtimeKeys, key))
        problems.push({
          ...base,
          pointer: `/${key}`,
          message: `the contract marks "${key}" sensitive, but ${at.component} published it in a plain String runtime`,
          fix: "mark the output `sensitive = true` in the module so Karma stores the runtime as a SecureString",
        });
    }
  }
  return problems;
}
