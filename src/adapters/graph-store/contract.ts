/**
 * The GraphStore contract: one suite every implementation runs (SQLite and Gremlin).
 * Call it from the implementation's test file:
 *
 *   graphStoreContract("sqlite", async () => ({ store: openSqliteGraphStore(tmpFile), cleanup }));
 *
 * `skip` names tests an implementation cannot honour, each with the reason (shown in the output).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildGraph } from "../../core/graph/builder.js";
import { compareEdges, type Graph, type GraphEdge } from "../../core/graph/model.js";
import { type GraphStore, GraphVersionNotFoundError } from "../../ports/graph-store.js";

export interface ContractSubject {
  store: GraphStore;
  cleanup?: () => Promise<void> | void;
  /** Everything the store holds (rows, elements), every version: shows what pruning left behind. */
  storedElements: () => Promise<number>;
}

export interface ContractOpenOptions {
  /** Ready versions kept (the store's default when absent). */
  retainVersions?: number;
}

/** "a>b" = a depends on b (declared `depends_on`), all in env dev with type t. */
export function contractGraph(...pairs: string[]): Graph {
  const names = [...new Set(pairs.flatMap((p) => p.split(">")))];
  return buildGraph({
    source: { kind: "store" },
    components: names.map((name) => {
      const deps = pairs.filter((p) => p.split(">")[0] === name).map((p) => p.split(">")[1]!);
      return {
        env: "dev",
        type: "t",
        nickname: name,
        config: { depends_on: deps.map((d) => `t/${d}`) },
        configVersion: 1,
        references: deps.map((d, i) => ({
          form: "depends-on" as const,
          pointer: `/depends_on/${i}`,
          target: { env: "dev", type: "t", nickname: d },
          external: false,
        })),
      };
    }),
    runtimes: [],
  });
}

const id = (name: string) => `dev:t/${name}`;

