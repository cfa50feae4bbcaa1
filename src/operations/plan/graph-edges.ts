/**
 * Where the planner's dependency edges come from: a build of the working tree over the stores'
 * runtimes (so value inference finds pasted copies), or the latest stored graph version.
 */
import { existsSync } from "node:fs";
import { graphDatabaseFile, openGraphStore } from "../../adapters/graph-store/factory.js";
import type { Problem } from "../../core/errors.js";
import type { ProjectSettings } from "../../core/estate/model.js";
import { type BuildComponentInput, type BuildRuntimeInput, buildGraph } from "../../core/graph/builder.js";
import { inputFromStore } from "../../core/graph/inputs.js";
import type { TypeIndex } from "../../core/references/extract.js";
import type { GraphStore } from "../../ports/graph-store.js";
import { readEnvironmentTrees } from "../environment-trees.js";
import type { ChangeInputs } from "./change.js";
import type { Intent } from "./intents.js";

/** Runtimes for value inference; a plan still works without them (warning). */
export async function tryRuntimes(
  settings: ProjectSettings,
  types: TypeIndex,
  problems: Problem[],
): Promise<BuildRuntimeInput[]> {
  try {
    const trees = await readEnvironmentTrees(settings);
    return trees.flatMap((t) => inputFromStore(t.env, t.prefix, t.parameters, t.external, types).runtimes);
  } catch (error) {
    problems.push({
      code: "plan.store-unreadable",
      message: `could not read runtimes from the stores: ${(error as Error).message}`,
      fix: "check the store settings in karma.json; the plan uses declared references only",
      severity: "warning",
    });
    return [];
  }
}

export function workingTreeGraph(
  components: readonly BuildComponentInput[],
  runtimes: readonly BuildRuntimeInput[],
): ChangeInputs["graph"] {
  const graph = buildGraph({ source: { kind: "working-tree" }, components, runtimes });
  return { source: { kind: "working-tree" }, edges: graph.edges, nodes: graph.nodes.map((n) => n.id) };
}

export function removedInput(intent: Intent): BuildComponentInput {
  // a removed component stays a node so its consumers' edges (and the policy on them) survive
  return { env: intent.env, type: intent.type, nickname: intent.nickname, config: {}, references: [] };
}

/** The latest stored graph version, open; undefined when none was built. The caller closes it. */
export async function openStoredGraph(
  settings: ProjectSettings,
): Promise<{ store: GraphStore; version: number } | undefined> {
  if (settings.graph.kind === "sqlite" && !existsSync(graphDatabaseFile(settings))) return undefined;
  const store = openGraphStore(settings);
  const latest = await store.latestVersion().catch(() => undefined);
  if (!latest) {
    await store.close();
    return undefined;
  }
  return { store, version: latest.version };
}
