/**
 * Graph store benchmark, SQLite beside Gremlin (a local TinkerPop Gremlin Server): the same
 * synthetic estate's graph (see synthetic-estate.ts, built from its published configs and
 * runtimes), the same operations, in the same run:
 *   - full build: `writeVersion` of the whole graph into an empty store;
 *   - one-component incremental update: the next version after one component's config changed
 *     (its node and outgoing edges carry a new config version);
 *   - impact of the most shared root (`dependents`, unbounded; best of 5).
 * Each Gremlin figure is printed with the SQLite one as its lower bound. Both stores do the whole
 * run unmeasured first (warm code on both sides: SQLite once, Gremlin {@link GREMLIN_WARM_UP_RUNS} times). The server is $KARMA_GREMLIN_ENDPOINT, or
 * one started here (`npm run gremlin:install` first); for a server started here each Gremlin figure
 * also records the CPU both processes spent on it (clientCpuMs, serverCpuMs): on a shared machine
 * the wall time is mostly the wait for a core, the CPU time is the work.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GremlinConnection } from "../adapters/graph-store/gremlin/connection.js";
import { dropNamespace } from "../adapters/graph-store/gremlin/drop-namespace.js";
import { GremlinGraphStore } from "../adapters/graph-store/gremlin/gremlin-graph-store.js";
import { startGremlinServer } from "../adapters/graph-store/gremlin/local-server.js";
import { openSqliteGraphStore } from "../adapters/graph-store/sqlite/sqlite-graph-store.js";
import { buildGraph } from "../core/graph/builder.js";
import type { Graph } from "../core/graph/model.js";
import { collectGraphInput } from "../operations/graph.js";
import type { GraphStore } from "../ports/graph-store.js";
import { inSession, setUpDeployedEstate } from "./deployed-estate.js";
import { bestOf, type CaseResult, type Measurement, peakRssMb, timeIt } from "./harness.js";

export const GREMLIN_SUITE = "graph-store";

/**
 * Unmeasured runs before the measured one on a fresh Gremlin Server: its JIT takes several builds
 * to settle (server CPU of consecutive 10k builds on a fresh JVM, one scratch run: 9.5, 4.5, 4.3, then 2.8 s), and a
 * long-running server or Neptune is past that. Node's JIT settles within one run.
 */
const GREMLIN_WARM_UP_RUNS = 3;

/** The graph after one component's config changed (the synthetic leaf: a site). */
function oneComponentChanged(graph: Graph, id: string): Graph {
  const next = structuredClone(graph);
  for (const node of next.nodes) if (node.id === id) node.configVersion = (node.configVersion ?? 1) + 1;
  for (const edge of next.edges) if (edge.from === id) edge.configVersion = (edge.configVersion ?? 1) + 1;
  return next;
}

/** CPU milliseconds spent by this process and (when known) by the server, for one figure. */
interface Cpu {
  client: number;
  server?: number;
}

interface StoreFigures {
  build: number;
  incremental: number;
  impact: number;
  dependents: number;
  cpu: { build: Cpu; incremental: Cpu; impact: Cpu };
}

/**
 * CPU time of a process from /proc (user + system, in clock ticks of 10 ms), or undefined off
 * Linux. Wall time on a shared machine mostly measures the queue for the cores; CPU time is what
 * the work itself costs, on both sides of the WebSocket.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

async function withCpu<T>(
  serverPid: number | undefined,
  fn: () => Promise<T>,
): Promise<{ value: T; cpu: Cpu }> {
  const client = process.cpuUsage();
  const server = processCpuMs(serverPid);
  const value = await fn();
  const used = process.cpuUsage(client);
  const cpu: Cpu = { client: Math.round((used.user + used.system) / 1000) };
  const after = processCpuMs(serverPid);
  if (server !== undefined && after !== undefined) cpu.server = after - server;
  return { value, cpu };
}

/** Collects the garbage of what ran before (the full build's), so it is not charged to the next figure. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function measure(
  store: GraphStore,
  graph: Graph,
  changed: Graph,
  root: string,
  serverPid?: number,
): Promise<StoreFigures> {
  collectGarbage();
  const build = await withCpu(serverPid, () => timeIt(() => store.writeVersion(graph)));
  collectGarbage();
  const incremental = await withCpu(serverPid, () => timeIt(() => store.writeVersion(changed)));
  collectGarbage();
  let dependents = 0;
  const runs = 5;
  const impact = await withCpu(serverPid, () =>
    bestOf(runs, async () => {
      dependents = (await store.dependents([root])).length;
    }),
  );
  const perRun = (cpu: Cpu): Cpu => ({
    client: Math.round(cpu.client / runs),
    ...(cpu.server === undefined ? {} : { server: Math.round(cpu.server / runs) }),
  });
  return {
    build: build.value.ms,
    incremental: incremental.value.ms,
    impact: impact.value,
    dependents,
    cpu: { build: build.cpu, incremental: incremental.cpu, impact: perRun(impact.cpu) },
  };
}

/** Extra fields for a measurement: the Gremlin side's CPU (client; server when started here). */
function cpuExtra(cpu: Cpu): Record<string, number> {
  return { clientCpuMs: cpu.client, ...(cpu.server === undefined ? {} : { serverCpuMs: cpu.server }) };
}

