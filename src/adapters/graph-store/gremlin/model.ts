/**
 * How Karma's versioned graph is laid out in a property graph (Amazon Neptune, TinkerGraph), and
 * why. Every element carries `ns` (the estate's namespace, so several estates or test runs can
 * share one server) and a string id starting with it.
 *
 * Versions are validity intervals, not copies: a node state, an edge or a finding is valid for
 * the versions `since ≤ v < until` (`until` = {@link OPEN} while it is current). Building version
 * v compares the new graph with the open elements and only
 *   - adds what is new or different (`since = v`, `until = OPEN`), and
 *   - closes what is gone or replaced (`until = v`),
 * so a one-component change costs a handful of mutations and time travel to any kept version is
 * the same filter with another v. Until version v is marked ready (one traversal that also moves
 * the head's `latest`), readers never look at v, and the elements it added or closed are
 * invisible to every ready version — an interrupted build cannot be observed; the next build
 * rolls its leftovers back.
 *
 * Vertices (label: meaning — id):
 *   component | external : a graph node's identity, permanent — `<ns>|n|<node id>`
 *                          (edges attach here, so a node whose attributes change keeps its edges)
 *   nodeState            : the node's attributes (`data` JSON) over an interval — `<ns>|s|<node id>|<since>`,
 *                          linked from the identity by a `hasState` edge
 *   finding              : one finding (`data` JSON) over an interval — `<ns>|f|<since>|<hash>`
 *   graphVersion         : one build: status building → ready (or abandoned), counts, source, and
 *                          the change-detection summary (see summary.ts) — `<ns>|v|<n>`
 *   graphBucket          : the node ids of one summary bucket as of a version (`since`) — `<ns>|b|<k>|<since>`
 *   graphHead            : `next` (last version number taken) and `latest` (latest ready) — `<ns>|head`
 *   auditEntry           : one audit log entry (see gremlin-audit-log.ts) — `<ns>|a|<seq>`
 * Edges between identities carry the edge kind as label (`depends_on`, `consumes`, `inferred`),
 * `key` (the edge key: source id␀target id␀kind␀pointer␀producer key — walks read the link from it,
 * so an edge carries no separate source/target copies), the interval and `data` JSON — id
 * `<ns>|e|<since>|<n>`, n numbering the edges one build adds.
 * A build tells an unchanged node state or edge from a changed one by comparing its `data` with
 * the open element's (read back only for the buckets that changed, see summary.ts): no per-element
 * digest is computed, sent or stored. (Graphs written before this carry an unused `digest`.)
 */
import type { EdgeKind, NodeKind } from "../../../core/graph/model.js";
import { builtin } from "../../builtins.js";

/** `until` of an element that is still current (Neptune and TinkerGraph both take an int). */
export const OPEN = 2_147_483_647;

export const DEFAULT_NAMESPACE = "karma";

export const LABEL = {
  state: "nodeState",
  finding: "finding",
  version: "graphVersion",
  head: "graphHead",
  hasState: "hasState",
  audit: "auditEntry",
  auditHead: "auditHead",
  touched: "touched",
  bucket: "graphBucket",
} as const;

export const EDGE_LABELS: readonly EdgeKind[] = ["depends_on", "consumes", "inferred"];

/** Short content hash: equal hash ⇔ equal JSON (for change detection and ids). */
export function digest(text: string): string {
  return builtin("node:crypto").createHash("sha256").update(text).digest("hex").slice(0, 24);
}

export const ids = (ns: string) => ({
  head: `${ns}|head`,
  version: (v: number) => `${ns}|v|${v}`,
  node: (nodeId: string) => `${ns}|n|${nodeId}`,
  state: (nodeId: string, since: number) => `${ns}|s|${nodeId}|${since}`,
  /** `n` numbers the edges one build adds: unique with `since`, no hash of the edge key per edge. */
  edge: (since: number, n: number) => `${ns}|e|${since}|${n}`,
  finding: (json: string, since: number) => `${ns}|f|${since}|${digest(json)}`,
  bucket: (bucket: number, since: number) => `${ns}|b|${bucket}|${since}`,
  auditHead: `${ns}|auditHead`,
  audit: (seq: number) => `${ns}|a|${seq}`,
});

/** Label of a node's identity vertex: externals apart, everything is a component (deployed or not). */
export function identityLabel(kind: NodeKind): "component" | "external" {
  return kind === "external" ? "external" : "component";
}
