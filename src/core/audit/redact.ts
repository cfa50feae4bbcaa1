/**
 * Last line of defence against secrets in audit details: any value under a key that names a
 * secret (password, token, secret, private key, credentials, api key…) is replaced by
 * `[redacted]`. Callers should not pass secrets at all; this only stops the obvious accidents.
 */
import type { JsonObject, JsonValue } from "../estate/model.js";
import { escapePointerSegment } from "../json/pointer.js";

export const REDACTED = "[redacted]";

/** Key names (after removing `-`, `_`, `.` and case) that hold secrets. */
const SECRET_KEY =
  /(password|passwd|passphrase|secret|token|privatekey|apikey|accesskey|credential|sessionkey|clientsecret|authorization|cookie)/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_.\s]/g, ""));
}

function redactValue(value: JsonValue, pointer: string, found: string[]): JsonValue {
  if (Array.isArray(value)) return value.map((item, i) => redactValue(item, `${pointer}/${i}`, found));
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const here = `${pointer}/${escapePointerSegment(key)}`;
    const child = value[key]!;
    // Structure under a secret key is kept only if it holds no scalars worth hiding: hide it all.
    if (isSecretKey(key) && child !== null && child !== "" && typeof child !== "boolean") {
      out[key] = REDACTED;
      found.push(here);
    } else out[key] = redactValue(child, here, found);
  }
  return out;
}

/** A copy of `details` with secret-looking values replaced; `redacted` lists their JSON pointers. */
export function redactSecrets(details: JsonObject): { details: JsonObject; redacted: string[] } {
  const redacted: string[] = [];
  return { details: redactValue(details, "", redacted) as JsonObject, redacted };
}
