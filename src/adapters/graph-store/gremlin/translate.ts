/**
 * A parsed traversal (core/gremlin/parse.ts) → driver bytecode, and the driver's results → plain
 * JSON. Step names are looked up on the driver's GraphTraversal, so only real Gremlin steps can be
 * called; nothing is evaluated as a script.
 */
import gremlin from "gremlin";
import { UserError } from "../../../core/errors.js";
import type { JsonValue } from "../../../core/estate/model.js";
import type { GremlinArg, GremlinStep } from "../../../core/gremlin/parse.js";
import type { GraphTraversalSource } from "./connection.js";

const { P, TextP, t, order, scope, column, cardinality, direction, pop, operator } = gremlin.process;
const __ = gremlin.process.statics as unknown as Record<string, (...args: unknown[]) => unknown>;
type Chain = Record<string, (...args: unknown[]) => Chain>;

/** Steps whose JavaScript name differs (reserved words). */
const JS_NAMES: Readonly<Record<string, string>> = {
  in: "in_",
  from: "from_",
  as: "as_",
  with: "with_",
  not: "not_",
  and: "and_",
  or: "or_",
  is: "is_",
};

const ENUMS: Readonly<Record<string, object>> = {
  T: t,
  Order: order,
  Scope: scope,
  Column: column,
  Cardinality: cardinality,
  Direction: direction,
  Pop: pop,
  Operator: operator,
};

const SOURCE_STEPS = new Set(["V", "E", "inject", "addV", "addE", "mergeV", "mergeE"]);

function unknownStep(name: string): never {
  throw new UserError(
    `Unknown Gremlin step ${name}().`,
    "Check the spelling against the TinkerPop reference.",
  );
}

function callStep(target: unknown, step: GremlinStep): Chain {
  const name = JS_NAMES[step.name] ?? step.name;
  const fn = (target as Record<string, unknown>)[name];
  // own traversal steps only: no toList/then/getBytecode or anything else reachable by name
  if (
    typeof fn !== "function" ||
    name.startsWith("_") ||
    ["toList", "next", "iterate", "then", "getBytecode", "hasNext", "toString", "constructor"].includes(name)
  )
    unknownStep(step.name);
  return (fn as (...args: unknown[]) => Chain).apply(target, step.args.map(toArg));
}

function toArg(arg: GremlinArg): unknown {
  switch (arg.kind) {
    case "string":
    case "number":
    case "boolean":
      return arg.value;
    case "null":
      return null;
    case "list":
      return arg.items.map(toArg);
    case "traversal": {
      const [first, ...rest] = arg.steps;
      if (first === undefined) throw new UserError("An anonymous traversal (__.) needs at least one step.");
      const start = __[JS_NAMES[first.name] ?? first.name];
      if (typeof start !== "function") unknownStep(first.name);
      let chain = start(...first.args.map(toArg)) as Chain;
      for (const step of rest) chain = callStep(chain, step);
      return chain;
    }
    case "predicate": {
      const family = (arg.family === "P" ? P : TextP) as unknown as Record<
        string,
        (...args: unknown[]) => unknown
      >;
      const args = arg.args.map(toArg);
      // P.within(['a','b']) and P.within('a','b') mean the same
      return family[arg.name]!(...(args.length === 1 && Array.isArray(args[0]) ? args[0] : args));
    }
    case "token": {
      const value = (ENUMS[arg.family] as Record<string, unknown> | undefined)?.[arg.name];
      if (value === undefined) throw new UserError(`Unknown Gremlin token ${arg.family}.${arg.name}.`);
      return value;
    }
  }
}

/** The traversal for `steps` on `g` (the first step must start a traversal: V, E, inject, …). */
export function toTraversal(
  g: GraphTraversalSource,
  steps: readonly GremlinStep[],
): gremlin.process.Traversal {
  const [first, ...rest] = steps;
  if (first === undefined || !SOURCE_STEPS.has(first.name))
    throw new UserError(
      `A traversal starts with g.V(), g.E(), g.inject(), g.addV(), g.addE(), g.mergeV() or g.mergeE(), not g.${first?.name ?? ""}().`,
    );
  let chain = callStep(g, first);
  for (const step of rest) chain = callStep(chain, step);
  return chain as unknown as gremlin.process.Traversal;
}

/** Driver values (Map, Vertex, Edge, Path, bigint, enum keys) → JSON. */
export function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value) || value instanceof Set) return [...value].map(toJson);
  if (value instanceof Map) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of value)
      out[
        typeof k === "object" && k !== null && "elementName" in k
          ? String((k as { elementName: string }).elementName)
          : String(k)
      ] = toJson(v);
    return out;
  }
  // the driver's typings omit the element fields
  const s = gremlin.structure;
  const element = value as { id?: unknown; label?: string; value?: unknown; objects?: unknown[] };
  if (value instanceof s.Edge) {
    const edge = value as unknown as { outV?: { id: unknown }; inV?: { id: unknown } };
    return {
      id: toJson(element.id),
      label: element.label ?? null,
      outV: toJson(edge.outV?.id),
      inV: toJson(edge.inV?.id),
    };
  }
  if (value instanceof s.VertexProperty || value instanceof s.Property) return toJson(element.value);
  if (value instanceof s.Vertex) return { id: toJson(element.id), label: element.label ?? null };
  if (value instanceof s.Path) return (element.objects ?? []).map(toJson);
  if (typeof value === "object" && "elementName" in value)
    return String((value as { elementName: string }).elementName);
  return String(value);
}
