/**
 * Policies: rules over a change, each producing verdicts that name the rule, the components and a
 * fix. Settings come from `karma.json` `"policies"` (schema in `schema.ts`); rules are plain
 * functions in `rules.ts`.
 */

export type Severity = "error" | "warning";

export const POLICY_RULES = [
  "protected",
  "maxBlastRadius",
  "crossEnvironmentReferences",
  "noDestroyWithConsumers",
  "requiredKeys",
  "requireSchema",
  "breakingChanges",
] as const;

export type PolicyRule = (typeof POLICY_RULES)[number];

/** Rules a human may override with `--approve`. */
export const APPROVABLE_RULES: readonly PolicyRule[] = ["protected", "maxBlastRadius", "breakingChanges"];

export interface Verdict {
  rule: PolicyRule;
  /** `error` blocks (unless approved); `warning` is reported only. In apply mode every violation is an error. */
  severity: Severity;
  /** The components the verdict is about, sorted. */
  components: string[];
  message: string;
  fix: string;
  /** True when `--approve` was given and the rule allows approval: reported, not blocking. */
  approved?: boolean;
}

/** Normalised `policies` settings (every rule optional). */
export interface Policies {
  protected: Array<{ match: string[]; severity: Severity; reason?: string }>;
  maxBlastRadius?: { limit: number; severity: Severity };
  crossEnvironmentReferences?: { allow: string[]; severity: Severity };
  noDestroyWithConsumers?: { severity: Severity };
  /** Per type: JSON pointers (or top-level key names) every config of that type must have. */
  requiredKeys: Record<string, { keys: string[]; severity: Severity }>;
  /** Types that must have a JSON Schema (`"*"` = every type). */
  requireSchema?: { types: string[] | "*"; severity: Severity };
  /**
   * A change that breaks what consumers read from a producer's output contract: `review` (the
   * default) blocks until approved with --approve; `deny` blocks outright.
   */
  breakingChanges: "deny" | "review";
}

export type PolicyMode = "plan" | "apply";

/** True when the verdict stops a plan/apply. */
export function isBlocking(verdict: Verdict): boolean {
  return verdict.severity === "error" && verdict.approved !== true;
}
