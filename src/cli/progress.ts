/**
 * Progress of tool runs on stderr. On a terminal every line the tool reports is shown, with the
 * component, the step and the time since the step started. Elsewhere (CI logs, pipes) short runs
 * stay quiet and only the "still running" beats are printed, so a long Terraform apply shows
 * what it is doing every half minute instead of looking hung.
 */
import { formatComponentId } from "../core/ids.js";
import type { RunProgress } from "../ports/runner.js";

/** `45s`, `3m05s`, `1h02m`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

export interface ProgressOutput {
  isTTY: boolean;
  write(text: string): void;
  dim(text: string): string;
}

export function printProgress(out: ProgressOutput): (p: RunProgress) => void {
  return (p) => {
    if (!out.isTTY && !p.heartbeat) return;
    const head = `${formatComponentId(p.component)} ${p.step} ${formatElapsed(p.elapsedMs).padStart(5)}`;
    for (const line of p.message.trim().split("\n")) {
      if (line.trim()) out.write(`${out.isTTY ? out.dim(`  ${head}  ${line}`) : `  ${head}  ${line}`}\n`);
    }
  };
}
