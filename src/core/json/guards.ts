/**
 * Narrowing values of unknown type (a validated request body, `JSON.parse` output) to JSON
 * without a cast: a check that holds for whatever `JSON.parse` returns and fails for what it
 * cannot (undefined, functions, non-finite numbers, class instances).
 */
import type { JsonObject, JsonValue } from "../estate/model.js";

export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isJsonObject(value);
}

export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every(isJsonValue);
}
