/**
 * From a Plan to execution entries: each affected component depends on the members it consumes
 * from, and takes from each what the plan says — keys through `$ref`, the producer by name, or a
 * pasted copy (inferred). Pure.
 */
import type { ConsumedKeys, PlanEntry } from "../planning/model.js";
import type { ExecutionEntry } from "./execution.js";
import type { ProducerInput } from "./propagation.js";

/** What a consumer takes from one producer, as the propagation rule needs it. */
export function producerInput(consumed: ConsumedKeys): ProducerInput {
  const declared = consumed.keys.filter((k) => !k.inferred);
  const pasted = consumed.keys.filter((k) => k.inferred);
  return {
    producer: consumed.producer,
    keys: [...new Set(declared.map((k) => k.producerKey))].sort(),
    byName: consumed.byName === true,
    ...(pasted.length
      ? { pasted: pasted.map((k) => ({ pointer: k.pointer, producerKey: k.producerKey })) }
      : {}),
  };
}

/**
 * One execution entry per plan entry in `members`; `causes` holds why each changed one runs on
 * its own (the others run only when a producer change reaches them).
 */
export function executionEntries(
  entries: readonly PlanEntry[],
  members: ReadonlySet<string>,
  causes: ReadonlyMap<string, string>,
): ExecutionEntry[] {
  return entries
    .filter((e) => members.has(e.id))
    .map((e) => {
      const inputs = e.consumes.filter((c) => members.has(c.producer)).map(producerInput);
      const cause = causes.get(e.id);
      return {
        id: e.id,
        wave: e.wave,
        dependencies: inputs.map((i) => i.producer),
        inputs,
        ...(cause !== undefined ? { cause } : {}),
      };
    });
}
