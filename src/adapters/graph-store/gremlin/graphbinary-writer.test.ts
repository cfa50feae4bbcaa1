import gremlin from "gremlin";
import { describe, expect, it } from "vitest";
import { driverRequestWriter, GraphBinaryRequestWriter, type GremlinRequest } from "./graphbinary-writer.js";
import { batchTraversal, type Write } from "./write-batches.js";

const { P, t, cardinality, direction, merge, order, scope } = gremlin.process;
const __ = gremlin.process.statics;
const g = gremlin.process.AnonymousTraversalSource.traversal().withGraph(new gremlin.structure.Graph());

const request = (
  traversal: gremlin.process.Traversal,
  extra: Record<string, unknown> = {},
): GremlinRequest => ({
  requestId: "0f8e3a52-9c1d-4b7e-a0d3-6e2f5b8c9d10",
  op: "bytecode",
  processor: "traversal",
  args: { gremlin: traversal.getBytecode(), aliases: { g: "g" }, ...extra },
});

const writes: Write[] = [
  {
    kind: "node",
    identity: {
      id: "ns|n|dev:a/é",
      label: "component",
      onCreate: new Map<unknown, unknown>([
        ["ns", "ns"],
        ["nodeId", "dev:a/é"],
      ]),
    },
    stateId: "ns|s|dev:a/é|3",
    nodeId: "dev:a/é",
    data: '{"id":"dev:a/é","emoji":"🦆"}',
    chars: 30,
  },
  {
    kind: "edge",
    id: "ns|e|3|0",
    label: "depends_on",
    from: "ns|n|dev:a/é",
    to: "ns|n|dev:b",
    key: "dev:a/é\u0000dev:b\u0000depends_on\u0000/x\u0000",
    data: "{}",
    chars: 2,
  },
  { kind: "closeVertex", id: "ns|s|dev:b|1" },
  { kind: "closeEdge", source: "ns|n|dev:b", id: "ns|e|1|4" },
];

describe("GraphBinary request writer", () => {
  const cases: [string, () => GremlinRequest][] = [
    [
      "a build batch (row maps with enum keys, nested traversals, constants)",
      () =>
        request(
          batchTraversal(
            g,
            [
              { kind: "node", writes: [writes[0]!, writes[0]!] },
              { kind: "edge", writes: [writes[1]!] },
            ],
            {
              namespace: "ns",
              version: 3,
              open: 2_147_483_647,
              edgeLabels: ["depends_on", "consumes"],
              stateLabel: "nodeState",
              hasStateLabel: "hasState",
            },
          ),
        ),
    ],
    [
      "closes (predicates with lists, cardinality)",
      () =>
        request(
          batchTraversal(
            g,
            [
              { kind: "closeVertex", writes: [writes[2]!] },
              { kind: "closeEdge", writes: [writes[3]!] },
            ],
            {
              namespace: "ns",
              version: 3,
              open: 2_147_483_647,
              edgeLabels: ["depends_on"],
              stateLabel: "nodeState",
              hasStateLabel: "hasState",
            },
          ),
        ),
    ],
    [
      "reads (ranges, order, scope, longs, doubles, booleans, null, dates)",
      () =>
        request(
          g
            .V("a", "b")
            .has("since", P.lte(5))
            .has("until", P.gt(4_000_000_000))
            .has("w", P.between(0.5, 1.5))
            .has("flag", true)
            .has("name", P.within(["x", "y"]))
            .repeat(__.outE("depends_on").aggregate(scope.local, "links").inV().dedup())
            .cap("links")
            .unfold()
            .order()
            .by("key", order.asc)
            .constant(new Date(0))
            .coalesce(__.constant(null), __.constant(-7))
            .mergeV(new Map<unknown, unknown>([[t.id, "h"]]))
            .option(merge.onCreate, { plain: "object", n: 1 })
            .property(cardinality.single, "x", 1.25)
            .inject([direction.out, direction.in]),
          { evaluationTimeout: 30_000, batchSize: 64 },
        ),
    ],
  ];

  for (const [name, make] of cases)
    it(`writes ${name} byte for byte as the driver does`, () => {
      const writer = new GraphBinaryRequestWriter();
      const expected = Buffer.from(driverRequestWriter.writeRequest(make()));
      expect(writer.writeRequest(make()).equals(expected)).toBe(true);
      // twice: the reused working buffer and the cached constants must not leak into the next request
      expect(writer.writeRequest(make()).equals(expected)).toBe(true);
    });

  it("sends a prepared traversal's bytes once, then encodes afresh", () => {
    const writer = new GraphBinaryRequestWriter();
    const traversal = g.V("a").out("depends_on").values("key");
    const expected = Buffer.from(driverRequestWriter.writeRequest(request(traversal)));
    writer.prepare(traversal);
    expect(writer.writeRequest(request(traversal)).equals(expected)).toBe(true);
    expect(writer.writeRequest(request(traversal)).equals(expected)).toBe(true);
  });

  it("writes short and long, ASCII and non-ASCII strings as UTF-8", () => {
    const writer = new GraphBinaryRequestWriter();
    const texts = [
      "",
      "a",
      "x".repeat(64),
      "x".repeat(65),
      "é",
      `${"a".repeat(63)}é`,
      "🦆",
      `a\u0000b`,
      "ü".repeat(80),
    ];
    const make = () => request(g.inject(texts).unfold().is(P.within(texts)));
    expect(writer.writeRequest(make()).equals(Buffer.from(driverRequestWriter.writeRequest(make())))).toBe(
      true,
    );
  });

  it("grows its buffer for a request larger than the initial one", () => {
    const writer = new GraphBinaryRequestWriter();
    const rows = Array.from(
      { length: 2_000 },
      (_, i) => new Map<unknown, unknown>([["d", "é".repeat(100) + i]]),
    );
    const make = () => request(g.inject(rows).unfold().count());
    expect(writer.writeRequest(make()).equals(Buffer.from(driverRequestWriter.writeRequest(make())))).toBe(
      true,
    );
  });
});
