/**
 * The edges of the latest stored graph that can hold inferred evidence (pasted copies value
 * inference found): consumers and `karma validate`'s contract checks both read exactly these.
 */
import { type GraphEdge, INFERRED_EVIDENCE_EDGE_KINDS } from "../core/graph/model.js";
import { storedGraph } from "./plan/graph-edges.js";
import type { Session } from "./session.js";

/**
 * Consumes and inferred edges of the latest graph version — a pasted key whose pair is also
 * declared has only a consumes edge — and none when no graph was built. Only these kinds are
 * read: the whole version costs ~1 s at 10k components.
 */
export async function latestInferredEvidenceEdges(session: Session): Promise<GraphEdge[]> {
  const stored = await storedGraph(session);
  if (!stored) return [];
  return stored.store.readEdges({ version: stored.version, kinds: INFERRED_EVIDENCE_EDGE_KINDS });
}
