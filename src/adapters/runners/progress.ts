/**
 * Progress of one tool run for the person (or CI log) watching: each line the tool reports,
 * stamped with the time since the step started, and a "still running" beat at a fixed interval,
 * so a long `terraform apply` that prints nothing for minutes does not look hung.
 */
import type { RunJob, RunStep } from "../../ports/runner.js";
import type { ChildRunOptions } from "./child-process.js";

/** Often enough that CI systems which kill silent jobs (commonly after 10 minutes) never do. */
export const HEARTBEAT_MS = 30_000;

export interface StepProgress {
  /** Reports one line the tool printed (already fit to show: the caller redacted it). */
  line(message: string): void;
  /** For `runChild`: beats while the tool runs; undefined when nobody listens. */
  heartbeat: ChildRunOptions["heartbeat"];
}

export function stepProgress(
  job: Pick<RunJob, "component" | "onProgress">,
  step: RunStep,
  everyMs: number = HEARTBEAT_MS,
  now: () => number = () => performance.now(),
): StepProgress {
  const { onProgress, component } = job;
  const started = now();
  return {
    line: (message) => onProgress?.({ component, step, message, elapsedMs: Math.round(now() - started) }),
    heartbeat: onProgress && {
      everyMs,
      onBeat: (elapsedMs) =>
        onProgress({ component, step, message: "still running", elapsedMs, heartbeat: true }),
    },
  };
}
