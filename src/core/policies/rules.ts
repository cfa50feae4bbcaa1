/**
 * Policy rules: one function per rule, `(policies, context) => Verdict[]`. A rule that is not
 * configured returns nothing. Severity comes from the rule's settings in plan mode; in apply mode
 * every violation is an error. Approvable rules (`protected`, `maxBlastRadius`) are marked
 * `approved` when the change was approved, which keeps them visible but not blocking.
 */
import picomatch from "picomatch";
import type { BrokenUse } from "../contracts/breaking.js";
import type { JsonObject, Reference } from "../estate/model.js";
import { formatComponentId } from "../ids.js";
import { getAtPointer } from "../json/pointer.js";
import {
  APPROVABLE_RULES,
  type Policies,
  type PolicyMode,
  type PolicyRule,
  type Severity,
  type Verdict,
} from "./model.js";

/** A component the change touches directly, as its new intent. */
export interface PolicySubject {
  id: string;
  env: string;
  type: string;
  nickname: string;
  /** The new config; absent when it could not be read. */
  config?: JsonObject;
  references?: readonly Reference[];
  /** Whether its type has a JSON Schema. */
  hasSchema?: boolean;
}

export interface PolicyContext {
  mode: PolicyMode;
  /** `--approve` was given. */
  approved: boolean;
  /** Changed components (not removed ones). */
  changed: readonly PolicySubject[];
  /** Every component the change deploys: changed ∪ transitive dependents (sorted). */
  affected: readonly string[];
  /** Components whose config is gone, with who still depends on them. */
  removed: ReadonlyArray<{ id: string; consumers: readonly string[] }>;
  /** Consumer key uses the change's output-contract changes break (contract-aware planning). */
  contractBreaks?: readonly BrokenUse[];
}

export type PolicyRuleFunction = (policies: Policies, context: PolicyContext) => Verdict[];

/** `pattern` with an environment (`prod:*\/*`) matches the full id, without one `type/nickname`. */
export function idMatcher(patterns: readonly string[]): (id: string) => boolean {
  const matchers = patterns.map((pattern) => {
    const test = picomatch(pattern);
    const withEnv = pattern.includes(":");
    return (id: string) => test(withEnv ? id : id.slice(id.indexOf(":") + 1));
  });
  return (id) => matchers.some((m) => m(id));
}

function verdict(
  rule: PolicyRule,
  configured: Severity,
  context: PolicyContext,
  components: Iterable<string>,
  message: string,
  fix: string,
): Verdict {
  const result: Verdict = {
    rule,
    severity: context.mode === "apply" ? "error" : configured,
    components: [...new Set(components)].sort(),
    message,
    fix,
  };
  if (context.approved && APPROVABLE_RULES.includes(rule)) result.approved = true;
  return result;
}

const APPROVE_FIX = "review the plan, then re-run with --approve";

export const protectedComponents: PolicyRuleFunction = (policies, context) => {
  const touched = [...context.affected, ...context.removed.map((r) => r.id)];
  return policies.protected.flatMap((rule) => {
    const match = idMatcher(rule.match);
    const hits = touched.filter(match);
    if (hits.length === 0) return [];
    const why = rule.reason ? ` (${rule.reason})` : "";
    return [
      verdict(
        "protected",
        rule.severity,
        context,
        hits,
        `the change touches protected component(s) matching ${rule.match.join(", ")}${why}`,
        APPROVE_FIX,
      ),
    ];
  });
};

export const maxBlastRadius: PolicyRuleFunction = (policies, context) => {
  const rule = policies.maxBlastRadius;
  if (!rule) return [];
  const touched = [...context.affected, ...context.removed.map((r) => r.id)];
  if (touched.length <= rule.limit) return [];
  return [
    verdict(
      "maxBlastRadius",
      rule.severity,
      context,
      touched,
      `the change affects ${touched.length} components, more than the limit of ${rule.limit}`,
      `split the change into smaller ones, or ${APPROVE_FIX}`,
    ),
  ];
};

