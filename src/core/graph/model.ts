/**
 * The dependency graph as plain, serialisable data: nodes keyed by id, edges with a kind and the
 * evidence that created them, findings as a tagged union. Everything here is JSON-safe so a graph
 * can be stored, diffed, exported and sent to the UI unchanged.
 *
 * Direction: an edge goes from the consumer (dependent) to the producer (dependency). "What does X
 * depend on" follows edges forwards; "what depends on X" (blast radius) follows them backwards.
 */
import type { ReferenceForm } from "../estate/model.js";
import { formatComponentId } from "../ids.js";
import { compareCodeUnits } from "../sort-small.js";

export type NodeKind =
  /** A component with config (published or in the working tree). */
  | "component"
  /** `/external/<type>/<nickname>/runtime`: a system Karma does not deploy but components reference. */
  | "external"
  /** A runtime parameter with no config: deployed, but gone from intent. */
  | "runtime-only";

export interface GraphNode {
  /** `env:type/nickname` for components and runtime-only nodes, `env:/external/type/nickname` for externals. */
  id: string;
  kind: NodeKind;
  env: string;
  type: string;
  nickname: string;
  /** Version of the config parameter the node was built from (absent for working-tree builds). */
  configVersion?: number;
  /** Version of the runtime parameter, when the component is deployed. */
  runtimeVersion?: number;
  /** The config version the current runtime was produced from (runtime provenance), when known. */
  runtimeConfigVersion?: number;
  /** True when the runtime is a SecureString: its keys and values are unknown to the graph. */
  secureRuntime?: boolean;
  /** Top-level keys the runtime publishes (sorted), when it is readable. */
  runtimeKeys?: string[];
  /** Config file relative to the estate root, when the node came from a working tree. */
  file?: string;
}

export type EdgeKind =
  /** Component-level dependency from any declared form (`$ref`, nickname field, src pair, runtime path, depends_on). */
  | "depends_on"
  /** Key-level lineage: a consumer config key takes its value from a producer runtime key. */
  | "consumes"
  /** A config value equals a distinctive runtime value of another component, with no declared dependency. */
  | "inferred";

export interface EdgeEvidence {
  /** How the edge was found: a declared reference form, or value inference. */
  form: ReferenceForm | "inferred";
  /** JSON pointer of the consumer config key that declares or holds the value. */
  pointer: string;
  /** JSON pointer into the producer's runtime ("" = the whole runtime), for key-level evidence. */
  producerKey?: string;
  /** For inference: `sha256:<12 hex>` of the matched value — never the value itself. */
  fingerprint?: string;
  /** For inference: why the value counted as distinctive (e.g. "arn", "aws-id", "hostname"). */
  reason?: string;
}

export interface GraphEdge {
  /** Consumer (dependent) node id. */
  from: string;
  /** Producer (dependency) node id. */
  to: string;
  kind: EdgeKind;
  evidence: EdgeEvidence;
  /** The consumer config version the edge came from (absent for working-tree builds). */
  configVersion?: number;
}

export type Finding =
  | {
      kind: "dangling-component";
      severity: "error";
      /** Consumer node id. */
      from: string;
      /** The id the reference names, which no node has. */
      to: string;
      pointer: string;
      form: ReferenceForm;
    }
  | {
      kind: "dangling-key";
      severity: "error";
      from: string;
      to: string;
      pointer: string;
      /** The runtime key (JSON pointer) the producer does not publish. */
      producerKey: string;
    }
  | {
      kind: "cycle";
      severity: "error";
      /** Full cycle path starting at its smallest id and ending where it started: [a, b, c, a]. */
      path: string[];
      /** Every node of the strongly connected component the cycle lies in (sorted). */
      members: string[];
    }
  | {
      kind: "orphan";
      severity: "warning";
      node: string;
      reason: "runtime-without-config";
      /** Components still depending on the orphan (sorted). */
      consumers: string[];
    }
  | {
      kind: "cross-environment";
      severity: "warning";
      from: string;
      to: string;
      pointer: string;
      form: ReferenceForm;
    };

/**
 * Where the graph's inputs came from. `inputs` is the content hash of the build input
 * (`graphInputHash`): a version whose hash equals a new input's is that input's graph.
 */
export type GraphSource =
  | { kind: "store"; inputs?: string }
  | { kind: "working-tree"; commit?: string; dirty?: boolean; inputs?: string };

export interface Graph {
  source: GraphSource;
  /** Sorted by id. */
  nodes: GraphNode[];
  /** Sorted by `compareEdges`. */
  edges: GraphEdge[];
  /** Sorted by `compareFindings`. */
  findings: Finding[];
}

/** `env:type/nickname`: a component's node id is its component id. */
export function componentNodeId(env: string, type: string, nickname: string): string {
  return formatComponentId({ env, type, nickname });
}

/** `env:/external/type/nickname` — the leading slash keeps it apart from a type named "external". */
export function externalNodeId(env: string, type: string, nickname: string): string {
  return `${env}:/external/${type}/${nickname}`;
}

/** Identity of an edge inside one graph version; two edges with the same key are the same edge. */
export function edgeKey(edge: Pick<GraphEdge, "from" | "to" | "kind" | "evidence">): string {
  // a template, not [...].join: built once per edge of every build
  return `${edge.from}\u0000${edge.to}\u0000${edge.kind}\u0000${edge.evidence.pointer}\u0000${edge.evidence.producerKey ?? ""}`;
}

export function compareEdges(a: GraphEdge, b: GraphEdge): number {
  return (
    compareCodeUnits(a.from, b.from) ||
    compareCodeUnits(a.to, b.to) ||
    compareCodeUnits(a.kind, b.kind) ||
    compareCodeUnits(a.evidence.pointer, b.evidence.pointer) ||
    compareCodeUnits(a.evidence.producerKey ?? "", b.evidence.producerKey ?? "")
  );
}

/** The node a finding is about, for sorting and grouping. */
export function findingSubject(f: Finding): string {
  switch (f.kind) {
    case "cycle":
      return f.path[0] ?? "";
    case "orphan":
      return f.node;
    default:
      return f.from;
  }
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareCodeUnits(a.kind, b.kind) ||
    compareCodeUnits(findingSubject(a), findingSubject(b)) ||
    compareCodeUnits(JSON.stringify(a), JSON.stringify(b))
  );
}

/** Edge kinds that make one component depend on another (`consumes` always has a parallel one). */
export const DEPENDENCY_EDGE_KINDS: readonly EdgeKind[] = ["depends_on", "inferred"];
/**
 * Edge kinds that can carry inferred evidence: an `inferred` edge per component pair, and a
 * key-level `consumes` edge per pasted key (the only one when the pair is also declared).
 */
export const INFERRED_EVIDENCE_EDGE_KINDS: readonly EdgeKind[] = ["consumes", "inferred"];
