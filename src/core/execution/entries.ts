/**
 * From components and the run's members to execution entries: which members each depends on,
 * and what it takes from each (keys through `$ref`, or the producer by name). Pure.
 */
import type { Component } from "../estate/model.js";
import { formatComponentId } from "../ids.js";
import type { ExecutionEntry } from "./execution.js";
import type { ProducerInput } from "./propagation.js";

export interface RunMembers {
  /** Components of the run. */
  components: readonly Component[];
  /** Deploy waves of the members (ids). */
  waves: readonly (readonly string[])[];
  /** Members in the run on their own, with the reason; the others are there only as dependents. */
  causes: ReadonlyMap<string, string>;
}

/** Producer inputs of `component`, for producers in `members` (all producers when omitted), sorted. */
export function producerInputs(component: Component, members?: ReadonlySet<string>): ProducerInput[] {
  const byProducer = new Map<string, { keys: Set<string>; byName: boolean }>();
  for (const ref of component.references) {
    if (ref.external) continue;
    const producer = formatComponentId(ref.target);
    if (producer === component.id || (members && !members.has(producer))) continue;
    const entry = byProducer.get(producer) ?? { keys: new Set<string>(), byName: false };
    if (ref.form === "ref") entry.keys.add(ref.key ?? "");
    else entry.byName = true;
    byProducer.set(producer, entry);
  }
  return [...byProducer.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([producer, { keys, byName }]) => ({ producer, keys: [...keys].sort(), byName }));
}

export function executionEntries(run: RunMembers): ExecutionEntry[] {
  const members = new Set(run.components.map((c) => c.id));
  const waveOf = new Map<string, number>();
  run.waves.forEach((wave, i) => {
    for (const id of wave) waveOf.set(id, i);
  });
  return run.components
    .filter((c) => waveOf.has(c.id))
    .map((c) => {
      const inputs = producerInputs(c, members);
      const cause = run.causes.get(c.id);
      return {
        id: c.id,
        wave: waveOf.get(c.id)!,
        dependencies: inputs.map((i) => i.producer),
        inputs,
        ...(cause !== undefined ? { cause } : {}),
      };
    });
}
