/**
 * Drafting an output contract from a Terraform module's `output` blocks, for a human to review.
 * Names, descriptions and `sensitive` flags come from the blocks; JSON types and the example
 * from a runtime the type has already published, when there is one (a sensitive value never goes
 * into the draft: its example is a placeholder).
 */
import type { JsonObject, JsonValue } from "../estate/model.js";
import { SENSITIVE_KEYWORD } from "./model.js";
import type { ModuleOutput } from "./terraform-outputs.js";

export interface DraftSample {
  /** Component id the runtime was read from. */
  from: string;
  value: JsonObject;
}

function jsonType(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

export function draftContract(
  type: string,
  outputs: readonly ModuleOutput[],
  sample?: DraftSample,
): JsonObject {
  const properties: JsonObject = {};
  const example: JsonObject = {};
  for (const output of outputs) {
    const property: JsonObject = {};
    if (output.description !== undefined) property.description = output.description;
    const sampled = sample?.value[output.name];
    if (sampled !== undefined) property.type = jsonType(sampled);
    if (output.sensitive) property[SENSITIVE_KEYWORD] = true;
    properties[output.name] = property;
    example[output.name] =
      output.sensitive || sampled === undefined ? `example-${output.name.replace(/_/g, "-")}` : sampled;
  }
  const files = [...new Set(outputs.map((o) => o.file))].sort();
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: `${type} runtime`,
    description:
      `Drafted by \`karma types contract ${type} --from-terraform\` from ${files.join(", ") || "(no output blocks)"}` +
      (sample
        ? `, types and example from the runtime of ${sample.from}`
        : "; no runtime was found, so types are not set") +
      ". Review it: every property listed is a promise to consumers.",
    type: "object",
    required: outputs.map((o) => o.name),
    properties,
    examples: [example],
  };
}
