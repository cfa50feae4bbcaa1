/**
 * Plan benchmark: `karma plan --since HEAD~1` for a one-file change (one database's config) on a
 * synthetic estate that is committed, published, deployed (runtimes written) and whose graph was
 * built — timed in-process, beside its lower bound measured in the same run: the bare
 * `git diff --name-only HEAD~1` plus the graph query for the same change (the changed component's
 * transitive dependents from the graph store). Also timed, for comparison: the same plan built
 * from the working tree (`--graph working-tree`), which loads the whole estate; and `karma plan`
 * against the published config, first run and with the tree unchanged.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openGraphStore } from "../adapters/graph-store/factory.js";
import { formatComponentId } from "../core/ids.js";
import { buildAndStoreGraph } from "../operations/graph.js";
import { makePlan } from "../operations/plan.js";
import { runCli } from "./cli-run.js";
import { commitOneDatabaseChange, git, inSession, setUpDeployedEstate } from "./deployed-estate.js";
import { bestOf, type CaseResult, type Measurement, peakRssMb, settleHeap, timeIt } from "./harness.js";
import { syntheticConfigFile } from "./synthetic-estate.js";

export const PLAN_SUITE = "plan";

/** `timeIt` plus the process's CPU time (user + system) over the same call. */
async function timedCpu<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T; cpuMs: number }> {
  settleHeap();
  const before = process.cpuUsage();
  const timed = await timeIt(fn);
  const used = process.cpuUsage(before);
  return { ...timed, cpuMs: Math.round((used.user + used.system) / 1000) };
}

/** One size, in this process. Creates and removes a temporary estate. */
export async function benchPlanCase(size: number): Promise<CaseResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `karma-bench-plan-${size}-`));
  try {
    // ---- setup (untimed): committed, published, deployed, graph built; then one config changed ----
    const { synthetic, settings } = await setUpDeployedEstate(dir, size);
    await inSession(settings, (s) => buildAndStoreGraph(s));
    const changed = commitOneDatabaseChange(dir, synthetic);
    const changedId = formatComponentId(changed);

    const measurements: Measurement[] = [];
    // ---- lower bound: git diff --name-only + the graph query for the same change ----
    const store = openGraphStore(settings);
    let dependents = 0;
    let lowerMs: number;
    try {
      lowerMs = await bestOf(3, async () => {
        git(dir, "diff", "--name-only", "HEAD~1");
        dependents = (await store.dependents([changedId])).length;
      });
    } finally {
      await store.close();
    }
    const lowerBound = { name: "git diff --name-only + graph query", ms: lowerMs };

    // ---- karma plan --since HEAD~1 (stored graph, the default when one was built) ----
    const cold = await timeIt(() => inSession(settings, (s) => makePlan(s, { since: "HEAD~1" })));
    let affected = 0;
    const warm = await bestOf(3, async () => {
      affected = (await inSession(settings, (s) => makePlan(s, { since: "HEAD~1" }))).plan.entries.length;
    });
    measurements.push({
      name: "plan --since HEAD~1",
      ms: warm,
      lowerBound,
      extra: { cold: Math.round(cold.ms), affected, dependents, waves: cold.value.plan.waves.length },
    });

    // ---- the same plan from a working-tree build (loads every config) ----
    const tree = await timeIt(() =>
      inSession(settings, (s) => makePlan(s, { since: "HEAD~1", graph: "working-tree" })),
    );
    measurements.push({
      name: "plan --since HEAD~1 --graph working-tree",
      ms: tree.ms,
      lowerBound,
      extra: { affected: tree.value.plan.entries.length },
    });

    // ---- karma plan (no --since: working tree against published), the README tour's first plan ----
    // its lower bound: reading every config file and every parameter, JSON.parse of each
    const readAll = await timedCpu(async () => {
      let parsed = 0;
      for (const c of synthetic.components) {
        JSON.parse(fs.readFileSync(path.join(dir, syntheticConfigFile(c)), "utf8"));
        parsed++;
      }
      await inSession(settings, async (s) => {
        for (const env of settings.environments)
          for (const p of await (await s.store(env.name)).readTree(env.prefix)) {
            if (!p.name.endsWith("/config") && !p.name.endsWith("/runtime")) continue; // <prefix>/environment
            JSON.parse(p.value);
            parsed++;
          }
      });
      return parsed;
    });
    const readBound = { name: "read files + parameters + JSON.parse", ms: readAll.ms };
    const first = await timedCpu(() => inSession(settings, (s) => makePlan(s)));
    const again = await timedCpu(() => inSession(settings, (s) => makePlan(s)));
    measurements.push({
      name: "plan (working tree vs published), first run",
      ms: first.ms,
      lowerBound: readBound,
      extra: {
        affected: first.value.plan.entries.length,
        graph: "built and kept",
        cpuMs: first.cpuMs,
        boundCpuMs: readAll.cpuMs,
      },
    });
    measurements.push({
      name: "plan (working tree vs published), tree unchanged",
      ms: again.ms,
      lowerBound: readBound,
      extra: {
        affected: again.value.plan.entries.length,
        graph: "kept version (content hash)",
        cpuMs: again.cpuMs,
        boundCpuMs: readAll.cpuMs,
      },
    });
    // the CLI itself, in a process of its own: wall time and its own peak memory
    const cli = runCli(dir, ["plan", "--since", "HEAD~1"]);
    measurements.push({
      name: "karma plan --since HEAD~1 (CLI process)",
      ms: cli.ms,
      lowerBound,
      extra: { cliPeakRssMb: cli.peakRssMb },
    });
    return { suite: PLAN_SUITE, size, measurements, peakRssMb: peakRssMb() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}
