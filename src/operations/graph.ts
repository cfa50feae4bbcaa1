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
import { graphInputHash, storeInputHash } from "../core/graph/input-hash.js";
import { inputFromEstate, inputFromStore } from "../core/graph/inputs.js";
import type { Finding, Graph, GraphSource } from "../core/graph/model.js";
import { indexTypes } from "../core/references/extract.js";
import type { GraphVersionInfo } from "../ports/graph-store.js";
import { addPublishedTypes, type EnvironmentTree, readEnvironmentTrees } from "./environment-trees.js";
import type { Session } from "./session.js";

export interface GraphInputResult {
  input: GraphBuildInput;
  /** Unreadable published configs, invalid working-tree files, stores that could not be read. */
  problems: Problem[];
}

/** Types named in karma.json plus every type the stores' component parameters name. */
function knownTypes(settings: ProjectSettings, trees: readonly EnvironmentTree[]): string[] {
  return [...addPublishedTypes(new Set(Object.keys(settings.types)), trees)];
}

/** The builder's input from the stores' trees as read; `inputs` is their content hash. */
function inputFromTrees(
  settings: ProjectSettings,
  trees: readonly EnvironmentTree[],
  inputs: string,
): GraphInputResult {
  const types = indexTypes(knownTypes(settings, trees));
  const components: BuildComponentInput[] = [];
  const runtimes: BuildRuntimeInput[] = [];
  const problems: Problem[] = [];
  for (const tree of trees) {
    const part = inputFromStore(tree.env, tree.prefix, tree.parameters, tree.external, types);
    for (const c of part.components) components.push(c);
    for (const r of part.runtimes) runtimes.push(r);
    for (const p of part.problems) problems.push(p);
  }
  return { input: { source: { kind: "store", inputs }, components, runtimes }, problems };
}

/**
 * What a build reads, with its content hash (`source.inputs`) known before the input is made:
 * a store build hashes the parameters as read, so finding the latest version current costs the
 * read and the hash, no parsing. `collect` makes the builder input (once).
 */
interface ReadInput {
  inputs: string;
  collect(): GraphInputResult;
}

async function readGraphInput(session: Session, options: { fromWorkingTree?: boolean }): Promise<ReadInput> {
  const { settings } = session;
  if (!options.fromWorkingTree) {
    const trees = await readEnvironmentTrees(session);
    const inputs = storeInputHash(Object.keys(settings.types), trees);
    return { inputs, collect: () => inputFromTrees(settings, trees, inputs) };
  }

  const estate = await session.estate.load();
  const problems: Problem[] = [...estate.problems];
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
  const components = inputFromEstate(estate.components);
  // the files were parsed by the estate loader anyway: hash the builder input itself
  const inputs = graphInputHash({ components, runtimes });
  const git = session.git.state();
  const source: GraphSource = { kind: "working-tree", inputs };
  if (git.commit !== undefined) source.commit = git.commit;
  if (git.dirty !== undefined) source.dirty = git.dirty;
  return { inputs, collect: () => ({ input: { source, components, runtimes }, problems }) };
}

/**
 * Reads the builder's input: published state, or the working tree over published runtimes.
 * `input.source.inputs` is its content hash.
 */
export async function collectGraphInput(
  session: Session,
  options: { fromWorkingTree?: boolean } = {},
): Promise<GraphInputResult> {
  return (await readGraphInput(session, options)).collect();
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
    const read = await readGraphInput(session, options);
    const latest = await store.latestVersion();
    // current: the input problems were reported by the build that made `latest`; a store build
    // does not parse again to repeat them
    if (latest?.source.inputs === read.inputs)
      return { version: latest, current: true, whatIf, problems: whatIf ? read.collect().problems : [] };
    const { input, problems } = read.collect();
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
