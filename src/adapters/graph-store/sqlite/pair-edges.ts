/**
 * How edges are stored (migration 5): with their link row, not as rows of their own. A link row is
 * one consumer → producer pair; its `docs` column holds the documents of the pair's edges
 * (usually one), joined by newlines, which JSON.stringify never writes, and its `kinds` column
 * their kinds as bits, so a read by kind skips the other pairs in SQL.
 *
 * An edge's document leaves out what its row holds (`from_id`, `to_id`): it is a JSON array
 * (see `edgeDoc`), about a third of the whole edge's JSON, which is what a version's write spends
 * most of its bytes, and so its inserts, on. Rows written before (GROUP_FORMAT 3 in
 * interval-rows.ts, and every row migrations 2-5 made) hold whole `GraphEdge` objects; they stay
 * in the database for the versions that see them, so both are read: by their first character.
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

/**
 * An edge's document in its link row: `[kind, form, pointer, configVersion, producerKey,
 * fingerprint, reason]`, null for an absent field, the absent ones at the end left off, the kind
 * as its bit (KIND_BITS) and the form as its code (FORM_CODES) when it has one, as its string when
 * not: `[1,4,"/depends_on/0",1]` is a `depends_on` edge of form `depends-on` and config version
 * 1. configVersion comes before the evidence's optional fields: store builds give every edge
 * one, most edges have none of the others. Stored: the positions and codes never change; a field
 * added to edges later goes at the end.
 */
type CompactEdge = [
  kind: number | GraphEdge["kind"],
  form: number | EdgeForm,
  pointer: string,
  configVersion?: number | null,
  producerKey?: string | null,
  fingerprint?: string | null,
  reason?: string | null,
];

type EdgeForm = GraphEdge["evidence"]["form"];

/** The kind of each bit, for reading codes. */
const KIND_OF_BIT: Readonly<Record<number, EdgeKind>> = Object.fromEntries(
  Object.entries(KIND_BITS).map(([kind, bit]) => [bit, kind as EdgeKind]),
);

/**
 * The forms by code, in documents. Stored: append only. A form without a code is written as its
 * string, so a form added to the model needs no code to be stored.
 */
const FORMS: readonly EdgeForm[] = [
  "ref",
  "nickname-field",
  "src-pair",
  "runtime-path",
  "depends-on",
  "inferred",
];
const FORM_CODES: ReadonlyMap<string, number> = new Map(FORMS.map((form, code) => [form, code]));

/** A GraphEdge's keys in the order the builder writes them (model.ts); the first `required` always. */
const EDGE_KEYS = { keys: ["from", "to", "kind", "evidence", "configVersion"], required: 4 };
const EVIDENCE_KEYS = { keys: ["form", "pointer", "producerKey", "fingerprint", "reason"], required: 2 };

/**
 * Whether `object`'s keys are some of `keys`, the required ones included, in that order: then the
 * compact document reads back as the very same JSON. Other edges (hand-made, with extra or
 * reordered keys) are stored whole, as they read back as written too.
 */
function hasKeysInOrder(object: object, { keys, required }: typeof EDGE_KEYS): boolean {
  let next = 0;
  for (const key in object) {
    while (next < keys.length && keys[next] !== key) {
      if (next < required) return false;
      next++;
    }
    if (next === keys.length) return false;
    next++;
  }
  return next >= required;
}

/** The document of `edge` in its link row (see CompactEdge). */
export function edgeDoc(edge: GraphEdge): string {
  const e = edge.evidence;
  if (!hasKeysInOrder(edge, EDGE_KEYS) || !hasKeysInOrder(e, EVIDENCE_KEYS)) return JSON.stringify(edge);
  const bit = kindBit(edge.kind);
  const kind = bit === 0 ? edge.kind : bit;
  const form = FORM_CODES.get(e.form) ?? e.form;
  const version = edge.configVersion ?? null;
  // a literal per length, not an array trimmed after: a third cheaper
  if (e.reason !== undefined)
    return JSON.stringify([
      kind,
      form,
      e.pointer,
      version,
      e.producerKey ?? null,
      e.fingerprint ?? null,
      e.reason,
    ]);
  if (e.fingerprint !== undefined)
    return JSON.stringify([kind, form, e.pointer, version, e.producerKey ?? null, e.fingerprint]);
  if (e.producerKey !== undefined) return JSON.stringify([kind, form, e.pointer, version, e.producerKey]);
  if (version !== null) return JSON.stringify([kind, form, e.pointer, version]);
  return JSON.stringify([kind, form, e.pointer]);
}

