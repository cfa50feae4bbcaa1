/**
 * Reading stored graph versions, as `karma graph …` and the HTTP API both do: name resolution
 * (`type/nickname` looked up in every environment), walks from one node, blast radius grouped by
 * environment, and the part of a version a selector picks. The queries themselves are the
 * GraphStore port's; this only gives every door the same arguments and the same errors.
 */
import { UserError } from "../core/errors.js";
import type { ProjectSettings } from "../core/estate/model.js";
import type { Graph } from "../core/graph/model.js";
import { envOfId } from "../core/ids.js";
import type { GraphStore, ReachedNode } from "../ports/graph-store.js";
import type { Session } from "./session.js";

function environmentNames(settings: ProjectSettings): string[] {
  return settings.environments.length ? settings.environments.map((e) => e.name) : ["default"];
}

/**
 * `env:type/nickname` as given, or `type/nickname` looked up in every environment (it must exist
 * in exactly one). `/external/type/nickname` works the same way.
 */
export async function resolveGraphNode(
  store: GraphStore,
  session: Session,
  text: string,
  version?: number,
): Promise<string> {
  const candidates = /^[^/]*:/.test(text)
    ? [text]
    : environmentNames(session.settings).map((env) => `${env}:${text}`);
  const found: string[] = [];
  for (const id of candidates) if (await store.getNode(id, { version })) found.push(id);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new UserError(
      `${text} exists in several environments: ${found.join(", ")}.`,
      `Name one: ${found[0]}.`,
    );
  }
  const graphVersion = version ?? (await store.latestVersion())?.version;
  throw new UserError(
    `${text} is not in graph version ${graphVersion}.`,
    "Check the id (type/nickname or env:type/nickname), or rebuild the graph with `karma graph build`.",
  );
}

export interface WalkResult {
  id: string;
  depth: number | undefined;
  reached: ReachedNode[];
}

/** `deps` and `impact`: the node named by `text` and what it reaches in `direction`. */
export async function walkFrom(
  store: GraphStore,
  session: Session,
  text: string,
  options: { depth?: number; version?: number },
  direction: "dependencies" | "dependents",
): Promise<WalkResult> {
  const id = await resolveGraphNode(store, session, text, options.version);
  return {
    id,
    depth: options.depth,
    reached: await store[direction]([id], { depth: options.depth, version: options.version }),
  };
}

export interface Impact extends WalkResult {
  total: number;
  /** Dependents by environment, environments sorted by name. */
  byEnvironment: Record<string, ReachedNode[]>;
}

function byEnvironment(reached: readonly ReachedNode[]): Record<string, ReachedNode[]> {
  const grouped: Record<string, ReachedNode[]> = {};
  for (const r of reached) {
    const env = envOfId(r.id);
    if (grouped[env] === undefined) grouped[env] = [];
    grouped[env].push(r);
  }
  return Object.fromEntries(Object.entries(grouped).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Blast radius of one node: every dependent, with its path, grouped by environment. */
export async function impactOf(
  store: GraphStore,
  session: Session,
  text: string,
  options: { depth?: number; version?: number } = {},
): Promise<Impact> {
  const walk = await walkFrom(store, session, text, options, "dependents");
  return { ...walk, total: walk.reached.length, byEnvironment: byEnvironment(walk.reached) };
}

export interface SelectionImpact {
  version: number;
  /** What the selector picked, sorted. */
  selected: string[];
  /** Their dependents (not selected themselves), by depth then id, with paths. */
  dependents: ReachedNode[];
  total: number;
  byEnvironment: Record<string, ReachedNode[]>;
  /** Deploy waves of selected ∪ dependents, and what a cycle blocks. */
  waves: string[][];
  blocked: string[];
}

/** Blast radius of whatever a selector picks, with the deploy waves a change to it would take. */
export async function impactOfSelection(
  store: GraphStore,
  session: Session,
  selector: string,
  options: { depth?: number; version?: number } = {},
): Promise<SelectionImpact> {
  const graph = await selectedGraph(store, session, { selector, version: options.version });
  const selected = graph.nodes.map((n) => n.id).sort();
  const version = graph.version;
  const dependents = await store.dependents(selected, { depth: options.depth, version });
  const waves = await store.waves([...selected, ...dependents.map((r) => r.id)], { version });
  return {
    version,
    selected,
    dependents,
    total: dependents.length,
    byEnvironment: byEnvironment(dependents),
    waves: waves.waves,
    blocked: waves.blocked,
  };
}

/** A stored version, or the part of it `selector` picks (nodes selected, edges between them). */
export async function selectedGraph(
  store: GraphStore,
  session: Session,
  options: { selector?: string; version?: number } = {},
): Promise<Graph & { version: number }> {
  const graph = await store.readGraph({ version: options.version });
  if (options.selector === undefined || options.selector.trim() === "") return graph;
  // the selector language and the subgraph cut load only when a selector is given: the other
  // graph queries are read commands whose start-up counts
  const [{ selectComponents }, { noMatch }, { selectorContext }, { subgraph }] = await Promise.all([
    import("../core/selectors/evaluate.js"),
    import("./selection.js"),
    import("./selector-context.js"),
    import("../core/graph/export/index.js"),
  ]);
  const context = selectorContext(session, {
    components: graph.nodes,
    graph: store,
    graphVersion: graph.version,
  });
  const ids = await selectComponents(options.selector, context);
  if (ids.length === 0) throw noMatch(options.selector);
  return { ...subgraph(graph, ids), version: graph.version };
}
