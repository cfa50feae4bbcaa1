/**
 * Graph benchmark: on synthetic estates (see synthetic-estate.ts) published to the embedded store
 * with runtimes, time
 *   - graph build + store write (read stores → build → write a version), and its parts;
 *   - `impact` on a shared root and on a leaf (GraphStore.dependents, recursive CTE);
 *   - deploy waves of the whole estate;
 *   - a one-component `[HEAD~1...HEAD]` selection (git diff + layout mapping);
 * each beside a lower bound measured in the same run: reading the same parameters and
 * `JSON.parse` of every value (for the selection: the bare `git diff --name-only`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cliGitReader } from "../adapters/git/git-reader.js";
import { graphDatabaseFile, openGraphStore } from "../adapters/graph-store/factory.js";
import { buildGraph } from "../core/graph/builder.js";
import type { Graph } from "../core/graph/model.js";
import { selectComponents } from "../core/selectors/evaluate.js";
import { buildAndStoreGraph, collectGraphInput } from "../operations/graph.js";
import { selectorContext } from "../operations/selector-context.js";
import { runCli } from "./cli-run.js";
import { commitOneDatabaseChange, git, inSession, setUpDeployedEstate } from "./deployed-estate.js";
import { bestOf, type CaseResult, type Measurement, peakRssMb, settleHeap, timeIt } from "./harness.js";

export const GRAPH_SUITE = "graph";

/** User + system CPU of a `process.cpuUsage(start)` difference, in milliseconds. */
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** Cold builds per size: the figure is the best of them, as is its lower bound. */
const COLD_RUNS = 3;

/**
 * Puts back the database `file` as copied to `copy` (no connection may be open on it): its WAL
 * and shared-memory files go, or SQLite would replay the WAL over the copy.
 */
function restoreDatabase(file: string, copy: string): void {
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
  fs.copyFileSync(copy, file);
}

