/** Policies over changes: settings, rules and evaluation. See `settings.ts` for the karma.json shape. */
export { blockingVerdicts, evaluatePolicies } from "./evaluate.js";
export {
  APPROVABLE_RULES,
  isBlocking,
  POLICY_RULES,
  type Policies,
  type PolicyMode,
  type PolicyRule,
  type Severity,
  type Verdict,
} from "./model.js";
export { idMatcher, type PolicyContext, type PolicySubject } from "./rules.js";
export { policiesSchema, readPolicies } from "./settings.js";
