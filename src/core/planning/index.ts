/** Change planning: detectors, the planner, and renderers. Plans are values; see `model.ts`. */
export { type ChangePlanInput, computeChangePlan, type PlanEdge } from "./compute-plan.js";
export {
  type ConfigSnapshot,
  detectConfigChanges,
  detectModuleChanges,
  detectSchemaChanges,
  detectStale,
  detectUndeployed,
  edgePatch,
  type TypeFiles,
  type TypeLayout,
} from "./detect.js";
export { declaredEdges, summariseEdges } from "./edges.js";
export { PlanCycleError } from "./errors.js";
export { applyMergePatch } from "./merge-patch.js";
export type * from "./model.js";
export { planDocument, planSummary } from "./render/json.js";
export { renderPlanMarkdown } from "./render/markdown.js";
export { renderPlanText } from "./render/text.js";
