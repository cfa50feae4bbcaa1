/**
 * The graph builder (pure): from every component's config and references plus every published
 * runtime, produce nodes, edges and findings. Problems in the estate — dangling references,
 * cycles, orphans, cross-environment references — become findings; the builder never throws on
 * user data.
 *
 * Stages, in order: nodes → declared edges (+ key-level `consumes` for `$ref`) → inferred edges
 * (value matching with a distinctive-value predicate) → orphans → cycles. Everything is sorted at
 * the end so two builds of the same input are byte-identical.
 */
import { createHash } from "node:crypto";
import type { JsonObject, JsonValue, Reference } from "../estate/model.js";
import { formatPointer, getAtPointer } from "../json/pointer.js";
import { findCycles } from "./cycles.js";
import { distinctiveReason, isSecretLookingKey } from "./distinctive.js";
import { forEachLeaf, type LeafPath } from "./json-leaves.js";
import {
  compareEdges,
  compareFindings,
  componentNodeId,
  DEPENDENCY_EDGE_KINDS,
  externalNodeId,
  type Finding,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type GraphSource,
} from "./model.js";

export interface BuildComponentInput {
  env: string;
  type: string;
  nickname: string;
  config: JsonObject;
  /** Every reference declared in `config` (from `extractReferences`). */
  references: readonly Reference[];
  /** Version of the published config parameter; absent for working-tree builds. */
  configVersion?: number;
  /** Config file relative to the estate root, for working-tree builds. */
  file?: string;
}

export interface BuildRuntimeInput {
  env: string;
  type: string;
  nickname: string;
  /** `/external/<type>/<nickname>/runtime` rather than `<prefix>/<type>/<nickname>/runtime`. */
  external: boolean;
  /** True for SecureString runtimes: never parsed, matched or shown. */
  secure: boolean;
  /** The parsed runtime document; undefined when secure or not valid JSON. */
  values?: JsonValue;
  version?: number;
  /** From the runtime's provenance: the config version it was produced from. */
  producedFromConfigVersion?: number;
}

export interface GraphBuildInput {
  source: GraphSource;
  components: readonly BuildComponentInput[];
  runtimes: readonly BuildRuntimeInput[];
}

/** A value shared by more producers than this is a common value, not an identity. */
export const MAX_PRODUCERS_PER_VALUE = 3;

export function fingerprint(value: string | number): string {
  return `sha256:${createHash("sha256").update(String(value)).digest("hex").slice(0, 12)}`;
}

/** Terraform's `output -json` shape for a sensitive output: `{"value": …, "sensitive": true}`. */
function isSensitiveOutput(node: JsonValue): boolean {
  return (
    node !== null &&
    typeof node === "object" &&
    !Array.isArray(node) &&
    node.sensitive === true &&
    Object.hasOwn(node, "value")
  );
}

function isRefObject(node: JsonValue): boolean {
  return node !== null && typeof node === "object" && !Array.isArray(node) && typeof node.$ref === "string";
}

function lastToken(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf("/") + 1);
}

interface RuntimeDocument {
  env: string;
  values: JsonValue;
}

/**
 * Where each node is in the node list, by address (env, type, nickname): references and runtimes
 * find their node without making its id string — a fresh string per reference, hashed once and
 * dropped, was much of the build's time and garbage.
 */
class NodeSlots {
  private readonly byEnv = new Map<string, Map<string, Map<string, number>>>();

  get(nodes: readonly GraphNode[], env: string, type: string, nickname: string): GraphNode | undefined {
    const slot = this.byEnv.get(env)?.get(type)?.get(nickname);
    return slot === undefined ? undefined : nodes[slot];
  }

  /** Adds `node` to `nodes`, or replaces the node already at its address (the later one wins). */
  put(nodes: GraphNode[], node: GraphNode): void {
    let byType = this.byEnv.get(node.env);
    if (!byType) {
      byType = new Map();
      this.byEnv.set(node.env, byType);
    }
    let byNickname = byType.get(node.type);
    if (!byNickname) {
      byNickname = new Map();
      byType.set(node.type, byNickname);
    }
    const slot = byNickname.get(node.nickname);
    if (slot === undefined) {
      byNickname.set(node.nickname, nodes.length);
      nodes.push(node);
    } else nodes[slot] = node;
  }
}

