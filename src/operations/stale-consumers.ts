/**
 * Reading stale consumers (see `core/drift/stale.ts`) from the stores, for every kind of link
 * (`consumers.ts`): used by status, drift and the planner.
 */
import type { ConsumerLink } from "../core/consumers/links.js";
import {
  type ConsumerRecord,
  findPastedStale,
  findStaleConsumers,
  historyNeeded,
  mergeStale,
  type PastedCopy,
  type ProducerRuntimes,
  type StaleConsumer,
} from "../core/drift/stale.js";
import type { Component, JsonValue } from "../core/estate/model.js";
import { componentParameterName } from "../core/estate/paths.js";
import { parseComponentId } from "../core/ids.js";
import { parseJsonOrText } from "../core/json/lenient.js";
import type { StoreIndex } from "../core/parameters/store-index.js";
import { parseProvenance } from "../core/provenance/provenance.js";
import { isParameterStoreError } from "../ports/parameter-store.js";
import { leafFingerprint } from "./consumers.js";
import { readResolvedRuntime, usesSlots } from "./provision/runtime-labels.js";
import type { EnvironmentStores } from "./stores.js";

function linksByConsumer(links: readonly ConsumerLink[]): Map<string, ConsumerLink[]> {
  const by = new Map<string, ConsumerLink[]>();
  for (const l of links) {
    const list = by.get(l.consumer);
    if (list) list.push(l);
    else by.set(l.consumer, [l]);
  }
  return by;
}

/**
 * Whether `c`'s runtime records the producer versions it consumed: only such a consumer can be
 * stale through a declared link (pasted copies are judged by value, recorded or not).
 */
export function recordsConsumption(c: Component, indexes: ReadonlyMap<string, StoreIndex>): boolean {
  return recordedConsumption(c, indexes) !== undefined;
}

/** The producer versions `c`'s runtime records it consumed; undefined when it records none. */
function recordedConsumption(
  c: Component,
  indexes: ReadonlyMap<string, StoreIndex>,
): ConsumerRecord["consumed"] | undefined {
  const runtime = indexes.get(c.env)?.components.get(`${c.type}/${c.nickname}`)?.runtime;
  const consumed = runtime && parseProvenance(runtime.description)?.consumed;
  return consumed !== undefined && Object.keys(consumed).length > 0 ? consumed : undefined;
}

/** Consumers as recorded: deployed components with `consumed` provenance, and the keys they read. */
function consumerRecords(
  components: readonly Component[],
  indexes: ReadonlyMap<string, StoreIndex>,
  links: ReadonlyMap<string, ConsumerLink[]>,
): ConsumerRecord[] {
  const records: ConsumerRecord[] = [];
  for (const c of components) {
    // without links nothing is read: no record, whatever the provenance says
    const own = links.get(c.id);
    if (own === undefined) continue;
    const consumed = recordedConsumption(c, indexes);
    if (consumed === undefined) continue;
    const keys = new Map<string, string[]>();
    for (const link of own) {
      // by name, its module may read any key: the whole runtime counts
      const read = [
        ...new Set([...link.keys.map((k) => k.producerKey), ...(link.byName ? [""] : [])]),
      ].sort();
      if (read.length) keys.set(link.producer, read);
    }
    if (keys.size > 0) records.push({ id: c.id, consumed, keys });
  }
  return records;
}

