/**
 * The change planner (pure): merge the detectors' reasons, walk dependents once from the changed
 * set with a shared visited set, attach each dependent's shortest dependency path and the keys it
 * consumes from the affected producers (`consumes` edges), order the affected set in deploy waves,
 * and evaluate the policies. A cycle inside the affected set stops the plan (`PlanCycleError`).
 */
import { consumerLinks } from "../consumers/links.js";
import type { BrokenUse } from "../contracts/breaking.js";
import { buildAdjacency } from "../graph/adjacency.js";
import { findCycles } from "../graph/cycles.js";
import type { EdgeEvidence, EdgeKind } from "../graph/model.js";
import { pathsTo, walk } from "../graph/walk.js";
import { deployWaves } from "../graph/waves.js";
import { parseComponentId } from "../ids.js";
import { evaluatePolicies } from "../policies/evaluate.js";
import type { Policies, PolicyMode } from "../policies/model.js";
import type { PolicySubject } from "../policies/rules.js";
import { PlanCycleError } from "./errors.js";
import {
  CHANGE_KIND_ORDER,
  type ChangePlan,
  type ChangeReason,
  type ConsumedKeys,
  type PlanBase,
  type PlanEntry,
  type PlanGraphSource,
  type Removal,
} from "./model.js";

/** The edges a plan needs (a `GraphEdge` fits). */
export interface PlanEdge {
  /** Consumer. */
  from: string;
  /** Producer. */
  to: string;
  kind: EdgeKind;
  evidence: Pick<EdgeEvidence, "form" | "pointer" | "producerKey" | "fingerprint">;
}

export interface ChangePlanInput {
  base: PlanBase;
  graph: PlanGraphSource;
  /** Every detector's output. */
  reasons: readonly ChangeReason[];
  /**
   * Dependency edges after the change. Must contain every edge whose consumer depends —
   * transitively — on a changed component (the whole graph, or the outgoing edges of the
   * affected region a store returned).
   */
  edges: readonly PlanEdge[];
  /** Node ids beyond those named by edges and reasons (optional). */
  nodes?: Iterable<string>;
  policies: Policies;
  /** Consumer key uses broken by output-contract changes (operations/contract-changes.ts). */
  contractBreaks?: readonly BrokenUse[];
  mode: PolicyMode;
  approved?: boolean;
  /** The changed components' new intent, for the rules that read configs and references. */
  subjects?: ReadonlyMap<string, PolicySubject>;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function subjectFor(id: string, subjects: ReadonlyMap<string, PolicySubject> | undefined): PolicySubject {
  const known = subjects?.get(id);
  if (known) return known;
  const address = parseComponentId(id);
  return { id, env: address?.env ?? "", type: address?.type ?? "", nickname: address?.nickname ?? "" };
}

/** Keys each consumer takes from producers in `producers` (the one consumer notion, `core/consumers`). O(E log E). */
function consumedFrom(
  edges: readonly PlanEdge[],
  consumers: ReadonlySet<string>,
  producers: ReadonlySet<string>,
): Map<string, ConsumedKeys[]> {
  const result = new Map<string, ConsumedKeys[]>();
  for (const link of consumerLinks(edges.filter((e) => consumers.has(e.from) && producers.has(e.to)))) {
    const keys: ConsumedKeys["keys"] = [
      ...link.keys,
      ...link.pasted.map((p) => ({ pointer: p.pointer, producerKey: p.producerKey, inferred: true })),
    ].sort((a, b) => compareStrings(a.pointer, b.pointer) || compareStrings(a.producerKey, b.producerKey));
    const consumed: ConsumedKeys = {
      producer: link.producer,
      keys,
      orderingOnly: keys.length === 0,
      ...(link.byName ? { byName: true } : {}),
    };
    const list = result.get(link.consumer);
    if (list) list.push(consumed);
    else result.set(link.consumer, [consumed]);
  }
  return result;
}

/**
 * The plan of one change. O(V + E) for the walk and waves, plus sorting. Throws `PlanCycleError`
 * when the affected set cannot be ordered.
 */
export function computeChangePlan(input: ChangePlanInput): ChangePlan {
  // reasons per component, in detector order
  const reasonsById = new Map<string, ChangeReason[]>();
  for (const reason of input.reasons) {
    const list = reasonsById.get(reason.id);
    if (list) list.push(reason);
    else reasonsById.set(reason.id, [reason]);
  }
  for (const list of reasonsById.values())
    list.sort((a, b) => CHANGE_KIND_ORDER.indexOf(a.kind) - CHANGE_KIND_ORDER.indexOf(b.kind));
  const isRemoval = (reasons: readonly ChangeReason[]) =>
    reasons.some((r) => r.kind === "config" && r.status === "removed");
  const removedIds = [...reasonsById]
    .filter(([, r]) => isRemoval(r))
    .map(([id]) => id)
    .sort();
  const removedSet = new Set(removedIds);
  const changed = [...reasonsById.keys()].filter((id) => !removedSet.has(id)).sort();

  const nodes = new Set<string>(input.nodes ?? []);
  for (const id of reasonsById.keys()) nodes.add(id);
  for (const e of input.edges) {
    nodes.add(e.from);
    nodes.add(e.to);
  }
  const adjacency = buildAdjacency(nodes, input.edges);
  const reached = walk(adjacency, [...changed, ...removedIds], "dependents");
  const paths = pathsTo(reached);
  const dependents = reached.filter((r) => !removedSet.has(r.id));
  const affected = new Set([...changed, ...dependents.map((r) => r.id)]);

  // order: only edges inside the affected set matter — it is closed under "depends on a member"
  const inside = buildAdjacency(affected, input.edges);
  const ordered = deployWaves(inside);
  if (ordered.blocked.length > 0) throw new PlanCycleError(findCycles(inside));
  const waveOf = new Map<string, number>();
  ordered.waves.forEach((wave, i) => {
    for (const id of wave) waveOf.set(id, i);
  });

  const consumes = consumedFrom(input.edges, affected, new Set([...affected, ...removedIds]));
  const entries: PlanEntry[] = [];
  for (const id of changed)
    entries.push({
      kind: "changed",
      id,
      wave: waveOf.get(id)!,
      reasons: reasonsById.get(id)!,
      consumes: consumes.get(id) ?? [],
    });
  for (const r of dependents)
    entries.push({
      kind: "dependent",
      id: r.id,
      wave: waveOf.get(r.id)!,
      depth: r.depth,
      path: paths.get(r.id) ?? [r.via, r.id],
      consumes: consumes.get(r.id) ?? [],
    });
  entries.sort((a, b) => compareStrings(a.id, b.id));
  const byId = new Map(entries.map((e) => [e.id, e]));
  const waves = ordered.waves.map((wave) => wave.map((id) => byId.get(id)!));

  const removed: Removal[] = removedIds.map((id) => ({
    id,
    consumers: (adjacency.dependents.get(id) ?? []).filter((c) => !removedSet.has(c)),
    reasons: reasonsById.get(id)!,
  }));

  const verdicts = evaluatePolicies(input.policies, {
    mode: input.mode,
    approved: input.approved === true,
    changed: changed.map((id) => subjectFor(id, input.subjects)),
    affected: [...affected].sort(),
    removed,
    ...(input.contractBreaks ? { contractBreaks: input.contractBreaks } : {}),
  });

  return {
    base: input.base,
    graph: input.graph,
    changed,
    removed,
    entries,
    waves,
    verdicts,
    ...(input.contractBreaks?.length ? { contractBreaks: [...input.contractBreaks] } : {}),
  };
}