interface RuntimeValueSite {
  node: string;
  env: string;
  pointer: string;
  reason: string;
}

/**
 * Builds the graph. O(total size of configs and runtimes + E log E); inference is one hash lookup
 * per distinctive config value.
 */
export function buildGraph(input: GraphBuildInput): Graph {
  const nodes: GraphNode[] = [];
  const componentSlots = new NodeSlots();
  const externalSlots = new NodeSlots();
  /** node id → its readable runtime document */
  const runtimeValues = new Map<string, RuntimeDocument>();

  // component node ids, made once and shared by every edge from the component
  const ids: string[] = [];
  for (const c of input.components) {
    const id = componentNodeId(c.env, c.type, c.nickname);
    const node: GraphNode = { id, kind: "component", env: c.env, type: c.type, nickname: c.nickname };
    if (c.configVersion !== undefined) node.configVersion = c.configVersion;
    if (c.file !== undefined) node.file = c.file;
    componentSlots.put(nodes, node);
    ids.push(id);
  }
  for (const r of input.runtimes) {
    const slots = r.external ? externalSlots : componentSlots;
    let node = slots.get(nodes, r.env, r.type, r.nickname);
    if (!node) {
      node = {
        id: r.external
          ? externalNodeId(r.env, r.type, r.nickname)
          : componentNodeId(r.env, r.type, r.nickname),
        kind: r.external ? "external" : "runtime-only",
        env: r.env,
        type: r.type,
        nickname: r.nickname,
      };
      slots.put(nodes, node);
    }
    if (r.version !== undefined) node.runtimeVersion = r.version;
    if (r.producedFromConfigVersion !== undefined) node.runtimeConfigVersion = r.producedFromConfigVersion;
    if (r.secure) {
      node.secureRuntime = true;
    } else if (r.values !== undefined) {
      runtimeValues.set(node.id, { env: r.env, values: r.values });
      if (r.values !== null && typeof r.values === "object" && !Array.isArray(r.values)) {
        node.runtimeKeys = Object.keys(r.values).sort();
      }
    }
  }

  /** from → its edges in the order found (duplicates included; `sortEdges` drops them). */
  const edgesFrom = new Map<string, GraphEdge[]>();
  const findings: Finding[] = [];
  /**
   * from → every `to` it declares a dependency on: inference only adds what is not declared.
   * Nested by `from` (one string per component) rather than keyed by a `from\0to` string built
   * per reference: hashing ~30k fresh concatenations was a tenth of the build at 10k components.
   */
  const declared = new Map<string, Set<string>>();
  const addEdge = (edge: GraphEdge) => {
    const list = edgesFrom.get(edge.from);
    if (list) list.push(edge);
    else edgesFrom.set(edge.from, [edge]);
  };
  const withVersion = (edge: GraphEdge, version: number | undefined): GraphEdge => {
    if (version !== undefined) edge.configVersion = version;
    return edge;
  };

  // declared edges
  for (let i = 0; i < input.components.length; i++) {
    const c = input.components[i]!;
    const from = ids[i]!;
    for (const ref of c.references) {
      const t = ref.target;
      const target = (ref.external ? externalSlots : componentSlots).get(nodes, t.env, t.type, t.nickname);
      const to =
        target?.id ??
        (ref.external
          ? externalNodeId(t.env, t.type, t.nickname)
          : componentNodeId(t.env, t.type, t.nickname));
      if (t.env !== c.env) {
        findings.push({
          kind: "cross-environment",
          severity: "warning",
          from,
          to,
          pointer: ref.pointer,
          form: ref.form,
        });
      }
      if (!target) {
        findings.push({
          kind: "dangling-component",
          severity: "error",
          from,
          to,
          pointer: ref.pointer,
          form: ref.form,
        });
        continue;
      }
      let targets = declared.get(from);
      if (!targets) {
        targets = new Set();
        declared.set(from, targets);
      }
      targets.add(to);
      addEdge(
        withVersion(
          { from, to, kind: "depends_on", evidence: { form: ref.form, pointer: ref.pointer } },
          c.configVersion,
        ),
      );
      if (ref.form !== "ref") continue;
      const producerKey = ref.key ?? "";
      addEdge(
        withVersion(
          { from, to, kind: "consumes", evidence: { form: "ref", pointer: ref.pointer, producerKey } },
          c.configVersion,
        ),
      );
      const runtime = runtimeValues.get(to);
      if (
        runtime !== undefined &&
        producerKey !== "" &&
        getAtPointer(runtime.values, producerKey) === undefined
      ) {
        findings.push({
          kind: "dangling-key",
          severity: "error",
          from,
          to,
          pointer: ref.pointer,
          producerKey,
        });
      }
    }
  }

  inferEdges(input, ids, runtimeValues, declared, addEdge, withVersion);

  const { edges: edgeList, dependencies } = sortEdges(edgesFrom);

  // orphans: deployed but no longer in intent
  const orphans = new Set(nodes.filter((n) => n.kind === "runtime-only").map((n) => n.id));
  const consumersOf = new Map<string, Set<string>>();
  for (const e of edgeList) {
    if (!orphans.has(e.to)) continue;
    if (!consumersOf.has(e.to)) consumersOf.set(e.to, new Set());
    consumersOf.get(e.to)!.add(e.from);
  }
  for (const node of nodes) {
    if (node.kind !== "runtime-only") continue;
    findings.push({
      kind: "orphan",
      severity: "warning",
      node: node.id,
      reason: "runtime-without-config",
      consumers: [...(consumersOf.get(node.id) ?? [])].sort(),
    });
  }

  const sortedNodes = nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const cycle of findCycles({ nodes: sortedNodes.map((n) => n.id), dependencies })) {
    findings.push({ kind: "cycle", severity: "error", path: cycle.path, members: cycle.members });
  }

  return {
    source: input.source,
    nodes: sortedNodes,
    edges: edgeList,
    findings: findings.sort(compareFindings),
  };
}

