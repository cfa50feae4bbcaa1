/**
 * Canonical JSON: object keys sorted recursively (by UTF-16 code units, as RFC 8785 does), no
 * whitespace, numbers and strings as `JSON.stringify` writes them. The same config gives the same
 * bytes on every machine, so published values and digests only change when intent changes.
 */
import type { JsonValue } from "../estate/model.js";

export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += canonicalJson(value[i]!);
    }
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) out += ",";
    out += `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`;
  }
  return `${out}}`;
}
