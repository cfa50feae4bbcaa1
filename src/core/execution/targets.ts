/**
 * Which components an apply runs on its own account — its targets — and why. Everything else in
 * the run is there only as a dependent of a target and runs only when a producer change reaches it
 * (the propagation rule). Pure.
 *
 * Targets are what is not applied yet, so re-running after a failure resumes where the run
 * stopped and nothing already applied is applied again without cause:
 * - unpublished (Git differs from the published config), never-deployed, undeployed (the runtime
 *   is not from the latest published config) and stale (consumed producer keys changed since);
 * - components the previous apply left failed or skipped (a dependent skipped there may have had a
 *   producer change it never received);
 * - with `--since REF`: only components touched since REF count, plus every component whose
 *   type's module or schema changed since REF.
 */
import type { Touched } from "../selectors/changed.js";
import type { ComponentStatus } from "../status/compute-status.js";

/** What the previous apply left undone, from its audit entry. */
export interface PreviousApply {
  /** Audit entry id, for the reason. */
  entry: number;
  failed: readonly string[];
  skipped: readonly string[];
}

export interface TargetInput {
  /** Status of every selected component that has a config in Git. */
  statuses: readonly ComponentStatus[];
  /** With `--since`: components touched by files changed since `ref`. */
  since?: { ref: string; touched: readonly Touched[] };
  previous?: PreviousApply;
}

const PENDING_STATES = new Set(["unpublished", "never-deployed", "undeployed", "stale"]);

/** Target id → cause, sorted by id. */
export function applyTargets(input: TargetInput): Map<string, string> {
  const inScope = new Set(input.statuses.map((s) => s.id));
  const touched = input.since && new Map(input.since.touched.map((t) => [t.id, t]));
  const causes = new Map<string, string>();
  for (const s of input.statuses) {
    if (!PENDING_STATES.has(s.state) || (touched && !touched.has(s.id))) continue;
    causes.set(s.id, s.reason ? `${s.state}: ${s.reason}` : s.state);
  }
  for (const t of input.since?.touched ?? []) {
    if (t.reason === "config" || causes.has(t.id) || !inScope.has(t.id)) continue;
    causes.set(t.id, `${t.reason} changed since ${input.since!.ref} (${t.file})`);
  }
  const previous = input.previous;
  if (previous) {
    for (const [ids, what] of [
      [previous.failed, "failed"],
      [previous.skipped, "was skipped"],
    ] as const)
      for (const id of ids)
        if (inScope.has(id) && !causes.has(id))
          causes.set(id, `${what} in the previous apply (audit entry ${previous.entry})`);
  }
  return new Map([...causes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