export function graphStoreContract(
  name: string,
  open: (options?: ContractOpenOptions) => Promise<ContractSubject>,
  skip: Readonly<Record<string, string>> = {},
): void {
  describe(`GraphStore contract: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await open();
    });
    afterEach(async () => {
      await subject.store.close();
      await subject.cleanup?.();
    });
    const test = (title: string, fn: () => Promise<void>) =>
      skip[title] !== undefined ? it.skip(`${title} (skipped: ${skip[title]})`, fn) : it(title, fn);

    // estate: site → svc → {db, eks} → vpc; other → vpc
    const estate = () => contractGraph("site>svc", "svc>db", "svc>eks", "db>vpc", "eks>vpc", "other>vpc");

    test("reads fail clearly before any build", async () => {
      expect(await subject.store.latestVersion()).toBeUndefined();
      await expect(subject.store.readGraph()).rejects.toBeInstanceOf(GraphVersionNotFoundError);
    });

    test("round-trips a graph exactly", async () => {
      const graph = estate();
      const info = await subject.store.writeVersion(graph, { actor: "tester" });
      expect(info).toMatchObject({
        version: 1,
        nodeCount: 6,
        edgeCount: 6,
        findingCount: 0,
        actor: "tester",
      });
      const read = await subject.store.readGraph();
      expect(read).toEqual({ ...graph, version: 1 });
      expect(await subject.store.getNode(id("svc"))).toEqual(graph.nodes.find((n) => n.id === id("svc")));
      expect(await subject.store.getNode("dev:t/missing")).toBeUndefined();
      const edges = await subject.store.edgesOf(id("svc"));
      expect(edges.outgoing.map((e) => e.to)).toEqual([id("db"), id("eks")]);
      expect(edges.incoming.map((e) => e.from)).toEqual([id("site")]);
    });

    test("reads the edges of given kinds and the node ids without the whole version", async () => {
      const base = contractGraph("a>b", "b>c");
      // a pasted copy of c's value in a, as value inference records it
      const inferred: GraphEdge = {
        from: id("a"),
        to: id("c"),
        kind: "inferred",
        evidence: {
          form: "inferred",
          pointer: "/c_id",
          fingerprint: "sha256:0123456789ab",
          reason: "aws-id",
        },
        configVersion: 1,
      };
      const graph = { ...base, edges: [...base.edges, inferred].sort(compareEdges) };
      await subject.store.writeVersion(graph);
      await subject.store.writeVersion(contractGraph("a>b"));
      expect(await subject.store.readEdges({ version: 1 })).toEqual(graph.edges);
      expect(await subject.store.readEdges({ version: 1, kinds: ["inferred"] })).toEqual([inferred]);
      expect(await subject.store.readEdges({ version: 1, kinds: ["depends_on"] })).toEqual(
        graph.edges.filter((e) => e.kind === "depends_on"),
      );
      expect(await subject.store.readEdges({ version: 1, kinds: [] })).toEqual([]);
      expect(await subject.store.nodeIds({ version: 1 })).toEqual([id("a"), id("b"), id("c")]);
      // the latest version by default
      expect(await subject.store.readEdges({ kinds: ["inferred"] })).toEqual([]);
      expect(await subject.store.nodeIds()).toEqual([id("a"), id("b")]);
      await expect(subject.store.readEdges({ version: 9 })).rejects.toBeInstanceOf(GraphVersionNotFoundError);
      await expect(subject.store.nodeIds({ version: 9 })).rejects.toBeInstanceOf(GraphVersionNotFoundError);
    });

    test("numbers versions, lists them and reads any of them", async () => {
      await subject.store.writeVersion(contractGraph("a>b"));
      await subject.store.writeVersion(contractGraph("a>b", "b>c"));
      const versions = await subject.store.listVersions();
      expect(versions.map((v) => [v.version, v.nodeCount])).toEqual([
        [1, 2],
        [2, 3],
      ]);
      expect((await subject.store.latestVersion())?.version).toBe(2);
      expect((await subject.store.readGraph({ version: 1 })).nodes).toHaveLength(2);
      await expect(subject.store.readGraph({ version: 9 })).rejects.toBeInstanceOf(GraphVersionNotFoundError);
    });

    test("walks dependents and dependencies transitively with shortest paths", async () => {
      await subject.store.writeVersion(estate());
      const impact = await subject.store.dependents([id("vpc")]);
      expect(impact).toEqual([
        { id: id("db"), depth: 1, path: [id("vpc"), id("db")] },
        { id: id("eks"), depth: 1, path: [id("vpc"), id("eks")] },
        { id: id("other"), depth: 1, path: [id("vpc"), id("other")] },
        { id: id("svc"), depth: 2, path: [id("vpc"), id("db"), id("svc")] },
        { id: id("site"), depth: 3, path: [id("vpc"), id("db"), id("svc"), id("site")] },
      ]);
      const deps = await subject.store.dependencies([id("site")]);
      expect(deps.map((r) => [r.id, r.depth])).toEqual([
        [id("svc"), 1],
        [id("db"), 2],
        [id("eks"), 2],
        [id("vpc"), 3],
      ]);
    });

    test("bounds walks by depth", async () => {
      await subject.store.writeVersion(estate());
      expect((await subject.store.dependents([id("vpc")], { depth: 1 })).map((r) => r.id)).toEqual([
        id("db"),
        id("eks"),
        id("other"),
      ]);
      expect((await subject.store.dependencies([id("site")], { depth: 2 })).map((r) => r.id)).toEqual([
        id("svc"),
        id("db"),
        id("eks"),
      ]);
      expect(await subject.store.dependents([id("vpc")], { depth: 0 })).toEqual([]);
    });

    test("walks terminate on cycles", async () => {
      await subject.store.writeVersion(contractGraph("a>b", "b>c", "c>a", "d>a"));
      expect((await subject.store.dependents([id("a")])).map((r) => r.id)).toEqual([
        id("c"),
        id("d"),
        id("b"),
      ]);
      expect((await subject.store.dependents([id("a")], { depth: 5 })).map((r) => r.id)).toEqual([
        id("c"),
        id("d"),
        id("b"),
      ]);
    });

    test("finds the shortest dependency path", async () => {
      await subject.store.writeVersion(estate());
      expect(await subject.store.shortestPath(id("site"), id("vpc"))).toEqual([
        id("site"),
        id("svc"),
        id("db"),
        id("vpc"),
      ]);
      expect(await subject.store.shortestPath(id("vpc"), id("site"))).toBeUndefined();
    });

    test("computes deploy waves of the whole graph and of a subset", async () => {
      await subject.store.writeVersion(estate());
      expect(await subject.store.waves()).toEqual({
        waves: [[id("vpc")], [id("db"), id("eks"), id("other")], [id("svc")], [id("site")]],
        blocked: [],
      });
      // site depends on db through svc, which is not in the set: still ordered after it
      expect((await subject.store.waves([id("site"), id("db"), id("vpc")])).waves).toEqual([
        [id("vpc")],
        [id("db")],
        [id("site")],
      ]);
    });

    test("stores findings and cycles", async () => {
      await subject.store.writeVersion(contractGraph("a>b", "b>a", "c>c"));
      const cycles = await subject.store.cycles();
      expect(cycles.map((c) => c.path)).toEqual([
        [id("a"), id("b"), id("a")],
        [id("c"), id("c")],
      ]);
      expect(await subject.store.findings()).toEqual(cycles);
      expect((await subject.store.waves()).blocked).toEqual([id("a"), id("b"), id("c")]);
    });

    test("keeps the newest versions only and drops what only older ones held", async () => {
      // x1 and the cycle y>y live only in version 1, x2 only in version 2
      const graphs = [
        contractGraph("a>b", "x1>b", "y>y"),
        contractGraph("a>b", "x2>a"),
        contractGraph("a>b", "b>c"),
        contractGraph("a>b", "b>c", "c>d"),
      ];
      const pruned = await open({ retainVersions: 2 });
      const reference = await open({ retainVersions: 2 });
      try {
        for (const graph of graphs) await pruned.store.writeVersion(graph);
        expect((await pruned.store.listVersions()).map((v) => v.version)).toEqual([3, 4]);
        expect(await pruned.store.readGraph({ version: 3 })).toEqual({ ...graphs[2], version: 3 });
        expect(await pruned.store.readGraph({ version: 4 })).toEqual({ ...graphs[3], version: 4 });
        expect(await pruned.store.readGraph()).toEqual({ ...graphs[3], version: 4 });
        for (const version of [1, 2])
          await expect(pruned.store.readGraph({ version })).rejects.toBeInstanceOf(GraphVersionNotFoundError);
        // nothing of versions 1 and 2 is left: the store holds as much as one that only ever
        // saw versions 3 and 4
        for (const graph of graphs.slice(2)) await reference.store.writeVersion(graph);
        expect(await pruned.storedElements()).toBe(await reference.storedElements());
        // and building on after pruning still works incrementally
        await pruned.store.writeVersion(graphs[0]!);
        expect(await pruned.store.readGraph()).toEqual({ ...graphs[0], version: 5 });
        expect(await pruned.store.readGraph({ version: 4 })).toEqual({ ...graphs[3], version: 4 });
      } finally {
        for (const subject of [pruned, reference]) {
          await subject.store.close();
          await subject.cleanup?.();
        }
      }
    });

    test("diffs two versions", async () => {
      await subject.store.writeVersion(contractGraph("a>b", "b>c"));
      await subject.store.writeVersion(contractGraph("a>b", "a>d"));
      const diff = await subject.store.diff(1, 2);
      expect(diff.nodes.added.map((n) => n.id)).toEqual([id("d")]);
      expect(diff.nodes.removed.map((n) => n.id)).toEqual([id("c")]);
      expect(diff.edges.added.map((e) => `${e.from}>${e.to}`)).toEqual([`${id("a")}>${id("d")}`]);
      expect(diff.edges.removed.map((e) => `${e.from}>${e.to}`)).toEqual([`${id("b")}>${id("c")}`]);
      // a's config now lists two dependencies: its depends_on edges changed pointer-wise, not identity-wise
      expect(diff.edges.changed).toEqual([]);
    });
  });
}
