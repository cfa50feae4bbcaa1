/**
 * Proposed changes (`propose-change`, `POST /api/request-change`, `karma plan --changes`,
 * `POST /api/plan {changes}`): components' configs before and after their merge patches, with
 * the dependency edges of the patched working tree over the stores' runtimes (so pasted copies
 * count as they do for `karma plan`). The base is the working tree: the plan is of the proposed
 * changes alone, not of whatever else is unpublished.
 */

import type { Problem } from "../../core/errors.js";
import type { Component, Estate } from "../../core/estate/model.js";
import { inputFromEstate } from "../../core/graph/inputs.js";
import { detectConfigChanges } from "../../core/planning/detect.js";
import type { Session } from "../session.js";
import type { ChangeInputs } from "./change.js";
import { tryRuntimes, workingTreeGraph } from "./graph-edges.js";
import { intentOf, snapshot, typeIndexFor } from "./intents.js";
import { type ProposedChanges, patchEstate } from "./proposed.js";

export async function changeFromPatch(
  session: Session,
  before: readonly Component[],
  after: Estate,
): Promise<ChangeInputs> {
  const ids = new Set(before.map((c) => c.id));
  const now = after.components.filter((c) => ids.has(c.id));
  const reasons = detectConfigChanges(
    new Map(before.map((c) => [c.id, snapshot(intentOf(c))])),
    new Map(now.map((c) => [c.id, snapshot(intentOf(c))])),
  );
  const problems: Problem[] = [];
  const runtimes = await tryRuntimes(session, typeIndexFor(session).index, problems);
  return {
    base: { kind: "working-tree" },
    reasons,
    next: new Map(now.map((c) => [c.id, intentOf(c)])),
    problems,
    graph: await workingTreeGraph(session, inputFromEstate(after.components), runtimes, { keep: false }),
    estate: after,
  };
}

/** The change the proposed patches make to the working tree's files (nothing is written). */
export async function changeFromProposed(session: Session, changes: ProposedChanges): Promise<ChangeInputs> {
  const { targets, after } = patchEstate(session.estate.sources(), changes);
  return changeFromPatch(session, targets, after);
}
