/**
 * What to write as a component's runtime after a successful apply. Pure: the caller read the
 * runtime parameter before and after the run.
 *
 * - The module published `/runtime` itself (the classic header pattern): its version is newer
 *   than the one seen before the run. Karma keeps its value; when the module recorded no
 *   provenance, Karma writes the same value again with provenance, so status knows its config.
 * - The outputs equal the current runtime and it was produced from the same config and inputs:
 *   nothing is written, so consumers are not made to look stale by a version that changes nothing.
 * - Otherwise one new version: canonical JSON of the outputs, a SecureString when any output is
 *   sensitive, provenance in the description, and `expectedVersion` so a concurrent writer is
 *   detected instead of overwritten.
 */
import { UserError } from "../errors.js";
import type { JsonObject } from "../estate/model.js";
import { canonicalJson } from "../json/canonical.js";
import { ADVANCED_VALUE_LIMIT, STANDARD_VALUE_LIMIT, valueSize } from "../parameters/rules.js";
import { formatProvenance, parseProvenance, type RuntimeProvenance } from "../provenance/provenance.js";

/** The runtime parameter as read from the store (decrypted). */
export interface RuntimeSnapshot {
  version: number;
  value: string;
  type: "String" | "StringList" | "SecureString";
  /** The version's description: Karma's provenance, when Karma (or a module following it) wrote it. */
  description?: string;
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

export interface RuntimePut {
  name: string;
  value: string;
  type: "String" | "StringList" | "SecureString";
  /** Only set when the value needs it: on overwrite SSM keeps the tier and refuses Advanced → Standard. */
  tier?: "Advanced";
  overwrite: true;
  description: string;
  expectedVersion: number;
}

export type RuntimeWrite =
  /** `stamp`: the module's value written again with Karma's provenance, when the module left none. */
  | { kind: "module-published"; version: number; stamp?: RuntimePut }
  | { kind: "unchanged"; version: number }
  /** `replace`: SSM cannot change a parameter's type in place; delete it, then create it. */
  | { kind: "write"; input: RuntimePut; replace: boolean };

/** Whether a version's provenance already says it came from this config and these inputs. */
function sameProvenance(description: string | undefined, wanted: RuntimeProvenance): boolean {
  const recorded = parseProvenance(description);
  return (
    recorded?.configVersion === wanted.configVersion &&
    canonicalJson(recorded.consumed ?? {}) === canonicalJson(wanted.consumed ?? {})
  );
}

export function planRuntimeWrite(input: RuntimeWriteInput): RuntimeWrite {
  const beforeVersion = input.before?.version ?? 0;
  const description = formatProvenance(input.provenance);
  const { after } = input;
  if (after && after.version > beforeVersion) {
    if (parseProvenance(after.description)?.configVersion !== undefined)
      return { kind: "module-published", version: after.version };
    // without provenance, status could not tell which config this runtime came from
    const stamp: RuntimePut = {
      name: input.name,
      value: after.value,
      type: after.type,
      overwrite: true,
      description,
      expectedVersion: after.version,
    };
    return { kind: "module-published", version: after.version, stamp };
  }
  const value = canonicalJson(input.outputs.values);
  // once secret, always secret: a later String version would expose old keys' neighbours in clear
  const type =
    input.outputs.sensitiveKeys.length > 0 || input.before?.type === "SecureString"
      ? "SecureString"
      : "String";
  const replace = input.before !== undefined && input.before.type !== type;
  if (
    input.before &&
    !replace &&
    sameJson(input.before.value, value) &&
    sameProvenance(input.before.description, input.provenance)
  ) {
    return { kind: "unchanged", version: input.before.version };
  }
  const size = valueSize(value);
  if (size > ADVANCED_VALUE_LIMIT) {
    throw new UserError(
      `the outputs of ${input.name.replace(/\/runtime$/, "")} are ${size} bytes as JSON; a runtime parameter holds at most ${ADVANCED_VALUE_LIMIT}. The deployment succeeded, but its runtime was not published`,
      "output less (ids and names rather than whole documents), then deploy again",
    );
  }
  const put: RuntimePut = {
    name: input.name,
    value,
    type,
    overwrite: true,
    description,
    expectedVersion: replace ? 0 : beforeVersion,
  };
  if (size > STANDARD_VALUE_LIMIT) put.tier = "Advanced";
  return { kind: "write", input: put, replace };
}

function sameJson(stored: string, canonical: string): boolean {
  if (stored === canonical) return true;
  try {
    return canonicalJson(JSON.parse(stored)) === canonical;
  } catch {
    return false;
  }
}
