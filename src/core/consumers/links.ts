/**
 * Who consumes what — the one answer every command reads (planner, apply, status, drift, stale
 * detection, destroy's guard): from dependency edges of every kind, each consumer's link to each
 * producer with what it takes —
 * - `keys`: runtime keys it reads through `$ref` (key-level `consumes` edges);
 * - `byName`: it names the producer without `$ref` (nickname field, src pair, runtime path,
 *   depends_on): its module may read any runtime key;
 * - `pasted`: runtime keys it holds a literal copy of (inferred edges), with the fingerprint of
 *   the value it holds, so a later change of the producer's value shows it holds the old one.
 * Pure; O(E log E).
 */
import type { EdgeEvidence, EdgeKind } from "../graph/model.js";

/** The edges links are made from (a `GraphEdge` or a planner edge fits). */
export interface LinkEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  evidence: Pick<EdgeEvidence, "form" | "pointer" | "producerKey" | "fingerprint">;
}

export interface PastedKey {
  /** Where in the consumer's config the copy is. */
  pointer: string;
  /** The producer runtime key it is a copy of. */
  producerKey: string;
  /** `sha256:<12 hex>` of the value copied, when known. */
  fingerprint?: string;
}

export interface ConsumerLink {
  consumer: string;
  producer: string;
  /** `$ref` keys: consumer pointer and producer key, sorted. */
  keys: Array<{ pointer: string; producerKey: string }>;
  byName: boolean;
  pasted: PastedKey[];
  /** How the consumer refers to the producer (reference forms, or "inferred"), sorted. */
  forms: string[];
  /** Consumer config pointers of every edge, sorted. */
  pointers: string[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every consumer → producer link, sorted by consumer then producer. Self-edges are ignored. */
export function consumerLinks(edges: Iterable<LinkEdge>): ConsumerLink[] {
  const links = new Map<string, ConsumerLink & { seen: Set<string> }>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    const id = `${e.from}\u0000${e.to}`;
    let link = links.get(id);
    if (!link) {
      link = {
        consumer: e.from,
        producer: e.to,
        keys: [],
        byName: false,
        pasted: [],
        forms: [],
        pointers: [],
        seen: new Set(),
      };
      links.set(id, link);
    }
    const form = e.evidence.form;
    if (!link.forms.includes(form)) link.forms.push(form);
    if (!link.pointers.includes(e.evidence.pointer)) link.pointers.push(e.evidence.pointer);
    if (e.kind === "depends_on" && form !== "ref") link.byName = true;
    if (e.kind !== "consumes") continue;
    const key = `${e.evidence.pointer}\u0000${e.evidence.producerKey ?? ""}\u0000${form}`;
    if (link.seen.has(key)) continue;
    link.seen.add(key);
    const at = { pointer: e.evidence.pointer, producerKey: e.evidence.producerKey ?? "" };
    if (form === "inferred")
      link.pasted.push({ ...at, ...(e.evidence.fingerprint ? { fingerprint: e.evidence.fingerprint } : {}) });
    else link.keys.push(at);
  }
  const byKey = (a: { pointer: string; producerKey: string }, b: { pointer: string; producerKey: string }) =>
    compare(a.pointer, b.pointer) || compare(a.producerKey, b.producerKey);
  return [...links.values()]
    .map(({ seen: _seen, ...link }) => ({
      ...link,
      keys: link.keys.sort(byKey),
      pasted: link.pasted.sort(byKey),
      forms: link.forms.sort(),
      pointers: link.pointers.sort(),
    }))
    .sort((a, b) => compare(a.consumer, b.consumer) || compare(a.producer, b.producer));
}

/** Links whose producer is `producer` (its consumers), sorted by consumer. */
export function consumersOf(links: readonly ConsumerLink[], producer: string): ConsumerLink[] {
  return links.filter((l) => l.producer === producer);
}
