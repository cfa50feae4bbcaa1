/**
 * `karma graph …` as a user runs it: the built CLI on a real estate, published to the embedded
 * store with runtimes written through `karma param put`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { filesContaining, runKarma, tempDir } from "../../testing/cli.js";

const CANARY = "canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0";

function write(dir: string, file: string, value: unknown): void {
  mkdirSync(join(dir, file, ".."), { recursive: true });
  writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
}

describe("karma graph", () => {
  let dir: string;
  const karma = (...args: string[]) => runKarma(["-C", dir, ...args]);
  const json = (...args: string[]) => {
    const run = karma(...args, "--json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };

  beforeAll(() => {
    dir = tempDir("graph-e2e");
    write(dir, "karma.json", {
      name: "graph-e2e",
      prefix: "/iac",
      environments: ["dev"],
      types: { vpc: {}, db: {}, service: {}, site: {} },
      policies: {},
    });
    write(dir, "iac/dev/vpc/main/config.json", { cidr: "10.1.0.0/16" });
    write(dir, "iac/dev/db/main/config.json", { vpc_nickname: "main" });
    write(dir, "iac/dev/service/api/config.json", {
      vpc_id: { $ref: "vpc/main#/vpc_id" },
      missing: { $ref: "vpc/main#/nope" },
      db_host: "db-main.abcdefghij.eu-west-1.rds.amazonaws.com",
    });
    write(dir, "iac/dev/site/www/config.json", { depends_on: ["service/api"] });
    const publish = runKarma(["-C", dir, "publish"]);
    expect(publish.code, publish.stderr).toBe(0);
    const put = (name: string, value: unknown, type = "String") => {
      const run = karma("param", "put", name, JSON.stringify(value), "--type", type);
      expect(run.code, run.stderr).toBe(0);
    };
    put("/iac/vpc/main/runtime", { vpc_id: "vpc-0abc1234def567890" });
    put("/iac/db/main/runtime", {
      endpoint: "db-main.abcdefghij.eu-west-1.rds.amazonaws.com",
      password: CANARY,
    });
    put("/iac/vpc/old/runtime", { vpc_id: "vpc-0fff1234def567890" });
    put("/external/vault/main/runtime", { token: CANARY }, "SecureString");
  });

  it("says that Gremlin queries need the gremlin store when the graph is in SQLite", () => {
    const run = karma("graph", "query", "--gremlin", "g.V().hasLabel('component').count()");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Gremlin queries need the gremlin graph store; this estate's graph is in sqlite /,
    );
    expect(run.stderr).toMatch(/"graph": \{"kind": "gremlin"/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("builds a version from the store with declared, key-level and inferred edges and findings", () => {
    const built = json("graph", "build");
    expect(built.graphVersion).toMatchObject({ version: 1, nodeCount: 6 });
    expect(built.edgeKinds).toEqual({ depends_on: 4, consumes: 3, inferred: 1 });
    expect(built.findingKinds).toEqual({ "dangling-key": 1, orphan: 1 });
    const human = karma("graph", "findings");
    expect(human.stdout).toContain("reads runtime key /nope of dev:vpc/main");
    expect(human.stdout).toContain("dev:vpc/old is deployed (runtime published) but has no config");
    expect(karma("graph", "findings", "--check").code).toBe(2);
  });

  it("shows a node with its evidence, deps, impact and paths", () => {
    const show = json("graph", "show", "service/api") as { dependencies: { kind: string; to: string }[] };
    expect(show.dependencies.map((e) => `${e.kind} ${e.to}`)).toEqual([
      "consumes dev:db/main",
      "inferred dev:db/main",
      "consumes dev:vpc/main",
      "consumes dev:vpc/main",
      "depends_on dev:vpc/main",
      "depends_on dev:vpc/main",
    ]);
    const impact = json("graph", "impact", "vpc/main") as {
      byEnvironment: Record<string, { id: string; path: string[] }[]>;
    };
    expect(impact.byEnvironment.dev!.map((r) => r.id)).toEqual([
      "dev:db/main",
      "dev:service/api",
      "dev:site/www",
    ]);
    expect(impact.byEnvironment.dev![2]!.path).toEqual(["dev:vpc/main", "dev:service/api", "dev:site/www"]);
    expect(
      (json("graph", "deps", "site/www", "--depth", "1") as { dependencies: unknown[] }).dependencies,
    ).toHaveLength(1);
    expect(karma("graph", "path", "site/www", "vpc/main").stdout).toBe(
      "dev:site/www → dev:service/api → dev:vpc/main\n",
    );
    expect(karma("graph", "cycles").stdout).toBe("no cycles\n");
    expect(karma("graph", "cycles", "--check").code).toBe(0);
  });

  it("exports DOT that Graphviz renders and well-formed GraphML, and a selection", () => {
    const dot = karma("graph", "export", "--format", "dot");
    expect(spawnSync("/usr/bin/dot", ["-Tsvg"], { input: dot.stdout }).status).toBe(0);
    expect(XMLValidator.validate(karma("graph", "export", "--format", "graphml").stdout)).toBe(true);
    const selected = JSON.parse(karma("graph", "export", "...dev:vpc/main & !type=site").stdout) as {
      nodes: { id: string }[];
    };
    expect(selected.nodes.map((n) => n.id)).toEqual(["dev:db/main", "dev:service/api", "dev:vpc/main"]);
    const bad = karma("graph", "export", "type=vpc &");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("column 11");
  });

  it("rebuilds only when the inputs' content changed; what-if graphs are stored apart", () => {
    // same inputs: the latest version is current, nothing is rebuilt
    expect(json("graph", "build")).toMatchObject({ current: true, graphVersion: { version: 1 } });

    write(dir, "iac/dev/site/www/config.json", { depends_on: ["service/api", "db/main"] });
    const whatIf = json("graph", "build", "--from-git");
    expect(whatIf).toMatchObject({ current: false, whatIf: true });
    expect(whatIf.graphVersion).toMatchObject({ version: 1, source: { kind: "working-tree" } });
    // rewriting a file with the same content (a new timestamp) leaves the what-if graph current
    write(dir, "iac/dev/site/www/config.json", { depends_on: ["service/api", "db/main"] });
    expect(json("graph", "build", "--from-git")).toMatchObject({
      current: true,
      graphVersion: { version: 1 },
    });

    // the what-if never becomes the estate's latest graph
    const versions = json("graph", "versions") as { versions: { version: number }[] };
    expect(versions.versions.map((v) => v.version)).toEqual([1]);
    const deps = (...extra: string[]) =>
      (
        json("graph", "deps", "site/www", "--depth", "1", ...extra) as { dependencies: { id: string }[] }
      ).dependencies.map((d) => d.id);
    expect(deps()).toEqual(["dev:service/api"]);
    expect(deps("--what-if")).toEqual(["dev:db/main", "dev:service/api"]);

    // a changed runtime value is a changed input: the next build is a new version
    const run = karma(
      "param",
      "put",
      "/iac/vpc/main/runtime",
      JSON.stringify({ vpc_id: "vpc-0abc1234def567891" }),
      "--overwrite",
    );
    expect(run.code, run.stderr).toBe(0);
    expect(json("graph", "build")).toMatchObject({ current: false, graphVersion: { version: 2 } });
    const diff = json("graph", "diff", "1", "2") as {
      diff: { nodes: { changed: { after: { id: string } }[] } };
    };
    expect(diff.diff.nodes.changed.map((c) => c.after.id)).toEqual(["dev:vpc/main"]);
    const outputs = ["json", "dot", "mermaid", "graphml"].map(
      (f) => karma("graph", "export", "--format", f).stdout,
    );
    for (const out of outputs) expect(out).not.toContain(CANARY);
    expect(filesContaining(dir, CANARY, (p) => p.includes(".karma"))).toEqual([]);
    expect(readFileSync(join(dir, "iac/dev/site/www/config.json"), "utf8")).toContain("db/main");
  });

  it("graph cycles --check exits 2 when the graph has a cycle", () => {
    write(dir, "iac/dev/vpc/main/config.json", { cidr: "10.1.0.0/16", depends_on: ["site/www"] });
    expect(karma("graph", "build", "--from-git").code).toBe(0);
    expect(karma("graph", "cycles", "--check").code).toBe(0); // the estate's graph has none
    const check = karma("graph", "cycles", "--check", "--what-if");
    expect(check.code).toBe(2);
    expect(check.stdout).toContain("dev:vpc/main → dev:site/www → ");
  });
});
