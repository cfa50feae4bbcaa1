/**
 * Runs the built CLI (`bin/karma.js`) in a child process as a user would, and reports its wall
 * time and its own peak RSS (via rss-reporter.ts), for figures "as the CLI runs by default".
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const KARMA = fileURLToPath(new URL("../../bin/karma.js", import.meta.url));
const REPORTER = new URL("./rss-reporter.js", import.meta.url).href;

export interface CliRun {
  ms: number;
  peakRssMb: number;
  stdout: string;
}

export function runCli(dir: string, args: readonly string[]): CliRun {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["--import", REPORTER, KARMA, "-C", dir, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`karma ${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  const kb = /karma-bench-peak-rss-kb (\d+)/.exec(run.stderr)?.[1];
  return { ms, peakRssMb: Math.round(Number(kb ?? 0) / 1024), stdout: run.stdout };
}
