/**
 * Change detection without reading the whole graph back: a build's nodes and edges fall into a
 * fixed number of buckets (by the node id, an edge by its source), and each version records one
 * digest per bucket plus one for the findings. The next build recomputes these from its graph and
 * reads back only the elements of the buckets whose digest differs, so a one-component change
 * reads a few dozen elements at 10k components, not all of them.
 */
import { createHash } from "node:crypto";
import type { Graph, GraphEdge, GraphNode } from "../../../core/graph/model.js";
import { digest } from "./model.js";

/** Fixed, so that the buckets of consecutive versions line up; ~10 nodes each at 10k. */
export const BUCKET_COUNT = 1024;

/** FNV-1a over the id's UTF-16 units: stable across releases (stored summaries depend on it) and cheap. */
export function bucketOf(nodeId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < nodeId.length; i++) {
    hash ^= nodeId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BUCKET_COUNT;
}

export interface SerializedNode {
  node: GraphNode;
  data: string;
}
export interface SerializedEdge {
  edge: GraphEdge;
  data: string;
}

export interface Bucket {
  digest: string;
  /** Node ids with a state or an outgoing edge in this bucket, sorted. */
  members: string[];
  nodes: SerializedNode[];
  edges: SerializedEdge[];
}

export interface GraphSummary {
  buckets: Bucket[];
  /** Digest of the sorted finding digests. */
  findings: string;
}

/** What a version records (on its graphVersion vertex, as JSON): enough to compare the next build. */
export interface StoredSummary {
  /** Per bucket: its digest and the version whose bucket vertex lists its members (0: none). */
  buckets: [digest: string, since: number][];
  findings: string;
}

const EMPTY = digest("");
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Serializes every node and edge once (the build needs the JSON of the changed ones anyway) and
 * hashes each bucket's sorted content in one pass: one hash per bucket, not one per element, since
 * this runs over the whole graph on every build.
 */
export function summarize(graph: Graph): GraphSummary {
  const buckets: Bucket[] = Array.from({ length: BUCKET_COUNT }, () => ({
    digest: EMPTY,
    members: [],
    nodes: [],
    edges: [],
  }));
  const bucketOfNode = new Map<string, number>();
  const bucketFor = (id: string) => {
    const known = bucketOfNode.get(id);
    if (known !== undefined) return known;
    const k = bucketOf(id);
    bucketOfNode.set(id, k);
    return k;
  };
  for (const node of graph.nodes)
    buckets[bucketFor(node.id)]!.nodes.push({ node, data: JSON.stringify(node) });
  for (const edge of graph.edges)
    buckets[bucketFor(edge.from)]!.edges.push({ edge, data: JSON.stringify(edge) });
  for (const bucket of buckets) {
    if (bucket.nodes.length === 0 && bucket.edges.length === 0) continue;
    // a canonical order (ids first: short strings decide nearly every comparison; the JSON, which
    // carries the whole edge key, breaks the remaining ties), then the JSON identifies each element
    bucket.nodes.sort((a, b) => byText(a.node.id, b.node.id));
    bucket.edges.sort(
      (a, b) => byText(a.edge.from, b.edge.from) || byText(a.edge.to, b.edge.to) || byText(a.data, b.data),
    );
    const hash = createHash("sha256");
    for (const n of bucket.nodes) hash.update(n.data).update("\n");
    hash.update("\u0000");
    for (const e of bucket.edges) hash.update(e.data).update("\n");
    bucket.digest = hash.digest("hex").slice(0, 24);
    const members = new Set(bucket.nodes.map((n) => n.node.id));
    for (const e of bucket.edges) members.add(e.edge.from);
    bucket.members = [...members].sort(byText);
  }
  const findings = digest(
    graph.findings
      .map((f) => digest(JSON.stringify(f)))
      .sort()
      .join("\n"),
  );
  return { buckets, findings };
}

/** The stored summary of `summary` for version v, keeping the member lists of unchanged buckets. */
export function storedSummary(
  summary: GraphSummary,
  changed: ReadonlySet<number>,
  previous: StoredSummary | undefined,
  v: number,
): StoredSummary {
  return {
    buckets: summary.buckets.map((bucket, k) => {
      if (!changed.has(k)) return previous!.buckets[k]!;
      return [bucket.digest, bucket.members.length === 0 ? 0 : v];
    }),
    findings: summary.findings,
  };
}

/** A stored summary this build can trust (same bucket count), or undefined. */
export function parseStoredSummary(json: string | undefined): StoredSummary | undefined {
  if (json === undefined) return undefined;
  const parsed = JSON.parse(json) as StoredSummary;
  return Array.isArray(parsed.buckets) && parsed.buckets.length === BUCKET_COUNT ? parsed : undefined;
}
