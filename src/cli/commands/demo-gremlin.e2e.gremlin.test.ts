/**
 * Team mode as a user runs it: `karma demo --graph gremlin` against a real Gremlin Server prints
 * what the SQLite demo prints, and the graph and audit log are then queried from the server.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  describeWithGremlin,
  dropNamespace,
  gremlinEndpoint,
} from "../../adapters/graph-store/gremlin/testing/subject.js";
import { runKarma, tempDir } from "../../testing/cli.js";

describeWithGremlin("karma demo --graph gremlin", () => {
  const sqliteDir = join(tempDir("demo-sqlite"), "demo");
  const gremlinDir = join(tempDir("demo-gremlin"), "demo");
  let namespace = "";
  let sqliteRun: ReturnType<typeof runKarma>;
  let gremlinRun: ReturnType<typeof runKarma>;
  const karma = (...args: string[]) => runKarma(["-C", gremlinDir, ...args]);

  beforeAll(() => {
    sqliteRun = runKarma(["demo", "--no-deploy", "-C", sqliteDir]);
    gremlinRun = runKarma([
      "demo",
      "--no-deploy",
      "-C",
      gremlinDir,
      "--graph",
      "gremlin",
      "--gremlin-endpoint",
      gremlinEndpoint(),
    ]);
    const settings = JSON.parse(readFileSync(join(gremlinDir, "karma.json"), "utf8")) as {
      graph: { namespace: string };
    };
    namespace = settings.graph.namespace;
  });
  afterAll(() => dropNamespace(gremlinEndpoint(), namespace));

  it("prints the same as the SQLite demo", () => {
    expect(sqliteRun.code, sqliteRun.stderr).toBe(0);
    expect(gremlinRun.code, gremlinRun.stderr).toBe(0);
    // the only differences allowed: where the estate is and when the graph was built
    const normal = (text: string, dir: string) =>
      text.replaceAll(dir, "DIR").replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "TIME");
    expect(normal(gremlinRun.stdout, gremlinDir)).toBe(normal(sqliteRun.stdout, sqliteDir));
    expect(JSON.parse(readFileSync(join(gremlinDir, "karma.json"), "utf8"))).toMatchObject({
      graph: { kind: "gremlin", endpoint: gremlinEndpoint() },
      audit: { kind: "gremlin" },
    });
  });

  it("answers Gremlin queries from the server: read-only, as a table or JSON", () => {
    const all = karma("graph", "query", "--gremlin", "g.V().hasLabel('component').count()", "--json");
    expect(all.code, all.stderr).toBe(0);
    const nodes = JSON.parse(karma("graph", "export", "--format", "json").stdout) as {
      nodes: { kind: string }[];
    };
    const components = nodes.nodes.filter((n) => n.kind !== "external").length;
    // the server is shared with other tests: at least this estate's components
    expect((JSON.parse(all.stdout) as { results: number[] }).results[0]).toBeGreaterThanOrEqual(components);

    const mine = karma(
      "graph",
      "query",
      "--gremlin",
      `g.V().hasLabel('component').has('ns', '${namespace}').count()`,
    );
    expect(mine.stdout).toBe(`value\n${components}\n`);

    const table = karma(
      "graph",
      "query",
      "--gremlin",
      `g.V('${namespace}|n|dev:service/api').inE('depends_on').has('until', 2147483647).outV().project('id', 'label').by('nodeId').by(T.label).order().by('id')`,
    );
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^id\s+label$/);

    const write = karma("graph", "query", "--gremlin", "g.V().limit(1).property('x', 1)");
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/would change the graph \(property\(\)\); queries are read-only/);
    expect(write.stderr).not.toMatch(/\n\s+at /);
    // a nested mutating step is refused too
    const nested = karma(
      "graph",
      "query",
      "--gremlin",
      `g.V('${namespace}|n|dev:service/api').sideEffect(__.drop())`,
    );
    expect(nested.code).toBe(1);
    expect(nested.stderr).toMatch(/would change the graph \(drop\(\)\)/);

    // --allow-writes lets it through, and the change is on the server
    const allowed = karma(
      "graph",
      "query",
      "--allow-writes",
      "--json",
      "--gremlin",
      `g.V('${namespace}|n|dev:service/api').property(Cardinality.single, 'note', 'reviewed').values('note')`,
    );
    expect(allowed.code, allowed.stderr).toBe(0);
    expect((JSON.parse(allowed.stdout) as { results: string[] }).results).toEqual(["reviewed"]);
    const read = karma("graph", "query", "--gremlin", `g.V('${namespace}|n|dev:service/api').values('note')`);
    expect(read.stdout).toBe("value\nreviewed\n");
  });

  it("keeps the audit log in the server too", () => {
    const log = karma("log", "list", "--json");
    expect(log.code, log.stderr).toBe(0);
    const entries = JSON.parse(log.stdout) as { entries?: { action: string }[] } | { action: string }[];
    const list = Array.isArray(entries) ? entries : (entries.entries ?? []);
    expect(list.map((e) => e.action)).toEqual(expect.arrayContaining(["publish", "graph_build"]));
  });
});
