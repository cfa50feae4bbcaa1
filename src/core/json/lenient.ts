/**
 * Parsing a stored value that is usually JSON (a published config, a runtime) without the strict
 * checks user files get (parse.ts): not JSON is an answer, not an error.
 */
import type { JsonValue } from "../estate/model.js";

/** The value, or undefined when the text is not JSON. */
export function tryParseJson(text: string | undefined): JsonValue | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** The value, or the text itself when it is not JSON (a runtime may be a plain string). */
export function parseJsonOrText(text: string): JsonValue {
  const value = tryParseJson(text);
  return value === undefined ? text : value;
}
