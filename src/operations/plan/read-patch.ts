/**
 * A proposed change (`propose-change`, `POST /request-change`): one component's config before and
 * after a merge patch, with the dependency edges of the patched working tree over the stores'
 * runtimes (so pasted copies count as they do for `karma plan`).
 */
import type { Problem } from "../../core/errors.js";
import type { Component, Estate, ProjectSettings } from "../../core/estate/model.js";
import { inputFromEstate } from "../../core/graph/inputs.js";
import { detectConfigChanges } from "../../core/planning/detect.js";
import type { ChangeInputs } from "./change.js";
import { tryRuntimes, workingTreeGraph } from "./graph-edges.js";
import { intentOf, snapshot, typeIndexFor } from "./intents.js";

export async function changeFromPatch(
  settings: ProjectSettings,
  before: Component,
  after: Estate,
): Promise<ChangeInputs> {
  const now = after.components.find((c) => c.id === before.id)!;
  const reasons = detectConfigChanges(
    new Map([[before.id, snapshot(intentOf(before))]]),
    new Map([[now.id, snapshot(intentOf(now))]]),
  );
  const problems: Problem[] = [];
  const runtimes = await tryRuntimes(settings, typeIndexFor(settings).index, problems);
  return {
    base: { kind: "working-tree" },
    reasons,
    next: new Map([[now.id, intentOf(now)]]),
    problems,
    graph: workingTreeGraph(inputFromEstate(after.components), runtimes),
    estate: after,
  };
}
