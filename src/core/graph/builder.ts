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
import { formatPointer, getAtPointer, type PointerSegment } from "../json/pointer.js";
import { compareCodeUnits, sortSmall } from "../sort-small.js";
import { findCycles, isAcyclic } from "./cycles.js";
import { distinctiveReason, isSecretLookingKey } from "./distinctive.js";
import { forEachLeaf, type LeafPath, type LeafVisitor } from "./json-leaves.js";
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
function isSensitiveOutput(node: JsonObject): boolean {
  return node.sensitive === true && Object.hasOwn(node, "value");
}

function isRefObject(node: JsonObject): boolean {
  return typeof node.$ref === "string";
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

  /** The node's index in the node list, if there is one at this address. */
  get(env: string, type: string, nickname: string): number | undefined {
    return this.byEnv.get(env)?.get(type)?.get(nickname);
  }

  /**
   * Adds `node` to `nodes`, or replaces the node already at its address (the later one wins);
   * returns its index.
   */
  put(nodes: GraphNode[], node: GraphNode): number {
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
      return nodes.length - 1;
    }
    nodes[slot] = node;
    return slot;
  }
}

interface RuntimeValueSite {
  node: string;
  slot: number;
  env: string;
  pointer: string;
  reason: string;
}

/**
 * A new edge; `configVersion` (the consumer's config version) written in the literal rather
 * than added after, so every edge of a build has one of two shapes.
 */
function edge(
  from: string,
  to: string,
  kind: GraphEdge["kind"],
  evidence: GraphEdge["evidence"],
  configVersion: number | undefined,
): GraphEdge {
  return configVersion === undefined
    ? { from, to, kind, evidence }
    : { from, to, kind, evidence, configVersion };
}

/**
 * What the build keeps per node, by the node's index in the node list (its slot): ids are unique
 * per slot, so these arrays stand for maps keyed by node id without hashing an id per lookup.
 */
interface Slots {
  nodes: GraphNode[];
  /** component (input order) → its slot */
  ofComponent: number[];
  /** slot → its readable runtime document */
  runtime: (RuntimeDocument | undefined)[];
  /** slots with a runtime document, in the order they were first found */
  withRuntime: number[];
  /** slot → its edges in the order found (duplicates included; `sortEdges` drops them) */
  edges: (GraphEdge[] | undefined)[];
  /** slot → how many of its first edges are the declared ones (added before inference) */
  declaredCount: number[];
  /** every dependency edge (`DEPENDENCY_EDGE_KINDS`) as from slot and to slot, duplicates included */
  dependencyFrom: number[];
  dependencyTo: number[];
}

/**
 * Builds the graph. O(total size of configs and runtimes + E log E); inference is one hash lookup
 * per distinctive config value.
 */
