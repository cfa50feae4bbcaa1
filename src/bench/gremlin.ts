/**
 * Graph store benchmark, SQLite beside Gremlin (a local TinkerPop Gremlin Server): the same
 * synthetic estate's graph (see synthetic-estate.ts, built from its published configs and
 * runtimes), the same operations, in the same run:
 *   - full build: `writeVersion` of the whole graph into an empty store;
 *   - one-component incremental update: the next version after one component's config changed
 *     (its node and outgoing edges carry a new config version);
 *   - impact of the most shared root (`dependents`, unbounded; best of 5).
 * Each Gremlin figure is printed with the SQLite one as its lower bound. The server is
 * $KARMA_GREMLIN_ENDPOINT, or one started here (`npm run gremlin:install` first).
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

    const sqliteStore = openSqliteGraphStore(path.join(dir, "graph.db"));
    const sqlite = await measure(sqliteStore, graph, changed, synthetic.sharedRoot).finally(() =>
      sqliteStore.close(),
    );
    const gremlinStore = new GremlinGraphStore(new GremlinConnection({ endpoint, timeoutMs: 600_000 }), {
      namespace: `bench-${size}-${process.pid}`,
    });
    let gremlin: StoreFigures;
    let incrementalMutations = 0;
    try {
      gremlin = await measure(gremlinStore, graph, changed, synthetic.sharedRoot);
      incrementalMutations = gremlinStore.lastWrite?.mutations ?? 0;
      if (gremlin.dependents !== sqlite.dependents)
        throw new Error(`impact differs: sqlite ${sqlite.dependents}, gremlin ${gremlin.dependents}`);
    } finally {
      await gremlinStore.close();
    }
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
