/**
 * What a change reader hands the planner: the base it compared against, every detector's reasons,
 * the new intent of the components it read, problems met on the way, and the dependency edges
 * (every kind: declared by `$ref`, by name, inferred from pasted values) of the region the change
 * reaches.
 */
import type { Problem } from "../../core/errors.js";
import type { Estate } from "../../core/estate/model.js";
import type { PlanEdge } from "../../core/planning/compute-plan.js";
import type { ChangeReason, PlanBase, PlanGraphSource } from "../../core/planning/model.js";
import type { Intent } from "./intents.js";

export type PlanGraphChoice = "auto" | "stored" | "working-tree";

export interface ChangeInputs {
  base: PlanBase;
  reasons: ChangeReason[];
  /** New intent of components whose config changed (absent for removed ones). */
  next: Map<string, Intent>;
  problems: Problem[];
  graph: { source: PlanGraphSource; edges: PlanEdge[]; nodes: string[] };
  /** The loaded estate, when the path that read the change loaded it. */
  estate?: Estate;
}
