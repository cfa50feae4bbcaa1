import { UserError } from "../../core/errors.js";
import type { Verdict } from "../../core/policies/model.js";

/**
 * The refusal every command gives for blocking policy verdicts — plan, apply, destroy and change
 * requests word it the same way: `<command> refused by policy:` then `  <rule>: <message> (<components>)`.
 */
export function policyRefusal(command: string, blocking: readonly Verdict[]): UserError {
  const lines = blocking.map((v) => `  ${v.rule}: ${v.message} (${v.components.join(", ")})`);
  return new UserError(
    `${command} refused by policy:\n${lines.join("\n")}`,
    [...new Set(blocking.map((v) => v.fix))].join("; "),
  );
}
