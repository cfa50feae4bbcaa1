/**
 * Start-up cost of a read command on a small estate: `karma graph impact dev:network/main` on the
 * 16-component demo estate (published and its graph built once beforehand), against bare `node -e 0` measured in
 * the same run. Reported as a ratio (target ≤ 2×); the median of several runs of each, interleaved. Also
 * `karma --version`: the CLI's own floor, which no command module should raise.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeDemoEstateAt } from "../adapters/fs/demo-estate.js";

const KARMA = fileURLToPath(new URL("../../bin/karma.js", import.meta.url));

export interface StartupBench {
  nodeMs: number;
  karmaMs: number;
  ratio: number;
  versionMs: number;
}

function timeMs(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(" ")} failed: ${run.stderr}`);
  return ms;
}

function median(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * The median of `runs` runs of each command line, taken in rounds (one run of each per round,
 * after one unmeasured round that warms the file cache): on a shared machine the load drifts,
 * and a drift then slows every command alike instead of whichever ran last, so the ratios hold.
 */
function medianMsInRounds(commands: readonly (readonly string[])[], runs: number): number[] {
  for (const args of commands) timeMs(args);
  const times = commands.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [c, args] of commands.entries()) times[c]?.push(timeMs(args));
  }
  return times.map(median);
}

export async function benchStartup(runs = 11): Promise<StartupBench> {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "karma-bench-startup-")), "estate");
  try {
    await writeDemoEstateAt(dir);
    for (const step of [["publish"], ["graph", "build"]]) {
      const run = spawnSync(process.execPath, [KARMA, "-C", dir, ...step], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`karma ${step.join(" ")} failed: ${run.stderr}`);
    }
    const [nodeMs = 0, karmaMs = 0, versionMs = 0] = medianMsInRounds(
      [
        ["-e", "0"],
        [KARMA, "-C", dir, "graph", "impact", "dev:network/main"],
        [KARMA, "--version"],
      ],
      runs,
    );
    return { nodeMs, karmaMs, ratio: karmaMs / nodeMs, versionMs };
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

export function formatStartupBench(b: StartupBench): string {
  return `startup: karma graph impact on the demo estate ${b.karmaMs.toFixed(0)} ms vs node -e 0 ${b.nodeMs.toFixed(0)} ms = ${b.ratio.toFixed(2)}× (target ≤ 2×); karma --version ${b.versionMs.toFixed(0)} ms = ${(b.versionMs / b.nodeMs).toFixed(2)}×`;
}
