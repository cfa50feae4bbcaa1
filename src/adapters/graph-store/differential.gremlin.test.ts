/**
 * Differential test: the same graph versions written to SQLite and to a real Gremlin Server,
 * then every question the GraphStore port answers asked of both, for every node and version.
 * The versions are the demo estate's working-tree graph, the same estate after a one-component
 * edit, a removal and a new dependency, and a small graph with cycles.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildGraph } from "../../core/graph/builder.js";
import type { Graph } from "../../core/graph/model.js";
import { collectGraphInput } from "../../operations/graph.js";
import type { GraphStore, GraphVersionInfo } from "../../ports/graph-store.js";
import { writeDemoEstateAt } from "../fs/demo-estate.js";
import { openSession } from "../session/open-session.js";
import { contractGraph } from "./contract.js";
import { describeWithGremlin, openTestGraphStore } from "./gremlin/testing/subject.js";
import { openSqliteGraphStore } from "./sqlite/sqlite-graph-store.js";

async function demoGraphs(dir: string): Promise<Graph[]> {
  await writeDemoEstateAt(dir);
  const build = async () => {
    const session = openSession({ root: dir, source: "cli" });
    try {
      return buildGraph((await collectGraphInput(session, { fromWorkingTree: true })).input);
    } finally {
      await session.close();
    }
  };
  const graphs = [await build()];
  const edit = (file: string, change: (config: Record<string, unknown>) => void) => {
    const full = path.join(dir, file);
    const config = JSON.parse(fs.readFileSync(full, "utf8")) as Record<string, unknown>;
    change(config);
    fs.writeFileSync(full, JSON.stringify(config, null, 2));
  };
  const services = fs.readdirSync(path.join(dir, "iac/dev/service"));
  edit(`iac/dev/service/${services[0]}/config.json`, (c) => {
    c.replicas = 7;
  });
  graphs.push(await build());
  const sites = fs.readdirSync(path.join(dir, "iac/dev/site"));
  fs.rmSync(path.join(dir, "iac/dev/site", sites[0]!), { recursive: true });
  edit(`iac/dev/service/${services[0]}/config.json`, (c) => {
    c.depends_on = [`monitoring/${fs.readdirSync(path.join(dir, "iac/dev/monitoring"))[0]}`];
  });
  graphs.push(await build());
  return graphs;
}

const withoutTime = (v: GraphVersionInfo | undefined) => (v === undefined ? v : { ...v, createdAt: "" });

describeWithGremlin("SQLite and Gremlin answer every query the same", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-differential-"));
  let sqlite: GraphStore;
  let gremlin: GraphStore;
  let cleanup: () => Promise<void>;
  let graphs: Graph[];

  beforeAll(async () => {
    graphs = [
      ...(await demoGraphs(path.join(dir, "estate"))),
      contractGraph("a>b", "b>c", "c>a", "d>a", "e>e"),
    ];
    sqlite = openSqliteGraphStore(path.join(dir, "karma.db"));
    ({ store: gremlin, cleanup } = openTestGraphStore());
    for (const graph of graphs) {
      const [s, g] = [
        await sqlite.writeVersion(graph, { actor: "diff" }),
        await gremlin.writeVersion(graph, { actor: "diff" }),
      ];
      expect(withoutTime(g)).toEqual(withoutTime(s));
    }
  });
  afterAll(async () => {
    await sqlite?.close();
    await gremlin?.close();
    await cleanup?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Asks both stores and compares. */
  async function same<T>(ask: (store: GraphStore) => Promise<T>): Promise<T> {
    const [expected, actual] = await Promise.all([ask(sqlite), ask(gremlin)]);
    expect(actual).toEqual(expected);
    return expected;
  }

  it("the estates are not trivial (edge kinds, findings, changes between versions)", () => {
    const kinds = new Set(graphs.flatMap((g) => g.edges.map((e) => e.kind)));
    expect([...kinds].sort()).toEqual(["consumes", "depends_on"]);
    expect(graphs[0]!.nodes.length).toBeGreaterThan(10);
    expect(graphs.some((g) => g.findings.length > 0)).toBe(true);
  });

  it("versions, latest, whole graphs and diffs", async () => {
    expect((await gremlin.listVersions()).map(withoutTime)).toEqual(
      (await sqlite.listVersions()).map(withoutTime),
    );
    expect(withoutTime(await gremlin.latestVersion())).toEqual(withoutTime(await sqlite.latestVersion()));
    for (let v = 1; v <= graphs.length; v++) await same((s) => s.readGraph({ version: v }));
    await same((s) => s.readGraph());
    for (let v = 1; v < graphs.length; v++) await same((s) => s.diff(v, v + 1));
    await same((s) => s.diff(3, 1));
  });

  it("nodes, edges with evidence, walks, paths and waves of every node of every version", async () => {
    for (let v = 1; v <= graphs.length; v++) {
      const ids = graphs[v - 1]!.nodes.map((n) => n.id);
      for (const id of [...ids, "dev:nothing/here"]) {
        await same((s) => s.getNode(id, { version: v }));
        await same((s) => s.edgesOf(id, { version: v }));
        await same((s) => s.dependencies([id], { version: v }));
        await same((s) => s.dependents([id], { version: v }));
        await same((s) => s.dependents([id], { version: v, depth: 1 }));
        await same((s) => s.dependencies([id], { version: v, depth: 2 }));
      }
      await same((s) => s.dependents(ids.slice(0, 3), { version: v }));
      for (const from of ids.slice(0, 6))
        for (const to of ids) await same((s) => s.shortestPath(from, to, { version: v }));
      await same((s) => s.waves(undefined, { version: v }));
      await same((s) =>
        s.waves(
          ids.filter((_, i) => i % 2 === 0),
          { version: v },
        ),
      );
      await same((s) => s.findings({ version: v }));
      await same((s) => s.cycles({ version: v }));
    }
  });
});
