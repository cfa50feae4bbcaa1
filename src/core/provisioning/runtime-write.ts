/**
 * What to write as a component's runtime after a successful apply. Pure: the caller read the
 * runtime parameter before and after the run.
 *
 * - The module published `/runtime` itself (the classic header pattern): its version is newer
 *   than the one seen before the run. Karma keeps it and writes nothing.
 * - The outputs equal the current runtime: nothing is written, so consumers are not made to look
 *   stale by a version that changes nothing.
 * - Otherwise one new version: canonical JSON of the outputs, a SecureString when any output is
 *   sensitive, provenance in the description, and `expectedVersion` so a concurrent writer is
 *   detected instead of overwritten.
 */
import { UserError } from "../errors.js";
import type { JsonObject } from "../estate/model.js";
import { canonicalJson } from "../json/canonical.js";
import { ADVANCED_VALUE_LIMIT, STANDARD_VALUE_LIMIT, valueSize } from "../parameters/rules.js";
import { formatProvenance, type RuntimeProvenance } from "../provenance/provenance.js";

/** The runtime parameter as read from the store (decrypted). */
export interface RuntimeSnapshot {
  version: number;
  value: string;
  type: "String" | "StringList" | "SecureString";
}

export interface RuntimeWriteInput {
  /** `<prefix>/<type>/<nickname>/runtime` */
  name: string;
  /** Before the run; undefined when there was none. */
  before?: RuntimeSnapshot;
  /** After the run; differs from `before` only when something else (the module) wrote it. */
  after?: RuntimeSnapshot;
  outputs: { values: JsonObject; sensitiveKeys: readonly string[] };
  provenance: RuntimeProvenance;
}

export type RuntimeWrite =
  | { kind: "module-published"; version: number }
  | { kind: "unchanged"; version: number }
  | {
      kind: "write";
      input: {
        name: string;
        value: string;
        type: "String" | "SecureString";
        tier: "Standard" | "Advanced";
        overwrite: true;
        description: string;
        expectedVersion: number;
      };
    };

export function planRuntimeWrite(input: RuntimeWriteInput): RuntimeWrite {
  const beforeVersion = input.before?.version ?? 0;
  if (input.after && input.after.version > beforeVersion) {
    return { kind: "module-published", version: input.after.version };
  }
  const value = canonicalJson(input.outputs.values);
  const type = input.outputs.sensitiveKeys.length > 0 ? "SecureString" : "String";
  if (input.before && input.before.type === type && sameJson(input.before.value, value)) {
    return { kind: "unchanged", version: input.before.version };
  }
  const size = valueSize(value);
  if (size > ADVANCED_VALUE_LIMIT) {
    throw new UserError(
      `the outputs of ${input.name.replace(/\/runtime$/, "")} are ${size} bytes as JSON; a runtime parameter holds at most ${ADVANCED_VALUE_LIMIT}. The deployment succeeded, but its runtime was not published`,
      "output less (ids and names rather than whole documents), then deploy again",
    );
  }
  return {
    kind: "write",
    input: {
      name: input.name,
      value,
      type,
      tier: size > STANDARD_VALUE_LIMIT ? "Advanced" : "Standard",
      overwrite: true,
      description: formatProvenance(input.provenance),
      expectedVersion: beforeVersion,
    },
  };
}

function sameJson(stored: string, canonical: string): boolean {
  if (stored === canonical) return true;
  try {
    return canonicalJson(JSON.parse(stored)) === canonical;
  } catch {
    return false;
  }
}
