/** Audit entries for runs: every outcome is recorded, never at the cost of the run itself. */
import { relative } from "node:path";
import { messageOf } from "../../core/errors.js";
import type { Estate, JsonObject } from "../../core/estate/model.js";
import { RunnerFailedError } from "../../ports/runner.js";
import type { AuditRecord, Session } from "../session.js";
import type { ProvisionHooks } from "./types.js";

export async function audit(session: Session, entry: AuditRecord, hooks: ProvisionHooks) {
  try {
    await session.record(entry);
  } catch (error) {
    hooks.onWarning?.(`could not write the audit log: ${messageOf(error)}`);
  }
}

export function relativeLog(estate: Estate, file: string): string {
  return relative(estate.settings.root, file);
}

export function failureDetails(error: unknown): JsonObject {
  if (error instanceof RunnerFailedError) {
    return { error: error.name, step: error.step, reason: error.reason, toolExitCode: error.toolExitCode };
  }
  return { error: error instanceof Error ? error.name : "Error" };
}

/** One line for the audit log (the full text is in the run log). */
export function failureMessage(error: unknown): string {
  const text =
    error instanceof RunnerFailedError
      ? `${error.step} ${error.reason}: ${error.toolMessage}`
      : error instanceof Error
        ? error.message
        : String(error);
  const line = text.replace(/\s*\n\s*/g, " — ").trim();
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}
