/**
 * A build's mutations as few traversals as possible: rows of one kind go to the server as a list
 * (`inject(rows).unfold()`, then the steps that write one row), several kinds chain in one
 * traversal, and a batch is cut only when it reaches {@link BATCH_ROWS} rows or {@link BATCH_CHARS}
 * of data. Lookups are what costs on the server (mergeV/mergeE search before they create, about
 * twice the work of addV), so a node's state vertex is added with addV and linked to its identity
 * by the step label of the identity's mergeV; values all node rows share (namespace, version,
 * open interval) are constants of the traversal, not repeated per row. An edge's mergeE map is
 * its id alone and everything else (label, endpoints, every property) is its onCreate map: the
 * id carries the version being built, so the search never finds one, and the search is a
 * traversal the server builds and optimises per row, with a has() per key of the map and a
 * where() per endpoint, so a bare id is the cheapest one. Both beat a locator map plus per-row
 * property() steps (about half an edge's server CPU on TinkerGraph, measured over 32k edges).
 * Every segment ends in `count().is(n)`: when a segment touched fewer elements than it should (an
 * element to close is gone), the traverser is filtered out, the later segments never run and the
 * batch answers nothing, which the caller reports. mergeE fails by itself on a missing endpoint.
 * Only Neptune-portable steps: inject/constant/unfold, mergeV/mergeE with maps, mid-traversal V().
 */
import gremlin from "gremlin";
import type { GraphTraversalSource } from "./connection.js";

const { P, t, cardinality, direction, merge } = gremlin.process;
const __ = gremlin.process.statics;
type GraphTraversal = gremlin.process.GraphTraversal;

/** Rows per write traversal: amortises the round trip, stays far below request size limits. */
export const BATCH_ROWS = 1_000;
/** Data characters per write traversal (the server's maxContentLength is 10 MB; Neptune's is larger). */
export const BATCH_CHARS = 2_000_000;

export type Row = Map<unknown, unknown>;

/** One unit of work; consecutive writes of the same kind share a segment. */
export type Write =
  /**
   * A node state: identity vertex (merged: created with `onCreate` the first time), state vertex
   * (`stateId`, valid from this build on), hasState edge from the identity.
   */
  | {
      kind: "node";
      identity: { id: string; label: string; onCreate: Row };
      stateId: string;
      nodeId: string;
      data: string;
      chars: number;
    }
  /** A vertex created from its full map (finding, bucket). */
  | { kind: "vertex"; row: Row; chars: number }
  /** A dependency edge between identity vertices, valid from this build on. */
  | {
      kind: "edge";
      id: string;
      label: string;
      from: string;
      to: string;
      key: string;
      data: string;
      chars: number;
    }
  /** Close a vertex: `until` = v. */
  | { kind: "closeVertex"; id: string }
  /** Close an edge, found from its source vertex. */
  | { kind: "closeEdge"; source: string; id: string };

type Segment = { kind: Write["kind"]; writes: Write[] };

/** Splits `writes` (in order) into batches of segments. */
export function batches(
  writes: readonly Write[],
  limits: { rows: number; chars: number } = { rows: BATCH_ROWS, chars: BATCH_CHARS },
): Segment[][] {
  const out: Segment[][] = [];
  let batch: Segment[] = [];
  let rows = 0;
  let chars = 0;
  for (const write of writes) {
    const size = "chars" in write ? write.chars : 0;
    if (rows > 0 && (rows + 1 > limits.rows || chars + size > limits.chars)) {
      out.push(batch);
      batch = [];
      rows = 0;
      chars = 0;
    }
    const last = batch[batch.length - 1];
    if (last?.kind === write.kind) last.writes.push(write);
    else batch.push({ kind: write.kind, writes: [write] });
    rows++;
    chars += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** The row a write sends (for a node, what varies per element; the rest are constants of the traversal). */
function rowOf(write: Write, options: BatchOptions): Row {
  switch (write.kind) {
    case "node":
      return new Map<unknown, unknown>([
        [
          "m",
          new Map<unknown, unknown>([
            [t.id, write.identity.id],
            [t.label, write.identity.label],
          ]),
        ],
        ["c", write.identity.onCreate],
        ["s", write.stateId],
        ["h", `${write.stateId}|h`],
        ["n", write.nodeId],
        ["j", write.data],
      ]);
    case "edge":
      return new Map<unknown, unknown>([
        ["m", new Map<unknown, unknown>([[t.id, write.id]])],
        [
          "c",
          new Map<unknown, unknown>([
            [t.label, write.label],
            [direction.out, write.from],
            [direction.in, write.to],
            ["ns", options.namespace],
            ["key", write.key],
            ["since", options.version],
            ["until", options.open],
            ["data", write.data],
          ]),
        ],
      ]);
    case "vertex":
      return write.row;
    default:
      throw new Error(`${write.kind} has no row`);
  }
}

export interface BatchOptions {
  namespace: string;
  /** The version being built: `since` of what is added, `until` of what is closed. */
  version: number;
  /** `until` of an element still valid. */
  open: number;
  edgeLabels: readonly string[];
  stateLabel: string;
  hasStateLabel: string;
}

/** The traversal of one batch: answers one value when every segment did all it should. */
export function batchTraversal(
  g: GraphTraversalSource,
  segments: readonly Segment[],
  options: BatchOptions,
): GraphTraversal {
  let chain: GraphTraversal | undefined;
  const field = (key: string) => __.select("r").select(key);
  const rowsOf = (segment: Segment) => segment.writes.map((write) => rowOf(write, options));
  // a row list starts the traversal (inject) or replaces the single traverser left by count() (constant)
  const rows = (segment: Segment) =>
    (chain === undefined ? g.inject(rowsOf(segment)) : chain.constant(rowsOf(segment))).unfold();
  // vertex lookups start the traversal or run once for the single traverser left by count()
  const vertices = (ids: string[]) => (chain === undefined ? g.V(...ids) : chain.V(...ids));
  for (const segment of segments) {
    let step: GraphTraversal;
    switch (segment.kind) {
      case "node":
        step = rows(segment)
          .as("r")
          .mergeV(__.select("m"))
          .option(merge.onCreate, field("c"))
          .as("i")
          .addV(options.stateLabel)
          .property(t.id, field("s"))
          .property("ns", options.namespace)
          .property("node", field("n"))
          .property("since", options.version)
          .property("until", options.open)
          .property("data", field("j"))
          .addE(options.hasStateLabel)
          .from_("i")
          .property(t.id, field("h"))
          .property("ns", options.namespace);
        break;
      case "vertex":
        step = rows(segment).mergeV();
        break;
      case "edge":
        step = rows(segment).as("r").mergeE(__.select("m")).option(merge.onCreate, field("c"));
        break;
      case "closeVertex":
        step = vertices(segment.writes.map((w) => (w as { id: string }).id)).property(
          cardinality.single,
          "until",
          options.version,
        );
        break;
      case "closeEdge": {
        const edges = segment.writes as Extract<Write, { kind: "closeEdge" }>[];
        step = vertices([...new Set(edges.map((e) => e.source))])
          .outE(...options.edgeLabels)
          .hasId(P.within(edges.map((e) => e.id)))
          .property("until", options.version);
        break;
      }
    }
    chain = step.count().is(segment.writes.length);
  }
  if (chain === undefined) throw new Error("an empty batch");
  return chain;
}
