/**
 * How edges are stored (migration 5): with their link row, not as rows of their own. A link row is
 * one consumer → producer pair; its `docs` column holds the JSON documents of the pair's edges
 * (usually one), joined by newlines, which JSON.stringify never writes, and its `kinds` column
 * their kinds as bits, so a read by kind skips the other pairs in SQL.
 */
import type { EdgeKind, GraphEdge } from "../../../core/graph/model.js";

/**
 * A bit per edge kind, in the `kinds` column. Stored: a kind added later takes a new bit; rows
 * written before it have 0 for it, so reads by a kind without a bit filter in JS only.
 */
const KIND_BITS: Readonly<Record<EdgeKind, number>> = { depends_on: 1, consumes: 2, inferred: 4 };

/** The bit of `kind`, 0 for a kind without one. */
export function kindBit(kind: string): number {
  return Object.hasOwn(KIND_BITS, kind) ? KIND_BITS[kind as EdgeKind] : 0;
}

/** The `kinds` mask a read of `kinds` keeps pairs by; undefined when one of them has no bit. */
export function kindsMask(kinds: readonly string[]): number | undefined {
  let mask = 0;
  for (const kind of kinds) {
    const bit = kindBit(kind);
    if (bit === 0) return undefined;
    mask |= bit;
  }
  return mask;
}

/** Separates a pair's edge documents in its column. */
const LINE = "\n";

/** A pair's `docs` column from its edges' documents, in order. */
export function docsColumn(docs: readonly string[]): string {
  return docs.length === 1 ? docs[0]! : docs.join(LINE);
}

/** Appends the edges stored in `column` to `into`, in order; with `kinds`, those of one of them. */
export function readPairEdges(column: string, into: GraphEdge[], kinds?: readonly string[]): void {
  if (!column.includes(LINE)) {
    const edge = JSON.parse(column) as GraphEdge;
    if (kinds === undefined || kinds.includes(edge.kind)) into.push(edge);
    return;
  }
  // a document of a kind holds its text: the others of the pair need no parsing
  const texts = kinds?.map((kind) => `"kind":${JSON.stringify(kind)}`);
  for (const doc of column.split(LINE)) {
    if (texts !== undefined && !texts.some((text) => doc.includes(text))) continue;
    const edge = JSON.parse(doc) as GraphEdge;
    if (kinds === undefined || kinds.includes(edge.kind)) into.push(edge);
  }
}