export async function benchGremlinCase(size: number): Promise<CaseResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `karma-bench-gremlin-${size}-`));
  const server = process.env.KARMA_GREMLIN_ENDPOINT ? undefined : await startGremlinServer();
  const endpoint = process.env.KARMA_GREMLIN_ENDPOINT ?? server!.endpoint;
  try {
    const { synthetic, settings } = await setUpDeployedEstate(path.join(dir, "estate"), size);
    const graph = buildGraph((await inSession(settings, (s) => collectGraphInput(s))).input);
    const changed = oneComponentChanged(graph, synthetic.leaf);

    const run = (store: GraphStore, serverPid?: number) =>
      measure(store, graph, changed, synthetic.sharedRoot, serverPid);
    // each store does the whole run unmeasured first (its own file, namespaces), so the figures are
    // of warm code: a JVM's first builds run mostly interpreted and take 2-3× as long, which says
    // nothing about a long-running server or Neptune
    const sqliteRun = async (file: string) => {
      const store = openSqliteGraphStore(path.join(dir, file));
      return run(store).finally(() => store.close());
    };
    await sqliteRun("warm-up.db");
    const sqlite = await sqliteRun("graph.db");
    const gremlinRun = async (namespace: string) => {
      const store = new GremlinGraphStore(new GremlinConnection({ endpoint, timeoutMs: 600_000 }), {
        namespace,
      });
      try {
        return { figures: await run(store, server?.pid), mutations: store.lastWrite?.mutations ?? 0 };
      } finally {
        await store.close();
        // the run's elements go (an external server is shared)
        await dropNamespace(endpoint, namespace, 600_000);
      }
    };
    for (let i = 0; i < GREMLIN_WARM_UP_RUNS; i++)
      await gremlinRun(`bench-warm-up-${i}-${size}-${process.pid}`);
    const { figures: gremlin, mutations: incrementalMutations } = await gremlinRun(
      `bench-${size}-${process.pid}`,
    );
    if (gremlin.dependents !== sqlite.dependents)
      throw new Error(`impact differs: sqlite ${sqlite.dependents}, gremlin ${gremlin.dependents}`);
    const vs = (ms: number) => ({ name: "sqlite", ms });
    const measurements: Measurement[] = [
      {
        name: "gremlin full build (write)",
        ms: gremlin.build,
        lowerBound: vs(sqlite.build),
        extra: {
          nodes: graph.nodes.length,
          edges: graph.edges.length,
          findings: graph.findings.length,
          ...cpuExtra(gremlin.cpu.build),
        },
      },
      {
        name: "gremlin one-component update",
        ms: gremlin.incremental,
        lowerBound: vs(sqlite.incremental),
        extra: { mutations: incrementalMutations, ...cpuExtra(gremlin.cpu.incremental) },
      },
      {
        name: "gremlin impact shared root",
        ms: gremlin.impact,
        lowerBound: vs(sqlite.impact),
        extra: { dependents: gremlin.dependents, ...cpuExtra(gremlin.cpu.impact) },
      },
    ];
    return { suite: GREMLIN_SUITE, size, measurements, peakRssMb: peakRssMb() };
  } finally {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
