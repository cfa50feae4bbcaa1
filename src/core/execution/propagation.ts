/**
 * The propagation rule: after a producer deploys, which of its dependents must deploy again?
 *
 * - A `$ref` consumer takes values at known keys (JSON pointers) of the producer's runtime; it is
 *   redeployed only when the value at one of those keys differs between the runtime before and
 *   after the producer's deploy. Otherwise it is "unaffected: consumed keys unchanged".
 * - A consumer that names the producer without `$ref` (a `<type>_nickname` field, a
 *   `src_type`/`src_nickname` pair, a runtime path, or `depends_on`) gets no values from Karma:
 *   its module may read any key of the producer's runtime itself (the classic SSM header), or
 *   merely needs to come after it. Karma cannot know which keys it reads, so it is redeployed
 *   whenever the producer's runtime changed at all, and left alone when the runtime is identical.
 *
 * - A consumer that holds a pasted copy of a producer value (an inferred edge: its config holds a
 *   literal equal to a runtime key) cannot take a new value by redeploying: its config still says
 *   the old one. When such a key changes it needs attention (`karma refs adopt` turns the copy
 *   into a `$ref`), and is not redeployed for it.
 *
 * Values are compared as canonical JSON in memory and never reported — only key names are, so a
 * SecureString runtime (decrypted by the caller for the comparison) is never shown.
 */
import type { JsonValue } from "../estate/model.js";
import { jsonEqual } from "../json/canonical.js";
import { getAtPointer } from "../json/pointer.js";

/** What one consumer takes from one producer. */
export interface ProducerInput {
  /** Producer id `env:type/nickname`. */
  producer: string;
  /** Runtime keys (JSON pointers) read through `$ref`, sorted; "" is the whole runtime. */
  keys: readonly string[];
  /** The consumer references the producer by name (not by key): any runtime change matters. */
  byName: boolean;
  /** Producer keys the consumer holds pasted copies of (inferred edges), with where in its config. */
  pasted?: ReadonlyArray<{ pointer: string; producerKey: string }>;
}

/** A producer's runtime around its deploy, parsed (and decrypted) in memory. `undefined` = none. */
export interface RuntimeChange {
  before?: JsonValue;
  after?: JsonValue;
}

export type PropagationDecision =
  | { redeploy: true; producer: string; changedKeys: string[]; why: string; attention?: string }
  | { redeploy: false; producer: string; why: string; attention?: string };

function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return jsonEqual(a, b);
}

/** True when the runtime differs in any way (or appeared / disappeared). */
export function runtimeChanged(change: RuntimeChange): boolean {
  return !same(change.before, change.after);
}

/** The keys (pointers) among `keys` whose values differ between before and after, in input order. */
export function changedKeys(change: RuntimeChange, keys: readonly string[]): string[] {
  const at = (doc: JsonValue | undefined, key: string) =>
    doc === undefined ? undefined : getAtPointer(doc, key);
  return keys.filter((key) => !same(at(change.before, key), at(change.after, key)));
}

function keyLabel(producer: string, key: string): string {
  return key === "" ? `${producer} (whole runtime)` : `${producer}#${key}`;
}

/** `holds the old /net_id of dev:net/main (at /vpc)`: what a pasted copy left behind — keys only. */
export function describePasted(
  producer: string,
  pasted: ReadonlyArray<{ pointer: string; producerKey: string }>,
): string {
  return pasted
    .map(
      (p) =>
        `holds the old ${p.producerKey || "(whole runtime)"} of ${producer} (pasted at ${p.pointer || "/"})`,
    )
    .join("; ");
}

/** Decides for one consumer input whether the producer's runtime change reaches it. */
export function decidePropagation(input: ProducerInput, change: RuntimeChange): PropagationDecision {
  const decision = decideDeclared(input, change);
  const pasted = input.pasted ?? [];
  if (pasted.length === 0 || !runtimeChanged(change)) return decision;
  const moved = pasted.filter((p) => changedKeys(change, [p.producerKey]).length > 0);
  return moved.length ? { ...decision, attention: describePasted(input.producer, moved) } : decision;
}

function decideDeclared(input: ProducerInput, change: RuntimeChange): PropagationDecision {
  const { producer } = input;
  const keys = input.keys.map((k) => keyLabel(producer, k)).join(", ");
  if (!runtimeChanged(change))
    return {
      redeploy: false,
      producer,
      why: keys
        ? `consumed keys unchanged (${keys}; the runtime is identical)`
        : `${producer}'s runtime is identical`,
    };
  const changed = changedKeys(change, input.keys);
  if (changed.length > 0)
    return {
      redeploy: true,
      producer,
      changedKeys: changed,
      why: `consumes ${changed.map((k) => keyLabel(producer, k)).join(", ")}, which changed`,
    };
  if (input.byName)
    return {
      redeploy: true,
      producer,
      changedKeys: [],
      why: `references ${producer} by name and its runtime changed (its module may read any key)`,
    };
  return {
    redeploy: false,
    producer,
    why: `consumed keys unchanged (${keys})`,
  };
}
