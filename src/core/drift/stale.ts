/**
 * Stale consumers: a component whose deployed runtime was produced from a producer runtime
 * version older than the producer's current one, where the values at the keys it consumes differ
 * between the two versions. Its infrastructure still holds the old values; deploying it again
 * would change it.
 *
 * The consumed versions come from the consumer's runtime provenance (`consumed`: producer →
 * runtime version read at deploy time); the consumed keys from its links (`core/consumers`): its
 * `$ref` keys, or the whole runtime for a producer it names without `$ref`. A newer producer
 * version that leaves those keys alone does not make it stale. A consumer holding a pasted copy
 * of a producer value (inferred link) is stale once the producer's value differs from the copy
 * (`findPastedStale`): its config holds the old value, whatever was deployed. Values are compared in memory
 * (SecureStrings decrypted by the caller) and never reported — only keys and versions are.
 *
 * Two steps so the caller reads only what it needs: `historyNeeded` lists the old producer
 * versions to read, `findStaleConsumers` decides.
 */
import type { JsonValue } from "../estate/model.js";
import { changedKeys } from "../execution/propagation.js";

export interface ConsumerRecord {
  /** `env:type/nickname` */
  id: string;
  /** From the consumer's runtime provenance: producer id → runtime version consumed. */
  consumed: Readonly<Record<string, number>>;
  /** Runtime keys (JSON pointers) the consumer's config `$ref`s, per producer id. */
  keys: ReadonlyMap<string, readonly string[]>;
}

export interface ProducerRuntimes {
  /** The producer's current runtime. */
  current: { version: number; value: JsonValue };
  /** Older versions read for the comparison; a version missing here is no longer kept by the store. */
  history: ReadonlyMap<number, JsonValue>;
}

export interface StaleInput {
  producer: string;
  /** Producer runtime version the consumer was deployed with (absent for pasted copies). */
  consumedVersion?: number;
  currentVersion: number;
  /** Consumed keys whose values differ (all consumed keys when the old version is gone). */
  changedKeys: string[];
  /** True when the consumed version is no longer in the store's history: compared by version only. */
  historyMissing?: boolean;
  /** Consumer config pointers holding pasted copies of `changedKeys` (inferred link). */
  pasted?: string[];
}

export interface StaleConsumer {
  id: string;
  /** Sorted by producer. */
  inputs: StaleInput[];
}

/** The (producer, version) pairs to read so `findStaleConsumers` can compare, sorted. */
export function historyNeeded(
  consumers: readonly ConsumerRecord[],
  currentVersions: ReadonlyMap<string, number>,
): { producer: string; version: number }[] {
  const needed = new Map<string, { producer: string; version: number }>();
  for (const consumer of consumers) {
    for (const [producer, version] of Object.entries(consumer.consumed)) {
      const current = currentVersions.get(producer);
      if (current === undefined || version === current || !consumer.keys.get(producer)?.length) continue;
      needed.set(`${producer}\u0000${version}`, { producer, version });
    }
  }
  return [...needed.values()].sort((a, b) =>
    a.producer < b.producer ? -1 : a.producer > b.producer ? 1 : a.version - b.version,
  );
}

/**
 * Every stale consumer, sorted by id. A producer that has no runtime any more is not a staleness
 * (the consumer's input is gone, which status reports elsewhere); a producer the consumer no
 * longer `$ref`s in its config is not compared.
 */
export function findStaleConsumers(
  consumers: readonly ConsumerRecord[],
  producers: ReadonlyMap<string, ProducerRuntimes>,
): StaleConsumer[] {
  const stale: StaleConsumer[] = [];
  for (const consumer of consumers) {
    const inputs: StaleInput[] = [];
    for (const [producer, consumedVersion] of Object.entries(consumer.consumed)) {
      const runtimes = producers.get(producer);
      const keys = consumer.keys.get(producer) ?? [];
      if (!runtimes || keys.length === 0 || consumedVersion === runtimes.current.version) continue;
      const base = { producer, consumedVersion, currentVersion: runtimes.current.version };
      const old = runtimes.history.get(consumedVersion);
      if (old === undefined) {
        inputs.push({ ...base, changedKeys: [...keys], historyMissing: true });
        continue;
      }
      const changed = changedKeys({ before: old, after: runtimes.current.value }, keys);
      if (changed.length > 0) inputs.push({ ...base, changedKeys: changed });
    }
    if (inputs.length > 0)
      stale.push({ id: consumer.id, inputs: inputs.sort((a, b) => (a.producer < b.producer ? -1 : 1)) });
  }
  return stale.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A pasted copy a consumer holds, with the current value of the producer key it copies. */
export interface PastedCopy {
  consumer: string;
  producer: string;
  pointer: string;
  producerKey: string;
  /** Fingerprint of the value the consumer's config holds now. */
  held: string;
  /** Fingerprint of the producer's current value at `producerKey` (absent: no such key now). */
  current?: string;
  currentVersion: number;
}

/** Consumers whose pasted copies no longer equal the producer's value, sorted by id. */
export function findPastedStale(copies: readonly PastedCopy[]): StaleConsumer[] {
  const byConsumer = new Map<string, Map<string, StaleInput>>();
  for (const c of copies) {
    if (c.current === c.held) continue;
    let inputs = byConsumer.get(c.consumer);
    if (!inputs) {
      inputs = new Map();
      byConsumer.set(c.consumer, inputs);
    }
    const input = inputs.get(c.producer) ?? {
      producer: c.producer,
      currentVersion: c.currentVersion,
      changedKeys: [],
      pasted: [],
    };
    // side by side: changedKeys[n] is pasted at pasted[n]
    input.changedKeys.push(c.producerKey);
    input.pasted!.push(c.pointer);
    inputs.set(c.producer, input);
  }
  return [...byConsumer]
    .map(([id, inputs]) => ({
      id,
      inputs: [...inputs.values()].sort((a, b) => (a.producer < b.producer ? -1 : 1)),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Both lists merged per consumer (inputs of one producer from both kept side by side), sorted. */
export function mergeStale(a: readonly StaleConsumer[], b: readonly StaleConsumer[]): StaleConsumer[] {
  const merged = new Map<string, StaleInput[]>();
  for (const s of [...a, ...b]) merged.set(s.id, [...(merged.get(s.id) ?? []), ...s.inputs]);
  return [...merged]
    .map(([id, inputs]) => ({
      id,
      inputs: inputs.sort((x, y) => (x.producer < y.producer ? -1 : x.producer > y.producer ? 1 : 0)),
    }))
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** `consumed dev:network/main v3, now v4 (#/network_id changed)` — keys and versions only. */
export function describeStaleness(consumer: StaleConsumer): string {
  return consumer.inputs
    .map((i) => {
      if (i.pasted)
        return i.changedKeys
          .map(
            (k, n) =>
              `holds the old ${k || "(whole runtime)"} of ${i.producer} (pasted at ${i.pasted![n]}; now v${i.currentVersion})`,
          )
          .join("; ");
      const keys = i.changedKeys.map((k) => (k === "" ? "whole runtime" : `#${k}`)).join(", ");
      return i.historyMissing
        ? `consumed ${i.producer} v${i.consumedVersion}, now v${i.currentVersion} (v${i.consumedVersion} is no longer kept; cannot compare ${keys})`
        : `consumed ${i.producer} v${i.consumedVersion}, now v${i.currentVersion} (${keys} changed)`;
    })
    .join("; ");
}
