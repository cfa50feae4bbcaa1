/** Validated request parts turned into what the operations take. */
import { ValidationFailedError } from "../../../core/errors.js";
import type { JsonObject } from "../../../core/estate/model.js";
import { isJsonObject } from "../../../core/json/guards.js";

/** `?at=3` → 3 */
export const numberOf = (text: string | undefined) => (text === undefined ? undefined : Number(text));

/**
 * A validated body part as JSON. The body was parsed from JSON text, so this holds; the check
 * spares a cast (zod's own JSON type cannot be turned into OpenAPI).
 */
export function jsonBody(value: Record<string, unknown>, field: string): JsonObject {
  if (!isJsonObject(value))
    throw new ValidationFailedError([
      { code: "body.not-json", pointer: `/${field}`, message: `${field} is not JSON`, severity: "error" },
    ]);
  return value;
}
