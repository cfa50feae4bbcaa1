/**
 * What every part of the Gremlin graph store shares: the connection, the estate's namespace and
 * the ids in it (model.ts), and the small helpers each traversal needs.
 */
import gremlin from "gremlin";
import type { GraphTraversalSource, GremlinConnection, Traversal } from "./connection.js";
import { ids } from "./model.js";

const { P } = gremlin.process;
export type GraphTraversal = gremlin.process.GraphTraversal;

export class StoreContext {
  readonly id: ReturnType<typeof ids>;

  constructor(
    readonly connection: GremlinConnection,
    readonly ns: string,
  ) {
    this.id = ids(ns);
  }

  run<T>(traversal: Traversal): Promise<T[]> {
    return this.connection.toList<T>(traversal);
  }

  g(): Promise<GraphTraversalSource> {
    return this.connection.g();
  }
}

/** Elements valid in version v. */
export function valid(traversal: GraphTraversal, v: number): GraphTraversal {
  return traversal.has("since", P.lte(v)).has("until", P.gt(v));
}

/** A vertex's `valueMap()`: every property as a list of values. */
export type Props = Map<string, unknown[]>;

export function prop<T>(map: Props, key: string): T | undefined {
  return map.get(key)?.[0] as T | undefined;
}

/** [consumer, producer] of an edge key (`from␀to␀kind␀…`, see edgeKey). */
export function linkOf(key: string): [string, string] {
  const [from, to] = key.split("\u0000");
  return [from!, to!];
}