export const crossEnvironmentReferences: PolicyRuleFunction = (policies, context) => {
  const rule = policies.crossEnvironmentReferences;
  if (!rule) return [];
  const allowed = idMatcher(rule.allow);
  const verdicts: Verdict[] = [];
  for (const subject of context.changed) {
    for (const ref of subject.references ?? []) {
      if (ref.external || ref.target.env === subject.env) continue;
      const target = formatComponentId(ref.target);
      if (allowed(target)) continue;
      verdicts.push(
        verdict(
          "crossEnvironmentReferences",
          rule.severity,
          context,
          [subject.id, target],
          `${subject.id} references ${target} in another environment (at ${ref.pointer})`,
          `reference a component of ${subject.env}, or allow it in karma.json: "policies": {"crossEnvironmentReferences": {"allow": ["${target}"]}}`,
        ),
      );
    }
  }
  return verdicts;
};

export const noDestroyWithConsumers: PolicyRuleFunction = (policies, context) => {
  const rule = policies.noDestroyWithConsumers;
  if (!rule) return [];
  return context.removed
    .filter((r) => r.consumers.length > 0)
    .map((r) =>
      verdict(
        "noDestroyWithConsumers",
        rule.severity,
        context,
        [r.id, ...r.consumers],
        `${r.id} would be destroyed but ${r.consumers.join(", ")} still depend${r.consumers.length === 1 ? "s" : ""} on it`,
        `remove the references to ${r.id} from its consumers first (or keep its config)`,
      ),
    );
};

export const requiredKeys: PolicyRuleFunction = (policies, context) => {
  const verdicts: Verdict[] = [];
  for (const subject of context.changed) {
    const rule = policies.requiredKeys[subject.type];
    if (!rule || !subject.config) continue;
    const missing = rule.keys.filter((key) => getAtPointer(subject.config!, key) === undefined);
    if (missing.length === 0) continue;
    verdicts.push(
      verdict(
        "requiredKeys",
        rule.severity,
        context,
        [subject.id],
        `${subject.id} lacks required key(s) ${missing.join(", ")} (every ${subject.type} must have them)`,
        `add ${missing.join(", ")} to its config.json`,
      ),
    );
  }
  return verdicts;
};

export const requireSchema: PolicyRuleFunction = (policies, context) => {
  const rule = policies.requireSchema;
  if (!rule) return [];
  const applies = (type: string) => rule.types === "*" || rule.types.includes(type);
  const byType = new Map<string, string[]>();
  for (const subject of context.changed) {
    if (subject.hasSchema !== false || !applies(subject.type)) continue;
    byType.set(subject.type, [...(byType.get(subject.type) ?? []), subject.id]);
  }
  return [...byType.keys()]
    .sort()
    .map((type) =>
      verdict(
        "requireSchema",
        rule.severity,
        context,
        byType.get(type)!,
        `type ${type} has no JSON Schema, which the policies require`,
        `add types/${type}/schema.json (or "schema" for the type in karma.json)`,
      ),
    );
};

export const breakingChanges: PolicyRuleFunction = (policies, context) => {
  const broken = context.contractBreaks ?? [];
  if (broken.length === 0) return [];
  const producers = [...new Set(broken.map((b) => b.producer))].sort();
  const result = verdict(
    "breakingChanges",
    "error",
    context,
    broken.map((b) => b.consumer),
    `contract-breaking change: ${broken.map((b) => `${b.consumer} reads ${b.producer}#${b.key} (${b.kind === "removed" ? `no longer published${b.suggestion ? `; renamed to ${b.suggestion}?` : ""}` : `now ${b.to!.join("|")}, was ${b.from!.join("|")}`})`).join("; ")}`,
    policies.breakingChanges === "deny"
      ? `keep ${producers.join(", ")} publishing what consumers read (add new outputs beside old ones), or change the consumers first; policy breakingChanges is "deny"`
      : `update the consumers, or ${APPROVE_FIX} (policy breakingChanges: "review")`,
  );
  if (policies.breakingChanges === "deny") delete result.approved;
  return [result];
};

/** Every rule, in the order verdicts are reported. */
export const POLICY_RULE_FUNCTIONS: ReadonlyArray<PolicyRuleFunction> = [
  protectedComponents,
  maxBlastRadius,
  crossEnvironmentReferences,
  noDestroyWithConsumers,
  requiredKeys,
  requireSchema,
  breakingChanges,
];
