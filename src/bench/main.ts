/**
 * `npm run bench`: every suite at 1k / 10k / 50k components (BENCH_SIZES=1000,10000 to change),
 * each (suite, size) in its own process so peak memory is its own. Prints a table and writes
 * bench/results/<suite>.json. Not a test: nothing here passes or fails on time.
 */
import { fileURLToPath } from "node:url";
import { benchExplorerCase, EXPLORER_SUITE } from "./explorer.js";
import { benchGraphCase, GRAPH_SUITE } from "./graph.js";
import { benchGremlinCase, GREMLIN_SUITE } from "./gremlin.js";
import { type CaseResult, printResults, runCaseInChild, writeResults } from "./harness.js";
import { benchPlanCase, PLAN_SUITE } from "./plan.js";
import { benchPublishCase, PUBLISH_SUITE } from "./publish.js";
import { benchSsmSync, formatSsmSyncBench } from "./ssm-sync.js";
import { benchStartup, formatStartupBench } from "./startup.js";

const suites: Record<string, (size: number) => Promise<CaseResult>> = {
  [PUBLISH_SUITE]: benchPublishCase,
  [GRAPH_SUITE]: benchGraphCase,
  [PLAN_SUITE]: benchPlanCase,
  [GREMLIN_SUITE]: benchGremlinCase,
  [EXPLORER_SUITE]: benchExplorerCase,
};

const RESULTS_DIR = fileURLToPath(new URL("../../bench/results", import.meta.url));
const SCRIPT = fileURLToPath(import.meta.url);

async function runChild(suite: string, size: number): Promise<void> {
  const run = suites[suite];
  if (!run) throw new Error(`unknown suite ${suite}`);
  // the parent reads the last stdout line
  process.stdout.write(`${JSON.stringify(await run(size))}\n`);
}

async function runAll(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? "1000,10000,50000").split(",").map(Number);
  const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  for (const suite of Object.keys(suites)) {
    if (only.length && !only.includes(suite)) continue;
    const results: CaseResult[] = [];
    for (const size of sizes) {
      process.stderr.write(`bench ${suite} ${size}…\n`);
      results.push(runCaseInChild(SCRIPT, suite, size));
    }
    printResults(results);
    process.stdout.write(`→ ${writeResults(RESULTS_DIR, suite, results)}\n\n`);
  }
  if (!only.length || only.includes("startup")) {
    process.stderr.write("bench startup…\n");
    const startup = await benchStartup();
    process.stdout.write(`${formatStartupBench(startup)}\n`);
    writeResults(RESULTS_DIR, "startup", [
      {
        suite: "startup",
        size: 16,
        peakRssMb: 0,
        measurements: [
          { name: "node -e 0", ms: startup.nodeMs },
          { name: "karma graph impact", ms: startup.karmaMs, extra: { ratio: startup.ratio.toFixed(2) } },
          {
            name: "karma --version",
            ms: startup.versionMs,
            extra: { ratio: (startup.versionMs / startup.nodeMs).toFixed(2) },
          },
        ],
      },
    ]);
  }
  if (!only.length || only.includes("ssm-sync")) {
    process.stderr.write("bench ssm-sync 20000…\n");
    const sync = await benchSsmSync();
    process.stdout.write(`${formatSsmSyncBench(sync)}\n`);
    writeResults(RESULTS_DIR, "ssm-sync", [
      {
        suite: "ssm-sync",
        size: sync.parameters,
        peakRssMb: 0,
        measurements: [
          {
            name: "incremental sync",
            ms: sync.incremental.ms,
            extra: {
              calls: sync.incremental.calls,
              naiveCalls: sync.naive.calls,
              ratio: sync.ratio.toFixed(3),
            },
          },
        ],
      },
    ]);
  }
}

const caseIndex = process.argv.indexOf("--case");
if (caseIndex >= 0) await runChild(process.argv[caseIndex + 1] ?? "", Number(process.argv[caseIndex + 2]));
else await runAll();
