/**
 * `karma graph build` as an operation (CLI and HTTP API share it): read every environment's store
 * — or the working tree's configs plus the stores' runtimes — build the graph with the pure
 * builder, and store it as the next graph version.
 */

import type { Problem } from "../core/errors.js";
import type { ProjectSettings } from "../core/estate/model.js";
import {
  type BuildComponentInput,
  type BuildRuntimeInput,
  buildGraph,
  type GraphBuildInput,
} from "../core/graph/builder.js";
import { graphInputHash } from "../core/graph/input-hash.js";
import { inputFromEstate, inputFromStore } from "../core/graph/inputs.js";
import type { Finding, Graph, GraphSource } from "../core/graph/model.js";
import { indexTypes } from "../core/references/extract.js";
import type { GraphVersionInfo } from "../ports/graph-store.js";
import { type EnvironmentTree, readEnvironmentTrees } from "./environment-trees.js";
import type { Session } from "./session.js";

export interface GraphInputResult {
  input: GraphBuildInput;
  /** Unreadable published configs, invalid working-tree files, stores that could not be read. */
  problems: Problem[];
}

/** Types named in karma.json plus every type that appears in the stores' parameter names. */
function knownTypes(settings: ProjectSettings, trees: readonly EnvironmentTree[]): string[] {
  const types = new Set(Object.keys(settings.types));
  for (const tree of trees) {
    for (const p of tree.parameters) {
      const parts = p.name.slice(tree.prefix.length + 1).split("/");
      if (parts.length === 3 && parts[0]) types.add(parts[0]);
    }
  }
  return [...types];
}

/** Reads the builder's input: published state, or the working tree over published runtimes. */
export async function collectGraphInput(
  session: Session,
  options: { fromWorkingTree?: boolean } = {},
): Promise<GraphInputResult> {
  const { settings } = session;
  const problems: Problem[] = [];
  if (!options.fromWorkingTree) {
    const trees = await readEnvironmentTrees(session);
    const types = indexTypes(knownTypes(settings, trees));
    const components: BuildComponentInput[] = [];
    const runtimes: BuildRuntimeInput[] = [];
    for (const tree of trees) {
      const part = inputFromStore(tree.env, tree.prefix, tree.parameters, tree.external, types);
      components.push(...part.components);
      runtimes.push(...part.runtimes);
      problems.push(...part.problems);
    }
    return { input: { source: { kind: "store" }, components, runtimes }, problems };
  }

  const estate = await session.estate.load();
  problems.push(...estate.problems);
  let runtimes: BuildRuntimeInput[] = [];
  try {
    const trees = await readEnvironmentTrees(session);
    const types = indexTypes(knownTypes(settings, trees));
    runtimes = trees.flatMap(
      (t) => inputFromStore(t.env, t.prefix, t.parameters, t.external, types).runtimes,
    );
  } catch (error) {
    // a what-if build still works without deployed state: no runtimes, no inference
    problems.push({
      code: "graph.store-unreadable",
      message: `could not read runtimes from the stores: ${(error as Error).message}`,
      fix: "Check the store settings in karma.json; the graph was built from the working tree alone.",
      severity: "warning",
    });
  }
  const git = session.git.state();
  const source: GraphSource = { kind: "working-tree" };
  if (git.commit !== undefined) source.commit = git.commit;
  if (git.dirty !== undefined) source.dirty = git.dirty;
  return { input: { source, components: inputFromEstate(estate.components), runtimes }, problems };
}

export interface GraphBuildResult {
  version: GraphVersionInfo;
  /** The graph built; absent when the latest version was current (its inputs' hash unchanged). */
  graph?: Graph;
  /** True when no build was needed: `version` already is the graph of these inputs. */
  current: boolean;
  /** True for a what-if graph (`--from-git`): stored apart, never the estate's latest. */
  whatIf: boolean;
  problems: Problem[];
}

/**
 * Collects, builds and stores one graph version — unless the latest version of the target area
 * was built from inputs with the same content hash, which then is the answer (no new version).
 * A working-tree build is a what-if: it goes to the what-if area, never the estate's latest.
 */
export async function buildAndStoreGraph(
  session: Session,
  options: { fromWorkingTree?: boolean } = {},
): Promise<GraphBuildResult> {
  const whatIf = options.fromWorkingTree === true;
  const store = await session.graph({ whatIf });
  try {
    const { input, problems } = await collectGraphInput(session, options);
    const inputs = graphInputHash(input);
    input.source = { ...input.source, inputs };
    const latest = await store.latestVersion();
    if (latest?.source.inputs === inputs) return { version: latest, current: true, whatIf, problems };
    const graph = buildGraph(input);
    const version = await store.writeVersion(graph, { actor: session.actor });
    await session.record({
      action: "graph_build",
      status: "ok",
      after: { graph: version.version },
      message: `graph v${version.version}: ${version.nodeCount} nodes, ${version.edgeCount} edges, ${version.findingCount} findings`,
      details: { source: input.source.kind, ...(whatIf ? { whatIf: true } : {}) },
    });
    return { version, graph, current: false, whatIf, problems };
  } catch (error) {
    await session.record({
      action: "graph_build",
      status: "failed",
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    throw error;
  }
}

/**
 * The latest graph version's findings, for `karma status` and the API; undefined when no graph
 * was built yet (status then suggests `karma graph build` rather than failing).
 */
export async function latestGraphFindings(
  session: Session,
): Promise<{ version: GraphVersionInfo; findings: Finding[] } | undefined> {
  const store = await session.graph();
  const version = await store.latestVersion();
  if (!version) return undefined;
  return { version, findings: await store.findings({ version: version.version }) };
}
