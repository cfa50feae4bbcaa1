/**
 * Key uses: every place a consumer reads a key of a producer's runtime — an explicit `$ref` with
 * a key, or an inferred edge (a config value equal to a producer runtime value) with the producer
 * key it matched. These are what a contract is checked against, and what a contract change breaks.
 */
import type { Component, ComponentAddress } from "../estate/model.js";
import { formatComponentId } from "../ids.js";

export interface KeyUse {
  /** Consumer id (`env:type/nickname`). */
  consumer: string;
  /** Consumer config file. */
  file: string;
  /** Where in the consumer's config the key is read (JSON pointer). */
  pointer: string;
  producer: ComponentAddress;
  /** JSON pointer into the producer's runtime; never "" (whole-runtime reads promise nothing). */
  key: string;
  form: "ref" | "inferred";
}

/** The `$ref` key uses of `components`, in component then pointer order. */
export function refKeyUses(components: readonly Component[]): KeyUse[] {
  const uses: KeyUse[] = [];
  for (const c of components)
    for (const r of c.references)
      if (r.form === "ref" && !r.external && r.key)
        uses.push({
          consumer: c.id,
          file: c.file,
          pointer: r.pointer,
          producer: r.target,
          key: r.key,
          form: "ref",
        });
  return uses;
}

/** Inferred key uses from graph edges (`inferred` kind, or `consumes` found by inference). */
export function inferredKeyUses(
  edges: readonly {
    from: string;
    to: string;
    kind: string;
    evidence: { form: string; pointer: string; producerKey?: string };
  }[],
  components: readonly Component[],
): KeyUse[] {
  const byId = new Map(components.map((c) => [c.id, c]));
  const uses: KeyUse[] = [];
  for (const e of edges) {
    if (e.evidence.form !== "inferred" || !e.evidence.producerKey) continue;
    const consumer = byId.get(e.from);
    const producer = byId.get(e.to);
    if (!consumer || !producer) continue;
    uses.push({
      consumer: consumer.id,
      file: consumer.file,
      pointer: e.evidence.pointer,
      producer: { env: producer.env, type: producer.type, nickname: producer.nickname },
      key: e.evidence.producerKey,
      form: "inferred",
    });
  }
  return uses;
}

export function producerId(use: KeyUse): string {
  return formatComponentId(use.producer);
}