/**
 * Every edge in `compareEdges` order, each edge once (the first added of those with one
 * `edgeKey`: the sort is stable and the key is exactly what it compares), and each node's
 * dependencies (the `to` of its `DEPENDENCY_EDGE_KINDS` edges, sorted and unique) for the cycle
 * search. Sorting each node's few edges, the nodes in id order, costs far less than one sort of
 * every edge plus a map keyed by a string per edge. O(E log E).
 */
function sortEdges(edgesFrom: ReadonlyMap<string, GraphEdge[]>): {
  edges: GraphEdge[];
  dependencies: Map<string, string[]>;
} {
  const edges: GraphEdge[] = [];
  const dependencies = new Map<string, string[]>();
  for (const from of [...edgesFrom.keys()].sort()) {
    const list = edgesFrom.get(from)!.sort(compareEdges);
    const to: string[] = [];
    let previous: GraphEdge | undefined;
    for (const edge of list) {
      if (previous !== undefined && compareEdges(previous, edge) === 0) continue;
      previous = edge;
      edges.push(edge);
      // sorted by `to` first: a repeated producer is the last one added
      if (DEPENDENCY_EDGE_KINDS.includes(edge.kind) && to[to.length - 1] !== edge.to) to.push(edge.to);
    }
    if (to.length > 0) dependencies.set(from, to);
  }
  return { edges, dependencies };
}

/**
 * Value inference. A consumer config leaf matches a producer runtime leaf when both hold the same
 * distinctive value in the same environment. Ambiguity is resolved the way a reader would:
 * producers that merely pass the value through (it is in their own config too) lose to the one
 * that originates it, and a producer key with the consumer key's name wins over others. Values
 * published by more than `MAX_PRODUCERS_PER_VALUE` producers are ignored as common.
 */
