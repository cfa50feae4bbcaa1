/**
 * Graph store benchmark, SQLite beside Gremlin (a local TinkerPop Gremlin Server): the same
 * synthetic estate's graph (see synthetic-estate.ts, built from its published configs and
 * runtimes), the same operations, in the same run:
 *   - full build: `writeVersion` of the whole graph into an empty store;
 *   - one-component incremental update: the next version after one component's config changed
 *     (its node and outgoing edges carry a new config version);
 *   - impact of the most shared root (`dependents`, unbounded; best of 5).
 * Each Gremlin figure is printed with the SQLite one as its lower bound. Both stores do the whole
 * run once unmeasured first (warm code on both sides). The server is $KARMA_GREMLIN_ENDPOINT, or
 * one started here (`npm run gremlin:install` first).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GremlinConnection } from "../adapters/graph-store/gremlin/connection.js";
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

/** The graph after one component's config changed (the synthetic leaf: a site). */
function oneComponentChanged(graph: Graph, id: string): Graph {
  const next = structuredClone(graph);
  for (const node of next.nodes) if (node.id === id) node.configVersion = (node.configVersion ?? 1) + 1;
  for (const edge of next.edges) if (edge.from === id) edge.configVersion = (edge.configVersion ?? 1) + 1;
  return next;
}

/** Removes a bench namespace's elements from the server. */
async function dropNamespace(endpoint: string, namespace: string): Promise<void> {
  const connection = new GremlinConnection({ endpoint, timeoutMs: 600_000 });
  try {
    const g = await connection.g();
    await connection.toList(g.E().has("ns", namespace).drop());
    await connection.toList(g.V().has("ns", namespace).drop());
  } finally {
    await connection.close();
  }
}

interface StoreFigures {
  build: number;
  incremental: number;
  impact: number;
  dependents: number;
}

/** Collects the garbage of what ran before (the full build's), so it is not charged to the next figure. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function measure(store: GraphStore, graph: Graph, changed: Graph, root: string): Promise<StoreFigures> {
  collectGarbage();
  const build = (await timeIt(() => store.writeVersion(graph))).ms;
  collectGarbage();
  const incremental = (await timeIt(() => store.writeVersion(changed))).ms;
  collectGarbage();
  let dependents = 0;
  const impact = await bestOf(5, async () => {
    dependents = (await store.dependents([root])).length;
  });
  return { build, incremental, impact, dependents };
}

export async function benchGremlinCase(size: number): Promise<CaseResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `karma-bench-gremlin-${size}-`));
  const server = process.env.KARMA_GREMLIN_ENDPOINT ? undefined : await startGremlinServer();
  const endpoint = process.env.KARMA_GREMLIN_ENDPOINT ?? server!.endpoint;
  try {
    const { synthetic, settings } = await setUpDeployedEstate(path.join(dir, "estate"), size);
    const graph = buildGraph((await inSession(settings, (s) => collectGraphInput(s))).input);
    const changed = oneComponentChanged(graph, synthetic.leaf);

    const run = (store: GraphStore) => measure(store, graph, changed, synthetic.sharedRoot);
    // each store does the whole run once unmeasured (its own file, namespace), so the figures are
    // of warm code: a JVM's first build runs mostly interpreted and takes ~3× as long, which says
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
        return { figures: await run(store), mutations: store.lastWrite?.mutations ?? 0 };
      } finally {
        await store.close();
        // the run's elements go (an external server is shared)
        await dropNamespace(endpoint, namespace);
      }
    };
    await gremlinRun(`bench-warm-up-${size}-${process.pid}`);
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
        extra: { nodes: graph.nodes.length, edges: graph.edges.length, findings: graph.findings.length },
      },
      {
        name: "gremlin one-component update",
        ms: gremlin.incremental,
        lowerBound: vs(sqlite.incremental),
        extra: { mutations: incrementalMutations },
      },
      {
        name: "gremlin impact shared root",
        ms: gremlin.impact,
        lowerBound: vs(sqlite.impact),
        extra: { dependents: gremlin.dependents },
      },
    ];
    return { suite: GREMLIN_SUITE, size, measurements, peakRssMb: peakRssMb() };
  } finally {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
