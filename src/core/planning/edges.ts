/**
 * Edges straight from a component's declared references — what the graph builder adds for them,
 * without needing the producers to exist (a plan patches one component's edges into a stored
 * graph, where the builder's whole-estate view is not at hand).
 */
import type { Reference } from "../estate/model.js";
import { componentNodeId, externalNodeId } from "../graph/model.js";
import type { PlanEdge } from "./compute-plan.js";
import type { EdgeSummary } from "./model.js";

/** `depends_on` for every reference, plus key-level `consumes` for `$ref`s. Self references are skipped. */
export function declaredEdges(from: string, references: readonly Reference[]): PlanEdge[] {
  const edges: PlanEdge[] = [];
  for (const ref of references) {
    const t = ref.target;
    const to = ref.external
      ? externalNodeId(t.env, t.type, t.nickname)
      : componentNodeId(t.env, t.type, t.nickname);
    if (to === from) continue;
    edges.push({ from, to, kind: "depends_on", evidence: { form: ref.form, pointer: ref.pointer } });
    if (ref.form === "ref")
      edges.push({
        from,
        to,
        kind: "consumes",
        evidence: { form: "ref", pointer: ref.pointer, producerKey: ref.key ?? "" },
      });
  }
  return edges;
}

/** A component's outgoing edges without the consumer, for graph patches. */
export function summariseEdges(edges: readonly PlanEdge[]): EdgeSummary[] {
  return edges.map((e) => {
    const summary: EdgeSummary = { to: e.to, kind: e.kind, pointer: e.evidence.pointer };
    if (e.evidence.producerKey !== undefined) summary.producerKey = e.evidence.producerKey;
    return summary;
  });
}