export function buildGraph(input: GraphBuildInput): Graph {
  const nodes: GraphNode[] = [];
  const componentSlots = new NodeSlots();
  const externalSlots = new NodeSlots();
  const slots: Slots = {
    nodes,
    ofComponent: [],
    runtime: [],
    withRuntime: [],
    edges: [],
    declaredCount: [],
    dependencyFrom: [],
    dependencyTo: [],
  };

  // component node ids, made once and shared by every edge from the component
  const ids: string[] = [];
  for (const c of input.components) {
    const id = componentNodeId(c.env, c.type, c.nickname);
    const node: GraphNode = { id, kind: "component", env: c.env, type: c.type, nickname: c.nickname };
    if (c.configVersion !== undefined) node.configVersion = c.configVersion;
    if (c.file !== undefined) node.file = c.file;
    slots.ofComponent.push(componentSlots.put(nodes, node));
    ids.push(id);
  }
  for (const r of input.runtimes) {
    const bySlot = r.external ? externalSlots : componentSlots;
    let slot = bySlot.get(r.env, r.type, r.nickname);
    if (slot === undefined) {
      slot = bySlot.put(nodes, {
        id: r.external
          ? externalNodeId(r.env, r.type, r.nickname)
          : componentNodeId(r.env, r.type, r.nickname),
        kind: r.external ? "external" : "runtime-only",
        env: r.env,
        type: r.type,
        nickname: r.nickname,
      });
    }
    const node = nodes[slot]!;
    if (r.version !== undefined) node.runtimeVersion = r.version;
    if (r.producedFromConfigVersion !== undefined) node.runtimeConfigVersion = r.producedFromConfigVersion;
    if (r.secure) {
      node.secureRuntime = true;
    } else if (r.values !== undefined) {
      // grown one by one: a write far past the end would turn the array into a dictionary
      while (slots.runtime.length <= slot) slots.runtime.push(undefined);
      if (slots.runtime[slot] === undefined) slots.withRuntime.push(slot);
      slots.runtime[slot] = { env: r.env, values: r.values };
      if (r.values !== null && typeof r.values === "object" && !Array.isArray(r.values)) {
        node.runtimeKeys = sortSmall(Object.keys(r.values), compareCodeUnits);
      }
    }
  }

  // every node has its slot from here on; filled, not holey (a write far past the end of an array
  // turns it into a dictionary)
  while (slots.runtime.length < nodes.length) slots.runtime.push(undefined);
  slots.edges = new Array<GraphEdge[] | undefined>(nodes.length).fill(undefined);
  const findings: Finding[] = [];
  const addEdge = (slot: number, e: GraphEdge) => {
    const list = slots.edges[slot];
    if (list) list.push(e);
    else slots.edges[slot] = [e];
  };

  // declared edges
  for (let i = 0; i < input.components.length; i++) {
    const c = input.components[i]!;
    const from = ids[i]!;
    const fromSlot = slots.ofComponent[i]!;
    for (const ref of c.references) {
      const t = ref.target;
      const targetSlot = (ref.external ? externalSlots : componentSlots).get(t.env, t.type, t.nickname);
      const to =
        targetSlot !== undefined
          ? nodes[targetSlot]!.id
          : ref.external
            ? externalNodeId(t.env, t.type, t.nickname)
            : componentNodeId(t.env, t.type, t.nickname);
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
      if (targetSlot === undefined) {
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
      addEdge(
        fromSlot,
        edge(from, to, "depends_on", { form: ref.form, pointer: ref.pointer }, c.configVersion),
      );
      slots.dependencyFrom.push(fromSlot);
      slots.dependencyTo.push(targetSlot);
      if (ref.form !== "ref") continue;
      const producerKey = ref.key ?? "";
      addEdge(
        fromSlot,
        edge(from, to, "consumes", { form: "ref", pointer: ref.pointer, producerKey }, c.configVersion),
      );
      const runtime = slots.runtime[targetSlot];
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
  for (let slot = 0; slot < nodes.length; slot++) slots.declaredCount.push(slots.edges[slot]?.length ?? 0);

  inferEdges(input, ids, slots, addEdge);

  // nodes in id order (ids are unique): the order of the node list and of the edges' `from`
  const order = nodes.map((_, slot) => slot);
  order.sort((a, b) => compareCodeUnits(nodes[a]!.id, nodes[b]!.id));
  const edgeList = sortEdges(order, slots);

  // orphans: deployed but no longer in intent
  const orphans = new Set(nodes.filter((n) => n.kind === "runtime-only").map((n) => n.id));
  const consumersOf = new Map<string, Set<string>>();
  if (orphans.size > 0) {
    for (const e of edgeList) {
      if (!orphans.has(e.to)) continue;
      if (!consumersOf.has(e.to)) consumersOf.set(e.to, new Set());
      consumersOf.get(e.to)!.add(e.from);
    }
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

  const sortedNodes = order.map((slot) => nodes[slot]!);
  // most estates have no cycle: a topological pass over slot numbers proves it without the
  // search's maps keyed by id (which then finds nothing)
  if (!isAcyclic(nodes.length, slots.dependencyFrom, slots.dependencyTo)) {
    const dependencies = dependencyLists(edgeList);
    for (const cycle of findCycles({ nodes: sortedNodes.map((n) => n.id), dependencies })) {
      findings.push({ kind: "cycle", severity: "error", path: cycle.path, members: cycle.members });
    }
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
 * `edgeKey`: the sort is stable and the key is exactly what it compares). Edges are kept per
 * `from` node, so sorting each node's few edges, the nodes in id order (`order`), costs far less
 * than one sort of every edge plus a map keyed by a string per edge. O(E log E).
 */
function sortEdges(order: readonly number[], slots: Slots): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const slot of order) {
    const unsorted = slots.edges[slot];
    if (unsorted === undefined) continue;
    const list = sortSmall(unsorted, compareEdges);
    let previous: GraphEdge | undefined;
    for (const e of list) {
      if (previous !== undefined && compareEdges(previous, e) === 0) continue;
      previous = e;
      edges.push(e);
    }
  }
  return edges;
}

/**
 * Each node's dependencies (the `to` of its `DEPENDENCY_EDGE_KINDS` edges, sorted and unique) for
 * the cycle search, from the sorted edges.
 */
function dependencyLists(edges: readonly GraphEdge[]): Map<string, string[]> {
  const dependencies = new Map<string, string[]>();
  let from: string | undefined;
  let to: string[] = [];
  for (const e of edges) {
    if (e.from !== from) {
      if (from !== undefined && to.length > 0) dependencies.set(from, to);
      from = e.from;
      to = [];
    }
    // sorted by `to` first: a repeated producer is the last one added
    if (DEPENDENCY_EDGE_KINDS.includes(e.kind) && to[to.length - 1] !== e.to) to.push(e.to);
  }
  if (from !== undefined && to.length > 0) dependencies.set(from, to);
  return dependencies;
}

/**
 * Whether the node at `path` sits under a secret-looking key: the walk never enters a subtree
 * whose key looks secret, and key names repeat across the estate, so each is tested once.
 */
class SecretKeys {
  private readonly known = new Map<string, boolean>();

  has(key: string): boolean {
    let secret = this.known.get(key);
    if (secret === undefined) {
      secret = isSecretLookingKey(key);
      this.known.set(key, secret);
    }
    return secret;
  }
}

/** Consumer config leaves as inference sees them: `$ref` objects and secret-looking keys left out. */
abstract class ConfigLeaves implements LeafVisitor {
  constructor(private readonly secretKeys: SecretKeys) {}
  abstract leaf(value: string | number | boolean | null, path: LeafPath): void;
  skipObject(node: JsonObject): boolean {
    return isRefObject(node);
  }
  skipKey(key: string): boolean {
    return this.secretKeys.has(key);
  }
}

/** Every value a consumer config holds where a match is looked for. */
class ConfigValues extends ConfigLeaves {
  /**
   * value → the components (input index) holding it: one index, or a list once a second component
   * holds it (a list only for values many configs share, such as a region)
   */
  readonly values = new Map<string, number | number[]>();
  component = 0;
  leaf(value: string | number | boolean | null): void {
    if (typeof value !== "string" && typeof value !== "number") return;
    const key = String(value);
    const holders = this.values.get(key);
    if (holders === undefined) this.values.set(key, this.component);
    else if (typeof holders === "number") {
      if (holders !== this.component) this.values.set(key, [holders, this.component]);
    } else if (holders[holders.length - 1] !== this.component) holders.push(this.component);
  }

  /** Whether component `i` holds one of `keys` in its config. */
  holdersOf(keys: Iterable<string>, count: number): Uint8Array {
    const holds = new Uint8Array(count);
    for (const key of keys) {
      const holders = this.values.get(key)!;
      if (typeof holders === "number") holds[holders] = 1;
      else for (const i of holders) holds[i] = 1;
    }
    return holds;
  }
}

/** Value → every runtime site publishing it, for the values some config holds. */
class PublishedValues implements LeafVisitor {
  readonly published = new Map<string, RuntimeValueSite[]>();
  node = "";
  slot = 0;
  env = "";
  constructor(
    private readonly secretKeys: SecretKeys,
    private readonly inConfigs: ReadonlyMap<string, unknown>,
  ) {}
  leaf(value: string | number | boolean | null, path: LeafPath): void {
    if (typeof value !== "string" && typeof value !== "number") return;
    const key = String(value);
    if (!this.inConfigs.has(key)) return;
    const reason = distinctiveReason(value);
    if (reason === undefined) return;
    let sites = this.published.get(key);
    if (!sites) {
      sites = [];
      this.published.set(key, sites);
    }
    sites.push({ node: this.node, slot: this.slot, env: this.env, pointer: formatPointer(path), reason });
  }
  skipObject(node: JsonObject): boolean {
    return isSensitiveOutput(node);
  }
  skipKey(key: string): boolean {
    return this.secretKeys.has(key);
  }
}

interface Candidate {
  from: string;
  fromSlot: number;
  env: string;
  pointer: string;
  value: string;
  configVersion: number | undefined;
}

/** Consumer leaves that match something, and which components hold each matched value in config. */
class MatchedLeaves extends ConfigLeaves {
  readonly candidates: Candidate[] = [];
  readonly holders = new Map<string, Set<string>>();
  component!: BuildComponentInput;
  from = "";
  fromSlot = 0;
  constructor(
    secretKeys: SecretKeys,
    private readonly published: ReadonlyMap<string, RuntimeValueSite[]>,
  ) {
    super(secretKeys);
  }
  leaf(value: string | number | boolean | null, path: LeafPath): void {
    if (typeof value !== "string" && typeof value !== "number") return;
    const key = String(value);
    if (!this.published.has(key)) return;
    let set = this.holders.get(key);
    if (!set) {
      set = new Set();
      this.holders.set(key, set);
    }
    set.add(this.from);
    const pointer = formatPointer(path);
    const c = this.component;
    // at or inside a declared reference's pointer
    const declared = c.references.some(
      (r) =>
        pointer.startsWith(r.pointer) &&
        (pointer.length === r.pointer.length || pointer[r.pointer.length] === "/"),
    );
    if (!declared)
      this.candidates.push({
        from: this.from,
        fromSlot: this.fromSlot,
        env: c.env,
        pointer,
        value: key,
        configVersion: c.configVersion,
      });
  }
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
  slots: Slots,
  addEdge: (slot: number, edge: GraphEdge) => void,
): void {
  const secretKeys = new SecretKeys();
  const path: PointerSegment[] = [];

  // every value a consumer config holds where a match is looked for: a runtime value outside this
  // set can match nothing, so it is neither judged nor indexed (most runtime values are ids no
  // config repeats; indexing each with its pointer was most of the inference's garbage)
  const configValues = new ConfigValues(secretKeys);
  for (let i = 0; i < input.components.length; i++) {
    configValues.component = i;
    forEachLeaf(input.components[i]!.config, configValues, path);
  }

  const publishedValues = new PublishedValues(secretKeys, configValues.values);
  for (const slot of slots.withRuntime) {
    const { env, values } = slots.runtime[slot]!;
    publishedValues.node = slots.nodes[slot]!.id;
    publishedValues.slot = slot;
    publishedValues.env = env;
    forEachLeaf(values, publishedValues, path);
  }
  const { published } = publishedValues;
  if (published.size === 0) return;

  // the walk again, of the configs holding a published value only (in input order, as before)
  const holds = configValues.holdersOf(published.keys(), input.components.length);
  const matched = new MatchedLeaves(secretKeys, published);
  for (let i = 0; i < input.components.length; i++) {
    if (holds[i] === 0) continue;
    matched.component = input.components[i]!;
    matched.from = ids[i]!;
    matched.fromSlot = slots.ofComponent[i]!;
    forEachLeaf(matched.component.config, matched, path);
  }
  const { candidates, holders } = matched;

  /** Whether `from` declares a dependency on `to`: inference only adds what is not declared. */
  const isDeclared = (fromSlot: number, to: string): boolean => {
    const list = slots.edges[fromSlot];
    const declared = slots.declaredCount[fromSlot] ?? 0;
    for (let k = 0; k < declared; k++) {
      const e = list![k]!;
      if (e.kind === "depends_on" && e.to === to) return true;
    }
    return false;
  };

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
      addEdge(cand.fromSlot, edge(cand.from, site.node, "consumes", evidence, cand.configVersion));
      const pair = `${cand.from}\u0000${site.node}`;
      if (isDeclared(cand.fromSlot, site.node) || inferredPairs.has(pair)) continue;
      inferredPairs.add(pair);
      addEdge(cand.fromSlot, edge(cand.from, site.node, "inferred", evidence, cand.configVersion));
      slots.dependencyFrom.push(cand.fromSlot);
      slots.dependencyTo.push(site.slot);
    }
  }
}
