/**
 * Digest of an action's inputs for the audit log: `sha256:<hex>` of their canonical JSON, so the
 * same inputs give the same digest on every machine and an entry can be matched to a config
 * version without storing the config (or any secret in it).
 */
import { createHash } from "node:crypto";
import type { JsonValue } from "../estate/model.js";
import { canonicalJson } from "../json/canonical.js";

export function digestInputs(inputs: JsonValue): string {
  return `sha256:${createHash("sha256").update(canonicalJson(inputs), "utf8").digest("hex")}`;
}