/** One size, in this process. Creates and removes a temporary estate. */
export async function benchGraphCase(size: number): Promise<CaseResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `karma-bench-graph-${size}-`));
  try {
    // ---- setup (untimed): estate on disk in git, configs published, runtimes written ----
    const { synthetic, settings, estate } = await setUpDeployedEstate(dir, size);

    const measurements: Measurement[] = [];
    // ---- full build + write, cold (no graph yet), beside its lower bound, best of COLD_RUNS ----
    // each run starts from the database as published, with no graph version: the same cold write
    // every time. Best of several on both sides: one run of either varied by ±40% on this VM
    const database = graphDatabaseFile(settings);
    const pristine = `${database}.pristine`;
    fs.copyFileSync(database, pristine);
    let readParse = { name: "read + JSON.parse", ms: Number.POSITIVE_INFINITY };
    let parameters = 0;
    let full = Number.POSITIVE_INFINITY;
    let parts: Record<string, number> = {};
    let graph: Graph | undefined;
    for (let run = 0; run < COLD_RUNS; run++) {
      restoreDatabase(database, pristine);
      // ---- lower bound: read every parameter the build reads, JSON.parse every value ----
      settleHeap();
      const lower = await timeIt(async () => {
        let parsed = 0;
        await inSession(settings, async (session) => {
          for (const env of settings.environments) {
            for (const p of await (await session.store(env.name)).readTree(env.prefix)) {
              if (!p.name.endsWith("/config") && !p.name.endsWith("/runtime")) continue; // e.g. <prefix>/environment
              JSON.parse(p.value);
              parsed++;
            }
          }
        });
        return parsed;
      });
      readParse = { ...readParse, ms: Math.min(readParse.ms, lower.ms) };
      parameters = lower.value;
      // ---- the operation `karma graph build` runs, whole ----
      settleHeap();
      const built = await timeIt(() => inSession(settings, (s) => buildAndStoreGraph(s)));
      if (built.value.current || built.value.graph === undefined)
        throw new Error("the cold build found a graph");
      full = Math.min(full, built.ms);
      graph = built.value.graph;
      // ---- its parts, timed one by one (informative: the sum is the operation less its session) ----
      restoreDatabase(database, pristine);
      settleHeap();
      const collected = await timeIt(() => inSession(settings, (s) => collectGraphInput(s)));
      const rebuilt = await timeIt(() => buildGraph(collected.value.input));
      const store = openGraphStore(settings);
      try {
        // CPU time too: on a shared machine the wall time of a write is mostly waiting
        const writeCpu = process.cpuUsage();
        const written = await timeIt(() => store.writeVersion(rebuilt.value));
        const writeCpuMs = cpuMs(process.cpuUsage(writeCpu));
        const sum = collected.ms + rebuilt.ms + written.ms;
        if (sum < (parts.sum ?? Number.POSITIVE_INFINITY)) {
          parts = { sum, read: collected.ms, build: rebuilt.ms, write: written.ms, writeCpu: writeCpuMs };
        }
      } finally {
        await store.close();
      }
    }
    fs.rmSync(pristine);
    const count = (kind: string) => graph!.edges.filter((e) => e.kind === kind).length;
    measurements.push({
      name: "graph build + store write",
      ms: full,
      lowerBound: readParse,
      extra: {
        runs: COLD_RUNS,
        read: Math.round(parts.read!),
        build: Math.round(parts.build!),
        write: Math.round(parts.write!),
        writeCpu: Math.round(parts.writeCpu!),
        nodes: graph!.nodes.length,
        edges: graph!.edges.length,
        inferred: count("inferred"),
        consumes: count("consumes"),
        findings: graph!.findings.length,
        parameters,
      },
    });

    const store = openGraphStore(settings);
    try {
      // ---- queries (warm: best of several) ----
      let reached = 0;
      const rootMs = await bestOf(5, async () => {
        reached = (await store.dependents([synthetic.sharedRoot])).length;
      });
      measurements.push({
        name: `impact shared root`,
        ms: rootMs,
        lowerBound: readParse,
        extra: { dependents: reached },
      });
      const leafMs = await bestOf(5, async () => {
        reached = (await store.dependents([synthetic.leaf])).length;
      });
      measurements.push({
        name: "impact leaf",
        ms: leafMs,
        lowerBound: readParse,
        extra: { dependents: reached },
      });
      let waves = 0;
      const wavesMs = await bestOf(3, async () => {
        waves = (await store.waves()).waves.length;
      });
      measurements.push({
        name: "waves (whole estate)",
        ms: wavesMs,
        lowerBound: readParse,
        extra: { waves },
      });

      // ---- one-component change in the last commit ----
      commitOneDatabaseChange(dir, synthetic);
      const context = selectorContext(
        { settings, git: cliGitReader(settings.root) },
        { components: estate.components, graph: store },
      );
      let selected: string[] = [];
      const selection = await timeIt(async () => {
        selected = await selectComponents("[HEAD~1...HEAD]", context);
      });
      const bareDiff = await timeIt(() => git(dir, "diff", "--name-only", "HEAD~1...HEAD"));
      measurements.push({
        name: "select [HEAD~1...HEAD]",
        ms: selection.ms,
        lowerBound: { name: "git diff --name-only", ms: bareDiff.ms },
        extra: { selected: selected.length },
      });
      let affected = 0;
      const affectedSelection = await timeIt(async () => {
        affected = (await selectComponents("...[HEAD~1...HEAD]", context)).length;
      });
      measurements.push({
        name: "select ...[HEAD~1...HEAD]",
        ms: affectedSelection.ms,
        lowerBound: { name: "git diff --name-only", ms: bareDiff.ms },
        extra: { selected: affected },
      });
    } finally {
      await store.close();
    }

    // ---- graph build as the CLI runs by default (stored graph; content hash of the inputs) ----
    // the selection above committed a config change, which the stores do not see: the inputs are
    // those of the version written above, so the build finds it current
    settleHeap();
    const unchanged = await timeIt(() => inSession(settings, (s) => buildAndStoreGraph(s)));
    measurements.push({
      name: "graph build (inputs unchanged: current)",
      ms: unchanged.ms,
      lowerBound: readParse,
      extra: { current: String(unchanged.value.current) },
    });
    // one runtime changes (a redeploy): the inputs differ, the graph is built and stored
    const runtimeOf = (c: (typeof synthetic.components)[number]) => {
      const env = settings.environments.find((e) => e.name === c.env)!;
      return `${env.prefix}/${c.type}/${c.nickname}/runtime`;
    };
    const redeployed = synthetic.components[0]!;
    await inSession(settings, async (s) =>
      (await s.store(redeployed.env)).putParameters([
        {
          name: runtimeOf(redeployed),
          value: JSON.stringify({ ...redeployed.runtime, redeployed: 1 }),
          type: "String",
          overwrite: true,
        },
      ]),
    );
    settleHeap();
    const rebuiltCpu = process.cpuUsage();
    const rebuilt = await timeIt(() => inSession(settings, (s) => buildAndStoreGraph(s)));
    measurements.push({
      name: "graph build (one runtime changed)",
      ms: rebuilt.ms,
      lowerBound: readParse,
      extra: { current: String(rebuilt.value.current), cpu: Math.round(cpuMs(process.cpuUsage(rebuiltCpu))) },
    });
    // the CLI itself, in a process of its own: its wall time and its own peak memory
    await inSession(settings, async (s) =>
      (await s.store(redeployed.env)).putParameters([
        {
          name: runtimeOf(redeployed),
          value: JSON.stringify({ ...redeployed.runtime, redeployed: 2 }),
          type: "String",
          overwrite: true,
        },
      ]),
    );
    const cli = runCli(dir, ["graph", "build"]);
    measurements.push({
      name: "karma graph build (CLI process, one runtime changed)",
      ms: cli.ms,
      lowerBound: readParse,
      extra: { cliPeakRssMb: cli.peakRssMb },
    });
    return { suite: GRAPH_SUITE, size, measurements, peakRssMb: peakRssMb() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}