function inferEdges(
  input: GraphBuildInput,
  ids: readonly string[],
  runtimeValues: ReadonlyMap<string, RuntimeDocument>,
  declared: ReadonlyMap<string, ReadonlySet<string>>,
  addEdge: (edge: GraphEdge) => void,
  withVersion: (edge: GraphEdge, version: number | undefined) => GraphEdge,
): void {
  /**
   * Whether the node at `path` sits under a secret-looking key. The walk never enters a subtree
   * whose key looks secret, and the pattern matches no "/", so the last key decides — and key
   * names repeat across the estate: each is tested once.
   */
  const secretKeys = new Map<string, boolean>();
  const underSecretKey = (path: LeafPath): boolean => {
    const key = path[path.length - 1];
    if (typeof key !== "string") return false;
    let secret = secretKeys.get(key);
    if (secret === undefined) {
      secret = isSecretLookingKey(key);
      secretKeys.set(key, secret);
    }
    return secret;
  };

  // every value a consumer config holds where a match is looked for: a runtime value outside this
  // set can match nothing, so it is neither judged nor indexed (most runtime values are ids no
  // config repeats; indexing each with its pointer was most of the inference's garbage)
  const inConfigs = new Set<string>();
  const skipInConfig = (subtree: JsonValue, path: LeafPath) => isRefObject(subtree) || underSecretKey(path);
  for (const c of input.components) {
    forEachLeaf(
      c.config,
      (value) => {
        if (typeof value === "string" || typeof value === "number") inConfigs.add(String(value));
      },
      skipInConfig,
    );
  }

  // value → every runtime site publishing it (that some config holds)
  const published = new Map<string, RuntimeValueSite[]>();
  for (const [node, { env, values }] of runtimeValues) {
    forEachLeaf(
      values,
      (value, path) => {
        if (typeof value !== "string" && typeof value !== "number") return;
        const key = String(value);
        if (!inConfigs.has(key)) return;
        const reason = distinctiveReason(value);
        if (reason === undefined) return;
        let sites = published.get(key);
        if (!sites) {
          sites = [];
          published.set(key, sites);
        }
        sites.push({ node, env, pointer: formatPointer(path), reason });
      },
      (subtree, path) => isSensitiveOutput(subtree) || underSecretKey(path),
    );
  }
  if (published.size === 0) return;

  // consumer leaves that match something, and which components hold each matched value in config
  interface Candidate {
    from: string;
    env: string;
    pointer: string;
    value: string;
    configVersion: number | undefined;
  }
  const candidates: Candidate[] = [];
  const holders = new Map<string, Set<string>>();
  for (let i = 0; i < input.components.length; i++) {
    const c = input.components[i]!;
    const from = ids[i]!;
    // at or inside a declared reference's pointer
    const isDeclared = (pointer: string) =>
      c.references.some(
        (r) =>
          pointer.startsWith(r.pointer) &&
          (pointer.length === r.pointer.length || pointer[r.pointer.length] === "/"),
      );
    forEachLeaf(
      c.config,
      (value, path) => {
        if (typeof value !== "string" && typeof value !== "number") return;
        const key = String(value);
        if (!published.has(key)) return;
        let set = holders.get(key);
        if (!set) {
          set = new Set();
          holders.set(key, set);
        }
        set.add(from);
        const pointer = formatPointer(path);
        if (!isDeclared(pointer))
          candidates.push({ from, env: c.env, pointer, value: key, configVersion: c.configVersion });
      },
      skipInConfig,
    );
  }

  const inferredPairs = new Set<string>();
  for (const cand of candidates) {
    const sites = published.get(cand.value)!.filter((s) => s.env === cand.env && s.node !== cand.from);
    const producers = new Set(sites.map((s) => s.node));
    if (producers.size === 0 || producers.size > MAX_PRODUCERS_PER_VALUE) continue;
    let chosen = sites;
    const originators = chosen.filter((s) => !holders.get(cand.value)?.has(s.node));
    if (originators.length > 0) chosen = originators;
    const sameName = chosen.filter((s) => lastToken(s.pointer) === lastToken(cand.pointer));
    if (sameName.length > 0) chosen = sameName;
    const print = fingerprint(cand.value);
    for (const site of chosen) {
      const evidence = {
        form: "inferred" as const,
        pointer: cand.pointer,
        producerKey: site.pointer,
        fingerprint: print,
        reason: site.reason,
      };
      addEdge(
        withVersion({ from: cand.from, to: site.node, kind: "consumes", evidence }, cand.configVersion),
      );
      const pair = `${cand.from}\u0000${site.node}`;
      if (declared.get(cand.from)?.has(site.node) || inferredPairs.has(pair)) continue;
      inferredPairs.add(pair);
      addEdge(
        withVersion({ from: cand.from, to: site.node, kind: "inferred", evidence }, cand.configVersion),
      );
    }
  }
}
