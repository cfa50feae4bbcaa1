import { describe, expect, it } from "vitest";
import { mutatingSteps, parseGremlin } from "./parse.js";

describe("parseGremlin", () => {
  it("parses steps, literals, predicates, tokens and anonymous traversals without evaluating anything", () => {
    expect(parseGremlin("g.V().hasLabel('component').count()")).toEqual([
      { name: "V", args: [] },
      { name: "hasLabel", args: [{ kind: "string", value: "component" }] },
      { name: "count", args: [] },
    ]);
    expect(
      parseGremlin(`g.V("a", 'b').has('n', gt(3L)).has('x', P.within(['p', "q"])).order().by(T.id, desc)
        .repeat(__.out('depends_on')).emit().where(out().count().is(0)).has('s', TextP.containing('e')).limit(2).toList()`),
    ).toEqual([
      {
        name: "V",
        args: [
          { kind: "string", value: "a" },
          { kind: "string", value: "b" },
        ],
      },
      {
        name: "has",
        args: [
          { kind: "string", value: "n" },
          { kind: "predicate", family: "P", name: "gt", args: [{ kind: "number", value: 3 }] },
        ],
      },
      {
        name: "has",
        args: [
          { kind: "string", value: "x" },
          {
            kind: "predicate",
            family: "P",
            name: "within",
            args: [
              {
                kind: "list",
                items: [
                  { kind: "string", value: "p" },
                  { kind: "string", value: "q" },
                ],
              },
            ],
          },
        ],
      },
      { name: "order", args: [] },
      {
        name: "by",
        args: [
          { kind: "token", family: "T", name: "id" },
          { kind: "token", family: "Order", name: "desc" },
        ],
      },
      {
        name: "repeat",
        args: [
          { kind: "traversal", steps: [{ name: "out", args: [{ kind: "string", value: "depends_on" }] }] },
        ],
      },
      { name: "emit", args: [] },
      {
        name: "where",
        args: [
          {
            kind: "traversal",
            steps: [
              { name: "out", args: [] },
              { name: "count", args: [] },
              { name: "is", args: [{ kind: "number", value: 0 }] },
            ],
          },
        ],
      },
      {
        name: "has",
        args: [
          { kind: "string", value: "s" },
          { kind: "predicate", family: "TextP", name: "containing", args: [{ kind: "string", value: "e" }] },
        ],
      },
      { name: "limit", args: [{ kind: "number", value: 2 }] },
    ]);
  });

  it("refuses what is not a plain traversal, naming the column", () => {
    expect(() => parseGremlin("graph.V()")).toThrow(/column 6: a traversal starts with "g"/);
    expect(() => parseGremlin("g.V().map{ it.get() }")).toThrow(/column 10: expected "\("/);
    expect(() => parseGremlin("g.V(); System.exit(0)")).toThrow(/column 6: unexpected ";"/);
    expect(() => parseGremlin("g.V().has('x', nonsense)")).toThrow(/unknown token nonsense/);
    expect(() => parseGremlin("g.V().has('x)")).toThrow(/unterminated string/);
  });

  it("finds mutating steps at any depth", () => {
    expect(mutatingSteps(parseGremlin("g.V().count()"))).toEqual([]);
    expect(mutatingSteps(parseGremlin("g.V().drop()"))).toEqual(["drop"]);
    expect(mutatingSteps(parseGremlin("g.V().sideEffect(__.property('x', 1)).union(addV('a'))"))).toEqual([
      "property",
      "addV",
    ]);
    expect(mutatingSteps(parseGremlin("g.addV('x').property('a', 1)"))).toEqual(["addV", "property"]);
  });
});