/** Pasted copies held by deployed `components`, against their producers' current values. */
function pastedCopies(
  components: readonly Component[],
  indexes: ReadonlyMap<string, StoreIndex>,
  links: ReadonlyMap<string, ConsumerLink[]>,
): PastedCopy[] {
  const copies: PastedCopy[] = [];
  // a producer's runtime is parsed once, and only for links that hold pasted copies: most links
  // hold none, and parsing every producer's runtime per consumer dominated this at 10k components
  const known = new Map<string, string>(); // value text → fingerprint
  const values = new Map<string, JsonValue>();
  for (const c of components) {
    const own = links.get(c.id);
    if (own === undefined || !indexes.get(c.env)?.components.get(`${c.type}/${c.nickname}`)?.runtime)
      continue;
    for (const link of own) {
      if (link.pasted.length === 0) continue;
      const address = parseComponentId(link.producer);
      const runtime =
        address && indexes.get(address.env)?.components.get(`${address.type}/${address.nickname}`)?.runtime;
      if (!runtime || runtime.type === "SecureString") continue;
      let value = values.get(link.producer);
      if (value === undefined) {
        value = parseJsonOrText(runtime.value);
        values.set(link.producer, value);
      }
      for (const p of link.pasted) {
        const held = p.fingerprint ?? leafFingerprint(c.config, p.pointer, known);
        if (held === undefined) continue;
        const current = leafFingerprint(value, p.producerKey, known);
        copies.push({
          consumer: c.id,
          producer: link.producer,
          pointer: p.pointer,
          producerKey: p.producerKey,
          held,
          ...(current !== undefined ? { current } : {}),
          currentVersion: runtime.version,
        });
      }
    }
  }
  return copies;
}

/**
 * Stale consumers among `components`, through every kind of link in `links`. Reads only what the
 * comparison needs: the producer runtime versions consumers are behind on, and current values of
 * SecureString producers (decrypted in memory, compared, never kept or shown). `stores` must hold
 * every environment the producers live in (those not open are skipped).
 */
export async function readStaleConsumers(
  components: readonly Component[],
  stores: EnvironmentStores,
  indexes: ReadonlyMap<string, StoreIndex>,
  links: readonly ConsumerLink[],
): Promise<StaleConsumer[]> {
  const byConsumer = linksByConsumer(links);
  const pasted = findPastedStale(pastedCopies(components, indexes, byConsumer));
  const consumers = consumerRecords(components, indexes, byConsumer);
  if (consumers.length === 0) return pasted;
  const current = new Map<
    string,
    { name: string; env: string; version: number; value: string; secure: boolean }
  >();
  for (const producer of new Set(consumers.flatMap((c) => Object.keys(c.consumed)))) {
    const address = parseComponentId(producer);
    const index = address && indexes.get(address.env);
    const runtime = address && index?.components.get(`${address.type}/${address.nickname}`)?.runtime;
    if (!address || !index || !runtime) continue;
    const name = componentParameterName(index.prefix, address.type, address.nickname, "runtime");
    // blue-green producers: consumers follow the version labelled live, not the latest candidate
    const live = usesSlots(runtime) ? await readResolvedRuntime(stores.get(address.env), name) : runtime;
    if (!live) continue;
    current.set(producer, {
      name,
      env: address.env,
      version: live.version,
      value: live.value,
      secure: live.type === "SecureString",
    });
  }
  const needed = historyNeeded(consumers, new Map([...current].map(([id, r]) => [id, r.version])));
  const producers = new Map<string, ProducerRuntimes>();
  for (const { producer, version } of needed) {
    const now = current.get(producer)!;
    let entry = producers.get(producer);
    if (!entry) {
      const store = stores.get(now.env);
      const value = now.secure
        ? (await store.getParameter(`${now.name}:${now.version}`, { withDecryption: true })).value
        : now.value;
      entry = { current: { version: now.version, value: parseJsonOrText(value) }, history: new Map() };
      producers.set(producer, entry);
    }
    try {
      const old = await stores.get(now.env).getParameter(`${now.name}:${version}`, { withDecryption: true });
      (entry.history as Map<number, JsonValue>).set(version, parseJsonOrText(old.value));
    } catch (error) {
      // dropped from the history (SSM keeps 100 versions): compared by version only
      if (
        !isParameterStoreError(error, "ParameterVersionNotFound") &&
        !isParameterStoreError(error, "ParameterNotFound")
      )
        throw error;
    }
  }
  return mergeStale(findStaleConsumers(consumers, producers), pasted);
}
