import { describe, expect, it } from "vitest";
import type { GraphEdge } from "../../../core/graph/model.js";
import { docsColumn, kindBit, kindsMask, readPairEdges } from "./pair-edges.js";

const edges: GraphEdge[] = [
  { from: "dev:t/a", to: "dev:t/b", kind: "depends_on", evidence: { form: "depends-on", pointer: "/a\nb" } },
  {
    from: "dev:t/a",
    to: "dev:t/b",
    kind: "consumes",
    evidence: { form: "ref", pointer: '/kind":"depends_on', producerKey: "k" },
    configVersion: 2,
  },
];

function read(column: string, kinds?: readonly string[]): GraphEdge[] {
  const into: GraphEdge[] = [];
  readPairEdges(column, into, kinds);
  return into;
}

describe("a link row's edge documents", () => {
  const column = docsColumn(edges.map((edge) => JSON.stringify(edge)));

  it("read back as the very documents, in order, one or several", () => {
    expect(read(column).map((edge) => JSON.stringify(edge))).toEqual(edges.map((e) => JSON.stringify(e)));
    expect(read(docsColumn([JSON.stringify(edges[1])]))).toEqual([edges[1]]);
  });

  it("keep the edges of the kinds asked for, whatever their evidence's text", () => {
    expect(read(column, ["consumes"])).toEqual([edges[1]]);
    expect(read(column, ["depends_on", "inferred"])).toEqual([edges[0]]);
    expect(read(column, ["depends"])).toEqual([]);
  });

  it("have a bit per kind; a read of a kind without one is not filtered by SQL", () => {
    expect([kindBit("depends_on"), kindBit("consumes"), kindBit("inferred"), kindBit("other")]).toEqual([
      1, 2, 4, 0,
    ]);
    expect(kindsMask(["consumes", "inferred"])).toBe(6);
    expect(kindsMask(["consumes", "other"])).toBeUndefined();
    expect(kindsMask([])).toBe(0);
  });
});
