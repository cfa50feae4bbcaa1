/**
 * `karma plan` as an operation (CLI, apply, change requests and the HTTP API share it): the one
 * planner lives in `plan/planner.ts`; this module is its public face.
 */
export type { ChangeInputs, PlanGraphChoice } from "./plan/change.js";
export { makePlan, type PlanRequest, planFromChange } from "./plan/planner.js";
