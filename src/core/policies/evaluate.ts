/**
 * Policy evaluation: run every rule over a change. Plan, apply and change requests call this with
 * their mode; `blockingVerdicts` says what stops them.
 */
import { isBlocking, type Policies, type Verdict } from "./model.js";
import { POLICY_RULE_FUNCTIONS, type PolicyContext } from "./rules.js";

/** Every verdict of every rule, in rule order. O(rules × (changed + affected)). */
export function evaluatePolicies(policies: Policies, context: PolicyContext): Verdict[] {
  return POLICY_RULE_FUNCTIONS.flatMap((rule) => rule(policies, context));
}

/** Verdicts that stop a plan or apply: errors that were not approved. */
export function blockingVerdicts(verdicts: readonly Verdict[]): Verdict[] {
  return verdicts.filter(isBlocking);
}