/** The edge of a document of the pair `from` → `to`: a compact one, or a whole edge of before. */
function readEdge(from: string, to: string, doc: string): GraphEdge {
  if (doc.charCodeAt(0) !== ARRAY) return JSON.parse(doc) as GraphEdge;
  const a = JSON.parse(doc) as CompactEdge;
  const n = a.length;
  const kind = typeof a[0] === "number" ? KIND_OF_BIT[a[0]] : a[0];
  const form = typeof a[1] === "number" ? FORMS[a[1]] : a[1];
  if (kind === undefined || form === undefined) throw new Error(`Unknown edge kind or form code in ${doc}.`);
  const evidence: GraphEdge["evidence"] = { form, pointer: a[2] };
  // in the builder's key order; added one by one only past a producerKey
  if (n > 4 && a[4] != null) evidence.producerKey = a[4];
  if (n > 5 && a[5] != null) evidence.fingerprint = a[5];
  if (n > 6 && a[6] != null) evidence.reason = a[6];
  const configVersion = n > 3 ? a[3] : null;
  return configVersion == null ? { from, to, kind, evidence } : { from, to, kind, evidence, configVersion };
}

/** `[`: a compact document's first character; a whole edge's is `{`. */
const ARRAY = 0x5b;

/** Separates a pair's edge documents in its column. */
const LINE = "\n";

/** A pair's `docs` column from its edges' documents, in order. */
export function docsColumn(docs: readonly string[]): string {
  return docs.length === 1 ? docs[0]! : docs.join(LINE);
}

/** A link row as its edges are read (LINK_COLUMNS): the documents leave the pair out. */
export type LinkRow = [from: string, to: string, docs: string];

/** The columns of a LinkRow, to select raw. */
export const LINK_COLUMNS = "from_id, to_id, docs";

/** The edges stored in link `rows`, in order; with `kinds`, those of one of them. */
export function readPairEdges(rows: readonly LinkRow[], kinds?: readonly string[]): GraphEdge[] {
  const edges: GraphEdge[] = [];
  if (kinds === undefined) {
    for (let i = 0; i < rows.length; i++) {
      const [from, to, column] = rows[i]!;
      if (!column.includes(LINE)) edges.push(readEdge(from, to, column));
      else for (const doc of column.split(LINE)) edges.push(readEdge(from, to, doc));
    }
    return edges;
  }
  // a document of a kind holds its text (a compact one starts with it: the kind's code, or its
  // string for a kind without one or a document of before codes): the others need no parsing
  const starts = kinds.flatMap((kind) => {
    const text = `[${JSON.stringify(kind)},`;
    return kindBit(kind) === 0 ? [text] : [`[${kindBit(kind)},`, text];
  });
  const texts = kinds.map((kind) => `"kind":${JSON.stringify(kind)}`);
  const add = (from: string, to: string, doc: string) => {
    const of =
      doc.charCodeAt(0) === ARRAY
        ? starts.some((start) => doc.startsWith(start))
        : texts.some((text) => doc.includes(text));
    if (!of) return;
    const edge = readEdge(from, to, doc);
    if (kinds.includes(edge.kind)) edges.push(edge);
  };
  for (let i = 0; i < rows.length; i++) {
    const [from, to, column] = rows[i]!;
    if (!column.includes(LINE)) add(from, to, column);
    else for (const doc of column.split(LINE)) add(from, to, doc);
  }
  return edges;
}
