/** Helpers shared by the runners: the inputs digest and the component label. */
import { createHash } from "node:crypto";
import type { ComponentAddress, JsonValue } from "../../core/estate/model.js";
import { formatComponentId } from "../../core/ids.js";
import { canonicalJson } from "../../core/json/canonical.js";
import type { RunInputs } from "../../ports/runner.js";

/** sha256 of the canonical inputs: a plan is only applied to the inputs it was made from. */
export function inputsDigest(inputs: RunInputs): string {
  return createHash("sha256")
    .update(canonicalJson(inputs as unknown as JsonValue))
    .digest("hex");
}

export function componentLabel(address: ComponentAddress): string {
  return formatComponentId(address);
}
